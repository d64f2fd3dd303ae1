/**
 * The shape of the customer list's plans through customer_directory under RLS (as support):
 * the page is read in created_at order from the index, counting the list touches customers only, and
 * a selective search is answered from the trigram indexes (the test databases migrate as superuser, so
 * like/ilike are leakproof here; on Supabase they are not: docs/roles.md, "Search under RLS").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const db = openBeforeAll(createTestDatabase);
beforeAll(async () => {
  await db.engine.exec(`
    insert into public.customers (clerk_user_id, email, display_name, locale, country, created_at)
    select 'user_plan' || g, 'plan' || g || '@example.com', 'Plan Person ' || g, case when g % 3 = 0 then 'th' else 'en' end, 'TH',
           now() - make_interval(mins => g)
    from generate_series(1, 5000) g;
    insert into public.credit_ledger (customer_id, amount, reason)
    select id, 50, 'promotion' from public.customers where clerk_user_id like 'user_plan%' and created_at > now() - interval '300 minutes';
    insert into public.subscriptions (customer_id, plan, status)
    select id, 'creator', 'active' from public.customers where clerk_user_id like 'user_plan%' and created_at > now() - interval '100 minutes';
    analyze;`);
});

/** The plan's nodes, as support. `withoutSeqScan` asks which indexes are *eligible*, whatever the table size. */
async function plan(sql: string, withoutSeqScan = false): Promise<PlanNode[]> {
  const { rows } = await db.asRole("support").transaction(async (tx) => {
    if (withoutSeqScan) await tx.exec("set local enable_seqscan = off");
    return tx.query<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(`explain (format json) ${sql}`);
  });
  const raw = rows[0]!["QUERY PLAN"];
  const root = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
  const nodes: PlanNode[] = [];
  const walk = (n: PlanNode): void => {
    nodes.push(n);
    n.Plans?.forEach(walk);
  };
  walk(root[0].Plan);
  return nodes;
}

describe("customer list plans (customer_directory as support, 5,000 customers)", () => {
  it("the first page in created_at order is read from customers_created_at_idx, not a sequential scan", async () => {
    const nodes = await plan("select * from public.customer_directory where processing_restricted = false order by created_at desc limit 25");
    const onCustomers = nodes.filter((n) => n["Relation Name"] === "customers");
    expect(onCustomers.map((n) => [n["Node Type"], n["Index Name"]])).toEqual([["Index Scan", "customers_created_at_idx"]]);
  });

  it("the page still carries balance and current plan from their tables", async () => {
    const { rows } = await db.asRole("support").query<{ credit_balance: number; subscription_plan: string | null }>(
      "select credit_balance, subscription_plan from public.customer_directory where clerk_user_id like 'user_plan%' order by created_at desc limit 25",
    );
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.credit_balance === 50 && r.subscription_plan === "creator")).toBe(true);
  });

  it("counting the filtered list reads customers alone (no balance, Stripe or subscription lookups)", async () => {
    const nodes = await plan("select count(*) from public.customer_directory where processing_restricted = false and locale = 'en'");
    const relations = [...new Set(nodes.map((n) => n["Relation Name"]).filter(Boolean))];
    expect(relations).toEqual(["customers"]);
  });

  it("the count matches what support may see", async () => {
    const { rows } = await db.asRole("support").query<{ n: number }>("select count(*)::int as n from public.customer_directory where locale = 'en'");
    const owner = await db.engine.query<{ n: number }>("select count(*)::int as n from public.customers where locale = 'en'");
    expect(rows[0]!.n).toBe(owner.rows[0]!.n);
    expect(rows[0]!.n).toBeGreaterThan(3000);
  });

  it("like/ilike were marked leakproof by the migration (it ran as superuser)", async () => {
    const { rows } = await db.engine.query<{ proname: string; proleakproof: boolean }>(
      "select proname, proleakproof from pg_proc where oid in ('pg_catalog.textlike'::regproc, 'pg_catalog.texticlike'::regproc) order by proname",
    );
    expect(rows).toEqual([
      { proname: "texticlike", proleakproof: true },
      { proname: "textlike", proleakproof: true },
    ]);
  });

  // Under RLS a non-leakproof ilike is never an index condition, whatever the cost: with sequential
  // scans disabled the planner would then fall back to walking created_at. Seeing the trigram indexes
  // proves they are eligible; at 100k customers the planner picks them by cost (docs/roles.md).
  it("a search's count can be answered from the three trigram indexes under RLS", async () => {
    const nodes = await plan(
      `select count(*) from public.customer_directory
       where (email ilike '%plan4321@%' or display_name ilike '%plan4321@%' or clerk_user_id ilike '%plan4321@%')
         and processing_restricted = false`,
      true,
    );
    expect(nodes.some((n) => n["Node Type"] === "Seq Scan")).toBe(false);
    expect(nodes.filter((n) => n["Node Type"] === "Bitmap Index Scan").map((n) => n["Index Name"]).sort()).toEqual([
      "customers_clerk_user_id_trgm_idx",
      "customers_display_name_trgm_idx",
      "customers_email_trgm_idx",
    ]);
  });

  it("the search still returns only what support may see, and nothing to a role without customer access", async () => {
    const sql = "select email from public.customer_directory where email ilike '%plan4321@%' or display_name ilike '%plan4321@%'";
    const support = await db.asRole("support").query<{ email: string }>(sql);
    expect(support.rows).toEqual([{ email: "plan4321@example.com" }]);
    const auditor = await db.asRole("auditor").query(sql);
    expect(auditor.rows).toHaveLength(0);
  });
});
