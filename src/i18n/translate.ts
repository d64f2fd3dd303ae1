/**
 * Looking up and filling a message. Plain functions: the Refine i18nProvider, the `useT` hook and code outside React
 * all go through `translate`.
 */
import { LOCALE_TAGS, LOCALES, type Locale, type Message, type PluralMessage } from "./catalogue";
import { eagerEnglish } from "./messages/en";

/** The namespaces loaded so far, per locale (see messages/en/index.ts). */
const catalogues: Record<Locale, Record<string, unknown>> = { en: { ...eagerEnglish } };

/** Called by each namespace file when it loads. */
export function registerMessages(locale: Locale, namespace: string, messages: object): void {
  const existing = catalogues[locale][namespace];
  if (existing !== undefined && existing !== messages) throw new Error(`Two message files claim the namespace "${namespace}" (${locale})`);
  catalogues[locale][namespace] = messages;
}

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

export class UnloadedNamespaceError extends Error {}

export class MissingParameterError extends Error {}

const isPlural = (m: unknown): m is PluralMessage => typeof m === "object" && m !== null && typeof (m as PluralMessage).other === "string";

/** The message at a dot path, or undefined when the catalogue has none there (Refine asks for its own keys too). */
export function lookup(locale: Locale, key: string): Message | undefined {
  let node: unknown = catalogues[locale];
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null || isPlural(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === "string" || isPlural(node)) return node;
  return undefined;
}

/** Whether `key`'s namespace file has loaded (a typed key whose namespace is missing is an import left out). */
export function namespaceLoaded(locale: Locale, key: string): boolean {
  return catalogues[locale][key.slice(0, key.indexOf("."))] !== undefined;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

function pick(locale: Locale, message: PluralMessage, count: number): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(LOCALE_TAGS[locale])));
  const category = count === 0 && message.zero !== undefined ? "zero" : rules.select(count);
  return message[category] ?? message.other;
}

/** `{name}` → the parameter, numbers in the locale's grouping ("1,234"). A placeholder without a value is a bug. */
function fill(locale: Locale, template: string, params: Record<string, unknown>, key: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new MissingParameterError(`Message "${key}" needs "${name}"`);
    if (typeof value === "number") {
      let format = numberFormats.get(locale);
      if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(LOCALE_TAGS[locale], { maximumFractionDigits: 20 })));
      return format.format(value);
    }
    return String(value);
  });
}

/** The filled message, or undefined when the key is not in the catalogue. */
export function translate(locale: Locale, key: string, params: Record<string, unknown> = {}): string | undefined {
  const message = lookup(locale, key);
  if (message === undefined) return undefined;
  if (typeof message === "string") return fill(locale, message, params, key);
  const count = params.count;
  if (typeof count !== "number") throw new MissingParameterError(`Message "${key}" is a plural: it needs a numeric "count"`);
  return fill(locale, pick(locale, message, count), params, key);
}
