/**
 * Row validation and normalisation, one row at a time (called by the streaming parser): amounts to minor units,
 * dates to ISO, currencies and Stripe ids checked. Problems carry the file line and the column's name.
 */
import type { BalanceColumn, PaymentsColumn } from "./headers";
import { BALANCE_REPORT_COLUMNS, PAYMENTS_EXPORT_COLUMNS } from "./headers";
import { currencyExponent, fastMinorAmount, parseMajorAmount } from "./money";
import type { BalanceReportRow, PaymentStatusClass, PaymentsExportRow, ValidationIssue } from "./types";

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]00:?00|UTC)?$/i;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** The common shape, "2026-11-20 08:12:33", without a regex or a Date (200,000 rows). */
function fastUtcDate(text: string): number | null {
  if (text.length !== 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const sep = text.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return null;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > DAYS_IN_MONTH[mo - 1]! || (mo === 2 && d === 29 && !leap)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** "2026-11-20 08:12:33" (UTC, as Stripe writes it), ISO with Z/+00:00, or a bare date → epoch ms, or null. */
function parseUtcDate(text: string): number | null {
  const fast = fastUtcDate(text);
  if (fast !== null) return fast;
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = ""] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second, Number(frac.padEnd(3, "0").slice(0, 3)));
  // 2026-02-31 rolls over in Date.UTC: refuse it.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms;
}

const CURRENCY = /^[A-Za-z]{3}$/;
const STRIPE_ID = /^[a-z]+_[A-Za-z0-9]+$/;

/** "re" for "re_3Nx…"; null when it is not a Stripe id. No match arrays: this runs for every row. */
function idPrefix(value: string): string | null {
  if (!STRIPE_ID.test(value)) return null;
  const underscore = value.indexOf("_");
  switch (underscore) {
    case 2:
      return value.startsWith("ch") ? "ch" : value.startsWith("re") ? "re" : value.startsWith("py") ? "py" : value.startsWith("pi") ? "pi" : value.slice(0, 2);
    case 3:
      return value.startsWith("pyr") ? "pyr" : value.startsWith("txn") ? "txn" : value.startsWith("cus") ? "cus" : value.slice(0, 3);
    default:
      return value.slice(0, underscore);
  }
}

const LOWER = /^[a-z_]*$/;
const lower = (value: string): string => (LOWER.test(value) ? value : value.toLowerCase());

/** Payments export "Status" → class. Unknown values are a validation error. */
const STATUS_CLASSES: Record<string, PaymentStatusClass> = {
  paid: "succeeded",
  succeeded: "succeeded",
  refunded: "succeeded",
  "partially refunded": "succeeded",
  "partial refund": "succeeded",
  disputed: "succeeded",
  failed: "failed",
  declined: "failed",
  blocked: "failed",
  canceled: "canceled",
  cancelled: "canceled",
  pending: "pending",
  processing: "pending",
  incomplete: "incomplete",
  "requires payment method": "incomplete",
  "requires action": "incomplete",
  "requires confirmation": "incomplete",
  uncaptured: "uncaptured",
  "requires capture": "uncaptured",
};

function paymentStatusClass(status: string): PaymentStatusClass | null {
  return STATUS_CLASSES[status.trim().toLowerCase().replace(/[_\s]+/g, " ")] ?? null;
}

export interface RowSink {
  issue(issue: ValidationIssue): void;
}

type Cells = readonly string[];

function cell(cells: Cells, index: number): string {
  return index >= 0 ? (cells[index] ?? "").trim() : "";
}

/** ISO text of a parsed time; the common "YYYY-MM-DD HH:MM:SS" shape without a Date. */
function isoOf(text: string, ms: number): string {
  return text.length === 19 ? `${text.slice(0, 10)}T${text.slice(11)}.000Z` : new Date(ms).toISOString();
}

