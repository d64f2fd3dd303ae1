/**
 * One formatter for numbers, money, sizes and times, bound to a locale. Times are always shown in Bangkok (the
 * console's one display zone); the locale decides separators and, later, words.
 */
import {
  formatBangkokDateTime, formatBytes, formatCredits, formatMoney, formatSignedCredits,
} from "../lib/format";
import { LOCALE_TAGS, type Locale } from "./catalogue";
import { useLocale } from "./index";

export interface Formatter {
  locale: Locale;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(fraction: number, fractionDigits?: number): string;
  credits(value: number | string | null | undefined): string;
  signedCredits(value: number): string;
  money(minorUnits: number | bigint | string | null | undefined, currency: string): string;
  bytes(value: number | string | null | undefined): string;
  dateTime(value: string | Date | null | undefined, withSeconds?: boolean): string;
}

const cache = new Map<Locale, Formatter>();

export function createFormatter(locale: Locale): Formatter {
  const cached = cache.get(locale);
  if (cached) return cached;
  const tag = LOCALE_TAGS[locale];
  const formatter: Formatter = {
    locale,
    number: (value, options) => new Intl.NumberFormat(tag, options).format(value),
    percent: (fraction, fractionDigits = 0) =>
      new Intl.NumberFormat(tag, { style: "percent", minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(fraction),
    credits: (value) => formatCredits(value, tag),
    signedCredits: (value) => formatSignedCredits(value, tag),
    money: (minorUnits, currency) => formatMoney(minorUnits, currency, tag),
    bytes: (value) => formatBytes(value),
    dateTime: (value, withSeconds) => formatBangkokDateTime(value, withSeconds),
  };
  cache.set(locale, formatter);
  return formatter;
}

/** The formatter for the locale the console shows. */
export function useFormatter(): Formatter {
  return createFormatter(useLocale());
}
