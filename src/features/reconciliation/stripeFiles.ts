/**
 * Writes Stripe-shaped CSV files from database records, and injects one discrepancy of every kind.
 * Used by the demo-file script, the bench and the tests (not by the page): the files have the columns,
 * quoting and number formats of Stripe's own exports.
 */
import Papa from "papaparse";
import { formatMinorAmount } from "./money";
import type { BalanceReportRow, DatabaseRecord, DiscrepancyKind, PaymentsExportRow } from "./types";

export interface CsvStyle {
  delimiter?: "," | ";";
  newline?: "\n" | "\r\n";
  bom?: boolean;
}

/** "2026-11-20 08:12:33" as Stripe writes UTC times in its CSVs. */
function stripeTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace("T", " ");
}

function amountText(minor: number, currency: string, delimiter: string): string {
  const text = formatMinorAmount(minor, currency);
  return delimiter === ";" ? text.replace(".", ",") : text;
}

function toCsv(fields: string[], data: string[][], style: CsvStyle): string {
  const newline = style.newline ?? "\n";
  const body = Papa.unparse({ fields, data }, { delimiter: style.delimiter ?? ",", newline });
  return `${style.bom ? "\uFEFF" : ""}${body}${newline}`;
}

const BALANCE_REPORT_HEADER = [
  "balance_transaction_id", "created_utc", "created", "available_on_utc", "currency", "gross", "fee", "net", "reporting_category",
  "source_id", "description", "customer_facing_amount", "customer_facing_currency", "customer_id", "charge_id", "payment_intent_id",
];

const PARTIALLY_REFUNDED = "Partially refunded"; // not-ui-text: a Status of Stripe's payments export

// not-ui-text: Stripe's descriptions, as its files hold them
const DESCRIPTIONS: Record<string, string> = {
  charge: "M-Factory credits, card payment",
  refund: "REFUND FOR CHARGE (M-Factory credits)",
  refund_failure: "Refund failure",
};

export function balanceReportCsv(rows: readonly BalanceReportRow[], style: CsvStyle = {}): string {
  const d = style.delimiter ?? ",";
  const data = rows.map((r) => {
    const created = stripeTime(r.created_utc);
    return [
      r.balance_transaction_id, created, created, created, r.currency, amountText(r.gross, r.currency, d), amountText(r.fee, r.currency, d),
      amountText(r.net, r.currency, d), r.reporting_category, r.source_id ?? "", DESCRIPTIONS[r.reporting_category] ?? "", amountText(r.gross, r.currency, d),
      r.currency, r.customer_id ?? "", r.charge_id ?? "", r.payment_intent_id ?? "",
    ];
  });
  return toCsv(BALANCE_REPORT_HEADER, data, style);
}

// not-ui-text: Stripe's column names
const PAYMENTS_EXPORT_HEADER = [
  "id", "Description", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Converted Amount", "Converted Amount Refunded",
  "Fee", "Converted Currency", "Captured", "Status", "Customer ID", "PaymentIntent ID",
];

export function paymentsExportCsv(rows: readonly PaymentsExportRow[], style: CsvStyle = {}): string {
  const d = style.delimiter ?? ",";
  const data = rows.map((r) => [
    // not-ui-text: the description Stripe shows for the product
    r.id, "M-Factory credits", stripeTime(r.created_utc), amountText(r.amount, r.currency, d), amountText(r.amount_refunded ?? 0, r.currency, d), r.currency,
    amountText(r.amount, r.currency, d), amountText(r.amount_refunded ?? 0, r.currency, d), amountText(Math.round(r.amount * 0.0365), r.currency, d),
    r.currency, r.status_class === "succeeded" ? "true" : "false", r.status, r.customer_id ?? "", r.payment_intent_id ?? "",
  ]);
  return toCsv(PAYMENTS_EXPORT_HEADER, data, style);
}

const fee = (amount: number) => Math.round(amount * 0.0365);
const tail = (id: string) => id.slice(id.indexOf("_") + 1);

