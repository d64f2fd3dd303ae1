/**
 * The shape of the customer list's plans through customer_directory under RLS (as support):
 * the page is read in created_at order from the index, and counting the list touches customers only.
 * (Why a search's count still reads every customer row under RLS: docs/roles.md, "Search under RLS".)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
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
afterAll(async () => {
  await db?.close();
});

async function plan(sql: string): Promise<PlanNode[]> {
  const { rows } = await db.asRole("support").query<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(`explain (format json) ${sql}`);
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
});
