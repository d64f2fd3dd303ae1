/**
 * Credits (issue 4): adjust_credits with per-adjustment and daily limits, four-eyes approval of
 * pending adjustments, idempotent submits, no negative balance except an approved correction,
 * and bad input refused with nothing written. Concurrency runs on a real server (DATABASE_URL).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SqlRow } from "../../server/db/engine.ts";
import type { Tables } from "../../src/lib/database.types.ts";
import { addStaff, createTestDatabase, creditBalance, expectSqlError, idempotencyKeys, type SqlSession, type TestDatabase } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

/** A `credit_adjustments` row as the credit functions return it over SQL (times as Dates). */
type Adjustment = Omit<SqlRow<Tables<"credit_adjustments">, "requested_at" | "decided_at">, "status"> & {
  status: "pending" | "applied" | "rejected";
};

const db = openBeforeAll(createTestDatabase);

/** A fresh idempotency key, unique across the file. */
const newKey = idempotencyKeys("test");

async function adjust(s: SqlSession, customerId: string, amount: number, reason: string, note: string | null, key: string | null): Promise<Adjustment> {
  const { rows } = await s.query<Adjustment>("select * from public.adjust_credits($1, $2, $3, $4, $5)", [customerId, amount, reason, note, key]);
  return rows[0]!;
}

const balanceOf = (customerId: string, testDb: TestDatabase = db): Promise<number> => creditBalance(testDb, customerId);

/** Ledger, adjustment and audit row counts: what "nothing written" is checked against. */
async function counts(testDb: TestDatabase = db): Promise<{ ledger: number; adjustments: number; audit: number; limits: string }> {
  const { rows } = await testDb.engine.query<{ ledger: number; adjustments: number; audit: number; limits: string }>(
    `select (select count(*)::int from public.credit_ledger) as ledger,
            (select count(*)::int from public.credit_adjustments) as adjustments,
            (select count(*)::int from public.audit_log) as audit,
            (select string_agg(role || ':' || per_adjustment_max || '/' || per_day_max, ',' order by role) from public.credit_limits) as limits`,
  );
  return rows[0]!;
}

