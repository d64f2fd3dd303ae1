/**
 * The DSAR queue at bench size (100,000 requests): the default page (open requests by due date, 25 a
 * page, with its count) and the usual filtered pages are answered from the deadline indexes, run as
 * the DPO through the security_invoker view — never a sequential scan of dsar_requests.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { seedDsarBench } from "../../server/seed/dsar.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { describePlan, planNodes, type PlanNode } from "../helpers/plans.ts";

const REQUESTS = 100_000;
const db = openBeforeAll(createTestDatabase);

beforeAll(async () => {
  // Subjects for the requests: 2,000 customers besides the fixture's three.
  await db.engine.query(
    `insert into public.customers (clerk_user_id, email, created_at)
     select 'user_bench' || i, 'bench' || i || '@example.org', now() - interval '400 days' from generate_series(1, 2000) i`,
  );
  const written = await seedDsarBench(db.engine, REQUESTS, { seed: 3 });
  expect(written.dsar_requests).toBe(REQUESTS);
  await db.engine.exec("analyze public.dsar_requests; analyze public.customers; analyze public.staff_members");
}, 600_000);

/** The plan of `sql` as the DPO, plus its run time. */
async function planAsDpo(sql: string, params: unknown[] = []): Promise<{ nodes: PlanNode[]; ms: number; rows: unknown[] }> {
  return db.asRole("dpo").transaction(async (tx) => {
    const nodes = await planNodes(tx, sql, params);
    const started = performance.now();
    const result = await tx.query(sql, params);
    return { nodes, ms: performance.now() - started, rows: result.rows };
  });
}

function expectNoSeqScanOnRequests(found: PlanNode[]): void {
  const seq = found.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "dsar_requests");
  expect(seq, describePlan(found)).toEqual([]);
  expect(found.some((n) => n["Relation Name"] === "dsar_requests")).toBe(true);
}

describe(`dsar_queue at ${REQUESTS.toLocaleString("en")} requests, as the DPO`, () => {
  it("the default page (open, by due date, 25) walks the open-deadline index", async () => {
    const page = await planAsDpo("select * from public.dsar_queue where is_open order by due_at, id limit 25");
    expectNoSeqScanOnRequests(page.nodes);
    expect(page.nodes.some((n) => n["Index Name"] === "dsar_requests_open_due_idx")).toBe(true);
    expect(page.rows).toHaveLength(25);
    console.log(`default page: ${page.ms.toFixed(1)} ms on ${db.kind}`);
  });

  it("the default page's count avoids a sequential scan", async () => {
    const counted = await planAsDpo("select count(*) from public.dsar_queue where is_open");
    expectNoSeqScanOnRequests(counted.nodes);
    console.log(`open count: ${counted.ms.toFixed(1)} ms on ${db.kind}`);
  });

  it.each([
    ["a status", "status = 'awaiting_verification'"],
    ["a type among open requests", "type = 'erasure' and is_open"],
    ["an assignee", "assignee_id = (select id from public.staff_members where email = 'dpo@m-factory.test') and is_open"],
    ["overdue", "is_overdue"],
    ["due within 7 days", "is_open and due_at < now() + interval '8 days'"],
  ])("a page filtered by %s uses an index, not a sequential scan", async (_what, where) => {
    const page = await planAsDpo(`select * from public.dsar_queue where ${where} order by due_at, id limit 25`);
    expectNoSeqScanOnRequests(page.nodes);
    expect(page.rows.length).toBeGreaterThan(0);
    const counted = await planAsDpo(`select count(*) from public.dsar_queue where ${where}`);
    expectNoSeqScanOnRequests(counted.nodes);
  });

  it("search by reference uses the trigram index", async () => {
    const { rows } = await db.engine.query<{ reference: string }>("select reference from public.dsar_requests order by reference desc limit 1");
    const page = await planAsDpo("select * from public.dsar_queue where reference ilike $1 order by due_at limit 25", [`%${rows[0]!.reference.slice(-6)}%`]);
    expectNoSeqScanOnRequests(page.nodes);
    expect(page.rows.length).toBeGreaterThan(0);
  });
});
