/**
 * The RLS matrix of docs/roles.md, cell by cell: every table and view × (five staff roles + anon)
 * × select/insert/update/delete, each case run as that identity the way the REST layer runs it.
 * Allowed reads must see exactly the rows the role is entitled to (compared with what the owner
 * sees); denied cases must fail the way Postgres really denies them: 42501 (no privilege or RLS
 * WITH CHECK), zero rows (RLS USING), or 55000 for writes to a non-updatable view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "../../server/seed/staff.ts";
import { createTestDatabase, demoStaffForRole, expectSqlError, STAFF_ROLES, type SqlSession } from "../helpers/db.ts";
import { insertDsarFixture } from "./dsar-fixture.ts";
import { insertReconciliationFixture, insertRefundFixture } from "./refunds-fixture.ts";
import { insertRetentionFixture } from "./retention-fixture.ts";
import { RLS_MATRIX, type MatrixTarget } from "./rls-matrix.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

type Identity = StaffRole | "anon";
type Operation = "select" | "insert" | "update" | "delete";
type Outcome =
  | { allowed: true; rule: string }
  | { allowed: false; rule: "error 42501" | "error 55000" | "zero rows" };

interface MatrixCase {
  target: MatrixTarget;
  identity: Identity;
  operation: Operation;
  outcome: Outcome;
}

const IDENTITIES: readonly Identity[] = [...STAFF_ROLES, "anon"];
const OPERATIONS: readonly Operation[] = ["select", "insert", "update", "delete"];

function expectedOutcome(target: MatrixTarget, identity: Identity, operation: Operation): Outcome {
  if (target.kind === "view" && operation !== "select") return { allowed: false, rule: "error 55000" };
  if (identity === "anon") return { allowed: false, rule: "error 42501" };
  switch (operation) {
    case "select": {
      const scope = target.read[identity];
      return scope === "none" ? { allowed: false, rule: "zero rows" } : { allowed: true, rule: `reads ${scope}` };
    }
    case "insert":
      // Both "permission denied" and an RLS WITH CHECK violation are 42501.
      return target.insert.includes(identity) ? { allowed: true, rule: "inserts a draft" } : { allowed: false, rule: "error 42501" };
    case "update":
      if (target.update.includes(identity)) return { allowed: true, rule: "updates drafts only" };
      // Where some role may update, the grant exists and RLS hides every row instead.
      return target.update.length > 0 ? { allowed: false, rule: "zero rows" } : { allowed: false, rule: "error 42501" };
    case "delete":
      return { allowed: false, rule: "error 42501" };
  }
}

const CASES: MatrixCase[] = RLS_MATRIX.flatMap((target) =>
  IDENTITIES.flatMap((identity) =>
    OPERATIONS.map((operation) => ({ target, identity, operation, outcome: expectedOutcome(target, identity, operation) })),
  ),
);

const db = openBeforeAll(createTestDatabase);
/** A column each table may be "updated" with (set c = c): not an identity or generated column. */
const updatableColumn = new Map<string, string>();

beforeAll(async () => {
  await insertDsarFixture(db);
  // Credits: one adjustment applied at once and one pending (over support's limit), made as support does.
  await db.asRole("support").query("select public.adjust_credits($1, 20, 'goodwill', 'matrix fixture', 'rls-matrix-applied-1')", [db.fixture.customerIds.international]);
  await db.asRole("support").query("select public.adjust_credits($1, 900, 'promotion', 'matrix fixture', 'rls-matrix-pending-1')", [db.fixture.customerIds.international]);
  // Refunds: one succeeded through Stripe (re_ id, webhook event) and one awaiting approval.
  await insertRefundFixture(db);
  await insertReconciliationFixture(db);
  // A recorded decline (owner, as the customer app's record_policy_decline would write it): the refusal, then the
  // decline that names it (the policy_declines_check trigger wants a refusal of that version, and its restriction).
  const { rows: refusal } = await db.engine.query<{ id: string }>(
    `insert into public.consent_events (customer_id, purpose, action, policy_version_id, source, occurred_at)
     select customer_id, purpose, 'refused', policy_version_id, 'reprompt', occurred_at + interval '1 day' from public.consent_events
     where policy_version_id is not null order by id limit 1 returning id`,
  );
  await db.engine.query(
    `insert into public.policy_declines (customer_id, policy_version_id, consent_event_id, account_restricted, declined_at)
     select e.customer_id, e.policy_version_id, e.id, v.document <> 'cookie_policy', e.occurred_at
     from public.consent_events e join public.policy_versions v on v.id = e.policy_version_id where e.id = $1`,
    [refusal[0]!.id],
  );
  await insertRetentionFixture(db);
  const { rows } = await db.engine.query<{ relname: string; attname: string }>(`
    select distinct on (c.relname) c.relname, a.attname
    from pg_class c join pg_attribute a on a.attrelid = c.oid
    where c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped
      and a.attidentity = '' and a.attgenerated = ''
    order by c.relname, a.attnum`);
  for (const r of rows) updatableColumn.set(r.relname, r.attname);
});

