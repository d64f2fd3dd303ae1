/** The console's text and number formatting: `useT()` / `useFormatter()` in components, `t` elsewhere. */
import { useContext, useMemo } from "react";
import { I18nContext } from "@refinedev/core";
import { DEFAULT_LOCALE, type Locale, type TFunction } from "./catalogue";
import { createFormatter, type Formatter } from "./format";
import { getCurrentLocale, makeT } from "./provider";
import { isLocale } from "./translate";

export type { Locale, MessageKey, ParamsOf, TFunction } from "./catalogue";
export { createI18nProvider, t } from "./provider";
export { createFormatter, type Formatter } from "./format";
export { registerMessages } from "./translate";

/** Refine's locale inside the console; outside it (the configuration error page) the module's current locale. */
function useLocale(): Locale {
  const { i18nProvider } = useContext(I18nContext);
  const locale = i18nProvider?.getLocale() ?? getCurrentLocale() ?? DEFAULT_LOCALE;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The typed translate function for the locale the console shows. */
export function useT(): TFunction {
  const locale = useLocale();
  return useMemo(() => makeT(locale), [locale]);
}

export function useFormatter(): Formatter {
  return createFormatter(useLocale());
}
