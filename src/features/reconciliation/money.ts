/**
 * Amounts: Stripe's files write major units ("299.00", "-12.5", "1,400"); the database keeps integer minor
 * units. The exponent is Stripe's per currency (zero-decimal currencies such as JPY and KRW have none).
 */

const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

export function currencyExponent(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** "-12.50" → -1250 without regexes or strings (the 200,000-row path); null when it is not that simple. */
export function fastMinorAmount(text: string, exponent: number): number | null {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let whole = 0;
  let wholeDigits = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return null;
    whole = whole * 10 + (c - 48);
    wholeDigits++;
  }
  if (wholeDigits === 0 || wholeDigits > 15) return null;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < n) {
    i++;
    if (i === n) return null;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      if (fractionDigits < exponent) {
        fraction = fraction * 10 + (c - 48);
        fractionDigits++;
      } else if (c !== 48) return null;
    }
  }
  for (; fractionDigits < exponent; fractionDigits++) fraction *= 10;
  const minor = whole * 10 ** exponent + fraction;
  if (!Number.isSafeInteger(minor)) return null;
  return negative && minor !== 0 ? -minor : minor;
}

const PLAIN = /^[+-]?\d+(?:\.\d+)?$/;
const THOUSANDS_DOT_DECIMAL = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const PLAIN_COMMA = /^[+-]?\d+(?:,\d+)?$/;
const THOUSANDS_COMMA_DECIMAL = /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;

/**
 * Major-unit text → integer minor units, or an error message. `decimalComma` (semicolon-delimited files,
 * European locale) reads "1.234,56"; otherwise "1,234.56". More decimals than the currency has are refused
 * unless they are zeros ("1400.00" JPY is 1400).
 */
export function parseMajorAmount(text: string, currency: string, decimalComma = false): number | string {
  if (!decimalComma) {
    const fast = fastMinorAmount(text, currencyExponent(currency));
    if (fast !== null) return fast;
  }
  let s = text.trim();
  if (s === "") return "is empty";
  let negative = false;
  if (s.startsWith("(") && s.endsWith(")")) {
    negative = true;
    s = s.slice(1, -1);
  }
  let normalised: string;
  if (PLAIN.test(s) && !decimalComma) normalised = s;
  else if (!decimalComma && THOUSANDS_DOT_DECIMAL.test(s)) normalised = s.replace(/,/g, "");
  else if (decimalComma && PLAIN_COMMA.test(s)) normalised = s.replace(",", ".");
  else if (decimalComma && THOUSANDS_COMMA_DECIMAL.test(s)) normalised = s.replace(/\./g, "").replace(",", ".");
  else if (decimalComma && PLAIN.test(s)) normalised = s;
  else return `"${text}" is not an amount`;
  if (normalised[0] === "-") {
    negative = !negative;
    normalised = normalised.slice(1);
  } else if (normalised[0] === "+") normalised = normalised.slice(1);
  const exponent = currencyExponent(currency);
  const dot = normalised.indexOf(".");
  const whole = dot < 0 ? normalised : normalised.slice(0, dot);
  let fraction = dot < 0 ? "" : normalised.slice(dot + 1);
  if (fraction.length > exponent) {
    if (/[^0]/.test(fraction.slice(exponent))) {
      return `"${text}" has more decimals than ${currency.toUpperCase()} allows (${exponent})`;
    }
    fraction = fraction.slice(0, exponent);
  }
  const minor = Number(whole + fraction.padEnd(exponent, "0"));
  if (!Number.isSafeInteger(minor)) return `"${text}" is too large`;
  return negative && minor !== 0 ? -minor : minor;
}

/** Integer minor units → major-unit text with the currency's decimals ("-12.50", "1400"). */
export function formatMinorAmount(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const abs = String(Math.abs(minor)).padStart(exponent + 1, "0");
  return `${sign}${abs.slice(0, -exponent)}.${abs.slice(-exponent)}`;
}

/** For display: "1,234.50 THB". */
export function displayAmount(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined) return "—";
  const c = (currency ?? "").toLowerCase();
  const exponent = currencyExponent(c);
  const value = minor / 10 ** exponent;
  return `${value.toLocaleString("en-US", { minimumFractionDigits: exponent, maximumFractionDigits: exponent })} ${c.toUpperCase()}`;
}
