/**
 * Helpers for the refund tests: payments to refund (inserted as the owner, the way the seed does),
 * a service_role session (what the edge functions use to record Stripe's answers), and a small
 * fixture with a row in every refund table for the RLS matrix.
 */
import type { Queryable, SqlResult, SqlRow } from "../../server/db/engine.ts";
import type { Tables } from "../../src/lib/database.types.ts";
import type { TestDatabase } from "../helpers/db.ts";

/** A `refunds` row as SQL returns it (`select * from public.refunds`, or a refund function's row): times are Dates. */
export type StoredRefund = SqlRow<
  Tables<"refunds">,
  "requested_at" | "first_approved_at" | "second_approved_at" | "rejected_at" | "execution_started_at" | "stripe_status_at" | "updated_at"
>;

export interface ServiceSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
}

/** Runs each statement as service_role in its own transaction, like a server-side function does. */
export function asService(db: TestDatabase): ServiceSession {
  return {
    query: <Row>(sql: string, params?: unknown[]) =>
      db.engine.transaction(async (tx: Queryable) => {
        await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ role: "service_role" })]);
        await tx.exec("set local role service_role");
        return tx.query<Row>(sql, params);
      }),
  };
}

export interface TestPayment {
  paymentId: string;
  customerId: string;
  chargeId: string | null;
  paymentIntentId: string;
}

let paymentSeq = 0;

/** A payment on a fresh customer (or `customerId`), with Stripe ids unless `charge` is false. */
export async function insertPayment(
  db: TestDatabase,
  opts: {
    kind?: "top_up" | "subscription";
    amount: number;
    currency?: string;
    credits?: number;
    status?: string;
    charge?: boolean;
    customerId?: string;
    /** Credits to put on the customer's balance (a purchase ledger row). */
    balance?: number;
  },
): Promise<TestPayment> {
  paymentSeq += 1;
  const tag = `${process.pid.toString(36)}${Date.now().toString(36)}${paymentSeq}`.replace(/[^A-Za-z0-9]/g, "");
  let customerId = opts.customerId;
  if (!customerId) {
    const { rows } = await db.engine.query<{ id: string }>(
      "insert into public.customers (clerk_user_id, email) values ($1, $2) returning id",
      [`user_refund${tag}`, `refund.${tag}@example.com`],
    );
    customerId = rows[0]!.id;
  }
  const kind = opts.kind ?? "top_up";
  const { rows } = await db.engine.query<{ id: string }>(
    `insert into public.payments (customer_id, kind, plan, amount, currency, status, credits_granted, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, now() - interval '3 days') returning id`,
    [customerId, kind, kind === "subscription" ? "pro" : null, opts.amount, opts.currency ?? "thb", opts.status ?? "succeeded", opts.credits ?? 0],
  );
  const paymentId = rows[0]!.id;
  const paymentIntentId = `pi_Refund${tag}`;
  const chargeId = opts.charge === false ? null : `ch_Refund${tag}`;
  await db.engine.query("insert into public.payment_stripe_ids (payment_id, stripe_payment_intent_id, stripe_charge_id) values ($1, $2, $3)", [
    paymentId,
    paymentIntentId,
    chargeId,
  ]);
  if (opts.balance && opts.balance > 0) {
    await db.engine.query("insert into public.credit_ledger (customer_id, amount, reason, payment_id) values ($1, $2, 'purchase', $3)", [
      customerId,
      opts.balance,
      paymentId,
    ]);
  }
  return { paymentId, customerId, chargeId, paymentIntentId };
}

/**
 * On the fixture's charged payment (pi_FixThai01): one refund executed and succeeded (with its re_
 * id and a webhook event), one awaiting approval: rows in refunds, refund_stripe_ids and
 * stripe_webhook_events, written through the functions. Adds no customer or payment.
 */
export async function insertRefundFixture(db: TestDatabase): Promise<{ succeededId: string; awaitingId: string }> {
  const { rows: p } = await db.engine.query<{ payment_id: string }>(
    "select payment_id from public.payment_stripe_ids where stripe_payment_intent_id = 'pi_FixThai01'",
  );
  const payment = { paymentId: p[0]!.payment_id };
  const finance = db.asRole("finance");
  const { rows } = await finance.query<{ id: string }>(
    "select id from public.request_refund($1, 10000, 'thb', 'requested_by_customer', 'fixture refund', 'fixture-refund-0001')",
    [payment.paymentId],
  );
  const succeededId = rows[0]!.id;
  await finance.query("select public.refund_begin_execution($1)", [succeededId]);
  const service = asService(db);
  await service.query("select public.refund_record_stripe_result($1, 're_FixtureRefund01', 'succeeded', null, now())", [succeededId]);
  await service.query(
    "select public.stripe_record_webhook_event('evt_FixtureRefund01', 'refund.updated', now(), $1::jsonb)",
    [JSON.stringify({ id: "re_FixtureRefund01", object: "refund", status: "succeeded", metadata: { console_refund_id: succeededId } })],
  );
  const awaiting = await db.asRole("support").query<{ id: string }>(
    "select id from public.request_refund($1, 5000, 'thb', 'duplicate', 'fixture awaiting', 'fixture-refund-0002')",
    [payment.paymentId],
  );
  return { succeededId, awaitingId: awaiting.rows[0]!.id };
}

/** A run with one discrepancy, recorded by finance through record_reconciliation_run. */
export async function insertReconciliationFixture(db: TestDatabase): Promise<string> {
  const { rows } = await db.asRole("finance").query<{ id: string }>("select id from public.record_reconciliation_run($1::jsonb, $2::jsonb)", [
    JSON.stringify({
      source: "upload",
      file_kind: "balance_report",
      file_name: "balance_report.csv",
      file_sha256: "a".repeat(64),
      file_rows: 2,
      period_from: "2026-11-01T00:00:00Z",
      period_to: "2026-11-26T00:00:00Z",
      counts: { matched: 1, amount_mismatch: 0, status_mismatch: 0, refund_mismatch: 0, missing_in_database: 1, missing_in_stripe: 0 },
      totals: [{ currency: "thb", category: "charge", stripe_count: 2, stripe_amount: 69800, database_count: 1, database_amount: 59900 }],
    }),
    JSON.stringify([{ kind: "missing_in_database", stripe_id: "ch_NotInDatabase01", currency: "thb", stripe_amount: 9900, line: 3, detail: "charge not in the database" }]),
  ]);
  return rows[0]!.id;
}
