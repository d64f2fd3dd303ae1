/**
 * Refunds (issue 4): request_refund with the remaining-amount reservation and idempotent submits,
 * one or two finance approvals (never the requester, never twice by one person), rejection,
 * execution claims, Stripe results in any order (final statuses never change), payments'
 * amount_refunded recomputed, the credit clawback written exactly once, webhook events processed
 * exactly once, thresholds, money_stats. Every refused call writes nothing. Concurrency runs on a
 * real server (DATABASE_URL).
 */
import { describe, expect, it } from "vitest";
import type { StaffRole } from "../../server/seed/staff.ts";
import { addStaff, createTestDatabase, creditBalance, expectSqlError, idempotencyKeys, type SqlSession, type TestDatabase } from "../helpers/db.ts";
import { asService, insertPayment, type StoredRefund, type TestPayment } from "./refunds-fixture.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const APPROVER = "finance.approver@m-factory.test";

const db = openBeforeAll(createTestDatabase);

const newKey = idempotencyKeys("refund");

async function request(
  s: SqlSession,
  paymentId: string | null,
  amount: number | null,
  opts: { currency?: string | null; reason?: string | null; note?: string | null; key?: string | null; clawback?: number | null } = {},
): Promise<StoredRefund> {
  const { rows } = await s.query<StoredRefund>("select * from public.request_refund($1, $2, $3, $4, $5, $6, $7)", [
    paymentId,
    amount,
    opts.currency === undefined ? "thb" : opts.currency,
    opts.reason === undefined ? "requested_by_customer" : opts.reason,
    opts.note === undefined ? "customer asked" : opts.note,
    opts.key === undefined ? newKey() : opts.key,
    opts.clawback === undefined ? 0 : opts.clawback,
  ]);
  return rows[0]!;
}

async function approve(s: SqlSession, id: string, note: string | null = null): Promise<StoredRefund> {
  return (await s.query<StoredRefund>("select * from public.approve_refund($1, $2)", [id, note])).rows[0]!;
}
async function reject(s: SqlSession, id: string, note: string | null): Promise<StoredRefund> {
  return (await s.query<StoredRefund>("select * from public.reject_refund($1, $2)", [id, note])).rows[0]!;
}
async function begin(s: SqlSession, id: string): Promise<Record<string, unknown>> {
  return (await s.query<{ r: Record<string, unknown> }>("select public.refund_begin_execution($1) as r", [id])).rows[0]!.r;
}
async function record(testDb: TestDatabase, id: string, re: string, status: string, at: string | null, failure: string | null = null): Promise<StoredRefund> {
  return (
    await asService(testDb).query<StoredRefund>("select * from public.refund_record_stripe_result($1, $2, $3, $4, $5)", [id, re, status, failure, at])
  ).rows[0]!;
}
async function webhook(testDb: TestDatabase, eventId: string, type: string, at: string, refund: object | null): Promise<string> {
  const { rows } = await asService(testDb).query<{ o: string }>("select public.stripe_record_webhook_event($1, $2, $3, $4::jsonb) as o", [
    eventId,
    type,
    at,
    refund === null ? null : JSON.stringify(refund),
  ]);
  return rows[0]!.o;
}

async function getRefund(id: string, testDb: TestDatabase = db): Promise<StoredRefund> {
  return (await testDb.engine.query<StoredRefund>("select * from public.refunds where id = $1", [id])).rows[0]!;
}
async function amountRefunded(paymentId: string, testDb: TestDatabase = db): Promise<number> {
  const { rows } = await testDb.engine.query<{ a: string }>("select amount_refunded::text as a from public.payments where id = $1", [paymentId]);
  return Number(rows[0]!.a);
}
const balanceOf = (customerId: string, testDb: TestDatabase = db): Promise<number> => creditBalance(testDb, customerId);

/** Row counts of everything a refund function may write: what "nothing written" is checked against. */
async function counts(testDb: TestDatabase = db): Promise<Record<string, number | string>> {
  const { rows } = await testDb.engine.query<Record<string, number | string>>(
    `select (select count(*)::int from public.refunds) as refunds,
            (select count(*)::int from public.refund_stripe_ids) as stripe_ids,
            (select count(*)::int from public.stripe_webhook_events) as events,
            (select count(*)::int from public.audit_log) as audit,
            (select count(*)::int from public.credit_ledger) as ledger,
            (select coalesce(sum(amount_refunded), 0)::text from public.payments) as refunded,
            (select string_agg(id::text || ':' || status || ':' || approvals_needed || ':' || execution_attempts, ',' order by id) from public.refunds) as states,
            (select string_agg(currency || ':' || second_approval_above, ',' order by currency) from public.refund_approval_thresholds) as thresholds`,
  );
  return rows[0]!;
}

async function auditActions(id: string): Promise<string[]> {
  const { rows } = await db.engine.query<{ action: string }>("select action from public.audit_log where table_name = 'refunds' and record_id = $1 order by id", [id]);
  return rows.map((r) => r.action);
}

/** A fresh THB top-up of 1000.00 THB granting 500 credits, with a charge. */
function thbTopUp(opts: Partial<Parameters<typeof insertPayment>[1]> = {}): Promise<TestPayment> {
  return insertPayment(db, { amount: 100000, currency: "thb", credits: 500, balance: 500, ...opts });
}

/** A refund taken through approval and execution (finance requests ≤ threshold: approved at once). */
async function processingRefund(payment: TestPayment, amount: number, clawback = 0): Promise<StoredRefund> {
  const r = await request(db.asRole("finance"), payment.paymentId, amount, { clawback });
  expect(r.status).toBe("approved");
  await begin(db.asRole("finance"), r.id);
  return getRefund(r.id);
}

// ---------------------------------------------------------------------------------------------

