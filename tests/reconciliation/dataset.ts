/**
 * A synthetic database side for reconciliation tests: payments in several currencies (a zero-decimal one
 * included) and statuses, and refunds in every status, consistent as the database keeps them
 * (amount_refunded = Σ pending/requires_action/succeeded refunds). Deterministic for a given size.
 */
import type { DatabaseRecord } from "../../src/features/reconciliation/types";

const CURRENCIES = ["thb", "usd", "jpy", "eur", "gbp"] as const;
const PRICES: Record<string, number[]> = {
  thb: [9900, 29900, 89900, 299000],
  usd: [300, 900, 2900, 9900],
  jpy: [450, 1400, 4400, 14800],
  eur: [300, 900, 2700, 9200],
  gbp: [300, 800, 2400, 7900],
};
const OTHER_STATUSES = ["canceled", "requires_payment_method", "processing", "requires_action"] as const;
const REFUND_STATUSES = ["succeeded", "pending", "requires_action", "failed", "canceled", "awaiting_approval", "approved", "rejected"] as const;

function id(prefix: string, n: number): string {
  return `${prefix}_${n.toString(36).padStart(8, "0")}Test${(n * 7919).toString(36)}`;
}
function uuid(n: number, kind: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `0000000${kind}-0000-4000-8000-${hex}`;
}

export function syntheticRecords(payments: number, startIso = "2026-01-01T00:00:00.000Z"): DatabaseRecord[] {
  const start = Date.parse(startIso);
  const out: DatabaseRecord[] = [];
  let refundSeq = 0;
  for (let i = 0; i < payments; i++) {
    const currency = CURRENCIES[i % CURRENCIES.length]!;
    const amount = PRICES[currency]![(i >> 2) % 4]!;
    const createdMs = start + i * 60_000;
    const succeeded = i % 17 !== 5;
    const status = succeeded ? "succeeded" : OTHER_STATUSES[(i >> 4) % OTHER_STATUSES.length]!;
    const payment: DatabaseRecord = {
      record_type: "payment",
      id: uuid(i, 1),
      payment_id: uuid(i, 1),
      stripe_payment_intent_id: id("pi", i),
      stripe_charge_id: succeeded ? id("ch", i) : null,
      stripe_refund_id: null,
      amount,
      amount_refunded: 0,
      currency,
      status,
      created_at: new Date(createdMs).toISOString(),
    };
    out.push(payment);
    if (succeeded && i % 11 === 3) {
      // One or two refunds, in statuses that rotate through all of them.
      const count = i % 2 === 0 ? 2 : 1;
      for (let k = 0; k < count; k++) {
        const status = REFUND_STATUSES[refundSeq % REFUND_STATUSES.length]!;
        const executed = !["awaiting_approval", "approved", "rejected"].includes(status);
        const refundAmount = Math.max(1, Math.floor(amount / 3));
        out.push({
          record_type: "refund",
          id: uuid(refundSeq, 2),
          payment_id: payment.id,
          stripe_payment_intent_id: payment.stripe_payment_intent_id,
          stripe_charge_id: payment.stripe_charge_id,
          stripe_refund_id: executed ? id("re", refundSeq) : null,
          amount: refundAmount,
          amount_refunded: null,
          currency,
          status,
          created_at: new Date(createdMs + (k + 1) * 30_000).toISOString(),
        });
        if (["succeeded", "pending", "requires_action"].includes(status)) payment.amount_refunded! += refundAmount;
        refundSeq++;
      }
    }
  }
  return out;
}
