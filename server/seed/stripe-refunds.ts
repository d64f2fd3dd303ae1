/**
 * The console's refunds as the Stripe sandbox's seed: for `stripeSeedFromDatabase(db, { refundsByPaymentId })`
 * (server/stripe-sandbox/from-database.ts), so the local Stripe holds each refund Stripe knows about with its own
 * re_ id, amount, reason, status and time. Only refunds with a Stripe refund id exist in Stripe; the others
 * (awaiting approval, approved, rejected, processing without an answer) are the console's alone.
 */
import type { Tables } from "../../src/lib/database.types.ts";
import type { Queryable } from "../db/engine.ts";
import type { SeedRefund } from "../stripe-sandbox/store.ts";

type RefundSeedRow = Pick<Tables<"refunds">, "payment_id" | "id" | "amount" | "status" | "failure_reason"> &
  Pick<Tables<"refund_stripe_ids">, "stripe_refund_id"> & {
    /** A check constraint keeps the reason one of Stripe's. */
    reason: SeedRefund["reason"];
    /** When Stripe first heard of it (a timestamptz, read as a Date). */
    created: Date;
  };

const STRIPE_STATUSES = new Set(["pending", "requires_action", "succeeded", "failed", "canceled"]);

export async function refundsByPaymentIdFromDatabase(db: Queryable): Promise<Map<string, SeedRefund[]>> {
  const { rows } = await db.query<RefundSeedRow>(`
    select r.payment_id, r.id, r.amount, r.reason, r.status, r.failure_reason,
           coalesce(r.execution_started_at, r.stripe_status_at, r.requested_at) as created, s.stripe_refund_id
      from public.refunds r
      join public.refund_stripe_ids s on s.refund_id = r.id
     order by r.payment_id, created, r.id`);
  const byPayment = new Map<string, SeedRefund[]>();
  for (const row of rows) {
    if (!STRIPE_STATUSES.has(row.status)) continue;
    const refund: SeedRefund = {
      id: row.stripe_refund_id,
      amount: Number(row.amount),
      reason: row.reason,
      status: row.status as SeedRefund["status"],
      created: new Date(row.created),
      metadata: { console_refund_id: row.id, payment_id: row.payment_id },
    };
    if (row.status === "failed" && row.failure_reason) refund.failure_reason = row.failure_reason;
    const list = byPayment.get(row.payment_id) ?? [];
    list.push(refund);
    byPayment.set(row.payment_id, list);
  }
  return byPayment;
}