describe("who may call the refund functions", () => {
  it.each(["dpo", "admin", "auditor"] as const)("%s may not request a refund (42501, nothing written)", async (role) => {
    const payment = await thbTopUp();
    const before = await counts();
    const err = await expectSqlError(() => request(db.asRole(role), payment.paymentId, 100));
    expect(err.code).toBe("42501");
    expect(err.message).toMatch(/only support or finance may request a refund/);
    expect(await counts()).toEqual(before);
  });

  it("a signed-in token that is not staff may not request a refund", async () => {
    const payment = await thbTopUp();
    const before = await counts();
    const err = await expectSqlError(() => request(db.asSub("user_notStaff01"), payment.paymentId, 100));
    expect(err.code).toBe("42501");
    expect(await counts()).toEqual(before);
  });

  it("anon may call none of the refund functions", async () => {
    for (const sql of [
      "select public.request_refund(null, 1, 'thb', 'duplicate', 'n', 'anon-key-0001')",
      "select public.approve_refund(null, null)",
      "select public.reject_refund(null, 'n')",
      "select public.refund_begin_execution(null)",
      "select public.refund_record_stripe_result(null, 're_x', 'succeeded', null, now())",
      "select public.refund_record_execution_error(null, 'x', 'y')",
      "select public.stripe_record_webhook_event('evt_x', 'refund.updated', now(), null)",
      "select public.set_refund_threshold('thb', 1)",
      "select public.money_stats(12)",
    ]) {
      const err = await expectSqlError(() => db.asAnon().query(sql));
      expect(err.code, sql).toBe("42501");
    }
  });

  it.each(["dpo", "support", "finance", "admin", "auditor"] as const)(
    "%s may not call the service-role functions that record Stripe's answers (42501, nothing written)",
    async (role) => {
      const payment = await thbTopUp();
      const r = await processingRefund(payment, 1000);
      const before = await counts();
      for (const sql of [
        "select public.refund_record_stripe_result($1, 're_StaffTry01', 'succeeded', null, now())",
        "select public.refund_record_execution_error($1, 'amount_too_large', 'no')",
      ]) {
        const err = await expectSqlError(() => db.asRole(role).query(sql, [r.id]));
        expect(err.code, sql).toBe("42501");
      }
      const err = await expectSqlError(() =>
        db.asRole(role).query("select public.stripe_record_webhook_event('evt_StaffTry01', 'charge.refunded', now(), null)"),
      );
      expect(err.code).toBe("42501");
      expect(await counts()).toEqual(before);
    },
  );

  it.each(["dpo", "support", "admin", "auditor"] as const)("%s may not approve, reject or execute a refund (42501)", async (role) => {
    const payment = await thbTopUp();
    const awaiting = await request(db.asRole("support"), payment.paymentId, 1000);
    const approved = await request(db.asRole("finance"), payment.paymentId, 1000);
    expect([awaiting.status, approved.status]).toEqual(["awaiting_approval", "approved"]);
    const before = await counts();
    for (const [sql, id, message] of [
      ["select public.approve_refund($1, 'ok')", awaiting.id, "approve_refund: only finance may approve refunds"],
      ["select public.reject_refund($1, 'no')", awaiting.id, "reject_refund: only finance may reject refunds"],
      ["select public.refund_begin_execution($1)", approved.id, "refund_begin_execution: only finance may execute refunds"],
    ] as const) {
      const err = await expectSqlError(() => db.asRole(role).query(sql, [id]));
      expect([err.code, err.message], sql).toEqual(["42501", message]);
    }
    expect(await counts()).toEqual(before);
  });

  it("approve, reject and execute check the role before the refund id: a null id is 42501 for support, 22023 for finance", async () => {
    for (const [fn, sql] of [
      ["approve_refund", "select public.approve_refund(null, 'ok')"],
      ["reject_refund", "select public.reject_refund(null, 'no')"],
      ["refund_begin_execution", "select public.refund_begin_execution(null)"],
    ] as const) {
      expect((await expectSqlError(() => db.asRole("support").query(sql))).code, sql).toBe("42501");
      const err = await expectSqlError(() => db.asRole("finance").query(sql));
      expect([err.code, err.message], sql).toEqual(["22023", `${fn}: refund id is required`]);
    }
  });

  it("nobody writes refunds, their Stripe ids, thresholds or webhook events directly, not even finance or admin", async () => {
    const payment = await thbTopUp();
    const r = await request(db.asRole("finance"), payment.paymentId, 1000);
    for (const [role, sql] of [
      ["finance", `insert into public.refunds (payment_id, customer_id, amount, currency, reason, note, status, approvals_needed, requested_by, idempotency_key)
                   values ('${payment.paymentId}', '${payment.customerId}', 1, 'thb', 'duplicate', 'n', 'approved', 0, public.current_staff_id(), 'direct-key-01')`],
      ["finance", `update public.refunds set status = 'succeeded' where id = '${r.id}'`],
      ["finance", `insert into public.refund_stripe_ids (refund_id, stripe_refund_id) values ('${r.id}', 're_Direct01')`],
      ["finance", "insert into public.stripe_webhook_events (id, type, outcome) values ('evt_Direct01', 'x', 'applied')"],
      ["admin", "update public.refund_approval_thresholds set second_approval_above = 1"],
    ] as const) {
      const err = await expectSqlError(() => db.asRole(role).query(sql));
      expect(err.code, sql).toBe("42501");
    }
    expect((await getRefund(r.id)).status).toBe("approved");
  });

  it("reads: dpo, support, finance and auditor see refunds; only dpo, finance and auditor see re_ ids; only finance and auditor see webhook events", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    await record(db, r.id, "re_ReadScope01", "succeeded", new Date().toISOString());
    await webhook(db, "evt_ReadScope01", "refund.updated", new Date().toISOString(), { id: "re_ReadScope01", status: "succeeded" });
    const see = async (role: StaffRole, table: string, where: string) =>
      (await db.asRole(role).query(`select 1 from public.${table} where ${where}`)).rows.length;
    for (const role of ["dpo", "support", "finance", "admin", "auditor"] as const) {
      expect([role, await see(role, "refunds", `id = '${r.id}'`)]).toEqual([role, role === "admin" ? 0 : 1]);
      expect([role, await see(role, "refund_stripe_ids", `refund_id = '${r.id}'`)]).toEqual([role, ["dpo", "finance", "auditor"].includes(role) ? 1 : 0]);
      expect([role, await see(role, "stripe_webhook_events", "id = 'evt_ReadScope01'")]).toEqual([role, ["finance", "auditor"].includes(role) ? 1 : 0]);
      expect([role, await see(role, "refund_approval_thresholds", "currency = 'thb'")]).toEqual([role, 1]);
    }
  });
});

