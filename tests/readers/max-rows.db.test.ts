/**
 * Every reader in the app that can meet more rows than one API response carries, against the embedded server under
 * supabase/config.toml's `[api] max_rows` (1,000, as hosted Supabase): each is given 1,500 rows and must return all
 * of them. The first test shows the cap is live here, so the others cannot pass by the server answering everything.
 */
import type { DataProvider } from "@refinedev/core";
import { beforeAll, describe, expect, it } from "vitest";
import { readApiSettings } from "../../server/supabaseConfig.ts";
import { EXPORT_CATEGORIES, type ExportCategoryId } from "../../src/features/dsar/export/categories.ts";
import { buildSubjectExport } from "../../src/features/dsar/export/buildSubjectExport.ts";
import { readExport } from "../../src/features/dsar/export/readExport.ts";
import { createSupabaseCategoryFetcher } from "../../src/features/dsar/export/supabaseFetcher.ts";
import { DPO_STAFF_SELECT, queueCsvSource } from "../../src/features/dsar/api.ts";
import { tabFilters } from "../../src/features/dsar/queueState.ts";
import { fetchReconciliationRecords, getRun } from "../../src/features/reconciliation/api.ts";
import type { DatabaseRecord } from "../../src/features/reconciliation/types.ts";
import { recordsAsFinance } from "../reconciliation/demoDb.ts";
import { MAX_ROWS } from "../../src/lib/readAll.ts";
import { createDataProvider } from "../../src/providers/dataProvider.ts";
import { seedDsarBench } from "../../server/seed/dsar.ts";
import { idsInDatabase, startExportTestServer } from "../dsar-export/harness.ts";
import { insertHeavySubject } from "../dsar-export/heavy-subject.ts";
import { exportToRecords } from "../helpers/csvExport.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const MANY = 1500;
const env = openBeforeAll(() => startExportTestServer(3), 180_000);

beforeAll(async () => {
  // Staff and currencies beyond one response (read by the lists that ask for every row).
  await env.engine.query(
    `insert into public.staff_members (clerk_user_id, email, display_name)
     select 'user_bulk' || i, 'bulk' || i || '@m-factory.test', 'Bulk ' || (i % 7) from generate_series(1, $1::int) i`,
    [MANY],
  );
  await env.engine.query(
    `insert into public.refund_approval_thresholds (currency, second_approval_above)
     select chr(97 + i / 676 % 26) || chr(97 + i / 26 % 26) || chr(97 + i % 26), 1000 + i from generate_series(0, $1::int - 1) i
     on conflict (currency) do nothing`,
    [MANY],
  );
}, 180_000);

