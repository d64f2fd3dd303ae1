/**
 * Reconciliation (issue 4): record_reconciliation_run stores a run and all its discrepancies in one
 * transaction (finance only, shape validated, nothing written on any error), and
 * reconciliation_records gives the database side of matching for a range of at most 400 days
 * (finance and auditor).
 */
import { describe, expect, it } from "vitest";
import { createTestDatabase, expectSqlError, type SqlSession } from "../helpers/db.ts";
import { asService, insertPayment } from "./refunds-fixture.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

type Json = Record<string, unknown>;

function run(overrides: Json = {}, counts: Json = {}): Json {
  return {
    source: "upload",
    file_kind: "balance_report",
    file_name: "itemized_balance_2026-11.csv",
    file_sha256: "0123456789abcdef".repeat(4),
    file_rows: 120,
    period_from: "2026-11-01T00:00:00Z",
    period_to: "2026-11-25T00:00:00Z",
    counts: { matched: 115, amount_mismatch: 1, status_mismatch: 0, refund_mismatch: 1, missing_in_database: 1, missing_in_stripe: 0, ...counts },
    totals: [
      { currency: "thb", category: "charge", stripe_count: 100, stripe_amount: 4_500_000, database_count: 99, database_amount: 4_490_100 },
      { currency: "usd", category: "refund", stripe_count: 2, stripe_amount: -1800, database_count: 2, database_amount: -1800 },
    ],
    ...overrides,
  };
}

const PAYMENT_ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
function discrepancies(): Json[] {
  return [
    { kind: "amount_mismatch", stripe_id: "ch_Amount01", payment_id: PAYMENT_ID, currency: "thb", stripe_amount: 29900, database_amount: 29000, line: 7, detail: "amount differs" },
    { kind: "refund_mismatch", stripe_id: "re_Refund01", refund_id: "7a2b3c4d-5e6f-4a70-8b9c-0d1e2f3a4b5c", currency: "usd", stripe_amount: 900, database_amount: 0, stripe_status: "succeeded", database_status: "processing", line: 9, detail: "refund status" },
    { kind: "missing_in_database", stripe_id: "ch_Ghost01", currency: "thb", stripe_amount: 9900, line: 12, detail: "charge not in the database" },
  ];
}

async function record(s: SqlSession, r: unknown, d: unknown): Promise<Json> {
  const { rows } = await s.query<Json>("select * from public.record_reconciliation_run($1::jsonb, $2::jsonb)", [JSON.stringify(r), JSON.stringify(d)]);
  return rows[0]!;
}

async function counts(): Promise<Json> {
  const { rows } = await db.engine.query<Json>(
    `select (select count(*)::int from public.reconciliation_runs) as runs,
            (select count(*)::int from public.reconciliation_discrepancies) as discrepancies,
            (select count(*)::int from public.audit_log) as audit`,
  );
  return rows[0]!;
}