describe("request_refund: refusals write nothing", () => {
  const refusals: Array<[string, string, (p: TestPayment) => Promise<unknown>, RegExp?]> = [
    ["an unknown payment", "PT404", () => request(db.asRole("finance"), "00000000-0000-4000-8000-000000000001", 100), /does not exist/],
    ["a null payment", "22023", () => request(db.asRole("finance"), null, 100)],
    ["an amount of 0", "22023", (p) => request(db.asRole("finance"), p.paymentId, 0), /remains refundable/],
    ["a negative amount", "22023", (p) => request(db.asRole("finance"), p.paymentId, -5)],
    ["a null amount", "22023", (p) => request(db.asRole("finance"), p.paymentId, null)],
    ["more than the payment", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100001), /at most the 1000\.00 THB that remains refundable/],
    ["another currency", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { currency: "usd" }), /must be the payment's \(THB\)/],
    ["a null currency", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { currency: null })],
    ["an unknown reason", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { reason: "goodwill" }), /reason must be one of/],
    ["an empty note", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { note: "   " }), /note/],
    ["a null note", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { note: null })],
    ["a note over 2000 characters", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { note: "x".repeat(2001) })],
    ["a missing idempotency key", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { key: null }), /idempotency key is required/],
    ["a malformed idempotency key", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { key: "short" })],
    ["a negative clawback", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { clawback: -1 })],
    ["a clawback above the credits granted", "22023", (p) => request(db.asRole("finance"), p.paymentId, 100, { clawback: 501 }), /at most 500 of the 500 credits/],
  ];
  it.each(refusals)("%s → %s", async (_label, code, call, message) => {
    const payment = await thbTopUp();
    const before = await counts();
    const err = await expectSqlError(() => call(payment));
    expect(err.code).toBe(code);
    if (message) expect(err.message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it("a payment that did not succeed → PT409", async () => {
    const payment = await insertPayment(db, { amount: 5000, currency: "thb", status: "requires_payment_method" });
    const before = await counts();
    const err = await expectSqlError(() => request(db.asRole("support"), payment.paymentId, 100));
    expect(err.code).toBe("PT409");
    expect(err.message).toMatch(/only a succeeded payment can be refunded/);
    expect(await counts()).toEqual(before);
  });

  it("a payment without a Stripe charge → PT409", async () => {
    const payment = await insertPayment(db, { amount: 5000, currency: "thb", charge: false });
    const before = await counts();
    const err = await expectSqlError(() => request(db.asRole("finance"), payment.paymentId, 100));
    expect(err.code).toBe("PT409");
    expect(err.message).toMatch(/no Stripe charge/);
    expect(await counts()).toEqual(before);
  });

  it("a clawback on a subscription payment → 22023", async () => {
    const payment = await insertPayment(db, { kind: "subscription", amount: 89900, currency: "thb", credits: 1000 });
    const before = await counts();
    const err = await expectSqlError(() => request(db.asRole("finance"), payment.paymentId, 100, { clawback: 10 }));
    expect(err.code).toBe("22023");
    expect(err.message).toMatch(/only for a top-up payment/);
    expect(await counts()).toEqual(before);
  });

  it("clawbacks across a payment's active refunds cannot exceed the credits granted", async () => {
    const payment = await thbTopUp();
    await request(db.asRole("finance"), payment.paymentId, 1000, { clawback: 400 });
    const before = await counts();
    const err = await expectSqlError(() => request(db.asRole("finance"), payment.paymentId, 1000, { clawback: 101 }));
    expect(err.code).toBe("22023");
    expect(err.message).toMatch(/at most 100 of the 500 credits/);
    expect(await counts()).toEqual(before);
    expect((await request(db.asRole("finance"), payment.paymentId, 1000, { clawback: 100 })).clawback_credits).toBe(100);
  });

  it("the amount message speaks in major units of the payment's currency (zero-decimal JPY too)", async () => {
    const payment = await insertPayment(db, { amount: 4400, currency: "jpy" });
    const err = await expectSqlError(() => request(db.asRole("finance"), payment.paymentId, 4401, { currency: "jpy" }));
    expect(err.code).toBe("22023");
    expect(err.message).toMatch(/at most the 4400 JPY that remains refundable \(got 4401 JPY\)/);
  });
});

describe("request_refund: status, reservation and idempotency", () => {
  it("finance ≤ threshold → approved (0); finance above → awaiting (1); support ≤ → awaiting (1); support above → awaiting (2)", async () => {
    // THB threshold: 500000 (5000.00 THB).
    const payment = await insertPayment(db, { amount: 3_000_000, currency: "thb" });
    const cases: Array<[StaffRole, number, string, number]> = [
      ["finance", 500000, "approved", 0],
      ["finance", 500001, "awaiting_approval", 1],
      ["support", 500000, "awaiting_approval", 1],
      ["support", 500001, "awaiting_approval", 2],
    ];
    for (const [role, amount, status, needed] of cases) {
      const r = await request(db.asRole(role), payment.paymentId, amount);
      expect([role, amount, r.status, r.approvals_needed]).toEqual([role, amount, status, needed]);
    }
  });

  it("writes the row as requested (trimmed note, payment's customer and currency) and audits refunds.requested", async () => {
    const payment = await thbTopUp();
    const key = newKey("shape");
    const r = await request(db.asRole("support"), payment.paymentId, 2500, { currency: " THB ", reason: "duplicate", note: "  charged twice  ", key, clawback: 20 });
    expect(r).toMatchObject({
      payment_id: payment.paymentId,
      customer_id: payment.customerId,
      currency: "thb",
      reason: "duplicate",
      note: "charged twice",
      idempotency_key: key,
      requested_by: db.staffIds["support@m-factory.test"],
      clawback_credits: 20,
      execution_attempts: 0,
    });
    expect(Number(r.amount)).toBe(2500);
    expect(await auditActions(r.id)).toEqual(["refunds.requested"]);
  });

  it("a currency without a threshold row always needs the second approval", async () => {
    const payment = await insertPayment(db, { amount: 5000, currency: "chf" });
    const byFinance = await request(db.asRole("finance"), payment.paymentId, 1, { currency: "chf" });
    const bySupport = await request(db.asRole("support"), payment.paymentId, 1, { currency: "chf" });
    expect([byFinance.status, byFinance.approvals_needed, bySupport.approvals_needed]).toEqual(["awaiting_approval", 1, 2]);
  });

  it("awaiting and approved requests reserve their amount; rejected, failed and canceled ones release it", async () => {
    const payment = await thbTopUp(); // 100000
    const a = await request(db.asRole("support"), payment.paymentId, 60000);
    const before = await counts();
    const err = await expectSqlError(() => request(db.asRole("finance"), payment.paymentId, 40001));
    expect(err.code).toBe("22023");
    expect(err.message).toMatch(/at most the 400\.00 THB that remains refundable/);
    expect(await counts()).toEqual(before);
    await reject(db.asRole("finance"), a.id, "not eligible");
    const b = await request(db.asRole("finance"), payment.paymentId, 100000);
    expect(b.status).toBe("approved");
    await begin(db.asRole("finance"), b.id);
    await record(db, b.id, "re_Reserve01", "failed", new Date().toISOString(), "expired_or_canceled_card");
    const c = await request(db.asRole("finance"), payment.paymentId, 100000);
    expect(c.status).toBe("approved");
  });

  it("the same key with the same parameters returns the first row and writes nothing more", async () => {
    const payment = await thbTopUp();
    const key = newKey("replay");
    const first = await request(db.asRole("support"), payment.paymentId, 1234, { key, note: "same" });
    const before = await counts();
    const again = await request(db.asRole("support"), payment.paymentId, 1234, { key, note: "  same " });
    expect(again).toEqual(first);
    expect(await counts()).toEqual(before);
  });

  it("a replay still returns the first row after the payment was fully refunded by it", async () => {
    const payment = await thbTopUp();
    const key = newKey("full");
    const first = await request(db.asRole("finance"), payment.paymentId, 100000, { key });
    const again = await request(db.asRole("finance"), payment.paymentId, 100000, { key });
    expect(again.id).toBe(first.id);
  });

  it.each([
    ["amount", { amount: 1235 }],
    ["note", { note: "other" }],
    ["reason", { reason: "fraudulent" }],
    ["clawback", { clawback: 5 }],
  ] as const)("the same key with another %s → 23505, nothing written", async (_label, change) => {
    const payment = await thbTopUp();
    const key = newKey("reuse");
    await request(db.asRole("support"), payment.paymentId, 1234, { key, note: "same" });
    const before = await counts();
    const err = await expectSqlError(() =>
      request(db.asRole("support"), payment.paymentId, "amount" in change ? change.amount : 1234, {
        key,
        note: "note" in change ? change.note : "same",
        reason: "reason" in change ? change.reason : undefined,
        clawback: "clawback" in change ? change.clawback : undefined,
      }),
    );
    expect(err.code).toBe("23505");
    expect(err.message).toBe(`request_refund: idempotency key ${key} was already used for a different refund`);
    expect(err.hint).toBe("Use a new key for a new refund; reuse a key only to retry the same submit.");
    expect(await counts()).toEqual(before);
  });

  it("the same key on another payment → 23505", async () => {
    const one = await thbTopUp();
    const two = await thbTopUp();
    const key = newKey("other-payment");
    await request(db.asRole("finance"), one.paymentId, 100, { key });
    const err = await expectSqlError(() => request(db.asRole("finance"), two.paymentId, 100, { key }));
    expect(err.code).toBe("23505");
  });

  it("keys are per requester: another staff member's identical key is a new request", async () => {
    const payment = await thbTopUp();
    const key = newKey("per-requester");
    const a = await request(db.asRole("support"), payment.paymentId, 100, { key });
    const b = await request(db.asRole("finance"), payment.paymentId, 100, { key });
    expect(a.id).not.toBe(b.id);
  });
});

describe("approve_refund and reject_refund", () => {
  it("support above the threshold needs two distinct finance users; the same one cannot approve twice", async () => {
    const payment = await insertPayment(db, { amount: 1_000_000, currency: "thb" });
    const r = await request(db.asRole("support"), payment.paymentId, 600000);
    expect(r.approvals_needed).toBe(2);
    const first = await approve(db.asRole("finance"), r.id, "looks right");
    expect(first).toMatchObject({ status: "awaiting_approval", approvals_needed: 1, first_approved_by: db.staffIds["finance@m-factory.test"], second_approved_by: null });
    const before = await counts();
    const twice = await expectSqlError(() => approve(db.asRole("finance"), r.id));
    expect(twice.code).toBe("42501");
    expect(twice.message).toMatch(/already approved/);
    expect(await counts()).toEqual(before);
    const second = await approve(db.asStaff(APPROVER), r.id);
    expect(second).toMatchObject({
      status: "approved",
      approvals_needed: 0,
      first_approved_by: db.staffIds["finance@m-factory.test"],
      second_approved_by: db.staffIds[APPROVER],
    });
    const { session: third } = await addStaff(db, "user_refundThirdFinance", "finance");
    const late = await expectSqlError(() => approve(third, r.id));
    expect(late.code).toBe("PT409");
    expect(await auditActions(r.id)).toEqual(["refunds.requested", "refunds.approved", "refunds.approved"]);
  });

  it("support at or below the threshold needs one finance approval", async () => {
    const payment = await thbTopUp();
    const r = await request(db.asRole("support"), payment.paymentId, 5000);
    expect((await approve(db.asRole("finance"), r.id)).status).toBe("approved");
  });

  it("finance's own request above the threshold needs one other finance user; the requester may neither approve nor reject it", async () => {
    const payment = await insertPayment(db, { amount: 1_000_000, currency: "thb" });
    const r = await request(db.asRole("finance"), payment.paymentId, 700000);
    expect([r.status, r.approvals_needed]).toEqual(["awaiting_approval", 1]);
    const before = await counts();
    const own = await expectSqlError(() => approve(db.asRole("finance"), r.id));
    expect(own.code).toBe("42501");
    expect(own.message).toMatch(/own refund/);
    const ownReject = await expectSqlError(() => reject(db.asRole("finance"), r.id, "changed my mind"));
    expect(ownReject.code).toBe("42501");
    expect(await counts()).toEqual(before);
    expect(await approve(db.asStaff(APPROVER), r.id)).toMatchObject({ status: "approved", second_approved_by: null, first_approved_by: db.staffIds[APPROVER] });
  });

  it("an approved refund cannot be approved again (PT409), nor an unknown one (PT404), nor a null id (22023)", async () => {
    const payment = await thbTopUp();
    const r = await request(db.asRole("finance"), payment.paymentId, 1000);
    const before = await counts();
    expect((await expectSqlError(() => approve(db.asStaff(APPROVER), r.id))).code).toBe("PT409");
    expect((await expectSqlError(() => approve(db.asStaff(APPROVER), "00000000-0000-4000-8000-000000000002"))).code).toBe("PT404");
    expect((await expectSqlError(() => db.asStaff(APPROVER).query("select public.approve_refund(null)"))).code).toBe("22023");
    expect((await expectSqlError(() => approve(db.asStaff(APPROVER), r.id, "x".repeat(2001)))).code).toBe("22023");
    expect(await counts()).toEqual(before);
  });

  it("reject: note required; awaiting or approved → rejected (audited); anything else PT409", async () => {
    const payment = await thbTopUp();
    const awaiting = await request(db.asRole("support"), payment.paymentId, 1000);
    const approved = await request(db.asRole("finance"), payment.paymentId, 1000);
    const before = await counts();
    for (const note of [null, "  "]) {
      expect((await expectSqlError(() => reject(db.asStaff(APPROVER), awaiting.id, note))).code).toBe("22023");
    }
    expect((await expectSqlError(() => reject(db.asStaff(APPROVER), "00000000-0000-4000-8000-000000000003", "no"))).code).toBe("PT404");
    expect(await counts()).toEqual(before);
    const r1 = await reject(db.asRole("finance"), awaiting.id, "  not eligible ");
    expect(r1).toMatchObject({ status: "rejected", rejected_by: db.staffIds["finance@m-factory.test"], rejection_note: "not eligible" });
    const r2 = await reject(db.asStaff(APPROVER), approved.id, "duplicate request");
    expect(r2.status).toBe("rejected");
    expect(await auditActions(awaiting.id)).toEqual(["refunds.requested", "refunds.rejected"]);
    const after = await counts();
    expect((await expectSqlError(() => reject(db.asStaff(APPROVER), awaiting.id, "again"))).code).toBe("PT409");
    expect((await expectSqlError(() => approve(db.asStaff(APPROVER), awaiting.id))).code).toBe("PT409");
    expect(await counts()).toEqual(after);
  });

  it("a refund that went to Stripe can no longer be rejected", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    const before = await counts();
    const err = await expectSqlError(() => reject(db.asStaff(APPROVER), r.id, "too late"));
    expect(err.code).toBe("PT409");
    expect(await counts()).toEqual(before);
  });

  it("the table itself forbids an approver equal to the requester", async () => {
    const payment = await thbTopUp();
    const r = await request(db.asRole("support"), payment.paymentId, 1000);
    const err = await expectSqlError(() =>
      db.engine.query("update public.refunds set first_approved_by = requested_by, first_approved_at = now() where id = $1", [r.id]),
    );
    expect(err.code).toBe("23514");
  });
});