/** `prefix_` followed by one or more ASCII letters or digits; a character loop (no regex state) for 200,000 rows. */
function hasIdShape(value: string, prefix: string): boolean {
  const n = value.length;
  if (n <= prefix.length + 1 || !value.startsWith(prefix) || value.charCodeAt(prefix.length) !== 95) return false;
  for (let i = prefix.length + 1; i < n; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}
const TXN_ID = { test: (v: string) => hasIdShape(v, "txn") };
const CHARGE_ID = { test: (v: string) => hasIdShape(v, "ch") || hasIdShape(v, "py") };
const INTENT_ID = { test: (v: string) => hasIdShape(v, "pi") };
const REFUND_ID = { test: (v: string) => hasIdShape(v, "re") || hasIdShape(v, "pyr") };
const CUSTOMER_ID = { test: (v: string) => hasIdShape(v, "cus") };

/**
 * Balance report row → normalised row, or null after reporting its problems. Written without per-row
 * closures or regex-heavy parsing: it runs 200,000 times per file.
 */
export function balanceRowValidator(columns: Record<BalanceColumn, number>, decimalComma: boolean) {
  let ok = true;
  let currentLine = 0;
  let currentSink: RowSink | null = null;
  const bad = (column: BalanceColumn | null, message: string) => {
    ok = false;
    currentSink!.issue({ line: currentLine, column: column ? BALANCE_REPORT_COLUMNS[column].label : null, message });
  };
  const amountOf = (cells: Cells, column: "gross" | "fee" | "net", currency: string, exponent: number): number => {
    const text = cell(cells, columns[column]);
    const fast = decimalComma ? null : fastMinorAmount(text, exponent);
    if (fast !== null) return fast;
    const value = parseMajorAmount(text, currency, decimalComma);
    if (typeof value === "string") {
      bad(column, value);
      return 0;
    }
    return value;
  };
  const exponents = new Map<string, number>();
  return (cells: Cells, line: number, sink: RowSink): BalanceReportRow | null => {
    ok = true;
    currentLine = line;
    currentSink = sink;
    const txn = cell(cells, columns.balance_transaction_id);
    if (txn === "") bad("balance_transaction_id", "is empty");
    else if (!TXN_ID.test(txn)) bad("balance_transaction_id", `"${txn}" is not a balance transaction id (txn_…)`);
    const createdText = cell(cells, columns.created_utc);
    const created = parseUtcDate(createdText);
    if (created === null) bad("created_utc", createdText === "" ? "is empty" : `"${createdText}" is not a date (YYYY-MM-DD HH:MM:SS, UTC)`);
    const currencyText = cell(cells, columns.currency);
    const currencyOk = CURRENCY.test(currencyText);
    const currency = currencyOk ? lower(currencyText) : currencyText;
    if (!currencyOk) bad("currency", currencyText === "" ? "is empty" : `"${currencyText}" is not a three-letter currency code`);
    let exponent = exponents.get(currency);
    if (exponent === undefined) {
      exponent = currencyExponent(currency);
      exponents.set(currency, exponent);
    }
    const category = lower(cell(cells, columns.reporting_category));
    if (category === "") bad("reporting_category", "is empty");
    let gross = 0;
    let fee = 0;
    let net = 0;
    if (currencyOk) {
      gross = amountOf(cells, "gross", currency, exponent);
      fee = amountOf(cells, "fee", currency, exponent);
      net = amountOf(cells, "net", currency, exponent);
    }
    const sourceId = cell(cells, columns.source_id) || null;
    let chargeId = cell(cells, columns.charge_id) || null;
    const paymentIntentId = cell(cells, columns.payment_intent_id) || null;
    const refundId = cell(cells, columns.refund_id) || null;
    const customerId = cell(cells, columns.customer_id) || null;
    if (sourceId !== null && idPrefix(sourceId) === null) bad("source_id", `"${sourceId}" is not a Stripe id`);
    if (chargeId !== null && !CHARGE_ID.test(chargeId)) bad("charge_id", `"${chargeId}" is not a charge id (ch_… or py_…)`);
    if (paymentIntentId !== null && !INTENT_ID.test(paymentIntentId)) bad("payment_intent_id", `"${paymentIntentId}" is not a payment intent id (pi_…)`);
    if (refundId !== null && !REFUND_ID.test(refundId)) bad("refund_id", `"${refundId}" is not a refund id (re_… or pyr_…)`);
    if (customerId !== null && !CUSTOMER_ID.test(customerId)) bad("customer_id", `"${customerId}" is not a customer id (cus_…)`);
    if (!ok) return null;
    if (net !== gross - fee) bad("net", `net ${cells[columns.net]} is not gross ${cells[columns.gross]} minus fee ${cells[columns.fee]}`);
    let source = sourceId;
    if (category === "charge" || category === "payment") {
      const prefix = sourceId ? idPrefix(sourceId) : null;
      if (chargeId === null && (prefix === "ch" || prefix === "py")) chargeId = sourceId;
      if (chargeId === null && paymentIntentId === null) bad("charge_id", "a charge row needs a charge id (charge_id or a ch_ source_id) or a payment_intent_id");
      if (gross < 0) bad("gross", "a charge cannot be negative");
    } else if (category === "refund" || category === "refund_failure") {
      const id = refundId ?? sourceId;
      const prefix = id ? idPrefix(id) : null;
      if (prefix !== "re" && prefix !== "pyr") bad("source_id", `a ${category} row needs a refund id (re_… or pyr_…) in source_id or refund_id`);
      else source = id;
      if (category === "refund" && gross > 0) bad("gross", "a refund must be negative (money leaving the balance)");
      if (category === "refund_failure" && gross < 0) bad("gross", "a refund failure must be positive (money returning to the balance)");
    }
    if (!ok) return null;
    return {
      balance_transaction_id: txn,
      created_utc: isoOf(createdText, created!),
      currency,
      gross,
      fee,
      net,
      reporting_category: category,
      source_id: source,
      charge_id: chargeId,
      payment_intent_id: paymentIntentId,
      customer_id: customerId,
    };
  };
}

const TRUE_FALSE: Record<string, boolean> = { true: true, false: false, yes: true, no: false, "1": true, "0": false };

/** Payments export row → normalised row, or null after reporting its problems. */
export function paymentsRowValidator(columns: Record<PaymentsColumn, number>, decimalComma: boolean) {
  const label = (c: PaymentsColumn) => PAYMENTS_EXPORT_COLUMNS[c].label;
  return (cells: Cells, line: number, sink: RowSink): PaymentsExportRow | null => {
    let ok = true;
    const bad = (column: PaymentsColumn, message: string) => {
      ok = false;
      sink.issue({ line, column: label(column), message });
    };
    const id = cell(cells, columns.id);
    const prefix = idPrefix(id);
    if (id === "") bad("id", "is empty");
    else if (prefix !== "ch" && prefix !== "py" && prefix !== "pi") bad("id", `"${id}" is not a charge or payment intent id (ch_…, py_…, pi_…)`);
    const createdText = cell(cells, columns.created);
    const created = parseUtcDate(createdText);
    if (created === null) bad("created", createdText === "" ? "is empty" : `"${createdText}" is not a date (YYYY-MM-DD HH:MM[:SS], UTC)`);
    const currencyText = cell(cells, columns.currency);
    const currency = currencyText.toLowerCase();
    const currencyOk = CURRENCY.test(currencyText);
    if (!currencyOk) bad("currency", currencyText === "" ? "is empty" : `"${currencyText}" is not a three-letter currency code`);
    let amount = 0;
    let refunded: number | null = null;
    if (currencyOk) {
      const a = parseMajorAmount(cell(cells, columns.amount), currency, decimalComma);
      if (typeof a === "string") bad("amount", a);
      else if (a < 0) bad("amount", "a payment cannot be negative");
      else amount = a;
      if (columns.amount_refunded >= 0) {
        const text = cell(cells, columns.amount_refunded);
        const r = text === "" ? 0 : parseMajorAmount(text, currency, decimalComma);
        if (typeof r === "string") bad("amount_refunded", r);
        else if (r < 0) bad("amount_refunded", "cannot be negative");
        else if (typeof a === "number" && a >= 0 && r > a) bad("amount_refunded", `${text} is more than the amount ${cell(cells, columns.amount)}`);
        else refunded = r;
      }
    }
    const status = cell(cells, columns.status);
    let statusClass = paymentStatusClass(status);
    if (statusClass === null) bad("status", status === "" ? "is empty" : `"${status}" is not a payment status Stripe exports (Paid, Refunded, Partially refunded, Failed, Canceled, Pending, Incomplete…)`);
    if (columns.captured >= 0 && statusClass === "succeeded") {
      const captured = TRUE_FALSE[cell(cells, columns.captured).toLowerCase()];
      if (captured === false) statusClass = "uncaptured";
    }
    let paymentIntentId = cell(cells, columns.payment_intent_id) || null;
    if (paymentIntentId !== null && !/^pi_[A-Za-z0-9]+$/.test(paymentIntentId)) bad("payment_intent_id", `"${paymentIntentId}" is not a payment intent id (pi_…)`);
    if (paymentIntentId === null && prefix === "pi") paymentIntentId = id;
    const customerId = cell(cells, columns.customer_id) || null;
    if (customerId !== null && !/^cus_[A-Za-z0-9]+$/.test(customerId)) bad("customer_id", `"${customerId}" is not a customer id (cus_…)`);
    if (!ok) return null;
    return {
      id,
      created_utc: isoOf(createdText, created!),
      payment_intent_id: paymentIntentId,
      customer_id: customerId,
      currency,
      amount,
      amount_refunded: refunded,
      status,
      status_class: statusClass!,
    };
  };
}