async function ownerCount(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await env.engine.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

describe("max_rows in this harness", () => {
  it("is supabase/config.toml's, the readers' page size, and cuts an unpaged read", async () => {
    expect(readApiSettings().maxRows).toBe(MAX_ROWS);
    const held = await ownerCount("select count(*)::int as n from public.staff_members");
    expect(held).toBeGreaterThan(MAX_ROWS);
    const { data, error } = await env.clientAs("dpo").from("staff_members").select("id");
    expect(error).toBeNull();
    expect(data).toHaveLength(MAX_ROWS);
  });
});

describe("reconciliation", () => {
  it("fetchReconciliationRecords returns all of a period's 1,500+ records, exactly as the function orders them", async () => {
    // 1,500 payments in 2019 (before any seeded row), fifteen to each second: page boundaries fall inside ties. The
    // window is read as smaller windows; refunds requested in one and sent to Stripe (40 or 2 days later) in another
    // are in both, and out of the function's order until put back.
    await env.engine.query(
      `insert into public.payments (customer_id, kind, amount, currency, status, created_at)
       select (select id from public.customers order by id limit 1), 'top_up', 100 + i, 'thb', 'succeeded',
              timestamptz '2019-06-01 00:00:00+00' + make_interval(secs => i / 15)
       from generate_series(1, $1::int) i`,
      [MANY],
    );
    await env.engine.query(
      `insert into public.refunds (payment_id, customer_id, amount, currency, reason, note, status, approvals_needed, requested_by,
                                   requested_at, idempotency_key, executed_by, execution_started_at, stripe_status_at)
       select p.id, p.customer_id, 50, 'thb', 'requested_by_customer', 'max_rows test', 'succeeded', 0, s.id,
              timestamptz '2019-06-01 00:00:00+00' + make_interval(days => 5 * k), 'max-rows-' || k, s.id,
              timestamptz '2019-06-01 00:00:00+00' + make_interval(days => 5 * k + d), timestamptz '2019-06-01 00:01:00+00' + make_interval(days => 5 * k + d)
       from generate_series(0, 29) k
       cross join lateral (select case when k % 2 = 0 then 40 else 2 end as d) delay
       join lateral (select id, customer_id from public.payments where created_at >= '2019-01-01' and created_at < '2020-01-01'
                     order by id offset k limit 1) p on true
       cross join (select id from public.staff_members where clerk_user_id = 'user_bulk1') s`,
    );
    const period = { from: "2019-01-01T00:00:00.000Z", to: "2020-01-01T00:00:00.000Z" };
    const direct = await recordsAsFinance(env.engine, period); // the function called once in SQL: no cap
    expect(direct).toHaveLength(MANY + 30);
    const records = await fetchReconciliationRecords(env.clientAs("finance"), period, false);
    const key = (r: DatabaseRecord) => `${r.record_type}:${r.id}:${Date.parse(r.created_at)}:${r.amount}`;
    expect(records.map(key)).toEqual(direct.map(key));
  });

  it("getRun returns all 1,500 discrepancies of a saved run, in order", async () => {
    const { rows } = await env.engine.query<{ id: string }>(
      `insert into public.reconciliation_runs (created_by, source, file_kind, file_rows, counts, totals)
       values ((select id from public.staff_members where clerk_user_id = 'user_bulk1'), 'upload', 'balance_report', $1,
               jsonb_build_object('missing_in_stripe', $1::int), '[]')
       returning id`,
      [MANY],
    );
    const runId = rows[0]!.id;
    await env.engine.query(
      `insert into public.reconciliation_discrepancies (run_id, seq, kind, detail)
       select $1, i, 'missing_in_stripe', 'discrepancy ' || i from generate_series(1, $2::int) i`,
      [runId, MANY],
    );
    const { discrepancies } = await getRun(env.clientAs("finance"), runId);
    expect(discrepancies.map((d) => d.detail)).toEqual(Array.from({ length: MANY }, (_, i) => `discrepancy ${i + 1}`));
  });
});

describe("DSAR", () => {
  it("the queue CSV (queueCsvSource) holds every closed request of 2,000+, once each, with progress", async () => {
    await seedDsarBench(env.engine, 2 * MAX_ROWS + 500);
    const held = await ownerCount("select count(*)::int as n from public.dsar_queue where not is_open");
    expect(held).toBeGreaterThan(2 * MAX_ROWS);
    const progress: number[] = [];
    const { records: rows } = await exportToRecords(await queueCsvSource(env.clientAs("dpo"), tabFilters("closed", null), { field: "received_at", order: "desc" }), (n) => progress.push(n));
    expect(rows).toHaveLength(held);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(held);
    expect(progress.at(-1)).toBe(held);
  });

  it("the access export holds every one of a subject's 1,500 API logs, ledger rows and generations", async () => {
    const customerId = await insertHeavySubject(env.engine, { apiLogs: MANY, ledger: MANY, generations: MANY });
    const now = new Date();
    const result = await buildSubjectExport({
      fetchCategory: createSupabaseCategoryFetcher(env.clientAs("dpo"), customerId, { now }),
      subject: { customerId, email: "heavy.export@example.test" },
      request: { id: "5d0c7c55-98f3-4bd8-9d2e-6d0a8b0b0d02", reference: "DSAR-2026-0099", type: "access" },
      now: () => now,
    });
    const { rowCounts } = await readExport(result.zip);
    const expected = {} as Record<ExportCategoryId, number>;
    for (const category of EXPORT_CATEGORIES) expected[category.id] = (await idsInDatabase(env.engine, category.id, customerId, now)).length;
    expect(rowCounts).toEqual(expected);
    expect(rowCounts.api_logs).toBe(MANY);
    expect(rowCounts.generations).toBe(MANY);
    expect(rowCounts.credit_ledger).toBe(MANY);
  });

  it("the export's fetcher refuses pages larger than max_rows rather than ending a category early", async () => {
    const { rows } = await env.engine.query<{ id: string }>("select id from public.customers where email = 'heavy.export@example.test'");
    const fetcher = createSupabaseCategoryFetcher(env.clientAs("dpo"), rows[0]!.id);
    await expect(fetcher("api_logs", { offset: 0, limit: MAX_ROWS + 500 })).rejects.toThrow(/max_rows 1000/);
  });
});

describe("lists that ask Refine for every row (pagination mode off)", () => {
  const everyRow = (role: "dpo" | "finance"): Required<DataProvider>["getList"] => createDataProvider(env.clientAs(role)).getList;

  it("the active staff with their roles (useActiveStaff / useVisibleStaff): all 1,500+, ties in the name broken by id", async () => {
    const held = await ownerCount("select count(*)::int as n from public.staff_members where active");
    const { data, total } = await everyRow("dpo")({
      resource: "staff_members",
      filters: [{ field: "active", operator: "eq", value: true }],
      sorters: [{ field: "display_name", order: "asc" }],
      pagination: { mode: "off" },
      meta: { select: DPO_STAFF_SELECT },
    });
    expect(data).toHaveLength(held);
    expect(total).toBe(held);
    expect(new Set(data.map((r) => r.id)).size).toBe(held);
    expect(data.find((r) => r.email === "dpo@m-factory.test")?.staff_roles).toEqual([{ role: "dpo" }]);
  });

  it("a resource keyed by another column (refund thresholds by currency, meta.uniqueOrder): all 1,500+", async () => {
    const held = await ownerCount("select count(*)::int as n from public.refund_approval_thresholds");
    expect(held).toBeGreaterThan(MAX_ROWS);
    const { data } = await everyRow("finance")({
      resource: "refund_approval_thresholds",
      sorters: [{ field: "currency", order: "asc" }],
      pagination: { mode: "off" },
      meta: { uniqueOrder: ["currency"] },
    });
    expect(data.map((r) => r.currency)).toHaveLength(held);
    expect(new Set(data.map((r) => r.currency)).size).toBe(held);
  });
});