afterAll(async () => {
  const allowed = CASES.filter((c) => c.outcome.allowed).length;
  console.log(`RLS matrix: ${CASES.length} cases (${allowed} allowed, ${CASES.length - allowed} denied) on ${db?.kind}`);
});

function sessionFor(identity: Identity): SqlSession {
  return identity === "anon" ? db.asAnon() : db.asRole(identity);
}

function statementFor(target: MatrixTarget, operation: Operation): string {
  const t = `public.${target.name}`;
  switch (operation) {
    case "select":
      return `select * from ${t}`;
    case "insert":
      return target.name === "policy_versions"
        ? `insert into ${t} (version, title, body_markdown) values ('2027-06-01', 'Privacy policy', '# Draft 2')`
        : `insert into ${t} default values`;
    case "update": {
      // Issue 10: the dpo's update policy reaches published versions so that the immutability guard refuses them
      // clearly (PT409, tests/db/consent-records.db.test.ts); the matrix cell is the update of drafts.
      if (target.name === "policy_versions") return `update ${t} set title = title where status = 'draft'`;
      const column = updatableColumn.get(target.name) ?? "id";
      return `update ${t} set ${column} = ${column}`;
    }
    case "delete":
      return `delete from ${t}`;
  }
}

async function ownerCount(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.engine.query<{ n: number }>(`select count(*)::int as n from (${sql}) q`, params);
  return rows[0]!.n;
}

async function checkAllowed(c: MatrixCase, session: SqlSession, sql: string): Promise<void> {
  const t = `public.${c.target.name}`;
  if (c.operation === "select") {
    const { rows } = await session.query<Record<string, unknown>>(sql);
    const scope = c.target.read[c.identity as StaffRole];
    if (scope === "all") {
      const expected = await ownerCount(`select 1 from ${t}`);
      expect(expected, `fixture must have rows in ${c.target.name}`).toBeGreaterThan(0);
      expect(rows.length).toBe(expected);
    } else if (scope === "own") {
      const ownId = db.staffIds[demoStaffForRole(c.identity as StaffRole).email];
      const column = c.target.ownColumn!;
      expect(rows.length).toBe(await ownerCount(`select 1 from ${t} where ${column} = $1`, [ownId]));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r[column] === ownId)).toBe(true);
      expect(await ownerCount(`select 1 from ${t}`)).toBeGreaterThan(rows.length);
    } else if (scope === "published") {
      expect(rows.length).toBe(await ownerCount(`select 1 from ${t} where status <> 'draft'`));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r) => r.status === "draft")).toBe(false);
    } else {
      throw new Error(`unexpected read scope ${scope}`);
    }
    return;
  }
  const result = await session.dryRun(sql);
  if (c.operation === "insert") expect(result.rowCount).toBe(1);
  if (c.operation === "update") {
    const drafts = await ownerCount(`select 1 from ${t} where status = 'draft'`);
    expect(drafts).toBeGreaterThan(0);
    expect(result.rowCount).toBe(drafts);
  }
}

async function checkDenied(c: MatrixCase, session: SqlSession, sql: string): Promise<void> {
  const rule = c.outcome.rule;
  if (rule === "zero rows") {
    if (c.operation === "select") {
      expect(await ownerCount(`select 1 from public.${c.target.name}`), "fixture must have rows to hide").toBeGreaterThan(0);
      const { rows } = await session.query(sql);
      expect(rows).toHaveLength(0);
    } else {
      const result = await session.dryRun(sql);
      expect(result.rowCount).toBe(0);
    }
    return;
  }
  const err = await expectSqlError(() => session.dryRun(sql));
  expect(err.code).toBe(rule === "error 42501" ? "42501" : "55000");
}

describe("RLS matrix (docs/roles.md)", () => {
  it("covers every table and view × role and anon × operation", () => {
    expect(CASES).toHaveLength(RLS_MATRIX.length * IDENTITIES.length * OPERATIONS.length);
    expect(CASES.some((c) => c.outcome.allowed)).toBe(true);
  });

  it.each(CASES.map((c) => [c.target.name, c.identity, c.operation, c.outcome.allowed ? "allowed" : "denied", c.outcome.rule, c] as const))(
    "%s: %s %s is %s (%s)",
    async (_name, _identity, _op, _verdict, _rule, c) => {
      const session = sessionFor(c.identity);
      const sql = statementFor(c.target, c.operation);
      if (c.outcome.allowed) await checkAllowed(c, session, sql);
      else await checkDenied(c, session, sql);
    },
  );
});