describe("refund_begin_execution", () => {
  it("approved → processing with the Stripe ids; a retry while processing counts another attempt; the requester may execute", async () => {
    const payment = await thbTopUp();
    const r = await request(db.asRole("finance"), payment.paymentId, 3000, { reason: "fraudulent" });
    const claim = await begin(db.asRole("finance"), r.id);
    expect(claim).toEqual({
      refund_id: r.id,
      amount: 3000,
      currency: "thb",
      reason: "fraudulent",
      stripe_payment_intent_id: payment.paymentIntentId,
      stripe_charge_id: payment.chargeId,
      status: "processing",
    });
    const first = await getRefund(r.id);
    expect(first).toMatchObject({ status: "processing", execution_attempts: 1, executed_by: db.staffIds["finance@m-factory.test"] });
    await begin(db.asStaff(APPROVER), r.id);
    expect(await getRefund(r.id)).toMatchObject({ status: "processing", execution_attempts: 2, executed_by: db.staffIds[APPROVER] });
    expect(await auditActions(r.id)).toEqual(["refunds.requested", "refunds.execution_started", "refunds.execution_started"]);
    // Still not refunded until Stripe answers.
    expect(await amountRefunded(payment.paymentId)).toBe(0);
  });

  it("awaiting approval, rejected or already succeeded → PT409 saying the status; unknown → PT404; nothing written", async () => {
    const payment = await thbTopUp();
    const awaiting = await request(db.asRole("support"), payment.paymentId, 1000);
    const rejected = await request(db.asRole("support"), payment.paymentId, 1000);
    await reject(db.asRole("finance"), rejected.id, "no");
    const done = await processingRefund(payment, 1000);
    await record(db, done.id, "re_BeginDone01", "succeeded", new Date().toISOString());
    const before = await counts();
    for (const [id, status] of [
      [awaiting.id, "awaiting_approval"],
      [rejected.id, "rejected"],
      [done.id, "succeeded"],
    ] as const) {
      const err = await expectSqlError(() => begin(db.asRole("finance"), id));
      expect(err.code).toBe("PT409");
      expect(err.message).toContain(`is already ${status}`);
    }
    expect((await expectSqlError(() => begin(db.asRole("finance"), "00000000-0000-4000-8000-000000000004"))).code).toBe("PT404");
    expect(await counts()).toEqual(before);
  });
});