/** What Stripe's balance holds for these records: a charge per succeeded payment with a charge, a refund per executed refund, and a refund_failure when it failed or was canceled. Sorted by time. */
export function balanceRowsFromRecords(records: readonly DatabaseRecord[]): BalanceReportRow[] {
  const payments = new Map(records.filter((r) => r.record_type === "payment").map((r) => [r.id, r] as const));
  const rows: BalanceReportRow[] = [];
  for (const r of records) {
    if (r.record_type === "payment") {
      if (r.status !== "succeeded" || !r.stripe_charge_id) continue;
      const f = fee(r.amount);
      rows.push({
        balance_transaction_id: `txn_${tail(r.stripe_charge_id)}`, created_utc: new Date(r.created_at).toISOString(), currency: r.currency,
        gross: r.amount, fee: f, net: r.amount - f, reporting_category: "charge", source_id: r.stripe_charge_id,
        charge_id: r.stripe_charge_id, payment_intent_id: r.stripe_payment_intent_id, customer_id: null,
      });
      continue;
    }
    if (!r.stripe_refund_id) continue;
    const payment = payments.get(r.payment_id);
    const chargeId = r.stripe_charge_id ?? payment?.stripe_charge_id ?? null;
    const intentId = r.stripe_payment_intent_id ?? payment?.stripe_payment_intent_id ?? null;
    rows.push({
      balance_transaction_id: `txn_${tail(r.stripe_refund_id)}R`, created_utc: new Date(r.created_at).toISOString(), currency: r.currency,
      gross: -r.amount, fee: 0, net: -r.amount, reporting_category: "refund", source_id: r.stripe_refund_id,
      charge_id: chargeId, payment_intent_id: intentId, customer_id: null,
    });
    if (r.status === "failed" || r.status === "canceled") {
      rows.push({
        balance_transaction_id: `txn_${tail(r.stripe_refund_id)}F`, created_utc: new Date(r.created_at).toISOString(), currency: r.currency,
        gross: r.amount, fee: 0, net: r.amount, reporting_category: "refund_failure", source_id: r.stripe_refund_id,
        charge_id: chargeId, payment_intent_id: intentId, customer_id: null,
      });
    }
  }
  return rows.sort((a, b) => a.created_utc.localeCompare(b.created_utc) || a.balance_transaction_id.localeCompare(b.balance_transaction_id));
}

const EXPORT_STATUS: Record<string, { status: string; status_class: PaymentsExportRow["status_class"] }> = {
  canceled: { status: "Canceled", status_class: "canceled" },
  processing: { status: "Pending", status_class: "pending" },
  requires_action: { status: "Incomplete", status_class: "incomplete" },
  requires_payment_method: { status: "Failed", status_class: "failed" },
};

/** The Dashboard payments export for these records: every payment, charges by ch_ id, attempts without a charge by pi_ id. */
export function paymentsRowsFromRecords(records: readonly DatabaseRecord[]): PaymentsExportRow[] {
  return records
    .filter((r) => r.record_type === "payment")
    .map((r) => {
      const refunded = r.amount_refunded ?? 0;
      const status =
        r.status === "succeeded"
          ? { status: refunded === 0 ? "Paid" : refunded >= r.amount ? "Refunded" : PARTIALLY_REFUNDED, status_class: "succeeded" as const }
          : (EXPORT_STATUS[r.status] ?? { status: "Failed", status_class: "failed" as const });
      return {
        id: r.stripe_charge_id ?? r.stripe_payment_intent_id ?? `pi_${r.id.replace(/-/g, "")}`,
        created_utc: new Date(r.created_at).toISOString(),
        payment_intent_id: r.stripe_payment_intent_id,
        customer_id: null,
        currency: r.currency,
        amount: r.amount,
        amount_refunded: refunded,
        ...status,
      };
    })
    .sort((a, b) => a.created_utc.localeCompare(b.created_utc) || a.id.localeCompare(b.id));
}

export interface Injected {
  kind: DiscrepancyKind;
  stripe_id: string;
}

/** Picks rows spread through the file (never the first or last, so the period stays the same). */
function pickIndex(length: number, slot: number, slots: number, accept: (i: number) => boolean, used: Set<number>): number {
  const start = Math.max(1, Math.floor((length * slot) / (slots + 1)));
  for (let k = 0; k < length - 2; k++) {
    const i = 1 + ((start - 1 + k) % (length - 2));
    if (!used.has(i) && accept(i)) {
      used.add(i);
      return i;
    }
  }
  throw new Error(`injectDiscrepancies: no row fits slot ${slot}`);
}

/**
 * One discrepancy of every kind injected into a balance report built by balanceRowsFromRecords:
 * a charge amount changed (amount_mismatch), a refund_failure added for a live refund (status_mismatch), a refund
 * moved to another charge of the same currency (refund_mismatch), an unknown charge added (missing_in_database),
 * a charge without refunds removed (missing_in_stripe).
 */