describe("who may call the credit functions", () => {
  it.each(["dpo", "admin", "auditor"] as const)("%s may not adjust credits (42501, nothing written)", async (role) => {
    const before = await counts();
    const err = await expectSqlError(() => adjust(db.asRole(role), db.fixture.customerIds.thai, 10, "goodwill", "try", newKey(role)));
    expect(err.code).toBe("42501");
    expect(err.message).toMatch(/only support or finance may adjust credits/);
    expect(await counts()).toEqual(before);
  });

  it("anon may not call adjust_credits, approve, reject or set_credit_limit", async () => {
    for (const sql of [
      "select public.adjust_credits(null, 1, 'goodwill', 'n', 'anon-key-1')",
      "select public.approve_credit_adjustment(null, null)",
      "select public.reject_credit_adjustment(null, 'n')",
      "select public.set_credit_limit('support', 1, 1)",
    ]) {
      const err = await expectSqlError(() => db.asAnon().query(sql));
      expect(err.code).toBe("42501");
    }
  });

  it.each(["support", "finance"] as const)("%s adjusts within its limit: applied at once with a ledger row naming the actor and key", async (role) => {
    const customer = db.fixture.customerIds.international;
    const balance = await balanceOf(customer);
    const key = newKey(role);
    const row = await adjust(db.asRole(role), customer, 40, "goodwill", `  sorry for the wait (${role})  `, key);
    expect(row).toMatchObject({ status: "applied", pending_reason: null, amount: 40, note: `sorry for the wait (${role})`, decided_by: null });
    expect(await balanceOf(customer)).toBe(balance + 40);
    const { rows } = await db.engine.query<{ amount: number; reason: string; actor_staff_id: string; idempotency_key: string }>(
      "select amount, reason, actor_staff_id, idempotency_key from public.credit_ledger where id = $1",
      [row.ledger_entry_id],
    );
    expect(rows[0]).toEqual({ amount: 40, reason: "goodwill", actor_staff_id: db.staffIds[`${role}@m-factory.test`], idempotency_key: `credit_adjustment:${key}` });
    const audit = await db.engine.query<{ action: string }>("select action from public.audit_log where table_name = 'credit_adjustments' and record_id = $1", [row.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(["credits.adjustment_requested"]);
  });

  it.each(["support", "dpo", "admin", "auditor"] as const)("%s may neither approve nor reject a pending adjustment (42501)", async (role) => {
    const pending = await adjust(db.asRole("support"), db.fixture.customerIds.thai, 501, "promotion", "campaign", newKey("deny"));
    expect(pending.status).toBe("pending");
    const before = await counts();
    const approve = await expectSqlError(() => db.asRole(role).query("select public.approve_credit_adjustment($1, 'ok')", [pending.id]));
    expect(approve.code).toBe("42501");
    const reject = await expectSqlError(() => db.asRole(role).query("select public.reject_credit_adjustment($1, 'no')", [pending.id]));
    expect(reject.code).toBe("42501");
    expect(await counts()).toEqual(before);
  });

  it("nobody writes the ledger, adjustments or limits directly, not even finance", async () => {
    for (const sql of [
      "insert into public.credit_ledger (customer_id, amount, reason) values ($1, 5, 'goodwill')",
      "insert into public.credit_adjustments (customer_id, amount, reason, note, idempotency_key, requested_by) values ($1, 5, 'goodwill', 'n', 'direct-key-1', (select public.current_staff_id()))",
    ]) {
      const err = await expectSqlError(() => db.asRole("finance").query(sql, [db.fixture.customerIds.thai]));
      expect(err.code).toBe("42501");
    }
    const err = await expectSqlError(() => db.asRole("admin").query("update public.credit_limits set per_adjustment_max = 99999"));
    expect(err.code).toBe("42501");
  });
});

describe("limits", () => {
  it("support: 500 per adjustment applies at once, 501 (or -501) waits as pending with nothing in the ledger", async () => {
    const customer = db.fixture.customerIds.thai;
    const { session } = await addStaff(db, "user_limitSupportA", "support");
    const balance = await balanceOf(customer);
    const atLimit = await adjust(session, customer, 500, "goodwill", "at the limit", newKey("lim"));
    expect(atLimit.status).toBe("applied");
    const above = await adjust(session, customer, 501, "goodwill", "above the limit", newKey("lim"));
    expect(above).toMatchObject({ status: "pending", pending_reason: "over_per_adjustment_limit", ledger_entry_id: null });
    const negativeAbove = await adjust(session, customer, -501, "refund_clawback", "above the limit, negative", newKey("lim"));
    expect(negativeAbove).toMatchObject({ status: "pending", pending_reason: "over_per_adjustment_limit" });
    expect(await balanceOf(customer)).toBe(balance + 500);
  });

  it("support: the daily total (2000) counts applied adjustments of either sign; the one crossing it waits", async () => {
    const customer = db.fixture.customerIds.thai;
    const { session } = await addStaff(db, "user_limitSupportB", "support");
    const balance = await balanceOf(customer);
    for (const amount of [500, -500, 500, 400]) {
      expect((await adjust(session, customer, amount, "correction", "daily limit walk", newKey("day"))).status).toBe("applied");
    }
    const crossing = await adjust(session, customer, 101, "goodwill", "crosses 2000", newKey("day"));
    expect(crossing).toMatchObject({ status: "pending", pending_reason: "over_daily_limit" });
    const fitting = await adjust(session, customer, 100, "goodwill", "exactly 2000", newKey("day"));
    expect(fitting.status).toBe("applied");
    expect(await balanceOf(customer)).toBe(balance + 1000);
  });

  it("limits are data: an admin lowers support's limit and the next adjustment obeys it; finance may change support's but not its own", async () => {
    const { session } = await addStaff(db, "user_limitSupportC", "support");
    const { rows } = await db.asRole("admin").query<{ per_adjustment_max: number; per_day_max: number }>(
      "select * from public.set_credit_limit('support', 50, 200)",
    );
    expect(rows[0]).toMatchObject({ per_adjustment_max: 50, per_day_max: 200 });
    try {
      const row = await adjust(session, db.fixture.customerIds.thai, 60, "goodwill", "above the lowered limit", newKey("cfg"));
      expect(row.pending_reason).toBe("over_per_adjustment_limit");
      const viaFinance = await db.asRole("finance").query<{ per_adjustment_max: number }>("select * from public.set_credit_limit('support', 500, 2000)");
      expect(viaFinance.rows[0]!.per_adjustment_max).toBe(500);
      const before = await counts();
      const own = await expectSqlError(() => db.asRole("finance").query("select public.set_credit_limit('finance', 100000, 200000)"));
      expect(own.code).toBe("42501");
      const bySupport = await expectSqlError(() => db.asRole("support").query("select public.set_credit_limit('support', 1000, 2000)"));
      expect(bySupport.code).toBe("42501");
      const bad = await expectSqlError(() => db.asRole("admin").query("select public.set_credit_limit('support', 600, 500)"));
      expect(bad.code).toBe("22023");
      const noRow = await expectSqlError(() => db.asRole("admin").query("select public.set_credit_limit('dpo', 1, 1)"));
      expect(noRow.code).toBe("22023");
      expect(await counts()).toEqual(before);
      const limitAudit = await db.engine.query<{ n: number }>("select count(*)::int as n from public.audit_log where action = 'credits.limit_set'");
      expect(limitAudit.rows[0]!.n).toBe(2);
    } finally {
      await db.engine.query("update public.credit_limits set per_adjustment_max = 500, per_day_max = 2000 where role = 'support'");
    }
  });

  it("every staff role reads the limits", async () => {
    for (const role of ["dpo", "support", "finance", "admin", "auditor"] as const) {
      const { rows } = await db.asRole(role).query<{ role: string }>("select role from public.credit_limits order by role");
      expect(rows.map((r) => r.role)).toEqual(["support", "finance"]);
    }
  });
});

describe("approval by a second finance user", () => {
  let financeTwo: SqlSession;
  let financeTwoId: string;
  beforeAll(async () => {
    const added = await addStaff(db, "user_financeTwo", "finance");
    financeTwo = added.session;
    financeTwoId = added.id;
  });

  it("finance approves support's pending adjustment: one ledger row by the approver, balance moved, audited", async () => {
    const customer = db.fixture.customerIds.international;
    const pending = await adjust(db.asRole("support"), customer, 800, "failed_generation", "three failed renders", newKey("appr"));
    const balance = await balanceOf(customer);
    const { rows } = await db.asRole("finance").query<Adjustment>("select * from public.approve_credit_adjustment($1, 'checked the renders')", [pending.id]);
    expect(rows[0]).toMatchObject({ status: "applied", decided_by: db.staffIds["finance@m-factory.test"], decision_note: "checked the renders" });
    expect(await balanceOf(customer)).toBe(balance + 800);
    const ledger = await db.engine.query<{ actor_staff_id: string; amount: number }>("select actor_staff_id, amount from public.credit_ledger where id = $1", [rows[0]!.ledger_entry_id]);
    expect(ledger.rows[0]).toEqual({ actor_staff_id: db.staffIds["finance@m-factory.test"], amount: 800 });
    const audit = await db.engine.query<{ action: string }>("select action from public.audit_log where record_id = $1 order by id", [pending.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(["credits.adjustment_requested", "credits.adjustment_approved"]);
  });

  it("finance cannot approve or reject its own request; another finance user can", async () => {
    const own = await adjust(db.asRole("finance"), db.fixture.customerIds.international, 6000, "promotion", "partner deal", newKey("own"));
    expect(own).toMatchObject({ status: "pending", pending_reason: "over_per_adjustment_limit" });
    const before = await counts();
    for (const fn of ["approve_credit_adjustment", "reject_credit_adjustment"]) {
      const err = await expectSqlError(() => db.asRole("finance").query(`select public.${fn}($1, 'mine')`, [own.id]));
      expect(err.code).toBe("42501");
      expect(err.message).toMatch(/nobody decides their own credit adjustment/);
    }
    expect(await counts()).toEqual(before);
    const { rows } = await financeTwo.query<Adjustment>("select * from public.approve_credit_adjustment($1, null)", [own.id]);
    expect(rows[0]).toMatchObject({ status: "applied", decided_by: financeTwoId });
  });

  it("a decided adjustment cannot be approved or rejected again (PT409, nothing written)", async () => {
    const pending = await adjust(db.asRole("support"), db.fixture.customerIds.thai, 700, "goodwill", "twice", newKey("twice"));
    await db.asRole("finance").query("select public.approve_credit_adjustment($1, 'first')", [pending.id]);
    const before = await counts();
    for (const [session, fn] of [[db.asRole("finance"), "approve_credit_adjustment"], [financeTwo, "approve_credit_adjustment"], [financeTwo, "reject_credit_adjustment"]] as const) {
      const err = await expectSqlError(() => session.query(`select public.${fn}($1, 'again')`, [pending.id]));
      expect(err.code).toBe("PT409");
      expect(err.message).toMatch(/already applied/);
    }
    expect(await counts()).toEqual(before);
  });

  it("reject needs a note, writes nothing to the ledger, and a rejected one cannot then be approved", async () => {
    const customer = db.fixture.customerIds.thai;
    const pending = await adjust(db.asRole("support"), customer, 900, "promotion", "not approved", newKey("rej"));
    const balance = await balanceOf(customer);
    const noNote = await expectSqlError(() => db.asRole("finance").query("select public.reject_credit_adjustment($1, '  ')", [pending.id]));
    expect(noNote.code).toBe("22023");
    const { rows } = await db.asRole("finance").query<Adjustment>("select * from public.reject_credit_adjustment($1, 'outside the campaign')", [pending.id]);
    expect(rows[0]).toMatchObject({ status: "rejected", ledger_entry_id: null, decision_note: "outside the campaign" });
    const again = await expectSqlError(() => financeTwo.query("select public.approve_credit_adjustment($1, null)", [pending.id]));
    expect(again.code).toBe("PT409");
    expect(await balanceOf(customer)).toBe(balance);
  });

  it("a rejection is audited, and an approved large adjustment does not use up the requester's daily allowance", async () => {
    const { session } = await addStaff(db, "user_limitSupportD", "support");
    const customer = db.fixture.customerIds.international;
    const big = await adjust(session, customer, 1900, "goodwill", "big one", newKey("allow"));
    const other = await adjust(session, customer, 700, "goodwill", "another big one", newKey("allow"));
    await db.asRole("finance").query("select public.approve_credit_adjustment($1, null)", [big.id]);
    await db.asRole("finance").query("select public.reject_credit_adjustment($1, 'not needed')", [other.id]);
    const audit = await db.engine.query<{ action: string }>("select action from public.audit_log where record_id = $1 order by id", [other.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(["credits.adjustment_requested", "credits.adjustment_rejected"]);
    // Only adjustments applied at once count: the full 2000 is still available today.
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await adjust(session, customer, 500, "goodwill", `allowance ${i}`, newKey("allow"))).status);
    expect(statuses).toEqual(["applied", "applied", "applied", "applied"]);
  });

  it("unknown or missing adjustment id: PT404 / 22023", async () => {
    const unknown = await expectSqlError(() => db.asRole("finance").query("select public.approve_credit_adjustment(gen_random_uuid(), null)"));
    expect(unknown.code).toBe("PT404");
    const missing = await expectSqlError(() => db.asRole("finance").query("select public.reject_credit_adjustment(null, 'n')"));
    expect(missing.code).toBe("22023");
  });
});

describe("idempotency", () => {
  it("the same key twice returns the first result and adds one ledger entry", async () => {
    const customer = db.fixture.customerIds.thai;
    const key = newKey("idem");
    const balance = await balanceOf(customer);
    const first = await adjust(db.asRole("support"), customer, 25, "goodwill", "retry me", key);
    const before = await counts();
    const second = await adjust(db.asRole("support"), customer, 25, "goodwill", "retry me", key);
    expect(second).toEqual(first);
    expect(await counts()).toEqual(before);
    expect(await balanceOf(customer)).toBe(balance + 25);
  });

  it("a retried pending submit returns the pending row without a second request", async () => {
    const key = newKey("idem-pending");
    const first = await adjust(db.asRole("support"), db.fixture.customerIds.thai, 600, "goodwill", "big", key);
    const before = await counts();
    expect(await adjust(db.asRole("support"), db.fixture.customerIds.thai, 600, "goodwill", "big", key)).toEqual(first);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["another amount", { amount: 26 }],
    ["another reason", { reason: "promotion" }],
    ["another note", { note: "different" }],
    ["another customer", { customer: "international" }],
  ] as const)("the same key with %s is an error (23505) and writes nothing", async (_label, change) => {
    const key = newKey("idem-diff");
    await adjust(db.asRole("support"), db.fixture.customerIds.thai, 25, "goodwill", "original", key);
    const before = await counts();
    const p = { amount: 25, reason: "goodwill", note: "original", customer: "thai" as "thai" | "international", ...change };
    const err = await expectSqlError(() => adjust(db.asRole("support"), db.fixture.customerIds[p.customer], p.amount, p.reason, p.note, key));
    expect(err.code).toBe("23505");
    expect(err.message).toMatch(/already used for a different adjustment/);
    expect(err.hint).toBe("Use a new key for a new adjustment; reuse a key only to retry the same submit.");
    expect(await counts()).toEqual(before);
  });

  it("another staff member reusing someone's key gets an error, not their result", async () => {
    const key = newKey("idem-other");
    await adjust(db.asRole("support"), db.fixture.customerIds.thai, 25, "goodwill", "mine", key);
    const err = await expectSqlError(() => adjust(db.asRole("finance"), db.fixture.customerIds.thai, 25, "goodwill", "mine", key));
    expect(err.code).toBe("23505");
  });
});

describe("balance never goes negative except through an approved correction", () => {
  it("a debit below zero is refused (PT409) for every reason but correction, nothing written", async () => {
    const customer = db.fixture.customerIds.restricted;
    await adjust(db.asRole("support"), customer, 30, "goodwill", "start", newKey("neg"));
    const balance = await balanceOf(customer);
    expect(balance).toBe(30);
    const before = await counts();
    for (const reason of ["goodwill", "failed_generation", "promotion", "refund_clawback"]) {
      for (const role of ["support", "finance"] as const) {
        const err = await expectSqlError(() => adjust(db.asRole(role), customer, -31, reason, "too much", newKey("neg")));
        expect(err.code).toBe("PT409");
        expect(err.message).toMatch(/cannot go below zero/);
      }
    }
    expect(await counts()).toEqual(before);
    expect((await adjust(db.asRole("support"), customer, -30, "refund_clawback", "down to zero", newKey("neg"))).status).toBe("applied");
    expect(await balanceOf(customer)).toBe(0);
  });

  it("a correction below zero waits for approval even within the limit, then applies", async () => {
    const customer = db.fixture.customerIds.restricted;
    const balance = await balanceOf(customer);
    const pending = await adjust(db.asRole("support"), customer, -(balance + 5), "correction", "double grant last month", newKey("neg-corr"));
    expect(pending).toMatchObject({ status: "pending", pending_reason: "negative_balance_correction" });
    expect(await balanceOf(customer)).toBe(balance);
    await db.asRole("finance").query("select public.approve_credit_adjustment($1, 'confirmed double grant')", [pending.id]);
    expect(await balanceOf(customer)).toBe(-5);
  });

  it("approving a pending debit that the balance no longer covers is refused; it stays pending", async () => {
    const customer = db.fixture.customerIds.international;
    const balance = await balanceOf(customer);
    const pending = await adjust(db.asRole("support"), customer, -501, "refund_clawback", "claw back", newKey("neg-late"));
    expect(pending.status).toBe("pending");
    // The balance drops below 501 meanwhile (a generation spends it).
    await db.engine.query("insert into public.credit_ledger (customer_id, amount, reason) values ($1, $2, 'generation')", [customer, -(balance - 500)]);
    const before = await counts();
    const err = await expectSqlError(() => db.asRole("finance").query("select public.approve_credit_adjustment($1, null)", [pending.id]));
    expect(err.code).toBe("PT409");
    expect(await counts()).toEqual(before);
    const { rows } = await db.engine.query<{ status: string }>("select status from public.credit_adjustments where id = $1", [pending.id]);
    expect(rows[0]!.status).toBe("pending");
  });
});

describe("bad input: a clear error and nothing written", () => {
  const thai = () => db.fixture.customerIds.thai;
  it.each([
    ["zero amount", () => [thai(), 0, "goodwill", "n", newKey("bad")], "22023", /amount must be a non-zero/],
    ["null amount", () => [thai(), null, "goodwill", "n", newKey("bad")], "22023", /amount must be a non-zero/],
    ["absurd amount", () => [thai(), 5_000_000, "goodwill", "n", newKey("bad")], "22023", /amount must be a non-zero/],
    ["unknown reason", () => [thai(), 10, "bonus", "n", newKey("bad")], "22023", /reason must be one of/],
    ["ledger-only reason", () => [thai(), 10, "purchase", "n", newKey("bad")], "22023", /reason must be one of/],
    ["missing note", () => [thai(), 10, "goodwill", null, newKey("bad")], "22023", /a note .* is required/],
    ["blank note", () => [thai(), 10, "goodwill", "   ", newKey("bad")], "22023", /a note .* is required/],
    ["missing key", () => [thai(), 10, "goodwill", "n", null], "22023", /idempotency key is required/],
    ["too short key", () => [thai(), 10, "goodwill", "n", "abc"], "22023", /idempotency key is required/],
    ["missing customer", () => [null, 10, "goodwill", "n", newKey("bad")], "22023", /customer is required/],
    ["unknown customer", () => ["00000000-0000-4000-8000-000000000000", 10, "goodwill", "n", newKey("bad")], "PT404", /does not exist/],
  ] as const)("%s", async (_label, args, code, message) => {
    const before = await counts();
    const err = await expectSqlError(() => db.asRole("support").query("select public.adjust_credits($1, $2, $3, $4, $5)", [...args()]));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it("a deleted (erased) customer cannot be adjusted (PT409)", async () => {
    const { rows } = await db.engine.query<{ id: string }>(
      "insert into public.customers (clerk_user_id, email, deleted_at) values ('user_goneCredits1', 'gone@example.com', now()) returning id",
    );
    const before = await counts();
    const err = await expectSqlError(() => adjust(db.asRole("finance"), rows[0]!.id, 10, "goodwill", "n", newKey("gone")));
    expect(err.code).toBe("PT409");
    expect(err.message).toMatch(/is deleted/);
    expect(await counts()).toEqual(before);
  });

  it("a malformed customer id is refused by the type before anything runs", async () => {
    const before = await counts();
    const err = await expectSqlError(() => db.asRole("support").query("select public.adjust_credits($1, 10, 'goodwill', 'n', $2)", ["not-a-uuid", newKey("bad")]));
    expect(err.code).toBe("22P02");
    expect(await counts()).toEqual(before);
  });
});

// Separate connections are needed for real concurrency: PGlite has a single one.
describe.runIf(Boolean(process.env.DATABASE_URL))("credits under concurrency on a real server", () => {
  const server = openBeforeAll(createTestDatabase);

  it("20 concurrent adjustments with distinct keys add up to the exact sum, one ledger row each", async () => {
    const customer = server.fixture.customerIds.international;
    const balance = await balanceOf(customer, server);
    const before = await counts(server);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        adjust(server.asRole("finance"), customer, 10 + i, "promotion", `concurrent ${i}`, `concurrent-distinct-${i.toString().padStart(2, "0")}`),
      ),
    );
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    const expectedSum = Array.from({ length: 20 }, (_, i) => 10 + i).reduce((a, b) => a + b, 0);
    expect(await balanceOf(customer, server)).toBe(balance + expectedSum);
    const after = await counts(server);
    expect(after.ledger - before.ledger).toBe(20);
    expect(after.adjustments - before.adjustments).toBe(20);
  });

  it("20 concurrent submits of one key produce one adjustment and one ledger row", async () => {
    const customer = server.fixture.customerIds.thai;
    const balance = await balanceOf(customer, server);
    const before = await counts(server);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => adjust(server.asRole("support"), customer, 15, "goodwill", "double click", "concurrent-same-key-0001")),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const after = await counts(server);
    expect([after.ledger - before.ledger, after.adjustments - before.adjustments]).toEqual([1, 1]);
    expect(await balanceOf(customer, server)).toBe(balance + 15);
  });

  it("support's daily limit holds under concurrency across customers: 20 × 150 concurrently → 13 applied (1950), 7 pending", async () => {
    const { session } = await addStaff(server, "user_concurrentSupport", "support");
    // Spread over every customer so the per-customer lock alone cannot serialize the burst.
    const customers = Object.values(server.fixture.customerIds);
    const totalBalance = async () => (await Promise.all(customers.map((c) => balanceOf(c, server)))).reduce((a, b) => a + b, 0);
    const balance = await totalBalance();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        adjust(session, customers[i % customers.length]!, 150, "goodwill", `burst ${i}`, `concurrent-daily-${i.toString().padStart(2, "0")}`),
      ),
    );
    const applied = results.filter((r) => r.status === "applied");
    const pending = results.filter((r) => r.status === "pending");
    expect([applied.length, pending.length]).toEqual([13, 7]);
    expect(pending.every((r) => r.pending_reason === "over_daily_limit")).toBe(true);
    expect(await totalBalance()).toBe(balance + 1950);
  });

  it("20 concurrent debits of 10 against a balance of 100: exactly 10 apply, 10 are refused, the balance ends at 0", async () => {
    const { rows } = await server.engine.query<{ id: string }>(
      "insert into public.customers (clerk_user_id, email) values ('user_concurrentDebit1', 'debit@example.com') returning id",
    );
    const customer = rows[0]!.id;
    await adjust(server.asRole("finance"), customer, 100, "promotion", "starting balance", "concurrent-debit-start");
    // Five requesters, so the per-requester lock alone cannot serialize the debits.
    const requesters: SqlSession[] = [];
    for (let r = 0; r < 5; r++) requesters.push((await addStaff(server, `user_concurrentDebitor${r}`, "support")).session);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        adjust(requesters[i % 5]!, customer, -10, "refund_clawback", `debit ${i}`, `concurrent-debit-${i.toString().padStart(2, "0")}`),
      ),
    );
    const refused = outcomes.filter((o) => o.status === "rejected").map((o) => (o.reason as { code?: string }).code);
    expect(refused).toEqual(Array.from({ length: 10 }, () => "PT409"));
    expect(await balanceOf(customer, server)).toBe(0);
  });

  it("two finance users approving one adjustment at once: one succeeds, the other gets PT409, one ledger row", async () => {
    const two = await addStaff(server, "user_concurrentFinance", "finance");
    const pending = await adjust(server.asRole("support"), server.fixture.customerIds.thai, 700, "goodwill", "race", "concurrent-approve-0001");
    const before = await counts(server);
    const outcomes = await Promise.allSettled([
      server.asRole("finance").query("select public.approve_credit_adjustment($1, 'a')", [pending.id]),
      two.session.query("select public.approve_credit_adjustment($1, 'b')", [pending.id]),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const failure = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect((failure.reason as { code?: string }).code).toBe("PT409");
    expect((await counts(server)).ledger - before.ledger).toBe(1);
  });
});
