/**
 * The money desk's demo rows, written after the customers (they pick payments and customers the
 * generator made): a few large top-ups (the only payments above a currency's second-approval
 * threshold), one refund in every status the console shows, and credit adjustments waiting for,
 * granted or refused approval. Rows are written directly with ids and times derived from the seed
 * and `now` (the functions would stamp now() and random ids), shaped exactly as the functions in
 * supabase/migrations/20261203000{500,600}_*.sql write them. Small seeds without a fitting payment simply get
 * fewer demo refunds.
 */
import type { Queryable } from "../db/engine.ts";
import { insertRows } from "./bulk.ts";
import { Random } from "./prng.ts";
import { REFUND_COLUMNS, type PaymentRow, type RefundRow, type RefundStatus, type RefundStripeIdRow } from "./rows.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const iso = (ms: number): string => new Date(Math.round(ms)).toISOString();

export interface MoneyDemoStaff {
  supportId: string;
  /** Fiona, "the" finance user. */
  financeId: string;
  /** The second finance user (Kittipong). */
  approverId: string;
}

export interface MoneyDemoCounts {
  payments: number;
  payment_stripe_ids: number;
  credit_ledger: number;
  refunds: number;
  refund_stripe_ids: number;
  credit_adjustments: number;
}

/** Links each seeded top-up refund to the clawback ledger row written for it (key refund_clawback:<refund id>). */
export async function linkRefundClawbacks(db: Queryable): Promise<number> {
  // Driven from the refunds (thousands at bench size) through the ledger's unique key index, not the ledger (millions).
  const { rowCount } = await db.query(
    `with links as (
       select r.id as refund_id,
              (select l.id from public.credit_ledger l where l.idempotency_key = 'refund_clawback:' || r.id::text) as ledger_id
         from public.refunds r
        where r.clawback_credits > 0 and r.clawback_ledger_entry_id is null)
     update public.refunds r set clawback_ledger_entry_id = links.ledger_id
       from links
      where links.refund_id = r.id and links.ledger_id is not null`,
  );
  return rowCount;
}

type CandidatePayment = Pick<PaymentRow, "id" | "customer_id" | "amount" | "currency" | "kind" | "credits_granted"> & {
  /** ISO for a payment written here, a Date for one read back with SQL. */
  created_at: string | Date;
};

/** A "studio bulk pack": 25000 credits. Prices above each currency's second-approval threshold. */
const LARGE_PACK = { credits: 25000, prices: { usd: 44900, thb: 1_490_000, eur: 41900 } as const };

type Actor = "support" | "finance" | "approver";

interface RefundSpec {
  key: string;
  /** A regular payment in the first available of these currencies, or the large pack in `large`. */
  currencies?: readonly string[];
  large?: keyof typeof LARGE_PACK.prices;
  /** Share of the payment refunded, or an exact amount. */
  share?: number;
  amount?: number;
  requester: Actor;
  reason: RefundRow["reason"];
  note: string;
  hoursAgo: number;
  status: RefundStatus;
  approvalsNeeded: number;
  firstApprover?: Actor;
  secondApprover?: Actor;
  rejecter?: Actor;
  rejectionNote?: string;
  executor?: Actor;
  failureReason?: string;
  clawback?: number;
}

