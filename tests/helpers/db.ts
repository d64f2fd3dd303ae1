/**
 * Database test harness: a prepared database (bootstrap + migrations) with the five demo staff and
 * a small fixture touching every table, plus sessions that run SQL exactly as the REST layer does:
 * one transaction, `set local role authenticated|anon`, `request.jwt.claims` set for the caller.
 *
 * PGlite in memory by default; with DATABASE_URL, a uniquely named database is created on that
 * server for the calling test file and dropped on close().
 */
import { expect } from "vitest";
import pg from "pg";
import { openEngine, type Engine, type Queryable, type SqlResult } from "../../server/db/engine.ts";
import { bootstrapSupabaseRoles, migrate } from "../../server/db/migrate.ts";
import { DEMO_STAFF, type DemoStaffMember, type StaffRole } from "../../server/seed/staff.ts";

export const STAFF_ROLES: readonly StaffRole[] = ["dpo", "support", "finance", "admin", "auditor"];

/** Runs SQL as one identity. Each call is its own transaction, like one REST request. */
export interface SqlSession {
  readonly label: string;
  /** One statement; commits. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
  /** Several statements in one transaction; commits unless `fn` throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** One statement whose effects are rolled back afterwards (to probe a write without keeping it). */
  dryRun<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
}

export interface Fixture {
  customerIds: { thai: string; international: string; restricted: string };
  publishedPolicyId: string;
  draftPolicyId: string;
}

export interface TestDatabase {
  readonly engine: Engine;
  readonly kind: Engine["kind"];
  readonly fixture: Fixture;
  /** staff_members.id by demo email. */
  readonly staffIds: Readonly<Record<string, string>>;
  asStaff(emailOrClerkId: string): SqlSession;
  /** The demo staff member holding `role` (one per role). */
  asRole(role: StaffRole): SqlSession;
  /** A signed-in token whose sub is not (or no longer) active staff. */
  asSub(sub: string): SqlSession;
  asAnon(): SqlSession;
  close(): Promise<void>;
}

class Rollback<T> {
  constructor(readonly value: T) {}
}

function session(engine: Engine, label: string, role: "authenticated" | "anon", claims: object): SqlSession {
  const claimsJson = JSON.stringify(claims);
  const run = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> =>
    engine.transaction(async (tx) => {
      await tx.query("select set_config('request.jwt.claims', $1, true)", [claimsJson]);
      await tx.exec(`set local role ${role}`);
      return fn(tx);
    });
  return {
    label,
    query: (sql, params) => run((tx) => tx.query(sql, params)),
    transaction: run,
    async dryRun<Row>(sql: string, params?: unknown[]) {
      try {
        await run(async (tx) => {
          throw new Rollback(await tx.query<Row>(sql, params));
        });
      } catch (err) {
        if (err instanceof Rollback) return err.value as SqlResult<Row>;
        throw err;
      }
      throw new Error("dryRun: transaction unexpectedly committed");
    },
  };
}

export function findDemoStaff(emailOrClerkId: string): DemoStaffMember {
  const wanted = emailOrClerkId.trim().toLowerCase();
  const found = DEMO_STAFF.find((s) => s.email === wanted || s.clerkUserId.toLowerCase() === wanted);
  if (!found) throw new Error(`not a demo staff member: ${emailOrClerkId}`);
  return found;
}

export function demoStaffForRole(role: StaffRole): DemoStaffMember {
  const found = DEMO_STAFF.find((s) => s.roles.length === 1 && s.roles[0] === role);
  if (!found) throw new Error(`no demo staff member holds only ${role}`);
  return found;
}

/**
 * Creates a database for this test file on the server in `databaseUrl` (named `<prefix>_<pid>_<time>_<random>`, so
 * a left-over one says which suite made it); returns its URL and a dropper.
 */
export async function createServerDatabase(databaseUrl: string, prefix = "mfc_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The engine a test harness runs on: in-memory PGlite, or with DATABASE_URL a fresh database of its own on that
 * server, dropped on close — so every harness runs on both engines (`npm run test:db`).
 */
export async function openTestEngine(): Promise<Engine> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return openEngine();
  const database = await createServerDatabase(databaseUrl);
  const engine = await openEngine({ databaseUrl: database.url });
  return {
    ...engine,
    async close() {
      await engine.close();
      await database.drop();
    },
  };
}

