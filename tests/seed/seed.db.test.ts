/**
 * The seed generator on a real engine (PGlite; PostgreSQL 15 when DATABASE_URL is set): deterministic,
 * referentially sane, and the demo size covers every case the console displays.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../server/db/engine.ts";
import { prepareDatabase } from "../../server/db/migrate.ts";
import { DEMO_CUSTOMERS, DEMO_STAFF, refundsByPaymentIdFromDatabase, seed, type SeedSummary } from "../../server/seed/index.ts";
import { openMigratedEngine, tableHashes, type SeedTestEngine } from "./seed-engine.ts";

const NOW = new Date("2026-11-26T00:00:00.000Z");
const SEED = 20261126;
const policyText = readFileSync(path.resolve(__dirname, "../../server/seed/policies/privacy-policy-2026-05-12.md"), "utf8");

async function rows<T = Record<string, unknown>>(engine: Engine, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await engine.query<T>(sql, params)).rows;
}
async function value<T>(engine: Engine, sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await rows<{ v: T }>(engine, sql, params);
  return row!.v;
}
async function distinct(engine: Engine, sql: string): Promise<string[]> {
  return (await rows<{ v: string }>(engine, sql)).map((r) => String(r.v)).sort();
}

describe("seed: demo size", () => {
  let db: SeedTestEngine;
  let engine: Engine;
  let summary: SeedSummary;

  beforeAll(async () => {
    db = await openMigratedEngine();
    engine = db.engine;
    summary = await seed(engine, { customers: DEMO_CUSTOMERS, seed: SEED, now: NOW });
  });
  afterAll(async () => db?.close());

  it("reports the rows it inserted, matching the tables", async () => {
    expect(summary.rows.customers).toBe(DEMO_CUSTOMERS);
    expect(summary.rows.api_request_logs).toBe(DEMO_CUSTOMERS * 30);
    for (const table of ["customers", "projects", "generations", "assets", "payments", "credit_ledger", "refunds", "refund_stripe_ids", "credit_adjustments", "consent_events", "api_request_logs", "error_reports"] as const) {
      expect(await value<number>(engine, `select count(*)::int as v from public.${table}`), table).toBe(summary.rows[table]);
    }
  });

  it("creates the demo staff (one per role and a second finance user) with their roles", async () => {
    const staff = await rows<{ email: string; roles: string[] }>(
      engine,
      `select m.email, array_agg(r.role::text order by r.role) as roles
       from public.staff_members m join public.staff_roles r on r.staff_member_id = m.id group by m.email`,
    );
    expect(staff.map((s) => [s.email, s.roles]).sort()).toEqual(DEMO_STAFF.map((s) => [s.email, [...s.roles].sort()]).sort());
  });

  it("keeps every balance equal to its ledger sum and never negative at any point in time", async () => {
    const mismatched = await value<number>(
      engine,
      `select count(*)::int as v from (
         select c.id, coalesce(b.balance, 0) as balance, coalesce(sum(l.amount), 0) as total
         from public.customers c
         left join public.credit_balances b on b.customer_id = c.id
         left join public.credit_ledger l on l.customer_id = c.id
         group by c.id, b.balance) s
       where balance <> total`,
    );
    expect(mismatched).toBe(0);
    const lowest = await value<number>(
      engine,
      `select min(running)::int as v from (
         select sum(amount) over (partition by customer_id order by created_at, id) as running from public.credit_ledger) s`,
    );
    expect(lowest).toBeGreaterThanOrEqual(0);
  });

  it("gives every paying customer, subscription and payment its Stripe ids", async () => {
    const missingCustomerIds = await value<number>(
      engine,
      `select count(*)::int as v from public.customers c
       where (exists (select 1 from public.payments p where p.customer_id = c.id)
           or exists (select 1 from public.subscriptions s where s.customer_id = c.id))
         and not exists (select 1 from public.customer_stripe_ids i where i.customer_id = c.id)`,
    );
    expect(missingCustomerIds).toBe(0);
    expect(await value<number>(engine, `select count(*)::int as v from public.subscriptions s left join public.subscription_stripe_ids i on i.subscription_id = s.id where i.subscription_id is null`)).toBe(0);
    expect(await value<number>(engine, `select count(*)::int as v from public.payments p left join public.payment_stripe_ids i on i.payment_id = p.id where i.payment_id is null`)).toBe(0);
    expect(await value<number>(engine, `select count(*)::int as v from public.payments p join public.payment_stripe_ids i on i.payment_id = p.id where p.status = 'succeeded' and i.stripe_charge_id is null`)).toBe(0);
    const badFormats = await value<number>(
      engine,
      `select (select count(*) from public.customer_stripe_ids where stripe_customer_id !~ '^cus_[A-Za-z0-9]{14}$')
            + (select count(*) from public.payment_stripe_ids where stripe_payment_intent_id !~ '^pi_[A-Za-z0-9]{24}$')
            + (select count(*) from public.customers where clerk_user_id !~ '^user_[A-Za-z0-9]{27}$') as v`,
    );
    expect(Number(badFormats)).toBe(0);
  });

  it("refunds only succeeded payments, never more than the amount, and claws back at most the credits granted", async () => {
    expect(await value<number>(engine, `select count(*)::int as v from public.payments where amount_refunded > amount or (amount_refunded > 0 and status <> 'succeeded')`)).toBe(0);
    expect(await value<number>(engine, `select count(*)::int as v from public.payments where status <> 'succeeded' and credits_granted <> 0`)).toBe(0);
    const overClawed = await value<number>(
      engine,
      `select count(*)::int as v from public.credit_ledger l join public.payments p on p.id = l.payment_id
       where l.reason = 'refund_clawback' and (-l.amount > p.credits_granted or p.amount_refunded = 0)`,
    );
    expect(overClawed).toBe(0);
  });

  it("backs every refunded amount with refund rows: amount_refunded = the sum of refunds Stripe holds", async () => {
    const mismatched = await value<number>(
      engine,
      `select count(*)::int as v from public.payments p
       left join (select payment_id, sum(amount) as held from public.refunds
                  where status in ('pending', 'requires_action', 'succeeded') group by payment_id) r on r.payment_id = p.id
       where p.amount_refunded <> coalesce(r.held, 0)`,
    );
    expect(mismatched).toBe(0);
    // Never more reserved than the payment: remaining refundable >= 0.
    expect(
      await value<number>(
        engine,
        `select count(*)::int as v from public.payments p
         where p.amount < (select coalesce(sum(amount), 0) from public.refunds r where r.payment_id = p.id and r.status not in ('rejected', 'failed', 'canceled'))`,
      ),
    ).toBe(0);
    // Refunds Stripe knows have a re_ id; the others have none.
    expect(
      await value<number>(
        engine,
        `select count(*)::int as v from public.refunds r left join public.refund_stripe_ids s on s.refund_id = r.id
         where (s.refund_id is not null) <> (r.status in ('pending', 'requires_action', 'succeeded', 'failed', 'canceled'))`,
      ),
    ).toBe(0);
    // Each top-up clawback ledger row belongs to its refund, within what the refund asked for.
    expect(
      await value<number>(
        engine,
        `select count(*)::int as v from public.refunds r join public.credit_ledger l on l.id = r.clawback_ledger_entry_id
         where l.reason <> 'refund_clawback' or l.payment_id <> r.payment_id or -l.amount > r.clawback_credits
            or l.idempotency_key <> 'refund_clawback:' || r.id::text`,
      ),
    ).toBe(0);
    expect(await value<number>(engine, "select count(*)::int as v from public.refunds where clawback_ledger_entry_id is not null")).toBeGreaterThan(0);
    // Nobody approved their own refund; seeded history is requested by support and approved by finance.
    expect(
      await value<number>(engine, "select count(*)::int as v from public.refunds where requested_by in (first_approved_by, second_approved_by, rejected_by)"),
    ).toBe(0);
  });

  it("shows one refund in every status, both approval levels, and credit adjustments in every state", async () => {
    expect(await distinct(engine, "select distinct status as v from public.refunds")).toEqual(
      ["approved", "awaiting_approval", "canceled", "failed", "pending", "processing", "rejected", "requires_action", "succeeded"],
    );
    expect(await distinct(engine, "select distinct approvals_needed::text as v from public.refunds where status = 'awaiting_approval'")).toEqual(["1", "2"]);
    // A support request above the threshold with its first approval given, waiting for the second finance user.
    expect(
      await value<number>(engine, "select count(*)::int as v from public.refunds where status = 'awaiting_approval' and first_approved_by is not null and approvals_needed = 1"),
    ).toBe(1);
    // The payments above a second-approval threshold exist in several currencies.
    expect(
      await distinct(
        engine,
        `select distinct p.currency as v from public.payments p join public.refund_approval_thresholds t on t.currency = p.currency
         where p.amount > t.second_approval_above`,
      ),
    ).toEqual(["eur", "thb", "usd"]);
    expect(await distinct(engine, "select distinct currency as v from public.refunds")).toEqual(expect.arrayContaining(["thb", "usd", "eur", "jpy"]));
    expect(await distinct(engine, "select distinct reason as v from public.refunds")).toEqual(["duplicate", "fraudulent", "requested_by_customer"]);
    expect(await distinct(engine, "select distinct status as v from public.credit_adjustments")).toEqual(["applied", "pending", "rejected"]);
    expect(await value<number>(engine, "select count(*)::int as v from public.credit_adjustments where status = 'pending'")).toBeGreaterThanOrEqual(2);
  });

  it("gives the Stripe sandbox every refund Stripe knows, with its re_ id, and nothing else", async () => {
    const byPayment = await refundsByPaymentIdFromDatabase(engine);
    const inStripe = await value<number>(engine, "select count(*)::int as v from public.refund_stripe_ids");
    const all = [...byPayment.values()].flat();
    expect(all).toHaveLength(inStripe);
    expect(all.every((r) => /^re_[A-Za-z0-9]+$/.test(r.id ?? ""))).toBe(true);
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(["pending", "requires_action", "succeeded", "failed", "canceled"]));
    // Per payment, what the sandbox will hold as refunded equals the database's amount_refunded.
    const { rows: refunded } = await engine.query<{ id: string; amount_refunded: string }>(
      "select id, amount_refunded::text from public.payments where amount_refunded > 0",
    );
    for (const p of refunded) {
      const held = (byPayment.get(p.id) ?? []).filter((r) => ["pending", "requires_action", "succeeded"].includes(r.status)).reduce((a, r) => a + r.amount, 0);
      expect([p.id, held]).toEqual([p.id, Number(p.amount_refunded)]);
    }
  });

  it("credits each succeeded payment exactly once with its credits and debits each generation its cost", async () => {
    const paymentMismatch = await value<number>(
      engine,
      `select count(*)::int as v from public.payments p
       left join (
         select payment_id, count(*) as grants, sum(amount) as credited from public.credit_ledger
         where reason in ('purchase', 'subscription_grant') group by payment_id) l on l.payment_id = p.id
       where (p.status = 'succeeded' and (l.grants is distinct from 1 or l.credited <> p.credits_granted))
          or (p.status <> 'succeeded' and l.grants is not null)`,
    );
    expect(paymentMismatch).toBe(0);
    const generationMismatch = await value<number>(
      engine,
      `select count(*)::int as v from public.generations g
       left join (
         select generation_id,
                count(*) filter (where reason = 'generation') as debits,
                sum(amount) filter (where reason = 'generation') as debited,
                count(*) filter (where reason = 'failed_generation') as refunds
         from public.credit_ledger where generation_id is not null group by generation_id) l on l.generation_id = g.id
       where l.debits is distinct from 1 or l.debited <> -g.credits_cost or (g.status = 'failed') <> (l.refunds = 1)`,
    );
    expect(generationMismatch).toBe(0);
  });

  it("keeps rows consistent with their owners: keys, times, deletions and restrictions", async () => {
    const badKeys = await value<number>(
      engine,
      `select count(*)::int as v from public.assets a join public.customers c on c.id = a.customer_id
       where a.r2_key not like 'u/' || c.clerk_user_id || '/%' or (a.project_id is not null and a.r2_key not like '%/' || a.project_id || '/%')`,
    );
    expect(badKeys).toBe(0);
    const generationForeignProject = await value<number>(
      engine,
      `select count(*)::int as v from public.generations g join public.projects p on p.id = g.project_id where p.customer_id <> g.customer_id`,
    );
    expect(generationForeignProject).toBe(0);
    const liveAssetsOfDeleted = await value<number>(
      engine,
      `select count(*)::int as v from public.assets a join public.customers c on c.id = a.customer_id where c.deleted_at is not null and a.deleted_at is null`,
    );
    expect(liveAssetsOfDeleted).toBe(0);
    const futureOrBeforeSignup = await value<number>(
      engine,
      `select (select count(*) from public.customers where created_at > $1 or created_at < $1::timestamptz - interval '731 days')
            + (select count(*) from public.generations g join public.customers c on c.id = g.customer_id where g.created_at < c.created_at or g.created_at > $1)
            + (select count(*) from public.payments p join public.customers c on c.id = p.customer_id where p.created_at < c.created_at or p.created_at > $1)
            + (select count(*) from public.credit_ledger l join public.customers c on c.id = l.customer_id where l.created_at < c.created_at)
            + (select count(*) from public.generations g join public.customers c on c.id = g.customer_id where g.created_at > c.restricted_at)
            + (select count(*) from public.payments p join public.customers c on c.id = p.customer_id where p.kind = 'top_up' and p.created_at > c.restricted_at)
         as v`,
      [NOW.toISOString()],
    );
    expect(Number(futureOrBeforeSignup)).toBe(0);
  });

  it("records signup consent for everyone and the current policy with the published text", async () => {
    const missing = await value<number>(
      engine,
      `select count(*)::int as v from public.customers c where
         not exists (select 1 from public.consent_events e where e.customer_id = c.id and e.purpose = 'terms' and e.source = 'signup' and e.action = 'granted')
         or not exists (select 1 from public.consent_events e where e.customer_id = c.id and e.purpose = 'privacy_policy' and e.source = 'signup' and e.action = 'granted' and e.policy_version_id is not null)`,
    );
    expect(missing).toBe(0);
    // Issue 10: versions per document (the terms and the cookie policy are seeded beside the privacy policy).
    const policies = await rows<{ document: string; version: string; status: string; change_class: string | null; body_markdown: string; body_sha256: string }>(
      engine,
      "select document, version, status, change_class, body_markdown, body_sha256 from public.policy_versions order by document, version",
    );
    expect(policies.map((p) => [p.document, p.version, p.status, p.change_class])).toEqual([
      ["cookie_policy", "2025-08-15", "published", "notify"],
      ["privacy_policy", "2024-06-01", "superseded", "notify"],
      ["privacy_policy", "2025-08-15", "superseded", "notify"],
      ["privacy_policy", "2026-05-12", "published", "re_accept"],
      ["privacy_policy", "2026-12-15", "draft", null],
      ["terms", "2024-06-01", "superseded", "notify"],
      ["terms", "2026-05-12", "published", "notify"],
    ]);
    const current = policies.find((p) => p.document === "privacy_policy" && p.version === "2026-05-12");
    expect(current?.body_markdown).toBe(policyText);
    expect(current?.body_sha256).toBe(createHash("sha256").update(policyText, "utf8").digest("hex"));
  });

  it("keeps API logs inside the 90-day window, in monthly partitions, for live customers", async () => {
    const outside = await value<number>(
      engine,
      `select count(*)::int as v from public.api_request_logs where requested_at > $1 or requested_at < $1::timestamptz - interval '90 days'`,
      [NOW.toISOString()],
    );
    expect(outside).toBe(0);
    expect(await value<number>(engine, "select count(*)::int as v from public.api_request_logs_default")).toBe(0);
    const orphans = await value<number>(
      engine,
      `select count(*)::int as v from public.api_request_logs l left join public.customers c on c.id = l.customer_id
       where l.customer_id is not null and (c.id is null or c.deleted_at is not null or l.requested_at < c.created_at)`,
    );
    expect(orphans).toBe(0);
    const anonymousShare = await value<number>(engine, "select avg((customer_id is null)::int)::float8 as v from public.api_request_logs");
    expect(anonymousShare).toBeGreaterThan(0.01);
    expect(anonymousShare).toBeLessThan(0.1);
    expect(await value<number>(engine, `select count(*)::int as v from public.error_reports where occurred_at < $1::timestamptz - interval '30 days' or occurred_at > $1`, [NOW.toISOString()])).toBe(0);
  });

  it("contains every customer case the console shows", async () => {
    const c = (await rows<Record<string, number>>(
      engine,
      `select count(*) filter (where deleted_at is not null)::int as deleted,
              count(*) filter (where processing_restricted and restriction_reason is not null)::int as restricted,
              count(*) filter (where display_name ~ '[ก-๙]')::int as thai_script,
              count(*) filter (where display_name is null)::int as no_name,
              count(*) filter (where locale = 'th')::int as th,
              count(*) filter (where locale = 'en')::int as en,
              count(*) filter (where country = 'TH')::int as in_th,
              count(distinct country)::int as countries,
              count(*) filter (where email ~ '[^\\x00-\\x7f]')::int as non_ascii_emails
       from public.customers`,
    ))[0]!;
    expect(c.deleted).toBeGreaterThanOrEqual(1);
    expect(c.restricted).toBeGreaterThanOrEqual(1);
    expect(c.thai_script).toBeGreaterThanOrEqual(10);
    expect(c.no_name).toBeGreaterThanOrEqual(1);
    expect(c.th).toBeGreaterThanOrEqual(1);
    expect(c.en).toBeGreaterThanOrEqual(1);
    expect(c.in_th).toBeGreaterThan(DEMO_CUSTOMERS / 2);
    expect(c.countries).toBeGreaterThanOrEqual(6);
    expect(c.non_ascii_emails).toBe(0);
    expect(await value<number>(engine, "select count(*)::int as v from public.customers c where not exists (select 1 from public.customer_stripe_ids i where i.customer_id = c.id)")).toBeGreaterThan(0);
  });

  it("contains every money, usage and consent case the console shows", async () => {
    expect((await distinct(engine, "select distinct currency as v from public.payments")).length).toBeGreaterThanOrEqual(4);
    expect(await distinct(engine, "select distinct currency as v from public.payments")).toEqual(expect.arrayContaining(["thb", "usd", "eur"]));
    expect(await distinct(engine, "select distinct status as v from public.subscriptions")).toEqual(["active", "canceled", "incomplete", "past_due", "trialing", "unpaid"]);
    expect(await distinct(engine, "select distinct status as v from public.payments")).toEqual(expect.arrayContaining(["succeeded", "requires_payment_method", "requires_action", "canceled"]));
    expect(await distinct(engine, "select distinct kind as v from public.payments")).toEqual(["subscription", "top_up"]);
    expect(await value<number>(engine, "select count(*)::int as v from public.payments where amount_refunded = amount")).toBeGreaterThanOrEqual(1);
    expect(await value<number>(engine, "select count(*)::int as v from public.payments where amount_refunded > 0 and amount_refunded < amount")).toBeGreaterThanOrEqual(1);
    expect(await distinct(engine, "select distinct status as v from public.generations")).toEqual(["failed", "queued", "running", "succeeded"]);
    expect(await distinct(engine, "select distinct media as v from public.generations")).toEqual(["image", "music", "video"]);
    expect(await distinct(engine, "select distinct model as v from public.generations")).toEqual(expect.arrayContaining(["suno-v4.5", "nano-banana", "seedance-1-pro"]));
    expect(await distinct(engine, "select distinct kind as v from public.assets")).toEqual(["generated", "upload"]);
    expect(await distinct(engine, "select distinct reason as v from public.credit_ledger")).toEqual(
      ["correction", "failed_generation", "generation", "goodwill", "promotion", "purchase", "refund_clawback", "subscription_grant"],
    );
    expect(await value<number>(engine, "select count(*)::int as v from public.credit_ledger where reason in ('goodwill', 'correction') and actor_staff_id is null")).toBe(0);
    const consents = await distinct(engine, "select distinct purpose || ':' || action as v from public.consent_events");
    expect(consents).toEqual(expect.arrayContaining(["analytics:granted", "analytics:withdrawn", "marketing_email:granted", "marketing_email:withdrawn"]));
    // Issue 10: every action and every source, each event with its language and method.
    expect(await distinct(engine, "select distinct action as v from public.consent_events")).toEqual(["expired", "granted", "invalidated", "re_accepted", "refused", "withdrawn"]);
    expect(await distinct(engine, "select distinct source as v from public.consent_events")).toEqual(["banner", "console", "dsar", "reprompt", "settings", "signup"]);
    expect(await distinct(engine, "select distinct purpose as v from public.consent_events")).toEqual(["analytics", "cookie_policy", "marketing_email", "privacy_policy", "terms"]);
    expect(await distinct(engine, "select distinct language as v from public.consent_events")).toEqual(["en", "th"]);
    expect(await value<number>(engine, "select count(*)::int as v from public.consent_events where collection_method is null or language is null")).toBe(0);
    expect(await value<number>(engine, "select count(*)::int as v from public.customer_consents where purpose = 'analytics' and not granted")).toBeGreaterThanOrEqual(1);
    expect(await distinct(engine, "select distinct family(ip)::text as v from public.api_request_logs")).toEqual(["4", "6"]);
    const statusClasses = await distinct(engine, "select distinct (status_code / 100)::text as v from public.api_request_logs");
    expect(statusClasses).toEqual(["2", "4", "5"]);
    expect(await value<number>(engine, "select count(*)::int as v from public.api_request_logs where method = 'POST' and endpoint = '/v1/generations'")).toBeGreaterThan(0);
  });

  it("shows every retention state an hour after the seed's now, a hold in an erasure preview, and a backlog history", async () => {
    const at = new Date(NOW.getTime() + 3_600_000).toISOString();
    const states = Object.fromEntries(
      (await rows<{ category: string; state: string }>(engine, "select category, state from public.retention_status_at($1)", [at])).map((r) => [r.category, r.state]),
    );
    expect(states).toMatchObject({ payment_records: "compliant", generated_assets: "overdue", error_reports: "due", consent_logs: "held" });
    expect(new Set(Object.values(states))).toEqual(new Set(["compliant", "due", "overdue", "held"]));
    expect(summary.rows.legal_holds).toBe(3);
    expect(await value<number>(engine, "select count(*)::int as v from public.legal_holds where released_at is null")).toBe(2);
    // The erasure request in progress whose customer is held: its preview lists the held rows.
    const preview = await engine.transaction(async (tx) => {
      const dpo = DEMO_STAFF.find((s) => s.roles.includes("dpo"))!;
      await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: dpo.clerkUserId, role: "authenticated" })]);
      await tx.exec("set local role authenticated");
      const { rows: held } = await tx.query<{ action: string; reason: string }>(
        `select p.action, p.reason from public.dsar_requests r join public.legal_holds h on h.customer_id = r.customer_id
         cross join lateral public.dsar_erasure_preview(r.id) p where r.type = 'erasure' and r.status = 'in_progress'`,
      );
      return held;
    });
    expect(preview.filter((p) => p.action === "held").length).toBeGreaterThan(0);
    expect(preview.find((p) => p.action === "held")?.reason).toMatch(/Chargeback dispute/);
    // One dry run a day for the backlog chart, each with a row per category.
    expect(summary.rows.purge_runs).toBe(14);
    expect(await value<number>(engine, "select count(*)::int as v from public.purge_run_categories c join public.purge_runs r on r.id = c.run_id where r.started_via = 'seed'")).toBe(14 * 6);
  });

  it("rejects bad options with a clear error and writes nothing", async () => {
    const before = await value<number>(engine, "select count(*)::int as v from public.customers");
    await expect(seed(engine, { customers: 0 })).rejects.toThrow(/customers must be an integer from 1/);
    await expect(seed(engine, { customers: 2.5 })).rejects.toThrow(/customers must be an integer/);
    await expect(seed(engine, { customers: 5, seed: -1 })).rejects.toThrow(/seed must be an integer/);
    await expect(seed(engine, { customers: 5, now: new Date("not a date") })).rejects.toThrow(/now must be a valid Date/);
    expect(await value<number>(engine, "select count(*)::int as v from public.customers")).toBe(before);
  });

  it("rolls a failed run back whole: re-running the same seed collides on its ids and leaves nothing half-written", async () => {
    const before = await tableHashes(engine);
    await expect(seed(engine, { customers: 10, seed: SEED, now: NOW })).rejects.toThrow(/duplicate key/);
    expect(await tableHashes(engine)).toEqual(before);
  });
});

describe("seed: determinism", () => {
  const opened: SeedTestEngine[] = [];
  const hashes: Record<"first" | "again" | "otherSeed", Record<string, string>> = { first: {}, again: {}, otherSeed: {} };

  async function seededHashes(options: { customers: number; seed: number }): Promise<Record<string, string>> {
    const db = await openMigratedEngine();
    opened.push(db);
    await seed(db.engine, { ...options, now: NOW });
    return tableHashes(db.engine);
  }

  beforeAll(async () => {
    hashes.first = await seededHashes({ customers: 120, seed: 7 });
    hashes.again = await seededHashes({ customers: 120, seed: 7 });
    hashes.otherSeed = await seededHashes({ customers: 120, seed: 8 });
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  it("writes identical data, table by table, for the same seed and now", () => {
    expect(Object.keys(hashes.first).length).toBeGreaterThan(10);
    expect(hashes.again).toEqual(hashes.first);
  });

  it("writes different data for another seed, but the same staff and policy texts", () => {
    for (const table of ["customers", "generations", "payments", "credit_ledger", "api_request_logs"]) {
      expect(hashes.otherSeed[table], table).not.toBe(hashes.first[table]);
    }
    expect(hashes.otherSeed.staff_members).toBe(hashes.first.staff_members);
    expect(hashes.otherSeed.policy_versions).toBe(hashes.first.policy_versions);
  });
});

// Only meaningful when a real PostgreSQL is configured: the same seed must give the same rows on both engines.
if (process.env.DATABASE_URL) {
  describe("seed: PGlite and PostgreSQL agree", () => {
    it("writes identical data on both engines for the same seed and now", async () => {
      const onPostgres = await openMigratedEngine();
      const onPglite = await openEngine();
      try {
        await prepareDatabase(onPglite);
        await seed(onPostgres.engine, { customers: 150, seed: 11, now: NOW });
        await seed(onPglite, { customers: 150, seed: 11, now: NOW });
        expect(await tableHashes(onPglite)).toEqual(await tableHashes(onPostgres.engine));
      } finally {
        await onPglite.close();
        await onPostgres.close();
      }
    }, 120_000);
  });
}