describe("Stripe results: refund_record_stripe_result and refund_record_execution_error (service_role)", () => {
  it("processing → pending → succeeded; an older or later non-final status never moves a final one; amount_refunded follows", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 30000);
    const t0 = "2026-11-20T10:00:00Z";
    const pending = await record(db, r.id, "re_Order01", "pending", t0);
    expect(pending).toMatchObject({ status: "pending" });
    expect(new Date(pending.stripe_status_at!).toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(await amountRefunded(payment.paymentId)).toBe(30000);
    // An older non-final status arriving late is ignored.
    expect((await record(db, r.id, "re_Order01", "requires_action", "2026-11-20T09:59:00Z")).status).toBe("pending");
    // A newer non-final one replaces it.
    expect((await record(db, r.id, "re_Order01", "requires_action", "2026-11-20T10:01:00Z")).status).toBe("requires_action");
    expect(await amountRefunded(payment.paymentId)).toBe(30000);
    // Final replaces non-final even when older.
    expect((await record(db, r.id, "re_Order01", "succeeded", "2026-11-20T09:00:00Z")).status).toBe("succeeded");
    const before = await counts();
    // Final never changes: a later pending, or a failed, are ignored and write nothing.
    expect((await record(db, r.id, "re_Order01", "pending", "2026-11-21T00:00:00Z")).status).toBe("succeeded");
    expect((await record(db, r.id, "re_Order01", "failed", "2026-11-21T00:00:00Z", "unknown")).status).toBe("succeeded");
    // The same result twice: idempotent.
    expect((await record(db, r.id, "re_Order01", "succeeded", "2026-11-20T09:00:00Z")).status).toBe("succeeded");
    expect(await counts()).toEqual(before);
    expect(await amountRefunded(payment.paymentId)).toBe(30000);
    const { rows } = await db.engine.query<{ stripe_refund_id: string }>("select stripe_refund_id from public.refund_stripe_ids where refund_id = $1", [r.id]);
    expect(rows).toEqual([{ stripe_refund_id: "re_Order01" }]);
    expect(await auditActions(r.id)).toEqual([
      "refunds.requested",
      "refunds.execution_started",
      "refunds.stripe_status",
      "refunds.stripe_status",
      "refunds.stripe_status",
    ]);
  });

  it("succeeded then a late pending stays succeeded (out-of-order webhooks)", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    await record(db, r.id, "re_Late01", "succeeded", "2026-11-20T10:00:05Z");
    expect((await record(db, r.id, "re_Late01", "pending", "2026-11-20T10:00:00Z")).status).toBe("succeeded");
  });

  it("pending → failed releases amount_refunded and the remaining amount; failure_reason is kept", async () => {
    const payment = await thbTopUp();
    const other = await processingRefund(payment, 20000);
    await record(db, other.id, "re_Keep01", "succeeded", new Date().toISOString());
    const r = await processingRefund(payment, 80000);
    await record(db, r.id, "re_Fail01", "pending", "2026-11-20T10:00:00Z");
    expect(await amountRefunded(payment.paymentId)).toBe(100000);
    const failed = await record(db, r.id, "re_Fail01", "failed", "2026-11-20T11:00:00Z", "insufficient_funds");
    expect(failed).toMatchObject({ status: "failed", failure_reason: "insufficient_funds" });
    expect(await amountRefunded(payment.paymentId)).toBe(20000);
    expect((await request(db.asRole("finance"), payment.paymentId, 80000)).status).toBe("approved");
  });

  it("canceled is final too", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    await record(db, r.id, "re_Cancel01", "requires_action", "2026-11-20T10:00:00Z");
    expect((await record(db, r.id, "re_Cancel01", "canceled", "2026-11-20T10:05:00Z")).status).toBe("canceled");
    expect((await record(db, r.id, "re_Cancel01", "succeeded", "2026-11-20T10:06:00Z")).status).toBe("canceled");
    expect(await amountRefunded(payment.paymentId)).toBe(0);
  });

  it("refusals write nothing: another re_ id (PT409), a bad status or id (22023), unknown refund (PT404), a refund never executed (PT409), an re_ id of another refund (PT409)", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    await record(db, r.id, "re_Mine01", "pending", "2026-11-20T10:00:00Z");
    const other = await processingRefund(payment, 1000);
    const approved = await request(db.asRole("finance"), payment.paymentId, 1000);
    const before = await counts();
    const cases: Array<[string, () => Promise<unknown>, RegExp?]> = [
      ["PT409", () => record(db, r.id, "re_NotMine01", "succeeded", null), /already Stripe refund re_Mine01/],
      ["22023", () => record(db, r.id, "re_Mine01", "done", null)],
      ["22023", () => record(db, r.id, "rf_Mine01", "succeeded", null)],
      ["PT404", () => record(db, "00000000-0000-4000-8000-000000000005", "re_Ghost01", "succeeded", null)],
      ["PT409", () => record(db, approved.id, "re_Early01", "succeeded", null), /never sent to Stripe/],
      ["PT409", () => record(db, other.id, "re_Mine01", "succeeded", null), /belongs to another refund/],
    ];
    for (const [code, call, message] of cases) {
      const err = await expectSqlError(call);
      expect(err.code).toBe(code);
      if (message) expect(err.message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it("execution error: processing → failed with the code; the same error again returns the row; on another status PT409", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    const svc = asService(db);
    const failed = (await svc.query<StoredRefund>("select * from public.refund_record_execution_error($1, 'charge_already_refunded', 'Charge has already been refunded.')", [r.id])).rows[0]!;
    expect(failed).toMatchObject({ status: "failed", failure_reason: "charge_already_refunded" });
    const before = await counts();
    const again = (await svc.query<StoredRefund>("select * from public.refund_record_execution_error($1, 'charge_already_refunded', 'again')", [r.id])).rows[0]!;
    expect(again.status).toBe("failed");
    expect(await counts()).toEqual(before);
    const done = await processingRefund(payment, 1000);
    await record(db, done.id, "re_ErrDone01", "succeeded", null);
    const mid = await counts();
    const err = await expectSqlError(() => svc.query("select public.refund_record_execution_error($1, 'amount_too_large', 'x')", [done.id]));
    expect(err.code).toBe("PT409");
    const noCode = await expectSqlError(() => svc.query("select public.refund_record_execution_error($1, ' ', 'x')", [r.id]));
    expect(noCode.code).toBe("22023");
    expect(await counts()).toEqual(mid);
    expect(await auditActions(r.id)).toContain("refunds.execution_failed");
  });
});