export function injectIntoBalanceRows(clean: readonly BalanceReportRow[], records: readonly DatabaseRecord[]): { rows: BalanceReportRow[]; injected: Injected[] } {
  const rows = clean.map((r) => ({ ...r }));
  const used = new Set<number>();
  const refundsByCharge = new Map<string, number>();
  for (const r of rows) if (r.reporting_category !== "charge" && r.charge_id) refundsByCharge.set(r.charge_id, (refundsByCharge.get(r.charge_id) ?? 0) + 1);
  const refundRecord = new Map(records.filter((r) => r.stripe_refund_id).map((r) => [r.stripe_refund_id!, r] as const));
  const failureFor = new Set(rows.filter((r) => r.reporting_category === "refund_failure").map((r) => r.source_id));
  const injected: Injected[] = [];
  const isPlainCharge = (i: number) => rows[i]!.reporting_category === "charge" && !refundsByCharge.has(rows[i]!.charge_id!);

  const a = pickIndex(rows.length, 1, 5, isPlainCharge, used);
  rows[a]!.gross += 100;
  rows[a]!.net += 100;
  injected.push({ kind: "amount_mismatch", stripe_id: rows[a]!.charge_id! });

  const s = pickIndex(rows.length, 2, 5, (i) => {
    const r = rows[i]!;
    const db = r.source_id ? refundRecord.get(r.source_id) : undefined;
    return r.reporting_category === "refund" && !failureFor.has(r.source_id) && db !== undefined && ["pending", "requires_action", "succeeded"].includes(db.status);
  }, used);
  const live = rows[s]!;
  rows.splice(s + 1, 0, { ...live, balance_transaction_id: `${live.balance_transaction_id}X`, reporting_category: "refund_failure", gross: -live.gross, net: -live.net });
  shift(used, s + 1);
  injected.push({ kind: "status_mismatch", stripe_id: live.source_id! });

  const m = pickIndex(rows.length, 3, 5, (i) => rows[i]!.reporting_category === "refund" && !failureFor.has(rows[i]!.source_id) && !used.has(i), used);
  const moved = rows[m]!;
  const target = rows.find((r, i) => r.reporting_category === "charge" && r.currency === moved.currency && r.charge_id !== moved.charge_id && !used.has(i) && isPlainCharge(i));
  if (!target) throw new Error("injectDiscrepancies: no charge to move a refund to");
  moved.charge_id = target.charge_id;
  moved.payment_intent_id = target.payment_intent_id;
  injected.push({ kind: "refund_mismatch", stripe_id: moved.source_id! });
  used.add(rows.indexOf(target));

  const n = pickIndex(rows.length, 4, 5, (i) => rows[i]!.reporting_category === "charge", used);
  const model = rows[n]!;
  rows.splice(n + 1, 0, {
    ...model, balance_transaction_id: "txn_3DemoInjectedUnknown0001", source_id: "ch_3DemoInjectedUnknown0001", charge_id: "ch_3DemoInjectedUnknown0001",
    payment_intent_id: "pi_3DemoInjectedUnknown0001",
  });
  shift(used, n + 1);
  injected.push({ kind: "missing_in_database", stripe_id: "ch_3DemoInjectedUnknown0001" });

  const r = pickIndex(rows.length, 5, 5, isPlainCharge, used);
  injected.push({ kind: "missing_in_stripe", stripe_id: rows[r]!.charge_id! });
  rows.splice(r, 1);
  return { rows, injected };
}

function shift(used: Set<number>, from: number): void {
  const moved = [...used].map((i) => (i >= from ? i + 1 : i));
  used.clear();
  for (const i of moved) used.add(i);
}

/**
 * One discrepancy of every kind injected into a payments export built by paymentsRowsFromRecords: an amount
 * changed, a paid charge shown as Failed, a refunded amount on a charge the database has unrefunded, an unknown
 * charge added, a charge removed.
 */
export function injectIntoPaymentsRows(clean: readonly PaymentsExportRow[]): { rows: PaymentsExportRow[]; injected: Injected[] } {
  const rows = clean.map((r) => ({ ...r }));
  const used = new Set<number>();
  const paid = (i: number) => rows[i]!.status === "Paid" && rows[i]!.id.startsWith("ch_");
  const injected: Injected[] = [];

  const a = pickIndex(rows.length, 1, 5, paid, used);
  rows[a]!.amount += 100;
  injected.push({ kind: "amount_mismatch", stripe_id: rows[a]!.id });

  const s = pickIndex(rows.length, 2, 5, paid, used);
  rows[s]!.status = "Failed";
  rows[s]!.status_class = "failed";
  injected.push({ kind: "status_mismatch", stripe_id: rows[s]!.id });

  const f = pickIndex(rows.length, 3, 5, (i) => paid(i) && rows[i]!.amount > 1, used);
  rows[f]!.amount_refunded = Math.floor(rows[f]!.amount / 2);
  rows[f]!.status = PARTIALLY_REFUNDED;
  injected.push({ kind: "refund_mismatch", stripe_id: rows[f]!.id });

  const n = pickIndex(rows.length, 4, 5, paid, used);
  rows.splice(n + 1, 0, { ...rows[n]!, id: "ch_3DemoInjectedUnknown0001", payment_intent_id: "pi_3DemoInjectedUnknown0001" });
  shift(used, n + 1);
  injected.push({ kind: "missing_in_database", stripe_id: "ch_3DemoInjectedUnknown0001" });

  const r = pickIndex(rows.length, 5, 5, paid, used);
  injected.push({ kind: "missing_in_stripe", stripe_id: rows[r]!.id });
  rows.splice(r, 1);
  return { rows, injected };
}
