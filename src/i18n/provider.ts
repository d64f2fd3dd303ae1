/**
 * The console's Refine i18nProvider over the catalogue, and `t` for code outside React (pure modules building
 * labels or messages). Refine asks for its own keys too ("buttons.save"…): a key the catalogue lacks falls back to
 * Refine's default message, as its docs expect.
 */
import type { I18nProvider } from "@refinedev/core";
import { DEFAULT_LOCALE, LOCALES, type Locale, type TFunction } from "./catalogue";
import { isLocale, namespaceLoaded, translate } from "./translate";

let currentLocale: Locale = DEFAULT_LOCALE;

export function getCurrentLocale(): Locale {
  return currentLocale;
}

/** The translation function for a locale; an unknown key is a bug in the caller (the key type prevents it). */
export function makeT(locale: Locale): TFunction {
  return ((key: string, params?: Record<string, unknown>) => {
    const text = translate(locale, key, params);
    if (text !== undefined) return text;
    if (!namespaceLoaded(locale, key)) {
      throw new Error(`Message "${key}": its namespace is not loaded; import src/i18n/messages/${locale}/${key.split(".")[0]} in the feature`);
    }
    throw new Error(`No message "${key}" in the ${locale} catalogue`);
  }) as TFunction;
}

/** Translates with the locale the console currently shows (for modules without React). */
export const t: TFunction = ((key: string, params?: Record<string, unknown>) =>
  (makeT(currentLocale) as (k: string, p?: Record<string, unknown>) => string)(key, params)) as TFunction;

export function createI18nProvider(initial: Locale = DEFAULT_LOCALE): I18nProvider {
  currentLocale = initial;
  return {
    translate(key, options, defaultMessage) {
      // Refine's two-argument form passes the default message where the options go.
      const [params, fallback] = typeof options === "string" ? [undefined, options] : [options as Record<string, unknown> | undefined, defaultMessage];
      return translate(currentLocale, key, params) ?? fallback ?? key;
    },
    changeLocale(locale) {
      if (!isLocale(locale)) throw new Error(`Unknown locale "${locale}"; the console has: ${LOCALES.join(", ")}`);
      currentLocale = locale;
    },
    getLocale: () => currentLocale,
  };
}