const DEMO_REFUNDS: readonly RefundSpec[] = [
  {
    key: "awaiting-one", currencies: ["thb", "usd"], share: 0.5, requester: "support", reason: "requested_by_customer", hoursAgo: 5,
    note: "Renewal charged the day after the customer cancelled in the app; half back as agreed in chat.",
    status: "awaiting_approval", approvalsNeeded: 1,
  },
  {
    key: "awaiting-two", large: "usd", share: 1, requester: "support", reason: "duplicate", hoursAgo: 20, clawback: 25000,
    note: "Studio bulk pack bought twice from two devices; the customer keeps one. Full refund, credits back.",
    status: "awaiting_approval", approvalsNeeded: 2,
  },
  {
    key: "awaiting-second", large: "thb", amount: 900_000, requester: "support", reason: "requested_by_customer", hoursAgo: 28, clawback: 15000,
    note: "Agency closing its account; unused part of the bulk pack refunded pro rata.",
    status: "awaiting_approval", approvalsNeeded: 1, firstApprover: "finance",
  },
  {
    key: "finance-own-above", large: "eur", amount: 30000, requester: "finance", reason: "fraudulent", hoursAgo: 9,
    note: "Card holder's bank reports the card stolen; refund before the dispute lands.",
    status: "awaiting_approval", approvalsNeeded: 1,
  },
  {
    key: "approved", currencies: ["usd", "thb"], share: 1, requester: "support", reason: "requested_by_customer", hoursAgo: 30,
    note: "Bought the wrong pack; refund agreed in the support ticket.",
    status: "approved", approvalsNeeded: 0, firstApprover: "finance",
  },
  {
    key: "rejected", currencies: ["eur", "gbp", "thb"], share: 1, requester: "support", reason: "requested_by_customer", hoursAgo: 50,
    note: "Customer wants the month back after using most of the credits.",
    status: "rejected", approvalsNeeded: 1, rejecter: "finance",
    rejectionNote: "Outside the 14-day window and the credits were used; offered goodwill credits instead.",
  },
  {
    key: "processing", currencies: ["gbp", "usd"], share: 1, requester: "finance", reason: "duplicate", hoursAgo: 3,
    note: "Charged twice after a checkout timeout. Stripe did not answer the first attempt: retry.",
    status: "processing", approvalsNeeded: 0, executor: "finance",
  },
  {
    key: "pending", currencies: ["jpy", "thb"], share: 1, requester: "support", reason: "requested_by_customer", hoursAgo: 26,
    note: "Accidental purchase reported the same day; refunded.",
    status: "pending", approvalsNeeded: 0, firstApprover: "approver", executor: "approver",
  },
  {
    key: "requires-action", currencies: ["sgd", "usd"], share: 0.5, requester: "finance", reason: "requested_by_customer", hoursAgo: 40,
    note: "Partial refund to a card that needs the customer to confirm it.",
    status: "requires_action", approvalsNeeded: 0, executor: "finance",
  },
  {
    key: "succeeded", currencies: ["aud", "usd"], share: 1, requester: "support", reason: "fraudulent", hoursAgo: 60,
    note: "Someone else used the customer's account and card; charge returned.",
    status: "succeeded", approvalsNeeded: 0, firstApprover: "approver", executor: "finance",
  },
  {
    key: "failed", currencies: ["thb", "usd"], share: 1, requester: "support", reason: "requested_by_customer", hoursAgo: 70,
    note: "Customer asked for a refund by email within the 14-day window.",
    status: "failed", approvalsNeeded: 0, firstApprover: "finance", executor: "finance", failureReason: "expired_or_canceled_card",
  },
  {
    key: "canceled", currencies: ["usd", "thb"], share: 1, requester: "finance", reason: "requested_by_customer", hoursAgo: 45,
    note: "Started on the wrong payment of this customer; canceled in Stripe.",
    status: "canceled", approvalsNeeded: 0, executor: "finance",
  },
];

const EXECUTED: ReadonlySet<RefundStatus> = new Set(["processing", "pending", "requires_action", "succeeded", "failed", "canceled"]);
const IN_STRIPE: ReadonlySet<RefundStatus> = new Set(["pending", "requires_action", "succeeded", "failed", "canceled"]);

interface AdjustmentSpec {
  key: string;
  customer: number;
  amount: number;
  reason: "goodwill" | "failed_generation" | "correction" | "promotion";
  note: string;
  requester: Actor;
  hoursAgo: number;
  status: "pending" | "applied" | "rejected";
  decider?: Actor;
  decisionNote?: string;
}

const DEMO_ADJUSTMENTS: readonly AdjustmentSpec[] = [
  {
    key: "pending-goodwill", customer: 0, amount: 800, reason: "goodwill", requester: "support", hoursAgo: 6, status: "pending",
    note: "Lost a whole album render in the outage on the 20th; goodwill above my limit.",
  },
  {
    key: "pending-promotion", customer: 1, amount: 6000, reason: "promotion", requester: "finance", hoursAgo: 10, status: "pending",
    note: "Prize credits for the Songkran creator contest winner (partner campaign).",
  },
  {
    key: "pending-failed", customer: 2, amount: 1200, reason: "failed_generation", requester: "support", hoursAgo: 2, status: "pending",
    note: "Twelve video generations timed out and were charged; engineering confirmed.",
  },
  {
    key: "applied-goodwill", customer: 3, amount: 50, reason: "goodwill", requester: "support", hoursAgo: 30, status: "applied",
    note: "Apology for a slow support answer.",
  },
  {
    key: "rejected-promotion", customer: 4, amount: 2000, reason: "promotion", requester: "support", hoursAgo: 54, status: "rejected",
    note: "Influencer asked for free credits for a review.", decider: "finance",
    decisionNote: "Not a promotion we run; point them to the partner programme.",
  },
];