/**
 * bootstrap.sql creates cluster-wide roles; test files starting together on one server may race on them (unique
 * violation, "tuple concurrently updated", serialization failure). Those collisions are retried.
 */
export async function bootstrapWithRetry(engine: Engine): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bootstrapSupabaseRoles(engine);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 6 || (code !== "23505" && code !== "XX000" && code !== "40001")) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

async function insertStaff(engine: Engine): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const s of DEMO_STAFF) {
    const { rows } = await engine.query<{ id: string }>(
      "insert into public.staff_members (clerk_user_id, email, display_name) values ($1, $2, $3) returning id",
      [s.clerkUserId, s.email, s.displayName],
    );
    const id = rows[0]!.id;
    ids[s.email] = id;
    for (const role of s.roles) {
      await engine.query("insert into public.staff_roles (staff_member_id, role) values ($1, $2)", [id, role]);
    }
  }
  return ids;
}

/** A few customers with a row in every table, inserted as the owner. */
async function insertFixture(engine: Engine): Promise<Fixture> {
  const one = async (sql: string, params: unknown[] = []): Promise<string> => {
    const { rows } = await engine.query<{ id: string }>(sql, params);
    return String(rows[0]!.id);
  };
  const customer = (clerk: string, email: string, name: string | null, locale: string, country: string) =>
    one(
      `insert into public.customers (clerk_user_id, email, display_name, locale, country, created_at)
       values ($1, $2, $3, $4, $5, now() - interval '30 days') returning id`,
      [clerk, email, name, locale, country],
    );
  const thai = await customer("user_fixThai01", "somsak.k@example.co.th", "Somsak Kittisak", "th", "TH");
  const international = await customer("user_fixIntl02", "jane.doe@example.com", "Jane Doe", "en", "GB");
  const restricted = await customer("user_fixRestr03", "restricted@example.net", null, "en", "US");
  await engine.query(
    `update public.customers set processing_restricted = true, restricted_at = now(), restriction_reason = 'DSAR restriction'
     where id = $1`,
    [restricted],
  );

  await engine.query("insert into public.customer_stripe_ids (customer_id, stripe_customer_id) values ($1, 'cus_FixThai01'), ($2, 'cus_FixIntl02')", [thai, international]);

  const project = await one(
    "insert into public.projects (customer_id, title, settings) values ($1, 'Songkran jingle', '{\"bpm\":120}') returning id",
    [thai],
  );
  await engine.query("insert into public.projects (customer_id, title) values ($1, 'Poster set')", [international]);
  const generation = await one(
    `insert into public.generations (customer_id, project_id, media, model, prompt, credits_cost)
     values ($1, $2, 'music', 'suno-v4.5', 'upbeat luk thung jingle', 10) returning id`,
    [thai, project],
  );
  await engine.query(
    `insert into public.generations (customer_id, media, model, prompt, credits_cost, status)
     values ($1, 'image', 'nano-banana', 'a cat poster', 4, 'failed')`,
    [international],
  );
  await engine.query(
    `insert into public.assets (customer_id, project_id, generation_id, kind, r2_key, content_type, size_bytes)
     values ($1, $2, $3, 'generated', 'gen/fix-thai/jingle.mp3', 'audio/mpeg', 2400000),
            ($1, $2, null, 'upload', 'up/fix-thai/reference.wav', 'audio/wav', 5100000)`,
    [thai, project, generation],
  );

  const subscription = await one(
    `insert into public.subscriptions (customer_id, plan, status, current_period_end, created_at)
     values ($1, 'pro', 'active', now() + interval '20 days', now() - interval '10 days') returning id`,
    [thai],
  );
  await engine.query(
    `insert into public.subscriptions (customer_id, plan, status, created_at, canceled_at)
     values ($1, 'creator', 'canceled', now() - interval '25 days', now() - interval '12 days')`,
    [thai],
  );
  await engine.query("insert into public.subscription_stripe_ids (subscription_id, stripe_subscription_id) values ($1, 'sub_FixThai01')", [subscription]);
  const payment = await one(
    `insert into public.payments (customer_id, subscription_id, kind, plan, amount, currency, status, credits_granted)
     values ($1, $2, 'subscription', 'pro', 59900, 'thb', 'succeeded', 500) returning id`,
    [thai, subscription],
  );
  await engine.query(
    `insert into public.payments (customer_id, kind, amount, currency, status, credits_granted)
     values ($1, 'top_up', 999, 'usd', 'succeeded', 100)`,
    [international],
  );
  await engine.query(
    "insert into public.payment_stripe_ids (payment_id, stripe_payment_intent_id, stripe_charge_id) values ($1, 'pi_FixThai01', 'ch_FixThai01')",
    [payment],
  );

  await engine.query(
    `insert into public.credit_ledger (customer_id, amount, reason, payment_id) values ($1, 500, 'subscription_grant', $2)`,
    [thai, payment],
  );
  await engine.query(
    `insert into public.credit_ledger (customer_id, amount, reason, generation_id) values ($1, -10, 'generation', $2)`,
    [thai, generation],
  );
  await engine.query(`insert into public.credit_ledger (customer_id, amount, reason) values ($1, 100, 'purchase')`, [international]);

  const publishedPolicyId = await one(
    `insert into public.policy_versions (version, title, body_markdown, status, effective_at, published_at)
     values ('2026-05-12', 'Privacy policy', '# Privacy policy', 'published', '2026-05-12', '2026-05-12') returning id`,
  );
  await engine.query(
    `insert into public.policy_versions (version, title, body_markdown, status, effective_at, published_at)
     values ('2025-01-01', 'Privacy policy', '# Old privacy policy', 'superseded', '2025-01-01', '2025-01-01')`,
  );
  const draftPolicyId = await one(
    `insert into public.policy_versions (version, title, body_markdown) values ('2027-01-01', 'Privacy policy', '# Draft') returning id`,
  );

  await engine.query(
    `insert into public.consent_events (customer_id, purpose, action, policy_version_id, source, ip)
     values ($1, 'privacy_policy', 'granted', $3, 'signup', '203.0.113.7'),
            ($1, 'marketing_email', 'granted', null, 'signup', '203.0.113.7'),
            ($2, 'privacy_policy', 'granted', $3, 'signup', '198.51.100.4'),
            ($2, 'analytics', 'withdrawn', null, 'settings', '198.51.100.4')`,
    [thai, international, publishedPolicyId],
  );

  // One row in the current month's partition and one old enough to land in the default partition.
  await engine.query(
    `insert into public.api_request_logs (customer_id, method, endpoint, status_code, ip, user_agent, requested_at)
     values ($1, 'POST', '/v1/generations', 201, '203.0.113.7', 'MFactory/2.1 iOS', now() - interval '1 day'),
            ($2, 'GET', '/v1/projects', 200, '198.51.100.4', 'Mozilla/5.0', '2020-01-15T00:00:00Z')`,
    [thai, international],
  );
  await engine.query(
    `insert into public.error_reports (customer_id, sentry_event_id, summary) values ($1, $2, 'generation timeout (redacted)')`,
    [thai, "0123456789abcdef0123456789abcdef"],
  );

  return { customerIds: { thai, international, restricted }, publishedPolicyId, draftPolicyId };
}

