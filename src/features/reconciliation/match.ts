/**
 * Matching Stripe rows against the database's payments and refunds (`reconciliation_records`).
 *
 * Keys: a charge row or payments-export row finds its payment by charge id (ch_/py_), else by payment intent
 * (pi_); a refund row finds its refund by Stripe refund id (re_/pyr_). Each Stripe row that finds its record and
 * agrees with it counts as matched; otherwise it gives one discrepancy per disagreement:
 *
 *  - amount_mismatch: currency or amount differ (refunds compare |gross|).
 *  - status_mismatch: payments export — the Status's class is not one the database status allows (see
 *    STATUS_AGREEMENT); balance report — a charge whose payment is not `succeeded`, or a refund whose outcome
 *    differs: Stripe shows a `refund_failure` row for it (failed/canceled) but the database has it live
 *    (pending/requires_action/succeeded), or the other way round, or the database status is not a Stripe one.
 *  - refund_mismatch: payments export — "Amount Refunded" ≠ the payment's amount_refunded; balance report — a
 *    refund attached to another charge in Stripe than in the database, or Stripe's refunded total for a charge
 *    (refund rows minus refund failures in the period) above the payment's amount_refunded (refunds outside the
 *    period can only add to the database side, so only "Stripe refunded more" is certain). Not reported for a
 *    payment whose refunds already gave a refund-level discrepancy (that one explains it).
 *  - missing_in_database: in Stripe, no record with its id.
 *  - missing_in_stripe: a record the file should hold (created within the period) that it does not: payments
 *    export — every payment; balance report / pull — succeeded payments with a charge id and refunds with a
 *    Stripe refund id. Refunds not yet executed (no Stripe id) are not expected in Stripe.
 *
 * Rows of other reporting categories (fee, payout, adjustment…) only count in the totals.
 */
import type {
  BalanceReportRow,
  DatabaseRecord,
  Discrepancy,
  ParsedRows,
  PaymentStatusClass,
  Period,
  ReconciliationResult,
  RunCounts,
  RunFileKind,
  TotalsRow,
} from "./types";
import { t as words } from "../../i18n/provider";
import "../../i18n/messages/en/reconciliation"; // registers the words here too: matching runs in the worker
import { displayAmount } from "./money";

/** " (pi_…)" after a Stripe id when the row's payment intent is another id, else nothing. */
function otherIntent(intent: string | null | undefined, stripeId: string | null): string {
  return intent && intent !== stripeId ? words("reconciliation.detail.intent", { intent }) : "";
}

export type StripeSide = ParsedRows | { kind: "stripe_api"; rows: BalanceReportRow[]; lines?: undefined };

export interface MatchOptions {
  period: Period;
  /** Files: the last row's time belongs to the period. Pulls: the range end is exclusive. */
  periodEndInclusive: boolean;
}

/** Database payment status → the payments export status classes that agree with it. */
const STATUS_AGREEMENT: Record<string, readonly PaymentStatusClass[]> = {
  succeeded: ["succeeded"],
  canceled: ["canceled"],
  processing: ["pending"],
  requires_action: ["incomplete"],
  requires_payment_method: ["incomplete", "failed"],
};

const LIVE_REFUND = new Set(["pending", "requires_action", "succeeded"]);
const FAILED_REFUND = new Set(["failed", "canceled"]);

