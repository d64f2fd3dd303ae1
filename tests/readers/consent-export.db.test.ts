/**
 * The consent explorer's CSV export (issue 10: "the export equals the filtered list row for row") through the
 * embedded server, as the button runs it: supabase-js, the list's filters and order, keyset pages of max_rows.
 * Thousands of events share a handful of instants, so runs of equal timestamps straddle the page boundaries at
 * 1,000 and 2,000 rows; the expected rows come from direct SQL on the same database, never from the exporter.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCsvToFile } from "../../scripts/bench/exportCsvToFile.ts";
import { consentCsvSource } from "../../src/features/consent/api.ts";
import { buildConsentFilters, consentListState, type ConsentFilterState, type ConsentSort } from "../../src/features/consent/state.ts";
import { CsvExportFailed, type CsvExportSource } from "../../src/lib/csvExport.ts";
import { MAX_ROWS } from "../../src/lib/readAll.ts";
import { exportToRecords } from "../helpers/csvExport.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { startDemoServer } from "../helpers/server.ts";

const demo = openBeforeAll(() => startDemoServer({ demoCustomers: 12 }), 180_000);
const SEEDED = 3200;
const DATE_DESC: ConsentSort = { field: "date", order: "desc" };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "consent-export-"));
  // 3,200 events in runs of 900 at one instant (to the microsecond), spread over purposes, actions, sources, three
  // customers; some with a formula-looking user agent and an address (stored masked).
  await demo.engine.query(
    `insert into public.consent_events (customer_id, purpose, action, source, ip, user_agent, occurred_at)
     select (array_agg(c.id order by c.id))[1 + i % 3],
            case when i % 10 = 0 then 'marketing_email' else 'analytics' end,
            case when i % 3 = 0 then 'withdrawn' else 'granted' end,
            case when i % 7 = 0 then 'banner' else 'settings' end,
            ('203.0.113.' || (i % 250))::inet,
            case when i % 97 = 0 then '=HYPERLINK("http://x")' else 'Mozilla/5.0 #' || i end,
            timestamptz '2026-06-01 10:00:00.123456+00' - (i / 900) * interval '1 minute'
     from generate_series(0, $1::int - 1) i, (select id from public.customers order by id limit 3) c
     group by i`,
    [SEEDED],
  );
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface ExpectedRow {
  id: string;
  customer_id: string;
  ip: string | null;
  user_agent: string | null;
  micros: string;
}

/** The list's rows by direct SQL: `where` and `orderBy` written out here, independently of the exporter. */
async function expectedRows(where: string, orderBy: string, params: unknown[] = []): Promise<ExpectedRow[]> {
  // Output names differ from the columns: ORDER BY would otherwise sort by the text output (so "10" before "9").
  const { rows } = await demo.engine.query<{ event_id: string; customer: string; ip_text: string | null; user_agent: string | null; micros: string }>(
    `select id::text as event_id, customer_id::text as customer, ip::text as ip_text, user_agent, (extract(epoch from occurred_at) * 1000000)::bigint::text as micros
     from public.consent_events where ${where} order by ${orderBy}`,
    params,
  );
  return rows.map((r) => ({ id: r.event_id, customer_id: r.customer, ip: r.ip_text, user_agent: r.user_agent, micros: r.micros }));
}

/** "2026-06-01T10:00:00.123456+00:00" → microseconds since the epoch (Date.parse keeps only milliseconds). */
function micros(iso: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) throw new Error(`not an API timestamp: ${iso}`);
  return (BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1000n + BigInt((m[2] ?? "").padEnd(6, "0"))).toString();
}

/** The exported CSV's rows in the comparable shape, and the file's own checks (header once, guard). */
async function exported(source: CsvExportSource<unknown>) {
  const { records, rows, total, text } = await exportToRecords(source);
  expect(text.startsWith("\uFEFFevent_id,occurred_at_utc,occurred_bangkok,customer_id,purpose,action,")).toBe(true);
  expect(text.match(/event_id,occurred_at_utc/g)).toHaveLength(1);
  return {
    rows,
    total,
    text,
    records: records.map((r) => ({ id: r.event_id!, customer_id: r.customer_id!, ip: r.ip_masked || null, user_agent: r.user_agent || null, micros: micros(r.occurred_at_utc!) })),
  };
}

const guarded = (rows: ExpectedRow[]) => rows.map((r) => ({ ...r, user_agent: r.user_agent?.startsWith("=") ? `'${r.user_agent}` : r.user_agent }));
const filtersOf = (f: Partial<ConsentFilterState>) => buildConsentFilters({ ...consentListState.emptyFilters, ...f });

