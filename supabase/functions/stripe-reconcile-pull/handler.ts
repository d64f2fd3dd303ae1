/**
 * POST /functions/v1/stripe-reconcile-pull {from, to} — the Stripe side of a reconciliation, pulled from the API
 * instead of an uploaded report: every balance transaction created in [from, to) (auto-pagination), normalised to
 * the same rows the itemized balance report parser produces (src/features/reconciliation/types.ts BalanceReportRow;
 * the type is duplicated here because functions import nothing from src).
 * Finance only (checked with `current_staff` as the caller). The range is at most 400 days.
 * A bad body is a 400 naming the field (`from`, `to`), a refused caller 401/403; Stripe or the database failing or
 * unreachable is a 502 (try again).
 */
import type Stripe from "stripe";
import { callerAuthorization, callRpc, RestCallError } from "../_shared/rest.ts";
import { errorJson, json, preflight, readJsonBody } from "../_shared/http.ts";
import { rpcErrorResponse } from "../_shared/rpc-errors.ts";
import { stripeClient, stripeErrorInfo } from "../_shared/stripe.ts";

/** Keep field names identical to BalanceReportRow in src/features/reconciliation/types.ts. */
export interface BalanceReportRow {
  balance_transaction_id: string;
  /** ISO 8601, UTC. */
  created_utc: string;
  /** Lower case. */
  currency: string;
  /** Minor units, integers (refunds negative, as in the report). */
  gross: number;
  fee: number;
  net: number;
  /** 'charge' | 'refund' | 'refund_failure' | any other Stripe reporting category. */
  reporting_category: string;
  source_id: string | null;
  charge_id: string | null;
  payment_intent_id: string | null;
  customer_id: string | null;
}

export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;
/** Lookups of charges/refunds outside the listed range run at most this many at a time. */
const LOOKUP_CONCURRENCY = 8;

/** 2026-01-31, or 2026-01-31T10:00[:00[.000]] with Z or an offset (without one the time would be the server's). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/** The instant an ISO date names, or null; a day that does not exist (2026-02-30) or hour 24 is null, not moved on. */
function parseIsoDate(text: string): Date | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = m.slice(1).map((part) => Number(part ?? 0));
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

interface RangeProblem {
  field: "from" | "to";
  message: string;
}

function readDate(field: RangeProblem["field"], value: unknown): Date | RangeProblem {
  if (typeof value !== "string") return { field, message: `${field} is required: an ISO date such as 2026-01-31 or 2026-01-31T00:00:00Z` };
  return parseIsoDate(value) ?? { field, message: `${field} is not an ISO date (a day that exists; a time needs Z or an offset): ${JSON.stringify(value)}` };
}

