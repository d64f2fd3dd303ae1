// Builds the sandbox's seed from the console's payments, so the local Stripe holds exactly the charges the database
// believes it has (same pi_/ch_/cus_ ids, amounts, currencies, times and refunded totals).

import type { Tables } from "../../src/lib/database.types.ts";
import type { Queryable, SqlRow } from "../db/engine.ts";
import type { SeedPayment, StripeSeed } from "./store.ts";

type PaymentSeedRow = SqlRow<Pick<Tables<"payments">, "amount" | "amount_refunded" | "currency" | "created_at" | "kind" | "plan">, "created_at"> &
  Pick<Tables<"payment_stripe_ids">, "stripe_payment_intent_id"> & {
    payment_id: Tables<"payments">["id"];
    /** Only charged payments are read. */
    stripe_charge_id: string;
    /** Left-joined: null when the customer has no Stripe id. */
    stripe_customer_id: Tables<"customer_stripe_ids">["stripe_customer_id"] | null;
  };

/**
 * Only succeeded payments with a charge exist in the sandbox (it models no failed or pending payment intents).
 * A refunded amount becomes one succeeded refund of that amount: the core schema keeps only the total; once refund
 * rows exist, pass them as `refundsByPaymentId` to seed each refund with its own id, reason and status.
 */
export async function stripeSeedFromDatabase(
  db: Queryable,
  options: { refundsByPaymentId?: ReadonlyMap<string, NonNullable<SeedPayment["refunds"]>> } = {},
): Promise<StripeSeed> {
  const { rows } = await db.query<PaymentSeedRow>(`
    select p.id as payment_id, p.amount, p.amount_refunded, p.currency, p.created_at, p.kind, p.plan,
           s.stripe_payment_intent_id, s.stripe_charge_id, c.stripe_customer_id
      from public.payments p
      join public.payment_stripe_ids s on s.payment_id = p.id
      left join public.customer_stripe_ids c on c.customer_id = p.customer_id
     where p.status = 'succeeded' and s.stripe_charge_id is not null
     order by p.created_at, p.id`);
  const customerIds = new Set<string>();
  const payments: SeedPayment[] = rows.map((row) => {
    const amount = Number(row.amount);
    const refunded = Number(row.amount_refunded);
    if (row.stripe_customer_id) customerIds.add(row.stripe_customer_id);
    const metadata: Record<string, string> = { payment_id: row.payment_id, kind: row.kind };
    if (row.plan) metadata.plan = row.plan;
    const explicitRefunds = options.refundsByPaymentId?.get(row.payment_id);
    return {
      paymentIntentId: row.stripe_payment_intent_id,
      chargeId: row.stripe_charge_id,
      customer: row.stripe_customer_id,
      amount,
      currency: row.currency,
      created: new Date(row.created_at),
      metadata,
      refunds: explicitRefunds ?? (refunded > 0 ? [{ amount: refunded, status: "succeeded", reason: "requested_by_customer", metadata: { payment_id: row.payment_id } }] : []),
    };
  });
  return { customers: [...customerIds].map((id) => ({ id })), payments };
}
