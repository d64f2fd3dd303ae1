/**
 * The consent explorer's pages at 100,000 events (the bench runs them at 1,000,000: scripts/bench.ts, section 7): the
 * default page (newest first, 25, with its count) and the filtered pages are answered from the explorer's indexes
 * (20261203001500_consent_explorer_indexes.sql), as the DPO through RLS — never a sequential scan of consent_events.
 * The events come from the bench's bulk path (scripts/bench/consentEvents.ts), whose own checks must hold here too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkConsentLog, ensureConsentEvents } from "../../scripts/bench/consentEvents.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { describePlan, planNodes, type PlanNode } from "../helpers/plans.ts";

const EVENTS = 100_000;
const db = openBeforeAll(createTestDatabase);
let versionId = "";

beforeAll(async () => {
  // Customers who signed up over two years: the events' subjects.
  await db.engine.query(
    `insert into public.customers (clerk_user_id, email, locale, created_at)
     select 'user_consentplan' || i, 'consentplan' || i || '@example.org', case when i % 3 = 0 then 'th' else 'en' end,
            now() - interval '730 days' + i * interval '5 hours'
     from generate_series(1, 2000) i`,
  );
  const seeded = await ensureConsentEvents(db.engine, EVENTS, () => {});
  expect(seeded.held + seeded.inserted).toBe(EVENTS);
  for (const table of ["consent_events", "consent_event_ips", "customer_consents", "customers"]) await db.engine.exec(`vacuum analyze public.${table}`);
  const { rows } = await db.engine.query<{ id: string }>(
    `select policy_version_id as id from public.consent_events where policy_version_id is not null
     group by 1 order by count(*) desc limit 1`,
  );
  versionId = rows[0]!.id;
}, 600_000);

async function planAsDpo(sql: string, params: unknown[] = []): Promise<{ nodes: PlanNode[]; rows: unknown[] }> {
  return db.asRole("dpo").transaction(async (tx) => {
    const nodes = await planNodes(tx, sql, params);
    const result = await tx.query(sql, params);
    return { nodes, rows: result.rows };
  });
}

function expectIndexedRead(found: PlanNode[], index?: string): void {
  const describeNodes = describePlan(found);
  expect(found.filter((n) => n["Node Type"].includes("Seq Scan") && n["Relation Name"] === "consent_events"), describeNodes).toEqual([]);
  expect(found.some((n) => n["Relation Name"] === "consent_events"), describeNodes).toBe(true);
  if (index) expect(found.some((n) => n["Index Name"] === index), describeNodes).toBe(true);
}

describe(`the consent explorer at ${EVENTS.toLocaleString("en")} events, as the DPO`, () => {
  it("the bulk-loaded log is what the app's insert path stores", async () => {
    const checks = await checkConsentLog(db.engine);
    expect(checks).toMatchObject({ events: EVENTS, maskedMismatch: 0, stateMismatches: 0, versionMismatches: 0, triggerPathMismatches: 0 });
    expect(checks.triggerPathSample).toBe(200);
  });

  it("the default page (newest first, 25) walks the time index; its count reads no heap scan", async () => {
    const page = await planAsDpo("select id from public.consent_events order by occurred_at desc, id desc limit 25");
    expectIndexedRead(page.nodes, "consent_events_occurred_idx");
    expect(page.rows).toHaveLength(25);
    expectIndexedRead((await planAsDpo("select count(*) from public.consent_events")).nodes);
  });

  it.each([
    ["purpose, action and dates", "purpose in ('marketing_email') and action in ('withdrawn') and occurred_at >= now() - interval '400 days' and occurred_at < now()", "consent_events_purpose_action_idx"],
    ["a source", "source in ('dsar')", "consent_events_source_idx"],
    ["a version and a source", "policy_version_id = $1 and source in ('signup')", "consent_events_version_source_idx"],
  ])("a page filtered by %s uses its index, and so does its count", async (_what, where, index) => {
    const params = where.includes("$1") ? [versionId] : [];
    const page = await planAsDpo(`select id from public.consent_events where ${where} order by occurred_at desc, id desc limit 25`, params);
    expectIndexedRead(page.nodes, index);
    expect(page.rows.length).toBeGreaterThan(0);
    expectIndexedRead((await planAsDpo(`select count(*) from public.consent_events where ${where}`, params)).nodes);
  });

  it("a customer's page reads that customer's events by index", async () => {
    const { rows } = await db.engine.query<{ id: string }>("select customer_id as id from public.consent_events order by id desc limit 1");
    const page = await planAsDpo("select id from public.consent_events where customer_id = $1 order by occurred_at desc, id desc limit 25", [rows[0]!.id]);
    expectIndexedRead(page.nodes);
    expect(page.rows.length).toBeGreaterThan(0);
  });
});