function parseRange(body: unknown): { from: Date; to: Date } | RangeProblem {
  const { from, to } = (typeof body === "object" && body !== null ? body : {}) as { from?: unknown; to?: unknown };
  const fromDate = readDate("from", from);
  if (!(fromDate instanceof Date)) return fromDate;
  const toDate = readDate("to", to);
  if (!(toDate instanceof Date)) return toDate;
  // Stripe's timestamps are Unix seconds: nothing exists before 1970.
  if (fromDate.getTime() < 0) return { field: "from", message: "from must be 1970-01-01 or later" };
  if (fromDate >= toDate) return { field: "to", message: "to must be after from" };
  if (toDate.getTime() - fromDate.getTime() > MAX_RANGE_DAYS * DAY_MS) return { field: "to", message: `to is more than ${MAX_RANGE_DAYS} days after from (the range is at most ${MAX_RANGE_DAYS} days)` };
  return { from: fromDate, to: toDate };
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === "string" ? value : value.id;

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** Charge and refund ids → the ids the report names (charge, payment intent, customer). */
async function resolveSources(stripe: Stripe, transactions: readonly Stripe.BalanceTransaction[], created: { gte: number; lt: number }) {
  const charges = new Map<string, { payment_intent: string | null; customer: string | null }>();
  const refunds = new Map<string, { charge: string | null; payment_intent: string | null }>();
  const wantsCharges = transactions.some((t) => /^(ch|py)_/.test(idOf(t.source) ?? ""));
  const wantsRefunds = transactions.some((t) => /^(re|pyr)_/.test(idOf(t.source) ?? ""));
  // Most sources were created in the range: list them page by page instead of one request each.
  if (wantsCharges || wantsRefunds) {
    for await (const charge of stripe.charges.list({ created, limit: 100 })) {
      charges.set(charge.id, { payment_intent: idOf(charge.payment_intent), customer: idOf(charge.customer) });
    }
  }
  if (wantsRefunds) {
    for await (const refund of stripe.refunds.list({ created, limit: 100 })) {
      refunds.set(refund.id, { charge: idOf(refund.charge), payment_intent: idOf(refund.payment_intent) });
    }
  }
  // Refund failures of earlier refunds, refunds of earlier charges: retrieve those one by one.
  const missingRefunds = [...new Set(transactions.map((t) => idOf(t.source)).filter((id): id is string => !!id && /^(re|pyr)_/.test(id) && !refunds.has(id)))];
  await inBatches(missingRefunds, LOOKUP_CONCURRENCY, async (id) => {
    const refund = await stripe.refunds.retrieve(id);
    refunds.set(id, { charge: idOf(refund.charge), payment_intent: idOf(refund.payment_intent) });
  });
  const chargeIds = new Set<string>();
  for (const t of transactions) {
    const source = idOf(t.source);
    if (source && /^(ch|py)_/.test(source)) chargeIds.add(source);
  }
  for (const refund of refunds.values()) if (refund.charge) chargeIds.add(refund.charge);
  const missingCharges = [...chargeIds].filter((id) => !charges.has(id));
  await inBatches(missingCharges, LOOKUP_CONCURRENCY, async (id) => {
    const charge = await stripe.charges.retrieve(id);
    charges.set(id, { payment_intent: idOf(charge.payment_intent), customer: idOf(charge.customer) });
  });
  return { charges, refunds };
}

export function normaliseTransaction(
  t: Stripe.BalanceTransaction,
  charges: ReadonlyMap<string, { payment_intent: string | null; customer: string | null }>,
  refunds: ReadonlyMap<string, { charge: string | null; payment_intent: string | null }>,
): BalanceReportRow {
  const source = idOf(t.source);
  let chargeId: string | null = null;
  let paymentIntentId: string | null = null;
  if (source && /^(ch|py)_/.test(source)) {
    chargeId = source;
  } else if (source && refunds.has(source)) {
    chargeId = refunds.get(source)?.charge ?? null;
    paymentIntentId = refunds.get(source)?.payment_intent ?? null;
  }
  const charge = chargeId ? charges.get(chargeId) : undefined;
  return {
    balance_transaction_id: t.id,
    created_utc: new Date(t.created * 1000).toISOString(),
    currency: t.currency.toLowerCase(),
    gross: t.amount,
    fee: t.fee,
    net: t.net,
    reporting_category: t.reporting_category,
    source_id: source,
    charge_id: chargeId,
    payment_intent_id: paymentIntentId ?? charge?.payment_intent ?? null,
    customer_id: charge?.customer ?? null,
  };
}

export default async function handler(req: Request): Promise<Response> {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "POST") return errorJson(405, "method_not_allowed", `stripe-reconcile-pull accepts POST, not ${req.method}`);

  const stripe = stripeClient();
  if (!stripe) return errorJson(503, "stripe_not_configured", "Stripe is not configured for this project (STRIPE_SECRET_KEY is not set).");

  let authorization: string;
  try {
    authorization = callerAuthorization(req);
    const staff = await callRpc<{ roles?: unknown } | null>("current_staff", {}, { authorization });
    const roles = Array.isArray(staff?.roles) ? staff.roles : [];
    if (!roles.includes("finance")) return errorJson(403, "42501", "Only finance can pull Stripe's balance transactions.");
  } catch (err) {
    if (err instanceof RestCallError) return rpcErrorResponse(err);
    return errorJson(502, "database_unavailable", "Could not reach the database to check the caller.");
  }

  const read = await readJsonBody(req, '{"from": "<ISO date>", "to": "<ISO date>"}');
  if (read instanceof Response) return read;
  const range = parseRange(read.body);
  if ("field" in range) return errorJson(400, "bad_range", range.message, { field: range.field });

  const created = { gte: Math.floor(range.from.getTime() / 1000), lt: Math.ceil(range.to.getTime() / 1000) };
  try {
    const transactions: Stripe.BalanceTransaction[] = [];
    for await (const t of stripe.balanceTransactions.list({ created, limit: 100 })) transactions.push(t);
    const { charges, refunds } = await resolveSources(stripe, transactions, created);
    // Stripe lists newest first; the report is oldest first.
    const rows = transactions.reverse().map((t) => normaliseTransaction(t, charges, refunds));
    rows.sort((a, b) => a.created_utc.localeCompare(b.created_utc));
    return json({ rows });
  } catch (err) {
    const info = stripeErrorInfo(err);
    const why = info ? `${info.type}${info.code ? ` ${info.code}` : ""}: ${info.message}` : "unexpected error";
    return errorJson(502, "stripe_unavailable", `Could not list Stripe's balance transactions (${why}).`);
  }
}
