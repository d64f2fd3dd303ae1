/**
 * Types over the catalogue: every message key as a dot path, each key's placeholders, plural messages.
 * A message is a string with `{name}` placeholders, or a plural form object chosen by `count` (Intl.PluralRules).
 */
import type { EnglishCatalogue } from "./messages/en";

/** One message per CLDR plural category the language uses; `other` is always present. */
export interface PluralMessage {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

export type Message = string | PluralMessage;

export const LOCALES = ["en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** BCP 47 tags for Intl, per console locale. */
export const LOCALE_TAGS: Record<Locale, string> = { en: "en-US" };

type Messages = EnglishCatalogue;

/** The same tree with every message replaced by a string (what a translation must provide). */
export type CatalogueShape<T> = { readonly [K in keyof T]: T[K] extends string ? string : T[K] extends PluralMessage ? PluralMessage : CatalogueShape<T[K]> };

type KeysOf<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends Message ? `${Prefix}${K}` : KeysOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every key of the catalogue, e.g. "common.actions.retry". */
export type MessageKey = KeysOf<Messages>;

type At<T, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T ? At<T[Head], Rest> : never
  : Path extends keyof T ? T[Path] : never;

type PlaceholdersIn<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersIn<Rest> : never;
type PlaceholdersOf<M> = M extends string ? PlaceholdersIn<M> : M extends PluralMessage ? PlaceholdersIn<M[keyof M]> | "count" : never;

export type ParamValue = string | number;
/** The parameters a key needs: one per placeholder (plural messages also need `count`). */
export type ParamsOf<K extends MessageKey> = [PlaceholdersOf<At<Messages, K>>] extends [never]
  ? Record<string, never> | undefined
  : { [P in PlaceholdersOf<At<Messages, K>>]: ParamValue };

/** Typed translation: keys and parameters are checked against the English catalogue. */
export type TFunction = <K extends MessageKey>(key: K, ...params: [PlaceholdersOf<At<Messages, K>>] extends [never] ? [] : [ParamsOf<K>]) => string;
