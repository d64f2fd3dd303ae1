/**
 * Compile-time checks of the typed catalogue (`npm run typecheck` fails if any line marked @ts-expect-error
 * compiles): unknown keys, missing or unknown parameters are type errors.
 */
import type { TFunction } from "./catalogue";

export function typedKeysAndParams(t: TFunction): string[] {
  return [
    t("common.actions.retry"),
    t("auth.embedded.signInAs", { email: "a@b.test" }),
    t("common.counts.rows", { count: 2 }),
    // @ts-expect-error: no such key
    t("common.actions.nope"),
    // @ts-expect-error: the placeholder {email} needs a value
    t("auth.embedded.signInAs"),
    // @ts-expect-error: a plural message needs count
    t("common.counts.rows", {}),
    // @ts-expect-error: a key without placeholders takes no parameters
    t("common.actions.retry", { x: 1 }),
    // @ts-expect-error: a branch is not a message
    t("common.actions"),
  ];
}
