/**
 * The console's text: `useT()` in components, `t` elsewhere. Numbers and dates: `useFormatter()` from
 * `i18n/format` (kept out of this module so the first page does not load dayjs's time-zone data with it).
 */
import { useContext, useMemo } from "react";
import { I18nContext } from "@refinedev/core";
import { DEFAULT_LOCALE, type Locale, type TFunction } from "./catalogue";
import { getCurrentLocale, makeT } from "./provider";
import { isLocale } from "./translate";

export type { Locale, MessageKey, ParamsOf, TFunction } from "./catalogue";
export { createI18nProvider, t } from "./provider";
export { registerMessages } from "./translate";

/** Refine's locale inside the console; outside it (the configuration error page) the module's current locale. */
export function useLocale(): Locale {
  const { i18nProvider } = useContext(I18nContext);
  const locale = i18nProvider?.getLocale() ?? getCurrentLocale() ?? DEFAULT_LOCALE;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The typed translate function for the locale the console shows. */
export function useT(): TFunction {
  const locale = useLocale();
  return useMemo(() => makeT(locale), [locale]);
}