function emptyCounts(): RunCounts {
  return { matched: 0, amount_mismatch: 0, status_mismatch: 0, refund_mismatch: 0, missing_in_database: 0, missing_in_stripe: 0 };
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

export function reconcile(stripe: StripeSide, records: readonly DatabaseRecord[], options: MatchOptions): ReconciliationResult {
  const fromMs = Date.parse(options.period.from);
  const toMs = Date.parse(options.period.to);
  // Canonical ISO times ("…T…:…:….sssZ") compare as text; anything else is parsed.
  const fromIso = new Date(fromMs).toISOString();
  const toIso = new Date(toMs).toISOString();
  const inPeriod = (iso: string): boolean => {
    if (iso.length === 24 && iso.charCodeAt(23) === 90) return iso >= fromIso && (options.periodEndInclusive ? iso <= toIso : iso < toIso);
    const ms = Date.parse(iso);
    return ms >= fromMs && (options.periodEndInclusive ? ms <= toMs : ms < toMs);
  };

  // Indexes are built for what the rows need: by charge id always; by payment intent and by id only when used
  // (a 200,000-row report matches by charge id alone).
  const payments: DatabaseRecord[] = [];
  const refunds: DatabaseRecord[] = [];
  const paymentByCharge = new Map<string, DatabaseRecord>();
  const refundByStripeId = new Map<string, DatabaseRecord>();
  for (const raw of records) {
    const r: DatabaseRecord =
      typeof raw.amount === "number" && (raw.amount_refunded === null || typeof raw.amount_refunded === "number")
        ? raw
        : { ...raw, amount: num(raw.amount), amount_refunded: raw.amount_refunded === null || raw.amount_refunded === undefined ? null : num(raw.amount_refunded) };
    if (r.record_type === "payment") {
      payments.push(r);
      if (r.stripe_charge_id) paymentByCharge.set(r.stripe_charge_id, r);
    } else {
      refunds.push(r);
      if (r.stripe_refund_id) refundByStripeId.set(r.stripe_refund_id, r);
    }
  }
  let intentIndex: Map<string, DatabaseRecord> | null = null;
  const paymentByIntent = {
    get(id: string): DatabaseRecord | undefined {
      if (!intentIndex) {
        intentIndex = new Map();
        for (const p of payments) if (p.stripe_payment_intent_id) intentIndex.set(p.stripe_payment_intent_id, p);
      }
      return intentIndex.get(id);
    },
  };
  let idIndex: Map<string, DatabaseRecord> | null = null;
  const paymentById = {
    get(id: string): DatabaseRecord | undefined {
      if (!idIndex) {
        const wanted = new Set(refunds.map((r) => r.payment_id));
        idIndex = new Map();
        for (const p of payments) if (wanted.has(p.id)) idIndex.set(p.id, p);
      }
      return idIndex.get(id);
    },
  };

  const discrepancies: Discrepancy[] = [];
  const counts = emptyCounts();
  const add = (d: Discrepancy) => {
    discrepancies.push(d);
    counts[d.kind]++;
  };
  const totals = new Map<string, Map<string, TotalsRow>>();
  const total = (currency: string, category: string): TotalsRow => {
    let byCategory = totals.get(currency);
    if (!byCategory) {
      byCategory = new Map();
      totals.set(currency, byCategory);
    }
    let row = byCategory.get(category);
    if (!row) {
      row = { currency, category, stripe_count: 0, stripe_amount: 0, database_count: 0, database_amount: 0 };
      byCategory.set(category, row);
    }
    return row;
  };
  /** A payment and what was refunded of it, counted on one side of the payments export's totals. */
  const countPayment = (side: "stripe" | "database", currency: string, amount: number, refunded: number | null) => {
    const count = `${side}_count` as const;
    const sum = `${side}_amount` as const;
    const paid = total(currency, "payment");
    paid[count]++;
    paid[sum] += amount;
    if (refunded) {
      const back = total(currency, "refunded");
      back[count]++;
      back[sum] += refunded;
    }
  };
  const seenPayments = new Set<DatabaseRecord>();
  const fileKind: RunFileKind = stripe.kind;

  if (stripe.kind === "payments_export") {
    stripe.rows.forEach((row, i) => {
      const line = stripe.lines[i] ?? null;
      countPayment("stripe", row.currency, row.amount, row.amount_refunded);
      const chargeId = /^(ch|py)_/.test(row.id) ? row.id : null;
      const payment = (chargeId && paymentByCharge.get(chargeId)) || (row.payment_intent_id && paymentByIntent.get(row.payment_intent_id)) || null;
      const stripeId = chargeId ?? row.payment_intent_id ?? row.id;
      if (!payment) {
        add({
          kind: "missing_in_database", stripe_id: stripeId, payment_id: null, refund_id: null, currency: row.currency,
          stripe_amount: row.amount, database_amount: null, stripe_status: row.status, database_status: null, line,
          detail: words("reconciliation.detail.paymentNotInDatabase", { id: stripeId, intent: otherIntent(row.payment_intent_id, stripeId) }),
        });
        return;
      }
      seenPayments.add(payment);
      const base = { stripe_id: stripeId, payment_id: payment.id, refund_id: null, line };
      let clean = true;
      if (row.currency !== payment.currency || row.amount !== payment.amount) {
        clean = false;
        add({
          ...base, kind: "amount_mismatch", currency: row.currency, stripe_amount: row.amount, database_amount: payment.amount,
          stripe_status: row.status, database_status: payment.status,
          detail: words("reconciliation.detail.charged", { stripe: displayAmount(row.amount, row.currency), database: displayAmount(payment.amount, payment.currency) }),
        });
      }
      if (!(STATUS_AGREEMENT[payment.status] ?? []).includes(row.status_class)) {
        clean = false;
        add({
          ...base, kind: "status_mismatch", currency: row.currency, stripe_amount: row.amount, database_amount: payment.amount,
          stripe_status: row.status, database_status: payment.status,
          detail: words("reconciliation.detail.statusShown", { status: row.status, database: String(payment.status) }),
        });
      }
      if (row.amount_refunded !== null && row.amount_refunded !== (payment.amount_refunded ?? 0)) {
        clean = false;
        add({
          ...base, kind: "refund_mismatch", currency: row.currency, stripe_amount: row.amount_refunded, database_amount: payment.amount_refunded ?? 0,
          stripe_status: row.status, database_status: payment.status,
          detail: words("reconciliation.detail.refunded", { stripe: displayAmount(row.amount_refunded, row.currency), database: displayAmount(payment.amount_refunded ?? 0, payment.currency) }),
        });
      }
      if (clean) counts.matched++;
    });
    for (const p of payments) {
      if (!inPeriod(p.created_at)) continue;
      countPayment("database", p.currency, p.amount, p.amount_refunded);
      if (!seenPayments.has(p)) {
        add({
          kind: "missing_in_stripe", stripe_id: p.stripe_charge_id ?? p.stripe_payment_intent_id, payment_id: p.id, refund_id: null, currency: p.currency,
          stripe_amount: null, database_amount: p.amount, stripe_status: null, database_status: p.status, line: null,
          detail: words("reconciliation.detail.paymentNotInExport", { id: p.stripe_charge_id ?? p.stripe_payment_intent_id ?? p.id, status: String(p.status), date: p.created_at.slice(0, 10) }),
        });
      }
    }
  } else {
    matchBalanceRows(stripe.rows, stripe.lines ?? null);
  }

  function matchBalanceRows(rows: readonly BalanceReportRow[], lines: readonly number[] | null): void {
    const refundRecordById = new Map(refunds.map((r) => [r.id, r] as const));
    /** Refund record ids with a refund_failure row in the file. */
    const failed = new Set<string>();
    /** Refund record id → index of its refund row. */
    const refundRowIndex = new Map<string, number>();
    const reportedMissing = new Set<string>();
    /** Charge and refund rows that found their record; minus the dirty ones (all resolved), the matched count. */
    let resolved = 0;
    const dirty = new Set<number>();
    /** Payment id → Stripe's refunded total in the file (refunds − failures). */
    const stripeRefunded = new Map<string, number>();
    /** Payments whose refunds already gave a discrepancy (a refunded-total mismatch would repeat it). */
    const explained = new Set<string>();
    const lineOf = (i: number): number | null => (lines ? (lines[i] ?? null) : null);

    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const line = lineOf(i);
      const category = row.reporting_category;
      const t = total(row.currency, category);
      t.stripe_count++;
      t.stripe_amount += row.gross;
      if (category === "charge" || category === "payment") {
        const chargeId = row.charge_id ?? (row.source_id && /^(ch|py)_/.test(row.source_id) ? row.source_id : null);
        const payment = (chargeId && paymentByCharge.get(chargeId)) || (row.payment_intent_id && paymentByIntent.get(row.payment_intent_id)) || null;
        const stripeId = chargeId ?? row.payment_intent_id;
        if (!payment) {
          add({
            kind: "missing_in_database", stripe_id: stripeId, payment_id: null, refund_id: null, currency: row.currency,
            stripe_amount: row.gross, database_amount: null, stripe_status: "succeeded", database_status: null, line,
            detail: words("reconciliation.detail.chargeNotInDatabase", { id: String(stripeId), intent: otherIntent(row.payment_intent_id, stripeId) }),
          });
          continue;
        }
        resolved++;
        seenPayments.add(payment);
        const base = { stripe_id: stripeId, payment_id: payment.id, refund_id: null, line };
        if (row.currency !== payment.currency || row.gross !== payment.amount) {
          dirty.add(i);
          add({
            ...base, kind: "amount_mismatch", currency: row.currency, stripe_amount: row.gross, database_amount: payment.amount,
            stripe_status: "succeeded", database_status: payment.status,
            detail: words("reconciliation.detail.charged", { stripe: displayAmount(row.gross, row.currency), database: displayAmount(payment.amount, payment.currency) }),
          });
        }
        if (payment.status !== "succeeded") {
          dirty.add(i);
          add({
            ...base, kind: "status_mismatch", currency: row.currency, stripe_amount: row.gross, database_amount: payment.amount,
            stripe_status: "succeeded", database_status: payment.status,
            detail: words("reconciliation.detail.settled", { status: String(payment.status) }),
          });
        }
        continue;
      }
      if (category !== "refund" && category !== "refund_failure") continue;
      const stripeRefundId = row.source_id!;
      const refund = refundByStripeId.get(stripeRefundId);
      const stripeStatus = category === "refund" ? "refunded" : "failed";
      if (!refund) {
        if (reportedMissing.has(stripeRefundId)) continue;
        reportedMissing.add(stripeRefundId);
        add({
          kind: "missing_in_database", stripe_id: stripeRefundId, payment_id: null, refund_id: null, currency: row.currency,
          stripe_amount: Math.abs(row.gross), database_amount: null, stripe_status: stripeStatus, database_status: null, line,
          detail: words("reconciliation.detail.refundNotInDatabase", { id: stripeRefundId, charge: row.charge_id ? words("reconciliation.detail.ofCharge", { charge: row.charge_id }) : "" }),
        });
        continue;
      }
      const payment = paymentById.get(refund.payment_id) ?? null;
      stripeRefunded.set(refund.payment_id, (stripeRefunded.get(refund.payment_id) ?? 0) + (category === "refund" ? Math.abs(row.gross) : -Math.abs(row.gross)));
      if (category === "refund_failure") failed.add(refund.id);
      else {
        refundRowIndex.set(refund.id, i);
        resolved++;
      }
      const base = { stripe_id: stripeRefundId, payment_id: refund.payment_id, refund_id: refund.id, line };
      if (row.currency !== refund.currency || Math.abs(row.gross) !== refund.amount) {
        if (category === "refund") dirty.add(i);
        explained.add(refund.payment_id);
        add({
          ...base, kind: "amount_mismatch", currency: row.currency, stripe_amount: Math.abs(row.gross), database_amount: refund.amount,
          stripe_status: stripeStatus, database_status: refund.status,
          detail: words("reconciliation.detail.refundAmount", {
            action: words(category === "refund" ? "reconciliation.detail.actionRefunded" : "reconciliation.detail.actionReturned"),
            stripe: displayAmount(Math.abs(row.gross), row.currency),
            database: displayAmount(refund.amount, refund.currency),
          }),
        });
      }
      if (category === "refund_failure") continue;
      const dbCharge = refund.stripe_charge_id ?? payment?.stripe_charge_id ?? null;
      const dbIntent = refund.stripe_payment_intent_id ?? payment?.stripe_payment_intent_id ?? null;
      if ((row.charge_id && dbCharge && row.charge_id !== dbCharge) || (row.payment_intent_id && dbIntent && row.payment_intent_id !== dbIntent)) {
        dirty.add(i);
        explained.add(refund.payment_id);
        const other = (row.charge_id && paymentByCharge.get(row.charge_id)) || (row.payment_intent_id && paymentByIntent.get(row.payment_intent_id)) || null;
        if (other) explained.add(other.id);
        add({
          ...base, kind: "refund_mismatch", currency: row.currency, stripe_amount: Math.abs(row.gross), database_amount: refund.amount,
          stripe_status: stripeStatus, database_status: refund.status,
          detail: words("reconciliation.detail.refundOwner", { stripe: String(row.charge_id ?? row.payment_intent_id), database: String(dbCharge ?? dbIntent) }),
        });
      }
    }

    // Refund outcomes: a refund_failure row in Stripe vs the database status.
    const refundIdsInFile = new Set<string>([...refundRowIndex.keys(), ...failed]);
    for (const refundId of refundIdsInFile) {
      const refund = refundRecordById.get(refundId)!;
      const stripeFailed = failed.has(refundId);
      const knownToStripe = LIVE_REFUND.has(refund.status) || FAILED_REFUND.has(refund.status);
      if (knownToStripe && stripeFailed === FAILED_REFUND.has(refund.status)) continue;
      explained.add(refund.payment_id);
      const index = refundRowIndex.get(refundId);
      if (index !== undefined) dirty.add(index);
      add({
        kind: "status_mismatch", stripe_id: refund.stripe_refund_id, payment_id: refund.payment_id, refund_id: refund.id, currency: refund.currency,
        stripe_amount: index !== undefined ? Math.abs(rows[index]!.gross) : null, database_amount: refund.amount,
        stripe_status: stripeFailed ? "failed" : "refunded", database_status: refund.status, line: index !== undefined ? lineOf(index) : null,
        detail: stripeFailed
          ? words("reconciliation.detail.refundReversed", { status: String(refund.status) })
          : words("reconciliation.detail.refundNotFailed", { status: String(refund.status) }),
      });
    }
    counts.matched += resolved - dirty.size;

    // Database side: totals, and what the file should hold.
    for (const p of payments) {
      if (!inPeriod(p.created_at) || p.status !== "succeeded" || !p.stripe_charge_id) continue;
      const t = total(p.currency, "charge");
      t.database_count++;
      t.database_amount += p.amount;
      if (!seenPayments.has(p)) {
        add({
          kind: "missing_in_stripe", stripe_id: p.stripe_charge_id, payment_id: p.id, refund_id: null, currency: p.currency,
          stripe_amount: null, database_amount: p.amount, stripe_status: null, database_status: p.status, line: null,
          detail: words("reconciliation.detail.chargeNotInBalance", { id: p.stripe_charge_id, date: p.created_at.slice(0, 10) }),
        });
      }
    }
    for (const r of refunds) {
      if (!r.stripe_refund_id || !inPeriod(r.created_at)) continue;
      const t = total(r.currency, "refund");
      t.database_count++;
      t.database_amount -= r.amount;
      if (FAILED_REFUND.has(r.status)) {
        const tf = total(r.currency, "refund_failure");
        tf.database_count++;
        tf.database_amount += r.amount;
      }
      if (!refundIdsInFile.has(r.id)) {
        explained.add(r.payment_id);
        add({
          kind: "missing_in_stripe", stripe_id: r.stripe_refund_id, payment_id: r.payment_id, refund_id: r.id, currency: r.currency,
          stripe_amount: null, database_amount: r.amount, stripe_status: null, database_status: r.status, line: null,
          detail: words("reconciliation.detail.refundNotInBalance", { id: r.stripe_refund_id, status: String(r.status), date: r.created_at.slice(0, 10) }),
        });
      }
    }

    // Refunded totals: Stripe refunded more than the database knows.
    for (const [paymentId, refunded] of stripeRefunded) {
      if (explained.has(paymentId)) continue;
      const payment = paymentById.get(paymentId);
      if (!payment || refunded <= (payment.amount_refunded ?? 0)) continue;
      add({
        kind: "refund_mismatch", stripe_id: payment.stripe_charge_id ?? payment.stripe_payment_intent_id, payment_id: payment.id, refund_id: null, currency: payment.currency,
        stripe_amount: refunded, database_amount: payment.amount_refunded ?? 0, stripe_status: null, database_status: payment.status, line: null,
        detail: words("reconciliation.detail.refundedMore", { stripe: displayAmount(refunded, payment.currency), database: displayAmount(payment.amount_refunded ?? 0, payment.currency) }),
      });
    }
  }

  const sortedTotals = [...totals.values()].flatMap((m) => [...m.values()]).sort((a, b) => a.currency.localeCompare(b.currency) || a.category.localeCompare(b.category));
  return { fileKind, period: options.period, stripeRows: stripe.rows.length, counts, totals: sortedTotals, discrepancies };
}
