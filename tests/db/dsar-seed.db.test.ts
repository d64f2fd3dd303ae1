/**
 * The DSAR demo seed on a real engine: every type, status and channel, some overdue, extended and
 * unmatched requests, timelines that agree with the request rows, and the same rows for the same seed.
 */
import { describe, expect, it } from "vitest";
import { DSAR_CHANNELS, DSAR_STATUSES, DSAR_TYPES, demoDsarCount, generateDsarRequests } from "../../server/seed/dsar.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { openSeededEngine } from "../seed/seed-engine.ts";

// The seed's "today": a past day, so every generated receipt is in the past for the database too.
const NOW = new Date("2026-11-20T00:00:00.000Z");
const CUSTOMERS = 120;

const db = openBeforeAll(() => openSeededEngine({ customers: CUSTOMERS, seed: 5, now: NOW }));

async function list(sql: string): Promise<string[]> {
  return (await db.engine.query<{ v: string }>(sql)).rows.map((r) => r.v).sort();
}
async function count(sql: string): Promise<number> {
  return (await db.engine.query<{ n: number }>(`select count(*)::int as n from (${sql}) q`)).rows[0]!.n;
}

describe("DSAR demo seed", () => {
  it("reports what it wrote: a few dozen requests with their events", async () => {
    expect(db.summary.rows.dsar_requests).toBe(demoDsarCount(CUSTOMERS));
    expect(db.summary.rows.dsar_requests).toBeGreaterThanOrEqual(48);
    expect(await count("select 1 from public.dsar_requests")).toBe(db.summary.rows.dsar_requests);
    expect(await count("select 1 from public.dsar_events")).toBe(db.summary.rows.dsar_events);
  });

  it("covers every type, status and channel", async () => {
    expect(await list("select distinct type as v from public.dsar_requests")).toEqual([...DSAR_TYPES].sort());
    expect(await list("select distinct status as v from public.dsar_requests")).toEqual([...DSAR_STATUSES].sort());
    expect(await list("select distinct channel as v from public.dsar_requests")).toEqual([...DSAR_CHANNELS].sort());
  });

  it("has open requests that are overdue, extended ones, unmatched ones, and closed ones", async () => {
    // Measured against the seed's today, as the queue shows it on that day.
    const overdue = await count(`select 1 from public.dsar_requests where status in ('new','awaiting_verification','in_progress','awaiting_subject')
      and public.dsar_due_at(received_at, type, extension_days) <= '${NOW.toISOString()}'`);
    expect(overdue).toBeGreaterThan(0);
    expect(await count("select 1 from public.dsar_requests where extension_days > 0")).toBeGreaterThan(0);
    expect(await count("select 1 from public.dsar_requests where customer_id is null")).toBeGreaterThan(0);
    expect(await count("select 1 from public.dsar_requests where customer_id is null and channel = 'self_service'")).toBe(0);
    expect(await count("select 1 from public.dsar_requests where closed_at is not null")).toBeGreaterThan(0);
  });

  it("gives every request a timeline that starts with created and ends in its current status", async () => {
    expect(await count(`select 1 from public.dsar_requests r where not exists (
      select 1 from public.dsar_events e where e.request_id = r.id and e.kind = 'created')`)).toBe(0);
    const mismatched = await count(`select 1 from public.dsar_requests r cross join lateral (
        select e.to_status from public.dsar_events e where e.request_id = r.id and e.to_status is not null
        order by e.occurred_at desc, e.id desc limit 1) last
      where last.to_status <> r.status`);
    expect(mismatched).toBe(0);
    expect(await count(`select 1 from public.dsar_events e join public.dsar_requests r on r.id = e.request_id
      where e.occurred_at < r.received_at or e.occurred_at > '${NOW.toISOString()}'`)).toBe(0);
    expect(await count("select 1 from public.dsar_requests where status = 'rejected' and refusal_ground is null")).toBe(0);
  });

  it("numbers references per year without gaps and keeps the counters ahead of them", async () => {
    const { rows } = await db.engine.query<{ year: number; n: number; top: number; counter: number }>(
      `select r.year, r.n, r.top, c.last_value as counter
       from (select split_part(reference, '-', 2)::int as year, count(*)::int as n, max(split_part(reference, '-', 3)::int) as top
             from public.dsar_requests group by 1) r
       left join public.dsar_reference_counters c on c.year = r.year`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect([r.n, r.counter]).toEqual([r.top, r.top]);
  });

  it("generates the same rows for the same seed, and different ones for another", () => {
    const options = {
      seed: 9, nowMs: NOW.getTime(), stream: "demo" as const, count: 60, spanDays: 330, openShare: 0.5, lastReference: new Map<number, number>(),
      staff: { dpoId: "00000000-0000-4000-8000-000000000001", supportId: "00000000-0000-4000-8000-000000000002" },
      subjects: Array.from({ length: 20 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, email: `c${i}@example.org`, restricted: i === 3, deleted: i === 4 })),
    };
    const a = generateDsarRequests(options);
    expect(generateDsarRequests(options)).toEqual(a);
    expect(generateDsarRequests({ ...options, seed: 10 }).requests.map((r) => r.id)).not.toEqual(a.requests.map((r) => r.id));
  });
});
