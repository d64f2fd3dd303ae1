import { describe, expect, it } from "vitest";
import { dsarLetters } from "./dsarLetters";

/** Every message of a subtree as "path: placeholders", to compare the two letter languages. */
const shape = (tree: object, prefix = ""): string[] =>
  Object.entries(tree).flatMap(([key, value]: [string, unknown]) =>
    typeof value === "string" ? [`${prefix}${key}: ${(value.match(/\{\w+\}/g) ?? []).sort().join(" ")}`] : shape(value as object, `${prefix}${key}.`),
  );

describe("the DSAR letters' words", () => {
  it("the Thai letters have the English letters' messages, with the same placeholders", () => {
    expect(shape(dsarLetters.th)).toEqual(shape(dsarLetters.en));
    expect(shape(dsarLetters.en)).toContain("greeting: {name}");
  });
});