/**
 * An empty database of this test file's own (no bootstrap, no migrations): PGlite in memory, or with DATABASE_URL
 * a fresh one on that server (`databaseUrl` names it, for code that opens its own connections). close() drops it.
 */
export async function createEmptyDatabase(): Promise<{ engine: Engine; databaseUrl: string | undefined; close(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL || undefined;
  const server = serverUrl ? await createServerDatabase(serverUrl) : undefined;
  try {
    const engine = await openEngine({ databaseUrl: server?.url });
    return {
      engine,
      databaseUrl: server?.url,
      async close() {
        await engine.close();
        await server?.drop();
      },
    };
  } catch (err) {
    await server?.drop().catch(() => undefined);
    throw err;
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL || undefined;
  const server = serverUrl ? await createServerDatabase(serverUrl) : undefined;
  let engine: Engine | undefined;
  try {
    engine = await openEngine({ databaseUrl: server?.url });
    await bootstrapWithRetry(engine);
    await migrate(engine);
    const staffIds = await insertStaff(engine);
    const fixture = await insertFixture(engine);
    const e = engine;
    return {
      engine: e,
      kind: e.kind,
      fixture,
      staffIds,
      asStaff(who) {
        const s = findDemoStaff(who);
        return session(e, s.email, "authenticated", { sub: s.clerkUserId, role: "authenticated", email: s.email });
      },
      asRole(role) {
        const s = demoStaffForRole(role);
        return session(e, role, "authenticated", { sub: s.clerkUserId, role: "authenticated", email: s.email });
      },
      asSub(sub) {
        return session(e, `sub ${sub}`, "authenticated", { sub, role: "authenticated" });
      },
      asAnon() {
        return session(e, "anon", "anon", { role: "anon" });
      },
      async close() {
        await e.close();
        await server?.drop();
      },
    };
  } catch (err) {
    await engine?.close().catch(() => undefined);
    await server?.drop().catch(() => undefined);
    throw err;
  }
}

/** Adds an active staff member holding `role` (as the owner) and returns their id and a session for them. */
export async function addStaff(testDb: TestDatabase, clerkUserId: string, role: StaffRole): Promise<{ id: string; session: SqlSession }> {
  const { rows } = await testDb.engine.query<{ id: string }>(
    "insert into public.staff_members (clerk_user_id, email, display_name) values ($1, $2, $3) returning id",
    [clerkUserId, `${clerkUserId.toLowerCase()}@m-factory.test`, `Extra ${role}`],
  );
  const id = rows[0]!.id;
  await testDb.engine.query("insert into public.staff_roles (staff_member_id, role) values ($1, $2)", [id, role]);
  return { id, session: testDb.asSub(clerkUserId) };
}

/** A customer's credit balance as the owner reads it (0 without a balance row). */
export async function creditBalance(testDb: TestDatabase, customerId: string): Promise<number> {
  const { rows } = await testDb.engine.query<{ b: string }>(
    "select coalesce((select balance from public.credit_balances where customer_id = $1), 0)::text as b",
    [customerId],
  );
  return Number(rows[0]!.b);
}

/**
 * The service role, as server-side jobs and the customer app call the database: one statement in its own
 * transaction. `engine` is read at each call (suites open their database in beforeAll).
 */
export function serviceRoleSession(engine: () => Engine) {
  return {
    query: <Row = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      engine().transaction(async (tx: Queryable) => {
        await tx.exec("set local role service_role");
        return tx.query<Row>(sql, params);
      }),
  };
}

/** An idempotency key unique across the test run: `<prefix>-<label>-<sequence>-<random>`. */
export function idempotencyKeys(prefix: string): (label?: string) => string {
  let sequence = 0;
  return (label = "k") => {
    sequence += 1;
    return `${prefix}-${label}-${sequence.toString().padStart(4, "0")}-${Math.random().toString(36).slice(2, 8)}`;
  };
}

/** The SQLSTATE of a database error, or undefined when `err` is not one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Runs `fn` and returns the SQLSTATE it failed with; throws if it succeeded. */
/**
 * A refusal that leaves nothing behind: `fn` fails with SQLSTATE `code` (and a message matching `message`), and
 * `snapshot` — a suite's own read of what the refused act could have written — is the same before and after.
 */
export function refusalChecker(snapshot: () => Promise<unknown>) {
  return async function expectRefused(fn: () => Promise<unknown>, code: string, message?: RegExp): Promise<void> {
    const before = await snapshot();
    const err = await expectSqlError(fn);
    expect(err.code, err.message).toBe(code);
    if (message) expect(err.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  };
}

export async function expectSqlError(fn: () => Promise<unknown>): Promise<{ code: string; message: string; hint: string | null }> {
  try {
    await fn();
  } catch (err) {
    const code = sqlState(err);
    if (!code) throw err;
    return { code, message: (err as Error).message, hint: (err as { hint?: string }).hint ?? null };
  }
  throw new Error("expected a database error, but the statement succeeded");
}
