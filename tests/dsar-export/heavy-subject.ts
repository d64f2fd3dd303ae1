/**
 * Export cost for a heavy subject (issue 3 bench): ≥ 100,000 API log rows, ≥ 10,000 ledger rows,
 * ≥ 1,000 generations. Measures, through the embedded server and the DPO's supabase-js fetcher:
 * the time to merely fetch every row, the time to build the full export, their ratio, and the peak
 * JS memory (heap + array buffers) while exporting. Too slow for `npm test`; run it directly:
 *
 *   npx tsx --expose-gc tests/dsar-export/heavy-subject.ts [apiLogs] [ledger] [generations]
 *
 * `measureHeavySubjectExport` is exported so `npm run bench` can include the figures.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EXPORT_CATEGORIES, type ExportCategoryId } from "../../src/features/dsar/export/categories.ts";
import { buildSubjectExport } from "../../src/features/dsar/export/buildSubjectExport.ts";
import { readExport } from "../../src/features/dsar/export/readExport.ts";
import { createSupabaseCategoryFetcher } from "../../src/features/dsar/export/supabaseFetcher.ts";
import type { FetchCategory } from "../../src/features/dsar/export/types.ts";
import type { Engine } from "../../server/db/engine.ts";
import { idsInDatabase, startExportTestServer } from "./harness.ts";

export interface HeavySubjectSize {
  apiLogs: number;
  ledger: number;
  generations: number;
}

export interface HeavySubjectFigures {
  size: HeavySubjectSize;
  rows: number;
  fetchOnlyMs: number;
  exportMs: number;
  ratio: number;
  /** Peak heap + array buffers during the export, above what was in use just before it. */
  peakExportMemoryMb: number;
  /** Peak process RSS during the export (includes the in-process PGlite database and server). */
  peakRssMb: number;
  zipMb: number;
  countsMatchDatabase: boolean;
  /** Longest gap between event-loop turns while the builder ran on in-memory rows (no server in the process). */
  builderOnly: { rows: number; ms: number; longestEventLoopStallMs: number };
}

export const HEAVY_SUBJECT: HeavySubjectSize = { apiLogs: 100_000, ledger: 10_000, generations: 1_000 };

/** One customer with `size` rows, inserted as the owner with set-based SQL. */
export async function insertHeavySubject(engine: Engine, size: HeavySubjectSize): Promise<string> {
  return engine.transaction(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      "insert into public.customers (clerk_user_id, email, display_name, locale, country) values ('user_heavyExport', 'heavy.export@example.test', 'ผู้ใช้หนัก', 'th', 'TH') returning id",
    );
    const id = rows[0]?.id as string;
    await db.query("insert into public.customer_stripe_ids (customer_id, stripe_customer_id) values ($1, 'cus_heavyExport')", [id]);
    await db.query(
      `insert into public.projects (customer_id, title, settings, created_at)
       select $1, 'Project ' || i, jsonb_build_object('bpm', 80 + i), now() - make_interval(days => i) from generate_series(1, 20) i`,
      [id],
    );
    await db.query(
      `insert into public.generations (customer_id, media, model, prompt, metadata, credits_cost, created_at)
       select $1, (array['music','image','video'])[1 + i % 3], 'suno-v4.5',
              'เพลงลูกทุ่งจังหวะช้า prompt number ' || i || ', with "quotes", commas and =formula-looking text',
              jsonb_build_object('seed', i, 'duration_s', 30 + i % 90), 5, now() - make_interval(mins => i)
       from generate_series(1, $2::int) i`,
      [id, size.generations],
    );
    await db.query(
      `insert into public.assets (customer_id, kind, r2_key, content_type, size_bytes, created_at)
       select $1::uuid, 'generated', 'heavy/' || $1::text || '/' || i || '.mp3', 'audio/mpeg', 3000000 + i, now() - make_interval(mins => i)
       from generate_series(1, $2::int) i`,
      [id, size.generations],
    );
    await db.query(
      `insert into public.credit_ledger (customer_id, amount, reason, note, created_at)
       select $1, case when i % 10 = 0 then 500 else -5 end, case when i % 10 = 0 then 'purchase' else 'generation' end,
              'ledger row ' || i, now() - make_interval(mins => i)
       from generate_series(1, $2::int) i`,
      [id, size.ledger],
    );
    await db.query(
      `insert into public.api_request_logs (customer_id, method, endpoint, status_code, ip, user_agent, requested_at)
       select $1, (array['GET','POST'])[1 + i % 2], '/v1/generations/' || i, (array[200,201,404,429])[1 + i % 4],
              ('10.' || (i % 250) || '.' || (i / 250 % 250) || '.7')::inet,
              'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
              now() - make_interval(secs => i * 60)
       from generate_series(1, $2::int) i`,
      [id, size.apiLogs],
    );
    return id;
  });
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const jsMemory = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * The builder alone on synthetic rows of the same size, with no server sharing the thread: how long the
 * event loop is ever blocked (what a page would feel as a freeze if the build ran on the main thread).
 */