describe("credit clawback on success", () => {
  it("writes one refund_clawback ledger row on success, actor = executor, never twice", async () => {
    const payment = await thbTopUp({ balance: 500 });
    const r = await processingRefund(payment, 50000, 250);
    await record(db, r.id, "re_Claw01", "pending", "2026-11-20T10:00:00Z");
    expect(await balanceOf(payment.customerId)).toBe(500); // not yet: the money has not gone back
    const done = await record(db, r.id, "re_Claw01", "succeeded", "2026-11-20T10:01:00Z");
    expect(done.clawback_ledger_entry_id).not.toBeNull();
    expect(await balanceOf(payment.customerId)).toBe(250);
    const { rows } = await db.engine.query<{ amount: number; reason: string; actor_staff_id: string; idempotency_key: string; payment_id: string }>(
      "select amount, reason, actor_staff_id, idempotency_key, payment_id from public.credit_ledger where id = $1",
      [done.clawback_ledger_entry_id],
    );
    expect(rows[0]).toEqual({
      amount: -250,
      reason: "refund_clawback",
      actor_staff_id: db.staffIds["finance@m-factory.test"],
      idempotency_key: `refund_clawback:${r.id}`,
      payment_id: payment.paymentId,
    });
    await record(db, r.id, "re_Claw01", "succeeded", "2026-11-20T10:02:00Z");
    await webhook(db, "evt_Claw01", "refund.updated", "2026-11-20T10:03:00Z", { id: "re_Claw01", status: "succeeded" });
    expect(await balanceOf(payment.customerId)).toBe(250);
    const { rows: n } = await db.engine.query<{ n: number }>("select count(*)::int as n from public.credit_ledger where idempotency_key = $1", [`refund_clawback:${r.id}`]);
    expect(n[0]!.n).toBe(1);
  });

  it("claws back at most the current balance, never below zero", async () => {
    const payment = await thbTopUp({ balance: 500 });
    await db.engine.query("insert into public.credit_ledger (customer_id, amount, reason) values ($1, -420, 'generation')", [payment.customerId]);
    const r = await processingRefund(payment, 50000, 300);
    await record(db, r.id, "re_ClawCap01", "succeeded", null);
    expect(await balanceOf(payment.customerId)).toBe(0);
    const { rows } = await db.engine.query<{ amount: number }>("select amount from public.credit_ledger where idempotency_key = $1", [`refund_clawback:${r.id}`]);
    expect(rows).toEqual([{ amount: -80 }]);
  });

  it("a zero balance means no ledger row", async () => {
    const payment = await thbTopUp({ balance: 0 });
    const r = await processingRefund(payment, 1000, 100);
    const before = await counts();
    const done = await record(db, r.id, "re_ClawZero01", "succeeded", null);
    expect(done.clawback_ledger_entry_id).toBeNull();
    expect(await balanceOf(payment.customerId)).toBe(0);
    expect((await counts()).ledger).toBe(before.ledger);
  });

  it("a failed refund claws nothing back", async () => {
    const payment = await thbTopUp({ balance: 500 });
    const r = await processingRefund(payment, 1000, 100);
    await record(db, r.id, "re_ClawFail01", "failed", null, "lost_or_stolen_card");
    expect(await balanceOf(payment.customerId)).toBe(500);
  });
});

describe("stripe_record_webhook_event (service_role)", () => {
  it("applies a refund event once; the same event id again is 'duplicate' and changes nothing", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    const at = "2026-11-20T10:00:00Z";
    expect(await webhook(db, "evt_Once01", "refund.created", at, { id: "re_Hook01", status: "pending", metadata: { console_refund_id: r.id } })).toBe("applied");
    expect((await getRefund(r.id)).status).toBe("pending");
    const before = await counts();
    expect(await webhook(db, "evt_Once01", "refund.updated", at, { id: "re_Hook01", status: "succeeded", metadata: { console_refund_id: r.id } })).toBe("duplicate");
    expect(await counts()).toEqual(before);
    expect((await getRefund(r.id)).status).toBe("pending");
    const { rows } = await db.engine.query("select id, type, refund_id, outcome from public.stripe_webhook_events where id = 'evt_Once01'");
    expect(rows).toEqual([{ id: "evt_Once01", type: "refund.created", refund_id: r.id, outcome: "applied" }]);
  });

  it("finds the refund by its re_ id, else by metadata.console_refund_id; the newer event wins, an older one is 'ignored_older'", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    await record(db, r.id, "re_Hook02", "pending", "2026-11-20T10:00:00Z");
    expect(await webhook(db, "evt_Hook02a", "charge.refund.updated", "2026-11-20T09:00:00Z", { id: "re_Hook02", status: "requires_action" })).toBe("ignored_older");
    expect(await webhook(db, "evt_Hook02b", "refund.updated", "2026-11-20T11:00:00Z", { id: "re_Hook02", status: "requires_action" })).toBe("applied");
    expect(await webhook(db, "evt_Hook02c", "refund.updated", "2026-11-20T12:00:00Z", { id: "re_Hook02", status: "succeeded" })).toBe("applied");
    expect(await webhook(db, "evt_Hook02d", "refund.failed", "2026-11-20T13:00:00Z", { id: "re_Hook02", status: "failed", failure_reason: "unknown" })).toBe("ignored_older");
    expect(await getRefund(r.id)).toMatchObject({ status: "succeeded", failure_reason: null });
    expect(await amountRefunded(payment.paymentId)).toBe(1000);
  });

  it("a status repeated by a newer event moves its time on: pending → requires_action → pending, delivered newest first, ends pending", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    await record(db, r.id, "re_Hook05", "pending", "2026-11-20T10:00:00Z");
    expect(await webhook(db, "evt_Hook05c", "refund.updated", "2026-11-20T12:00:00Z", { id: "re_Hook05", status: "pending" })).toBe("applied");
    expect(await webhook(db, "evt_Hook05b", "refund.updated", "2026-11-20T11:00:00Z", { id: "re_Hook05", status: "requires_action" })).toBe("ignored_older");
    expect(await getRefund(r.id)).toMatchObject({ status: "pending" });
  });

  it("refund.failed carries the failure reason", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    expect(
      await webhook(db, "evt_Hook03", "refund.failed", "2026-11-20T10:00:00Z", { id: "re_Hook03", status: "failed", failure_reason: "expired_or_canceled_card", metadata: { console_refund_id: r.id } }),
    ).toBe("applied");
    expect(await getRefund(r.id)).toMatchObject({ status: "failed", failure_reason: "expired_or_canceled_card" });
  });

  it("unmatched refunds and other event types are recorded once and change nothing else", async () => {
    const payment = await thbTopUp();
    const approved = await request(db.asRole("finance"), payment.paymentId, 1000);
    const before = await counts();
    expect(await webhook(db, "evt_Hook04a", "refund.updated", "2026-11-20T10:00:00Z", { id: "re_Nobody01", status: "succeeded" })).toBe("unmatched");
    expect(await webhook(db, "evt_Hook04b", "refund.updated", "2026-11-20T10:00:00Z", { id: "re_Nobody02", status: "succeeded", metadata: { console_refund_id: "not-a-uuid" } })).toBe("unmatched");
    // A console refund that was never executed is not moved by a webhook.
    expect(await webhook(db, "evt_Hook04c", "refund.updated", "2026-11-20T10:00:00Z", { id: "re_Nobody03", status: "succeeded", metadata: { console_refund_id: approved.id } })).toBe("unmatched");
    expect(await webhook(db, "evt_Hook04d", "charge.refunded", "2026-11-20T10:00:00Z", { id: "ch_Something", object: "charge" })).toBe("ignored_type");
    expect(await webhook(db, "evt_Hook04e", "payment_intent.succeeded", "2026-11-20T10:00:00Z", null)).toBe("ignored_type");
    const after = await counts();
    expect(after.events).toBe(Number(before.events) + 5);
    expect({ ...after, events: before.events }).toEqual(before);
    expect((await getRefund(approved.id)).status).toBe("approved");
  });

  it("a malformed event id or a refund event without its object → 22023, nothing written", async () => {
    const before = await counts();
    expect((await expectSqlError(() => webhook(db, "notanevent", "refund.updated", "2026-11-20T10:00:00Z", { id: "re_X" }))).code).toBe("22023");
    expect((await expectSqlError(() => webhook(db, "evt_NoObject01", "refund.updated", "2026-11-20T10:00:00Z", null))).code).toBe("22023");
    expect(await counts()).toEqual(before);
  });
});

