import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";

dayjs.extend(utc);
dayjs.extend(timezone);

export const DISPLAY_TIME_ZONE = "Asia/Bangkok";

// ISO 4217 currencies Stripe treats as zero-decimal (amount is already in whole units).
const ZERO_DECIMAL_CURRENCIES = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
]);

/** Decimal places of a currency's major unit (Stripe's rule): 0 for JPY and the other zero-decimal codes, else 2. */
export function currencyExponent(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency.trim().toLowerCase()) ? 0 : 2;
}

const CURRENCY_SYMBOLS: Record<string, string> = { thb: "฿", usd: "$", eur: "€", gbp: "£", jpy: "¥" };

/**
 * Money stored as Stripe does (minor units, lower-case ISO code) → "฿1,234.00". `localeTag`: the BCP 47 tag whose
 * digit grouping is used (the i18n formatter passes the console's locale).
 */
export function formatMoney(minorUnits: number | bigint | string | null | undefined, currency: string, localeTag = "en-US"): string {
  if (minorUnits === null || minorUnits === undefined || minorUnits === "") return "—";
  const code = currency.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(code)) throw new Error(`formatMoney: invalid currency code "${currency}"`);
  const amount = typeof minorUnits === "bigint" ? Number(minorUnits) : Number(minorUnits);
  if (!Number.isFinite(amount) || !Number.isInteger(amount)) {
    throw new Error(`formatMoney: amount must be an integer number of minor units, got "${String(minorUnits)}"`);
  }
  const decimals = currencyExponent(code);
  const major = Math.abs(amount) / 10 ** decimals;
  const digits = major.toLocaleString(localeTag, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const symbol = CURRENCY_SYMBOLS[code];
  const sign = amount < 0 ? "-" : "";
  return symbol ? `${sign}${symbol}${digits}` : `${sign}${digits} ${code.toUpperCase()}`;
}

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** Binary sizes (1 KB = 1024 B), one decimal above bytes: 1536 → "1.5 KB". */
export function formatBytes(bytes: number | string | null | undefined): string {
  if (bytes === null || bytes === undefined || bytes === "") return "—";
  const value = Number(bytes);
  if (!Number.isFinite(value) || value < 0) throw new Error(`formatBytes: invalid size "${String(bytes)}"`);
  let unitIndex = 0;
  let scaled = value;
  while (scaled >= 1024 && unitIndex < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unitIndex += 1;
  }
  return unitIndex === 0 ? `${value} B` : `${scaled.toFixed(1)} ${BYTE_UNITS[unitIndex]}`;
}

/**
 * Asia/Bangkok has been UTC+07:00 without daylight saving since 1 April 1920 (tz database); before that it kept
 * local mean time (+06:42:04), which only the time-zone plugin knows.
 */
const BANGKOK_FIXED_SINCE_MS = Date.UTC(1920, 2, 31, 17, 17, 56);
const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * A timestamp as Bangkok wall-clock time, "2026-11-26 14:05" (the console's one display zone). Since 1920 by
 * arithmetic on the fixed offset: dayjs's time-zone conversion costs ~100 µs a call, which a CSV export of a
 * million rows would pay a million times.
 */
export function formatBangkokDateTime(value: string | Date | null | undefined, withSeconds = false): string {
  if (value === null || value === undefined || value === "") return "—";
  const parsed = dayjs(value);
  if (!parsed.isValid()) throw new Error(`formatBangkokDateTime: invalid timestamp "${String(value)}"`);
  const ms = parsed.valueOf();
  if (ms >= BANGKOK_FIXED_SINCE_MS) {
    const wall = new Date(ms + BANGKOK_OFFSET_MS).toISOString(); // "2026-11-26T14:05:09.000Z", read as Bangkok
    return `${wall.slice(0, 10)} ${wall.slice(11, withSeconds ? 19 : 16)}`;
  }
  // not-ui-text: dayjs format patterns
  return parsed.tz(DISPLAY_TIME_ZONE).format(withSeconds ? "YYYY-MM-DD HH:mm:ss" : "YYYY-MM-DD HH:mm");
}

/** Start of a Bangkok calendar day as an ISO instant, for `created_at >= …` filters. */
export function bangkokStartOfDayIso(date: string): string {
  const parsed = dayjs.tz(date, "YYYY-MM-DD", DISPLAY_TIME_ZONE);
  // dayjs rolls 2026-02-30 over to March 2nd; a day that does not exist is an error, not another day.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !parsed.isValid() || parsed.format("YYYY-MM-DD") !== date) {
    throw new Error(`invalid date "${date}" (expected YYYY-MM-DD)`);
  }
  return parsed.startOf("day").toISOString();
}

/** Start of the next Bangkok day, for an exclusive `created_at < …` upper bound. */
export function bangkokEndOfDayExclusiveIso(date: string): string {
  return dayjs(bangkokStartOfDayIso(date)).add(1, "day").toISOString();
}

/** Credits with their direction, as adjustments and ledger rows show them: 500 → "+500", -1200 → "-1,200". */
export function formatSignedCredits(credits: number, localeTag = "en-US"): string {
  return credits > 0 ? `+${formatCredits(credits, localeTag)}` : formatCredits(credits, localeTag);
}

export function formatCredits(credits: number | string | null | undefined, localeTag = "en-US"): string {
  if (credits === null || credits === undefined || credits === "") return "—";
  const value = Number(credits);
  if (!Number.isFinite(value)) throw new Error(`formatCredits: invalid amount "${String(credits)}"`);
  return value.toLocaleString(localeTag);
}