export async function measureBuilderStalls(size: HeavySubjectSize): Promise<HeavySubjectFigures["builderOnly"]> {
  const counts: Partial<Record<ExportCategoryId, number>> = { api_logs: size.apiLogs, credit_ledger: size.ledger, generations: size.generations, assets: size.generations };
  const fetchCategory: FetchCategory = async (category, { offset, limit }) => {
    const total = counts[category] ?? 0;
    const columns = EXPORT_CATEGORIES.find((c) => c.id === category)?.columns ?? [];
    return Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
      Object.fromEntries(columns.map((column) => [column, column === "id" ? offset + i : `${column} value ${offset + i} สวัสดี`])),
    );
  };
  let longest = 0;
  let last = performance.now();
  const monitor = setInterval(() => {
    const at = performance.now();
    longest = Math.max(longest, at - last);
    last = at;
  }, 5);
  const started = performance.now();
  await buildSubjectExport({
    fetchCategory,
    subject: { customerId: "00000000-0000-4000-8000-000000000002", email: "synthetic@example.test" },
    request: { id: "00000000-0000-4000-8000-000000000003", reference: "DSAR-2026-9998", type: "portability" },
  });
  const ms = performance.now() - started;
  clearInterval(monitor);
  return { rows: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0), ms: Math.round(ms), longestEventLoopStallMs: Math.round(longest) };
}

export async function measureHeavySubjectExport(size: HeavySubjectSize = HEAVY_SUBJECT, log: (m: string) => void = () => undefined): Promise<HeavySubjectFigures> {
  const env = await startExportTestServer(3);
  try {
    const started = Date.now();
    const customerId = await insertHeavySubject(env.engine, size);
    log(`heavy subject inserted in ${Date.now() - started} ms`);
    const now = new Date();
    const client = env.clientAs("dpo");
    const fetcher = createSupabaseCategoryFetcher(client, customerId, { now });

    // Baseline: the same pages through the same fetcher, rows counted and dropped.
    let rows = 0;
    const fetchStarted = performance.now();
    for (const category of EXPORT_CATEGORIES) {
      for (let offset = 0; ; offset += 1000) {
        const page = await fetcher(category.id, { offset, limit: 1000 });
        rows += page.length;
        if (page.length < 1000) break;
      }
    }
    const fetchOnlyMs = performance.now() - fetchStarted;
    log(`fetch only: ${rows} rows in ${Math.round(fetchOnlyMs)} ms`);

    collectGarbage();
    const before = jsMemory();
    let peak = before;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, jsMemory());
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const exportStarted = performance.now();
    const result = await buildSubjectExport({
      fetchCategory: fetcher,
      subject: { customerId, email: "heavy.export@example.test" },
      request: { id: "00000000-0000-4000-8000-000000000001", reference: "DSAR-2026-9999", type: "access" },
      onProgress: () => {
        peak = Math.max(peak, jsMemory());
      },
    });
    const exportMs = performance.now() - exportStarted;
    clearInterval(sampler);
    peak = Math.max(peak, jsMemory());
    log(`export: ${Math.round(exportMs)} ms, zip ${mb(result.zip.byteLength)} MB`);

    const verified = await readExport(result.zip);
    let countsMatchDatabase = true;
    for (const category of EXPORT_CATEGORIES) {
      const inDb = (await idsInDatabase(env.engine, category.id as ExportCategoryId, customerId, now)).length;
      if (verified.rowCounts[category.id] !== inDb) countsMatchDatabase = false;
    }
    return {
      size,
      rows,
      fetchOnlyMs: Math.round(fetchOnlyMs),
      exportMs: Math.round(exportMs),
      ratio: Math.round((exportMs / fetchOnlyMs) * 100) / 100,
      peakExportMemoryMb: mb(peak - before),
      peakRssMb: mb(peakRss),
      zipMb: mb(result.zip.byteLength),
      countsMatchDatabase,
      builderOnly: await measureBuilderStalls(size),
    };
  } finally {
    await env.close();
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [apiLogs, ledger, generations] = process.argv.slice(2).map(Number);
  const size = { apiLogs: apiLogs || HEAVY_SUBJECT.apiLogs, ledger: ledger || HEAVY_SUBJECT.ledger, generations: generations || HEAVY_SUBJECT.generations };
  measureHeavySubjectExport(size, (m) => console.log(m)).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