describe("stripe_record_webhook_refusal (service_role)", () => {
  const refuse = async (eventId: string | null, type: string | null, at: string | null, reason: string | null): Promise<string> =>
    (await asService(db).query<{ o: string }>("select public.stripe_record_webhook_refusal($1, $2, $3, $4) as o", [eventId, type, at, reason])).rows[0]!.o;
  const eventRow = async (eventId: string) =>
    (await db.engine.query("select id, type, stripe_created_at, refund_id, outcome, refusal from public.stripe_webhook_events where id = $1", [eventId])).rows;

  it("records a refused event once with its reason (type and time may be missing); again it is 'duplicate' and changes nothing", async () => {
    const before = await counts();
    expect(await refuse("evt_Refused01", null, null, "type must be the event type; created must be a Unix timestamp")).toBe("refused");
    const after = await counts();
    expect(after.events).toBe(Number(before.events) + 1);
    expect({ ...after, events: before.events }).toEqual(before);
    const row = { id: "evt_Refused01", type: null, stripe_created_at: null, refund_id: null, outcome: "refused", refusal: "type must be the event type; created must be a Unix timestamp" };
    expect(await eventRow("evt_Refused01")).toEqual([row]);
    expect(await refuse("evt_Refused01", "refund.updated", "2026-11-20T10:00:00Z", "another reason")).toBe("duplicate");
    expect(await counts()).toEqual(after);
    expect(await eventRow("evt_Refused01")).toEqual([row]);
  });

  it("an event id already processed is 'duplicate': the applied event stays as it was", async () => {
    const payment = await thbTopUp();
    const r = await processingRefund(payment, 1000);
    expect(await webhook(db, "evt_RefusedAfter01", "refund.updated", "2026-11-20T10:00:00Z", { id: "re_RefusedAfter01", status: "pending", metadata: { console_refund_id: r.id } })).toBe("applied");
    const before = await counts();
    expect(await refuse("evt_RefusedAfter01", "refund.updated", null, "data.object must be the object the event is about")).toBe("duplicate");
    expect(await counts()).toEqual(before);
    expect(await eventRow("evt_RefusedAfter01")).toMatchObject([{ outcome: "applied", refusal: null, refund_id: r.id }]);
  });

  it("a malformed event id, type or reason → 22023, nothing written", async () => {
    const before = await counts();
    for (const [eventId, type, reason] of [
      ["notanevent", null, "id must be a Stripe event id"],
      [null, null, "no id"],
      ["evt_RefusedBad01", "", "empty type"],
      ["evt_RefusedBad02", "x".repeat(201), "long type"],
      ["evt_RefusedBad03", null, null],
      ["evt_RefusedBad04", null, "  "],
      ["evt_RefusedBad05", null, "r".repeat(1001)],
    ] as const) {
      expect((await expectSqlError(() => refuse(eventId, type, null, reason))).code, `${eventId} ${type} ${reason}`).toBe("22023");
    }
    expect(await counts()).toEqual(before);
  });

  it.each(["anon", "dpo", "support", "finance", "admin", "auditor"] as const)("%s may not record a refusal (42501, nothing written)", async (who) => {
    const before = await counts();
    const session = who === "anon" ? db.asAnon() : db.asRole(who);
    const err = await expectSqlError(() => session.query("select public.stripe_record_webhook_refusal('evt_RefusedTry01', null, null, 'x')"));
    expect(err.code).toBe("42501");
    expect(await counts()).toEqual(before);
  });
});

describe("DSAR erasure plan", () => {
  it("names the subject's refunds and credit adjustments as kept payment records, counting exactly theirs", async () => {
    const payment = await thbTopUp();
    const other = await thbTopUp();
    const sent = await processingRefund(payment, 1000);
    await record(db, sent.id, "re_Erasure01", "succeeded", "2026-11-20T10:00:00Z");
    await request(db.asRole("support"), payment.paymentId, 2000);
    await request(db.asRole("support"), other.paymentId, 3000);
    await db.asRole("support").query("select * from public.adjust_credits($1, 50, 'goodwill', 'erasure plan', 'erasure-plan-key-01')", [payment.customerId]);
    await db.asRole("support").query("select * from public.adjust_credits($1, 50, 'goodwill', 'erasure plan', 'erasure-plan-key-02')", [other.customerId]);
    const { rows } = await db.engine.query<{ category: string; action: string; row_count: string; reason: string }>(
      "select category, action, row_count::text, reason from public.dsar_erasure_plan($1) where category in ('refunds', 'credit_adjustments') order by category",
      [payment.customerId],
    );
    // Two refunds of this customer plus one Stripe refund id, one adjustment; the other customer's are not counted.
    expect(rows.map((r) => [r.category, r.action, r.row_count])).toEqual([
      ["credit_adjustments", "keep", "1"],
      ["refunds", "keep", "3"],
    ]);
    expect(rows.every((r) => /7 years/.test(r.reason))).toBe(true);
  });
});

describe("set_refund_threshold", () => {
  it.each(["dpo", "support", "finance", "auditor"] as const)("%s may not set a threshold (42501)", async (role) => {
    const before = await counts();
    const err = await expectSqlError(() => db.asRole(role).query("select public.set_refund_threshold('thb', 1)"));
    expect(err.code).toBe("42501");
    expect(await counts()).toEqual(before);
  });

  it("admin sets an existing or new currency's threshold (audited), and requests follow it", async () => {
    const { rows } = await db.asRole("admin").query<{ currency: string; second_approval_above: string }>(
      "select * from public.set_refund_threshold(' NZD ', 10000)",
    );
    expect(rows[0]).toMatchObject({ currency: "nzd", updated_by: db.staffIds["admin@m-factory.test"] });
    expect(Number(rows[0]!.second_approval_above)).toBe(10000);
    const payment = await insertPayment(db, { amount: 50000, currency: "nzd" });
    expect((await request(db.asRole("finance"), payment.paymentId, 10000, { currency: "nzd" })).status).toBe("approved");
    expect((await request(db.asRole("finance"), payment.paymentId, 10001, { currency: "nzd" })).status).toBe("awaiting_approval");
    await db.asRole("admin").query("select public.set_refund_threshold('nzd', 20000)");
    expect((await request(db.asRole("finance"), payment.paymentId, 10001, { currency: "nzd" })).status).toBe("approved");
    const audit = await db.engine.query<{ action: string; old_data: unknown; new_data: unknown }>(
      "select action, old_data, new_data from public.audit_log where table_name = 'refund_approval_thresholds' and record_id = 'nzd' order by id",
    );
    expect(audit.rows).toEqual([
      { action: "refunds.threshold_set", old_data: null, new_data: { second_approval_above: 10000 } },
      { action: "refunds.threshold_set", old_data: { second_approval_above: 10000 }, new_data: { second_approval_above: 20000 } },
    ]);
  });

  it.each([
    ["a bad currency", "'th'", "1"],
    ["a zero amount", "'thb'", "0"],
    ["a null amount", "'thb'", "null"],
  ])("%s → 22023, nothing written", async (_label, currency, amount) => {
    const before = await counts();
    const err = await expectSqlError(() => db.asRole("admin").query(`select public.set_refund_threshold(${currency}, ${amount})`));
    expect(err.code).toBe("22023");
    expect(await counts()).toEqual(before);
  });
});