export async function seedMoneyDemo(
  db: Queryable,
  opts: { seed: number; now: Date; staff: MoneyDemoStaff },
): Promise<MoneyDemoCounts> {
  const nowMs = opts.now.getTime();
  const counts: MoneyDemoCounts = { payments: 0, payment_stripe_ids: 0, credit_ledger: 0, refunds: 0, refund_stripe_ids: 0, credit_adjustments: 0 };
  const actor = (a: Actor): string => (a === "support" ? opts.staff.supportId : a === "finance" ? opts.staff.financeId : opts.staff.approverId);

  // ------------------------------------------------------------ large top-ups
  const large = new Map<string, CandidatePayment>();
  const largeCurrencies = Object.keys(LARGE_PACK.prices) as Array<keyof typeof LARGE_PACK.prices>;
  for (const [i, currency] of largeCurrencies.entries()) {
    // An established, paying customer who pays in this currency.
    const { rows } = await db.query<{ id: string }>(
      `select c.id from public.customers c
        where c.deleted_at is null and not c.processing_restricted and c.created_at < $2
          and exists (select 1 from public.customer_stripe_ids s where s.customer_id = c.id)
          and exists (select 1 from public.payments p where p.customer_id = c.id and p.currency = $1)
          and not exists (select 1 from public.payments p where p.customer_id = c.id and p.currency <> $1)
        order by c.created_at, c.id limit 1`,
      [currency, iso(nowMs - 60 * DAY)],
    );
    const customerId = rows[0]?.id;
    if (!customerId) continue;
    const r = new Random(opts.seed, "money_demo", "large_payment", currency);
    const atMs = nowMs - (18 - 2 * i) * DAY - 7 * HOUR;
    const payment: CandidatePayment = {
      id: r.uuid(),
      customer_id: customerId,
      amount: LARGE_PACK.prices[currency],
      currency,
      kind: "top_up",
      credits_granted: LARGE_PACK.credits,
      created_at: iso(atMs),
    };
    const paymentIntent = `pi_${r.base62(24)}`;
    counts.payments += await insertRows(db, "payments", ["id", "customer_id", "subscription_id", "kind", "plan", "amount", "amount_refunded", "currency", "status", "credits_granted", "created_at"], [
      { ...payment, subscription_id: null, plan: null, amount_refunded: 0, status: "succeeded" },
    ]);
    counts.payment_stripe_ids += await insertRows(db, "payment_stripe_ids", ["payment_id", "stripe_payment_intent_id", "stripe_charge_id"], [
      { payment_id: payment.id, stripe_payment_intent_id: paymentIntent, stripe_charge_id: `ch_${r.base62(24)}` },
    ]);
    counts.credit_ledger += await insertRows(db, "credit_ledger", ["customer_id", "amount", "reason", "payment_id", "idempotency_key", "created_at"], [
      { customer_id: customerId, amount: LARGE_PACK.credits, reason: "purchase", payment_id: payment.id, idempotency_key: `stripe:${paymentIntent}`, created_at: iso(atMs + 3 * SECOND) },
    ]);
    large.set(currency, payment);
  }

  // ------------------------------------------------------------ refunds in every status
  const { rows: candidates } = await db.query<CandidatePayment>(
    `select p.id, p.customer_id, p.amount, p.currency, p.kind, p.credits_granted, p.created_at
       from public.payments p
       join public.payment_stripe_ids s on s.payment_id = p.id and s.stripe_charge_id is not null
       join public.customers c on c.id = p.customer_id and c.deleted_at is null
      where p.status = 'succeeded' and p.amount_refunded = 0 and p.created_at >= $1 and p.created_at < $2
        and not exists (select 1 from public.refunds r where r.payment_id = p.id)
      order by p.created_at desc, p.id
      limit 400`,
    [iso(nowMs - 120 * DAY), iso(nowMs - 4 * DAY)],
  );
  const used = new Set<string>();
  const refunds: RefundRow[] = [];
  const stripeIds: RefundStripeIdRow[] = [];
  for (const spec of DEMO_REFUNDS) {
    let payment: CandidatePayment | undefined;
    if (spec.large) payment = large.get(spec.large);
    else {
      for (const currency of spec.currencies ?? []) {
        payment = candidates.find((p) => p.currency === currency && !used.has(p.id));
        if (payment) break;
      }
      payment ??= candidates.find((p) => !used.has(p.id));
    }
    if (!payment) continue;
    used.add(payment.id);
    const paymentAmount = Number(payment.amount);
    const amount = Math.min(paymentAmount, spec.amount ?? Math.max(1, Math.round(paymentAmount * (spec.share ?? 1))));
    const r = new Random(opts.seed, "money_demo", "refund", spec.key);
    const id = r.uuid();
    const requestedMs = nowMs - spec.hoursAgo * HOUR;
    const firstMs = requestedMs + 50 * MINUTE;
    const secondMs = firstMs + 2 * HOUR;
    const decidedMs = spec.firstApprover ? (spec.secondApprover ? secondMs : firstMs) : requestedMs;
    const executedMs = decidedMs + 7 * MINUTE;
    const stripeMs = executedMs + 2 * SECOND;
    const executed = EXECUTED.has(spec.status);
    const inStripe = IN_STRIPE.has(spec.status);
    const rejectedMs = requestedMs + 3 * HOUR;
    refunds.push({
      id,
      payment_id: payment.id,
      customer_id: payment.customer_id,
      amount,
      currency: payment.currency,
      reason: spec.reason,
      note: spec.note,
      status: spec.status,
      approvals_needed: spec.approvalsNeeded,
      requested_by: actor(spec.requester),
      requested_at: iso(requestedMs),
      idempotency_key: `seed-demo-refund-${spec.key}`,
      first_approved_by: spec.firstApprover ? actor(spec.firstApprover) : null,
      first_approved_at: spec.firstApprover ? iso(firstMs) : null,
      second_approved_by: spec.secondApprover ? actor(spec.secondApprover) : null,
      second_approved_at: spec.secondApprover ? iso(secondMs) : null,
      rejected_by: spec.rejecter ? actor(spec.rejecter) : null,
      rejected_at: spec.rejecter ? iso(rejectedMs) : null,
      rejection_note: spec.rejectionNote ?? null,
      executed_by: executed && spec.executor ? actor(spec.executor) : null,
      execution_started_at: executed ? iso(executedMs) : null,
      execution_attempts: executed ? 1 : 0,
      stripe_status_at: inStripe ? iso(stripeMs) : null,
      failure_reason: spec.failureReason ?? null,
      clawback_credits: payment.kind === "top_up" ? Math.min(spec.clawback ?? 0, payment.credits_granted) : 0,
      updated_at: iso(spec.rejecter ? rejectedMs : inStripe ? stripeMs : executed ? executedMs : decidedMs),
    });
    if (inStripe) stripeIds.push({ refund_id: id, stripe_refund_id: `re_${r.base62(24)}` });
  }
  counts.refunds += await insertRows(db, "refunds", REFUND_COLUMNS, refunds);
  counts.refund_stripe_ids += await insertRows(db, "refund_stripe_ids", ["refund_id", "stripe_refund_id"], stripeIds);
  // payments.amount_refunded = what Stripe holds for the payment (pending, requires_action, succeeded).
  if (refunds.length > 0) {
    await db.query("select public.refund_recompute_payment(p) from unnest($1::uuid[]) as p", [refunds.map((r) => r.payment_id)]);
  }

  // ------------------------------------------------------------ credit adjustments
  const { rows: customers } = await db.query<{ id: string }>(
    `select c.id from public.customers c
      where c.deleted_at is null and not c.processing_restricted and c.created_at < $1
      order by c.created_at, c.id limit $2`,
    [iso(nowMs - 7 * DAY), DEMO_ADJUSTMENTS.length],
  );
  const adjustments: Array<Record<string, unknown>> = [];
  for (const spec of DEMO_ADJUSTMENTS) {
    const customerId = customers[spec.customer]?.id;
    if (!customerId) continue;
    const r = new Random(opts.seed, "money_demo", "adjustment", spec.key);
    const id = r.uuid();
    const key = `seed-demo-adjustment-${spec.key}`;
    const requestedMs = nowMs - spec.hoursAgo * HOUR;
    let ledgerId: string | null = null;
    if (spec.status === "applied") {
      const { rows } = await db.query<{ id: string }>(
        `insert into public.credit_ledger (customer_id, amount, reason, note, actor_staff_id, idempotency_key, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning id::text as id`,
        [customerId, spec.amount, spec.reason, spec.note, actor(spec.requester), `credit_adjustment:${key}`, iso(requestedMs)],
      );
      ledgerId = rows[0]!.id;
      counts.credit_ledger += 1;
    }
    adjustments.push({
      id,
      customer_id: customerId,
      amount: spec.amount,
      reason: spec.reason,
      note: spec.note,
      idempotency_key: key,
      requested_by: actor(spec.requester),
      requested_at: iso(requestedMs),
      status: spec.status,
      pending_reason: spec.status === "applied" ? null : "over_per_adjustment_limit",
      decided_by: spec.decider ? actor(spec.decider) : null,
      decided_at: spec.decider ? iso(requestedMs + 4 * HOUR) : null,
      decision_note: spec.decisionNote ?? null,
      ledger_entry_id: ledgerId,
    });
  }
  counts.credit_adjustments += await insertRows(
    db,
    "credit_adjustments",
    ["id", "customer_id", "amount", "reason", "note", "idempotency_key", "requested_by", "requested_at", "status", "pending_reason", "decided_by", "decided_at", "decision_note", "ledger_entry_id"],
    adjustments,
  );
  return counts;
}