describe("consent explorer CSV export over HTTP", () => {
  it("filtered by purpose, action, source and a Bangkok day: the list's rows, row for row, across tied page boundaries", async () => {
    const filters = filtersOf({ purposes: ["analytics"], actions: ["granted", "withdrawn"], sources: ["settings"], from: "2026-06-01", to: "2026-06-01" });
    const source = await consentCsvSource(demo.clientAs("dpo"), filters, DATE_DESC);
    const expected = await expectedRows(
      `purpose = 'analytics' and action in ('granted', 'withdrawn') and source = 'settings'
       and (occurred_at at time zone 'Asia/Bangkok')::date = date '2026-06-01'`,
      "occurred_at desc, id desc",
    );
    expect(expected.length).toBeGreaterThan(2 * MAX_ROWS);
    const { records, rows, total } = await exported(source);
    expect(records).toEqual(guarded(expected));
    expect([rows, total]).toEqual([expected.length, expected.length]);
    // The page boundaries fall inside runs of one instant (else this test would not test ties).
    expect(expected[MAX_ROWS - 1]!.micros).toBe(expected[MAX_ROWS]!.micros);
    expect(expected[2 * MAX_ROWS - 1]!.micros).toBe(expected[2 * MAX_ROWS]!.micros);
    expect(records.some((r) => r.user_agent?.startsWith("'=HYPERLINK"))).toBe(true);
  });

  it("sorted by purpose (three keyset keys) and by date ascending; one customer's events", async () => {
    const byPurpose = await exported(await consentCsvSource(demo.clientAs("dpo"), [], { field: "purpose", order: "asc" }));
    expect(byPurpose.records).toEqual(guarded(await expectedRows("true", "purpose asc, occurred_at desc, id desc")));
    expect(byPurpose.rows).toBeGreaterThan(SEEDED);

    const ascending = await exported(await consentCsvSource(demo.clientAs("auditor"), filtersOf({ purposes: ["marketing_email"] }), { field: "date", order: "asc" }));
    expect(ascending.records).toEqual(guarded(await expectedRows("purpose = 'marketing_email'", "occurred_at asc, id asc")));

    const { rows: first } = await demo.engine.query<{ id: string }>("select id::text from public.customers order by id limit 1");
    const customer = first[0]!.id;
    const one = await exported(await consentCsvSource(demo.clientAs("dpo"), filtersOf({ customer }), DATE_DESC));
    expect(one.records).toEqual(guarded(await expectedRows("customer_id = $1", "occurred_at desc, id desc", [customer])));
  });

  it("events recorded while the export runs (at the newest instant, even tied with it) are not read twice", async () => {
    const before = await expectedRows("true", "occurred_at desc, id desc");
    const source = await consentCsvSource(demo.clientAs("dpo"), [], DATE_DESC);
    let inserted = 0;
    const inserting: CsvExportSource<unknown> = {
      ...source,
      pages: {
        pageSize: source.pages.pageSize,
        async read(after, page, signal) {
          const answer = await source.pages.read(after as never, page, signal);
          if (page === 0) {
            const { rows } = await demo.engine.query<{ n: number }>(
              `with top as (select customer_id, occurred_at from public.consent_events order by occurred_at desc, id desc limit 1)
               insert into public.consent_events (customer_id, purpose, action, source, occurred_at)
               select customer_id, 'analytics', 'granted', 'settings', occurred_at + (k - 1) * interval '1 second' from top, generate_series(1, 5) k
               returning 1 as n`,
            );
            inserted = rows.length;
          }
          return answer;
        },
      },
    };
    const { records } = await exported(inserting);
    expect(inserted).toBe(5);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(records).toEqual(guarded(before));
  });

  it("into a file (the Node entry): the same bytes; a failure part-way leaves no file", async () => {
    const filters = filtersOf({ purposes: ["analytics"] });
    const target = path.join(dir, "consent.csv");
    const progress: number[] = [];
    const result = await exportCsvToFile({ source: await consentCsvSource(demo.clientAs("dpo"), filters, DATE_DESC), path: target, onProgress: (n) => progress.push(n) });
    const inMemory = await exported(await consentCsvSource(demo.clientAs("dpo"), filters, DATE_DESC));
    const file = await readFile(target, "utf8");
    expect(file).toBe(inMemory.text);
    expect(result.rows).toBe(inMemory.rows);
    expect(result.bytes).toBe(Buffer.byteLength(file, "utf8"));
    expect(progress.at(-1)).toBe(result.rows);

    const source = await consentCsvSource(demo.clientAs("dpo"), filters, DATE_DESC);
    const failing: CsvExportSource<unknown> = {
      ...source,
      pages: {
        pageSize: source.pages.pageSize,
        read: async (after, page, signal) => {
          if (page === 2) throw new Error("the network went away");
          return source.pages.read(after as never, page, signal);
        },
      },
    };
    const broken = path.join(dir, "broken.csv");
    const failure = await exportCsvToFile({ source: failing, path: broken }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CsvExportFailed);
    expect(failure).toMatchObject({ rows: 2 * MAX_ROWS, reason: "the network went away" });
    expect((await readdir(dir)).sort()).toEqual(["consent.csv"]);
  });
});