describe("column-level limits through the security_invoker views", () => {
  it("support sees customers, balances and plans in customer_directory but every stripe_customer_id is null", async () => {
    const { rows } = await db.asRole("support").query<{ id: string; stripe_customer_id: string | null; credit_balance: number; subscription_plan: string | null }>(
      "select id, stripe_customer_id, credit_balance, subscription_plan from public.customer_directory",
    );
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.stripe_customer_id === null)).toBe(true);
    const thai = rows.find((r) => r.id === db.fixture.customerIds.thai);
    expect(thai?.credit_balance).toBe(490);
    expect(thai?.subscription_plan).toBe("pro");
  });

  it("finance and dpo see the stripe_customer_id in customer_directory", async () => {
    for (const role of ["finance", "dpo"] as const) {
      const { rows } = await db.asRole(role).query<{ stripe_customer_id: string | null }>(
        "select stripe_customer_id from public.customer_directory where id = $1",
        [db.fixture.customerIds.thai],
      );
      expect(rows).toEqual([{ stripe_customer_id: "cus_FixThai01" }]);
    }
  });

  it("support sees payments and subscriptions in the detail views with null Stripe ids; finance sees them", async () => {
    const support = db.asRole("support");
    const payments = await support.query<{ stripe_payment_intent_id: string | null; stripe_charge_id: string | null }>(
      "select stripe_payment_intent_id, stripe_charge_id from public.payment_details",
    );
    expect(payments.rows).toHaveLength(2);
    expect(payments.rows.every((r) => r.stripe_payment_intent_id === null && r.stripe_charge_id === null)).toBe(true);
    const subs = await support.query<{ stripe_subscription_id: string | null }>("select stripe_subscription_id from public.subscription_details");
    expect(subs.rows).toHaveLength(2);
    expect(subs.rows.every((r) => r.stripe_subscription_id === null)).toBe(true);

    const finance = db.asRole("finance");
    const pi = await finance.query<{ stripe_payment_intent_id: string | null }>(
      "select stripe_payment_intent_id from public.payment_details where stripe_payment_intent_id is not null",
    );
    expect(pi.rows).toEqual([{ stripe_payment_intent_id: "pi_FixThai01" }]);
    const sub = await finance.query<{ stripe_subscription_id: string | null }>(
      "select stripe_subscription_id from public.subscription_details where stripe_subscription_id is not null",
    );
    expect(sub.rows).toEqual([{ stripe_subscription_id: "sub_FixThai01" }]);
  });

  it("customer_directory reports the latest subscription as the current plan", async () => {
    const { rows } = await db.asRole("dpo").query<{ subscription_plan: string; subscription_status: string }>(
      "select subscription_plan, subscription_status from public.customer_directory where id = $1",
      [db.fixture.customerIds.thai],
    );
    expect(rows).toEqual([{ subscription_plan: "pro", subscription_status: "active" }]);
  });
});

describe("api_request_logs partitions", () => {
  it("the dpo reads rows of every partition (monthly and default) through the parent", async () => {
    const { rows } = await db.asRole("dpo").query<{ partition: string }>(
      "select tableoid::regclass::text as partition from public.api_request_logs order by requested_at",
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.partition).toBe("api_request_logs_default");
    expect(rows[1]!.partition).toMatch(/^api_request_logs_\d{4}_\d{2}$/);
  });

  it("a partition queried by name shows nothing, even to the dpo", async () => {
    const { rows: parts } = await db.engine.query<{ name: string }>(
      "select inhrelid::regclass::text as name from pg_inherits where inhparent = 'public.api_request_logs'::regclass",
    );
    expect(parts.length).toBeGreaterThan(1);
    for (const { name } of parts) {
      const { rows } = await db.asRole("dpo").query(`select * from ${name}`);
      expect(rows, name).toHaveLength(0);
    }
    const defaultRows = await db.engine.query("select 1 from public.api_request_logs_default");
    expect(defaultRows.rows.length).toBe(1);
  });

  it("partitions created later by ensure_api_request_log_partitions get RLS and no anon access", async () => {
    const created = await db.engine.query<{ n: number }>("select public.ensure_api_request_log_partitions('2031-01-01', 2) as n");
    expect(created.rows[0]!.n).toBe(2);
    const { rows } = await db.engine.query<{ relrowsecurity: boolean }>(
      "select relrowsecurity from pg_class where oid in ('public.api_request_logs_2031_01'::regclass, 'public.api_request_logs_2031_02'::regclass)",
    );
    expect(rows.map((r) => r.relrowsecurity)).toEqual([true, true]);
    const err = await expectSqlError(() => db.asAnon().query("select * from public.api_request_logs_2031_01"));
    expect(err.code).toBe("42501");
  });

  it("ensure_api_request_log_partitions is refused to API roles and rejects a bad month count", async () => {
    const denied = await expectSqlError(() => db.asRole("dpo").query("select public.ensure_api_request_log_partitions('2032-01-01', 1)"));
    expect(denied.code).toBe("42501");
    const bad = await expectSqlError(() => db.engine.query("select public.ensure_api_request_log_partitions('2032-01-01', 0)"));
    expect(bad.code).toBe("22023");
  });
});