describe("record_reconciliation_run", () => {
  it.each(["dpo", "support", "admin", "auditor"] as const)("%s may not record a run (42501, nothing written)", async (role) => {
    const before = await counts();
    const err = await expectSqlError(() => record(db.asRole(role), run(), discrepancies()));
    expect(err.code).toBe("42501");
    expect(await counts()).toEqual(before);
  });

  it("anon may call neither function", async () => {
    for (const sql of ["select public.record_reconciliation_run('{}', '[]')", "select * from public.reconciliation_records(now() - interval '1 day', now())"]) {
      expect((await expectSqlError(() => db.asAnon().query(sql))).code).toBe("42501");
    }
  });

  it("finance records the run and every discrepancy in order, audited", async () => {
    const before = await counts();
    const row = await record(db.asRole("finance"), run(), discrepancies());
    expect(row).toMatchObject({
      created_by: db.staffIds["finance@m-factory.test"],
      source: "upload",
      file_kind: "balance_report",
      file_name: "itemized_balance_2026-11.csv",
      file_sha256: "0123456789abcdef".repeat(4),
      file_rows: 120,
      counts: run().counts,
      totals: run().totals,
    });
    expect(new Date(row.period_from as string).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    const { rows } = await db.asRole("auditor").query<Json>(
      "select seq, kind, stripe_id, payment_id, refund_id, currency, stripe_amount::int as stripe_amount, database_amount::int as database_amount, stripe_status, database_status, line, detail from public.reconciliation_discrepancies where run_id = $1 order by seq",
      [row.id],
    );
    expect(rows).toEqual(
      discrepancies().map((d, i) => ({
        seq: i + 1,
        stripe_id: null,
        payment_id: null,
        refund_id: null,
        currency: null,
        stripe_amount: null,
        database_amount: null,
        stripe_status: null,
        database_status: null,
        line: null,
        ...d,
      })),
    );
    const after = await counts();
    expect([Number(after.runs) - Number(before.runs), Number(after.discrepancies) - Number(before.discrepancies), Number(after.audit) - Number(before.audit)]).toEqual([1, 3, 1]);
    const audit = await db.engine.query<{ action: string; new_data: Json }>("select action, new_data from public.audit_log where record_id = $1", [row.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ action: "reconciliation.run_recorded", new_data: { source: "upload", discrepancies: 3 } });
  });

  it("a pull from the Stripe API with nothing to report: no file, no discrepancies", async () => {
    const row = await record(
      db.asRole("finance"),
      run({ source: "pull", file_kind: "stripe_api", file_name: null, file_sha256: null }, { amount_mismatch: 0, refund_mismatch: 0, missing_in_database: 0 }),
      [],
    );
    expect(row).toMatchObject({ source: "pull", file_kind: "stripe_api", file_name: null, file_sha256: null });
  });

  const bad: Array<[string, () => [unknown, unknown]]> = [
    ["a run that is not an object", () => [[1], []]],
    ["discrepancies that are not an array", () => [run(), { kind: "x" }]],
    ["an unknown source", () => [run({ source: "email" }), discrepancies()]],
    ["a pull that claims a file kind", () => [run({ source: "pull", file_kind: "balance_report" }), discrepancies()]],
    ["an upload from the API", () => [run({ file_kind: "stripe_api" }), discrepancies()]],
    ["an unknown run field", () => [run({ extra: 1 }), discrepancies()]],
    ["a bad sha256", () => [run({ file_sha256: "ABC" }), discrepancies()]],
    ["negative file rows", () => [run({ file_rows: -1 }), discrepancies()]],
    ["fractional file rows", () => [run({ file_rows: 1.5 }), discrepancies()]],
    ["a period that is not a date", () => [run({ period_from: "yesterday" }), discrepancies()]],
    ["a reversed period", () => [run({ period_from: "2026-11-25T00:00:00Z", period_to: "2026-11-01T00:00:00Z" }), discrepancies()]],
    ["counts missing a category", () => [{ ...run(), counts: { matched: 1 } }, []]],
    ["a negative count", () => [run({}, { matched: -1 }), discrepancies()]],
    ["counts that disagree with the discrepancies", () => [run({}, { amount_mismatch: 2 }), discrepancies()]],
    ["totals that are not an array", () => [run({ totals: {} }), discrepancies()]],
    ["a total with an upper-case currency", () => [run({ totals: [{ currency: "THB", category: "charge", stripe_count: 1, stripe_amount: 1, database_count: 1, database_amount: 1 }] }), discrepancies()]],
    ["a total missing an amount", () => [run({ totals: [{ currency: "thb", category: "charge", stripe_count: 1, database_count: 1, database_amount: 1 }] }), discrepancies()]],
    ["a third discrepancy of an unknown kind", () => [run(), [...discrepancies().slice(0, 2), { ...discrepancies()[2], kind: "matched" }]]],
    ["a discrepancy without detail", () => [run(), [...discrepancies().slice(0, 2), { ...discrepancies()[2], detail: "" }]]],
    ["a discrepancy with a malformed payment id", () => [run(), [...discrepancies().slice(0, 2), { ...discrepancies()[2], payment_id: "pay_1" }]]],
    ["a discrepancy with a string amount", () => [run(), [...discrepancies().slice(0, 2), { ...discrepancies()[2], stripe_amount: "9900" }]]],
    ["a discrepancy with line 0", () => [run(), [...discrepancies().slice(0, 2), { ...discrepancies()[2], line: 0 }]]],
    ["a discrepancy with an unknown field", () => [run(), [...discrepancies().slice(0, 2), { ...discrepancies()[2], note: "x" }]]],
  ];
  it.each(bad)("%s → 22023, and neither the run nor any discrepancy is written", async (_label, make) => {
    const [r, d] = make();
    const before = await counts();
    const err = await expectSqlError(() => record(db.asRole("finance"), r, d));
    expect(err.code).toBe("22023");
    expect(await counts()).toEqual(before);
  });

  it("nobody writes runs or discrepancies directly, not even finance or service_role", async () => {
    const err = await expectSqlError(() =>
      db.asRole("finance").query("insert into public.reconciliation_runs (created_by, source, file_kind, file_rows, counts, totals) values (public.current_staff_id(), 'upload', 'balance_report', 0, '{}', '[]')"),
    );
    expect(err.code).toBe("42501");
    const svc = await expectSqlError(() => asService(db).query("delete from public.reconciliation_discrepancies"));
    expect(svc.code).toBe("42501");
  });

  it("money_stats lists the latest runs with their discrepancy counts for finance and auditor only", async () => {
    const row = await record(db.asRole("finance"), run({ file_name: "for-stats.csv" }), discrepancies());
    for (const role of ["finance", "auditor"] as const) {
      const { rows } = await db.asRole(role).query<{ s: { reconciliation_runs: Json[] } }>("select public.money_stats() as s");
      const runs = rows[0]!.s.reconciliation_runs;
      expect(runs.length).toBeLessThanOrEqual(30);
      expect(runs[0]).toMatchObject({ id: row.id, source: "upload", file_name: "for-stats.csv", discrepancies: 3 });
    }
    for (const role of ["dpo", "support"] as const) {
      const { rows } = await db.asRole(role).query<{ s: { reconciliation_runs: Json[] } }>("select public.money_stats() as s");
      expect(rows[0]!.s.reconciliation_runs).toEqual([]);
    }
  });
});

describe("reconciliation_records", () => {
  const recordsOf = async (s: SqlSession, from: string, to: string) =>
    (await s.query<Json>("select * from public.reconciliation_records($1, $2)", [from, to])).rows;

  it.each(["dpo", "support", "admin"] as const)("%s may not read them (42501)", async (role) => {
    const err = await expectSqlError(() => recordsOf(db.asRole(role), "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"));
    expect(err.code).toBe("42501");
  });

  it.each([
    ["a null bound", null, "2026-02-01T00:00:00Z"],
    ["a reversed range", "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"],
    ["an empty range", "2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z"],
    ["401 days", "2025-01-01T00:00:00Z", "2026-02-06T00:00:00Z"],
  ])("%s → 22023", async (_label, from, to) => {
    const err = await expectSqlError(() => db.asRole("finance").query("select * from public.reconciliation_records($1, $2)", [from, to]));
    expect(err.code).toBe("22023");
  });

  it("exactly 400 days is allowed", async () => {
    const rows = await recordsOf(db.asRole("auditor"), "2025-01-01T00:00:00Z", "2026-02-05T00:00:00Z");
    expect(Array.isArray(rows)).toBe(true);
  });

  it("one row per payment created in the range and per refund requested or sent to Stripe in it; rejected refunds without a Stripe id are left out", async () => {
    const payment = await insertPayment(db, { amount: 50000, currency: "gbp", credits: 0 });
    await db.engine.query("update public.payments set created_at = '2024-03-10T12:00:00Z' where id = $1", [payment.paymentId]);
    const outside = await insertPayment(db, { amount: 1000, currency: "gbp" });
    await db.engine.query("update public.payments set created_at = '2024-05-10T12:00:00Z' where id = $1", [outside.paymentId]);

    const req = (amount: number, key: string, role: "finance" | "support" = "finance") =>
      db.asRole(role).query<{ id: string }>("select id from public.request_refund($1, $2, 'gbp', 'requested_by_customer', 'rec', $3)", [payment.paymentId, amount, key]);
    const succeeded = (await req(1000, "rec-succeeded-01")).rows[0]!.id;
    const awaiting = (await req(2000, "rec-awaiting-01", "support")).rows[0]!.id;
    const rejected = (await req(3000, "rec-rejected-01", "support")).rows[0]!.id;
    const late = (await req(4000, "rec-late-01")).rows[0]!.id;
    await db.asRole("finance").query("select public.reject_refund($1, 'no')", [rejected]);
    await db.asRole("finance").query("select public.refund_begin_execution($1)", [succeeded]);
    await asService(db).query("select public.refund_record_stripe_result($1, 're_Rec01', 'succeeded', null, '2024-03-12T09:00:00Z')", [succeeded]);
    await db.engine.query("update public.refunds set requested_at = '2024-03-11T08:00:00Z', execution_started_at = '2024-03-12T08:59:00Z' where id = $1", [succeeded]);
    await db.engine.query("update public.refunds set requested_at = '2024-03-11T09:00:00Z' where id in ($1, $2)", [awaiting, rejected]);
    // Requested before the range, sent to Stripe inside it.
    await db.asRole("finance").query("select public.refund_begin_execution($1)", [late]);
    await db.engine.query("update public.refunds set requested_at = '2024-02-20T00:00:00Z', execution_started_at = '2024-03-20T00:00:00Z' where id = $1", [late]);

    const rows = await recordsOf(db.asRole("finance"), "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z");
    const simplified = rows.map((r) => ({
      record_type: r.record_type,
      id: r.id,
      payment_id: r.payment_id,
      stripe_charge_id: r.stripe_charge_id,
      stripe_refund_id: r.stripe_refund_id,
      amount: Number(r.amount),
      amount_refunded: r.amount_refunded === null ? null : Number(r.amount_refunded),
      currency: r.currency,
      status: r.status,
      created_at: new Date(r.created_at as string).toISOString(),
    }));
    expect(simplified).toEqual([
      { record_type: "payment", id: payment.paymentId, payment_id: payment.paymentId, stripe_charge_id: payment.chargeId, stripe_refund_id: null, amount: 50000, amount_refunded: 1000, currency: "gbp", status: "succeeded", created_at: "2024-03-10T12:00:00.000Z" },
      { record_type: "refund", id: awaiting, payment_id: payment.paymentId, stripe_charge_id: payment.chargeId, stripe_refund_id: null, amount: 2000, amount_refunded: null, currency: "gbp", status: "awaiting_approval", created_at: "2024-03-11T09:00:00.000Z" },
      { record_type: "refund", id: succeeded, payment_id: payment.paymentId, stripe_charge_id: payment.chargeId, stripe_refund_id: "re_Rec01", amount: 1000, amount_refunded: null, currency: "gbp", status: "succeeded", created_at: "2024-03-12T08:59:00.000Z" },
      { record_type: "refund", id: late, payment_id: payment.paymentId, stripe_charge_id: payment.chargeId, stripe_refund_id: null, amount: 4000, amount_refunded: null, currency: "gbp", status: "processing", created_at: "2024-03-20T00:00:00.000Z" },
    ]);
    expect(rows[0]!.stripe_payment_intent_id).toBe(payment.paymentIntentId);
    // The auditor gets the same rows.
    expect((await recordsOf(db.asRole("auditor"), "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z")).length).toBe(4);
  });
});