describe("money_stats", () => {
  it("admin and non-staff may not read it (42501); a bad week count is 22023", async () => {
    expect((await expectSqlError(() => db.asRole("admin").query("select public.money_stats(12)"))).code).toBe("42501");
    expect((await expectSqlError(() => db.asSub("user_notStaff02").query("select public.money_stats(12)"))).code).toBe("42501");
    for (const weeks of [0, 157, null]) {
      expect((await expectSqlError(() => db.asRole("finance").query("select public.money_stats($1)", [weeks]))).code).toBe("22023");
    }
  });

  it("counts refunds per Bangkok week (Monday) by reason and currency, skipping rejected/failed/canceled; adjustments by reason and status", async () => {
    const payment = await insertPayment(db, { amount: 90000, currency: "sgd" });
    const a = await request(db.asRole("finance"), payment.paymentId, 1000, { currency: "sgd", reason: "duplicate" });
    await request(db.asRole("finance"), payment.paymentId, 2000, { currency: "sgd", reason: "duplicate" });
    const c = await request(db.asRole("support"), payment.paymentId, 4000, { currency: "sgd", reason: "duplicate" });
    await reject(db.asRole("finance"), c.id, "no");
    // A refund requested on a Sunday evening in Bangkok belongs to the week starting the Monday before.
    await db.engine.query("update public.refunds set requested_at = now() - interval '1 hour' where id = $1", [a.id]);
    const stats = async (role: StaffRole) =>
      (await db.asRole(role).query<{ s: { refunds_per_week: Array<Record<string, unknown>>; adjustments_by_reason: Array<Record<string, unknown>>; reconciliation_runs: unknown[] } }>("select public.money_stats(4) as s")).rows[0]!.s;
    const s = await stats("finance");
    const sgd = s.refunds_per_week.filter((w) => w.currency === "sgd");
    expect(sgd).toHaveLength(1);
    expect(sgd[0]).toMatchObject({ reason: "duplicate", count: 2, amount: 3000 });
    const { rows } = await db.engine.query<{ w: string }>("select to_char(date_trunc('week', now() at time zone 'Asia/Bangkok'), 'YYYY-MM-DD') as w");
    expect(sgd[0]!.week).toBe(rows[0]!.w);
    await db.asRole("support").query("select public.adjust_credits($1, 20, 'goodwill', 'stats', $2)", [payment.customerId, newKey("stats")]);
    const after = await stats("support");
    expect(after.adjustments_by_reason.find((x) => x.reason === "goodwill" && x.status === "applied")).toMatchObject({ count: expect.any(Number), credits: expect.any(Number) });
    expect(after.reconciliation_runs).toEqual([]);
    for (const role of ["dpo", "auditor"] as const) expect(Array.isArray((await stats(role)).refunds_per_week)).toBe(true);
  });
});

// Separate connections are needed for real concurrency: PGlite has a single one.
describe.runIf(Boolean(process.env.DATABASE_URL))("refunds under concurrency on a real server", () => {
  const server = openBeforeAll(createTestDatabase);

  it("20 concurrent requests with distinct keys on one payment never reserve more than it has", async () => {
    const payment = await insertPayment(server, { amount: 10000, currency: "thb" });
    // Four requesters, so a per-requester lock alone could not serialize them.
    const sessions: SqlSession[] = [server.asRole("finance"), server.asRole("support"), server.asStaff(APPROVER)];
    sessions.push((await addStaff(server, "user_concurrentRefundSupport", "support")).session);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => request(sessions[i % sessions.length]!, payment.paymentId, 700, { key: `concurrent-refund-${i.toString().padStart(2, "0")}` })),
    );
    const ok = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o) => o.status === "rejected").map((o) => (o.reason as { code?: string }).code);
    expect(ok).toHaveLength(14); // 14 × 700 = 9800 ≤ 10000 < 15 × 700
    expect(refused).toEqual(Array.from({ length: 6 }, () => "22023"));
    const { rows } = await server.engine.query<{ n: number; s: string }>("select count(*)::int as n, sum(amount)::text as s from public.refunds where payment_id = $1", [payment.paymentId]);
    expect(rows[0]).toEqual({ n: 14, s: "9800" });
  });

  it("20 concurrent submits of one key produce one refund", async () => {
    const payment = await insertPayment(server, { amount: 10000, currency: "thb" });
    const results = await Promise.all(Array.from({ length: 20 }, () => request(server.asRole("support"), payment.paymentId, 500, { key: "concurrent-same-refund-key" })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const { rows } = await server.engine.query<{ n: number }>("select count(*)::int as n from public.refunds where payment_id = $1", [payment.paymentId]);
    expect(rows[0]!.n).toBe(1);
  });

  it("two finance users approving at once: exactly one transition, the other gets PT409", async () => {
    const payment = await insertPayment(server, { amount: 10000, currency: "thb" });
    const r = await request(server.asRole("support"), payment.paymentId, 1000);
    expect(r.approvals_needed).toBe(1);
    const outcomes = await Promise.allSettled([approve(server.asRole("finance"), r.id), approve(server.asStaff(APPROVER), r.id)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason as { code?: string }).code).toBe("PT409");
    const { rows } = await server.engine.query<{ n: number }>("select count(*)::int as n from public.audit_log where action = 'refunds.approved' and record_id = $1", [r.id]);
    expect(rows[0]!.n).toBe(1);
    expect((await getRefund(r.id, server)).status).toBe("approved");
  });

  it("two finance users giving the two approvals a support request above the threshold needs, at once: both count, once each", async () => {
    const payment = await insertPayment(server, { amount: 1_000_000, currency: "thb" });
    const r = await request(server.asRole("support"), payment.paymentId, 600000);
    await Promise.all([approve(server.asRole("finance"), r.id), approve(server.asStaff(APPROVER), r.id)]);
    const done = await getRefund(r.id, server);
    expect(done.status).toBe("approved");
    expect(new Set([done.first_approved_by, done.second_approved_by])).toEqual(new Set([server.staffIds["finance@m-factory.test"], server.staffIds[APPROVER]]));
  });

  it("the same webhook event delivered 10 times at once is applied once", async () => {
    const payment = await insertPayment(server, { amount: 100000, currency: "thb", credits: 500, balance: 500 });
    const r = await request(server.asRole("finance"), payment.paymentId, 1000, { clawback: 100 });
    await begin(server.asRole("finance"), r.id);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => webhook(server, "evt_ConcurrentHook01", "refund.updated", "2026-11-20T10:00:00Z", { id: "re_Concurrent01", status: "succeeded", metadata: { console_refund_id: r.id } })),
    );
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(9);
    expect(await balanceOf(payment.customerId, server)).toBe(400);
  });
});
