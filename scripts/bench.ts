/**
 * `npm run bench` — performance figures for the platform, measured in one run (this machine is noisy, so
 * compare ratios from the same run, not absolute numbers across runs):
 *
 *  1. first-load JS of the built app (gzip KB): the entry script and everything index.html preloads;
 *  2. cold start (bootstrap + migrations + demo seed) and warm start of the embedded server;
 *  3. at the bench size (100,000 customers; seeded once into .data/bench and reused), the customers list request
 *     (search + filter + sort + page of 25, with an exact count) through HTTP vs the very same SQL, captured from
 *     the server, run directly on the same engine in the same process under the same role and claims;
 *  4. EXPLAIN of that SQL: no sequential scan on customers.
 *
 *  5. the DSAR queue at 100,000 requests (default and filtered page, same method as 3–4), and the access export
 *     and erasure of a heavy subject (100,000 API logs, 10,000 ledger rows, 1,000 generations).
 *  6. Stripe reconciliation of a 200,000-row itemized balance report built from the bench database: read + validate
 *     + match time and peak memory vs papaparse merely parsing the same file (`npm run bench -- reconcile` alone).
 *  7. the consent explorer at 1,000,000 consent events (topped up in bulk once into the bench database; see
 *     scripts/bench/consentEvents.ts for what that bypasses and the checks that it stored what the app would):
 *     the default page and three filtered pages (a customer; purpose + action + dates; version + source), each
 *     request built by the screen's own code, through HTTP vs the captured SQL direct, with EXPLAIN (as 3–4);
 *     then the explorer's CSV export of every event (streamed keyset pages) vs fetching the same pages, with the
 *     exporter's peak RSS (target ≤ 300 MB; scripts/bench/consentExport.ts).
 *  8. purging 90-day-expired API logs at the bench size (an expired month at the bench's ~33,000 logs a day, and
 *     the 90 days within retention): dropping the partition as the retention purge does vs a plain DELETE of the
 *     same rows, each on its own identical copy, plus the whole certified purge for scale (scripts/bench/apiLogPurge.ts).
 *     7 and 8 alone: `npm run bench -- consent`; 8 alone: `npm run bench -- purge` (results in bench-results/consent.json, purge.json).
 *
 * Options: --skip-build, --iterations N (default 200), --customers N (default 100000), --dsar-requests N
 * (default 100000), --skip-dsar-export, --plans (print EXPLAIN), --consent-events N (default 1000000),
 * --purge-live-days N (days of API logs within retention in the purge copies; default 90), --skip-purge.
 * DATABASE_URL runs parts 2–4, 7 and 8 on that Postgres instead of PGlite.
 */
import { mkdtemp, readFile, rm, mkdir, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { build } from "vite";
import { openEngine, type Engine, type Queryable } from "../server/db/engine.ts";
import { prepareDatabase } from "../server/db/migrate.ts";
import { repoRoot } from "../server/config.ts";
import { startEmbeddedServer } from "../server/index.ts";
import { seed, API_LOGS_PER_CUSTOMER, BENCH_CUSTOMERS, DEMO_STAFF } from "../server/seed/index.ts";
import { API_LOG_RETENTION_DAYS } from "../server/seed/api-logs.ts";
import { seedDsarBench } from "../server/seed/dsar.ts";
import { startExportTestServer } from "../tests/dsar-export/harness.ts";
import { HEAVY_SUBJECT, insertHeavySubject, measureHeavySubjectExport } from "../tests/dsar-export/heavy-subject.ts";
import { apiLogPurgeBench } from "./bench/apiLogPurge.ts";
import { checkConsentLog, ensureConsentEvents } from "./bench/consentEvents.ts";
import { explorerRequest } from "./bench/consentExplorer.ts";
import { consentExportBench } from "./bench/consentExport.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const ITERATIONS = option("iterations", 200);
const CUSTOMERS = option("customers", BENCH_CUSTOMERS);
const DSAR_REQUESTS = option("dsar-requests", 100_000);
const CONSENT_EVENTS = option("consent-events", 1_000_000);
const PURGE_LIVE_DAYS = option("purge-live-days", API_LOG_RETENTION_DAYS);
const databaseUrl = process.env.DATABASE_URL || undefined;
const results: Record<string, unknown> = { date: new Date().toISOString(), engine: databaseUrl ? "postgres" : "pglite" };

const ms = (n: number) => `${n.toFixed(2)} ms`;
function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}
function summarise(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: samples.length };
}

// ---------------------------------------------------------------- 1. first-load JS

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

/**
 * The JS a browser must fetch before the embedded sign-in page can render: the entry, the embedded root it
 * lazy-loads at once, and every chunk either imports statically (transitively). Read from Vite's manifest.
 */
async function firstLoadJs(): Promise<void> {
  if (!flag("skip-build")) {
    console.log("building the app…");
    // Vite's build sets NODE_ENV=production in this process; the embedded server (rightly) refuses demo sign-in then.
    const nodeEnv = process.env.NODE_ENV;
    await build({ root: repoRoot, logLevel: "warn" });
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const dist = path.join(repoRoot, "dist");
  const manifest = JSON.parse(await readFile(path.join(dist, ".vite/manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const roots = ["index.html", "src/providers/auth/EmbeddedRoot.tsx"];
  const files = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const key = pending.pop()!;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    if (files.has(chunk.file)) continue;
    files.add(chunk.file);
    pending.push(...(chunk.imports ?? []));
  }
  let raw = 0;
  let gz = 0;
  const perFile: Record<string, number> = {};
  for (const f of files) {
    const bytes = await readFile(path.join(dist, f));
    const g = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += g;
    perFile[f] = Math.round(g / 102.4) / 10;
  }
  results.firstLoadJs = { roots, files: perFile, rawKB: Math.round(raw / 1024), gzipKB: Math.round(gz / 1024) };
  console.log(`first-load JS (entry + embedded sign-in root, static imports): ${files.size} files, ${Math.round(raw / 1024)} KB raw, ${Math.round(gz / 1024)} KB gzip (target ≤ 400 KB)`);
}

// ---------------------------------------------------------------- 2. cold and warm start

async function startTimes(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-bench-start-"));
  try {
    let t = performance.now();
    const cold = await startEmbeddedServer({ dataDir, port: 0, ...(databaseUrl ? { databaseUrl: await freshDatabase("cold") } : {}) });
    const coldMs = performance.now() - t;
    const dbUrl = databaseUrl ? (cold.engine.kind === "postgres" ? await currentDatabaseUrl(cold.engine) : undefined) : undefined;
    await cold.close();
    t = performance.now();
    const warm = await startEmbeddedServer({ dataDir, port: 0, ...(dbUrl ? { databaseUrl: dbUrl } : {}) });
    const warmMs = performance.now() - t;
    await warm.close();
    results.start = { coldMs: Math.round(coldMs), warmMs: Math.round(warmMs) };
    console.log(`cold start (migrate + demo seed): ${Math.round(coldMs)} ms · warm start: ${Math.round(warmMs)} ms (target ≤ 3000 ms)`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** On DATABASE_URL: a fresh database beside the configured one, so the cold start really is cold. */
async function freshDatabase(label: string): Promise<string> {
  const admin = await openEngine({ databaseUrl });
  const name = `mfc_bench_${label}_${process.pid}`;
  await admin.exec(`drop database if exists ${name}`);
  await admin.exec(`create database ${name}`);
  await admin.close();
  const url = new URL(databaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}
async function currentDatabaseUrl(engine: Engine): Promise<string> {
  const { rows } = await engine.query<{ db: string }>("select current_database() as db");
  const url = new URL(databaseUrl!);
  url.pathname = `/${rows[0]!.db}`;
  return url.toString();
}

// ---------------------------------------------------------------- 3 + 4. customers list: HTTP vs direct SQL

interface Captured {
  sql: string;
  params: unknown[];
}

/** Wraps an engine so the statement the REST layer runs inside its request transaction can be read back. */
function recordingEngine(engine: Engine): { engine: Engine; last: () => Captured[] } {
  let statements: Captured[] = [];
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params = []) => {
      statements.push({ sql, params });
      return q.query(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  return {
    engine: {
      ...engine,
      kind: engine.kind,
      query: engine.query.bind(engine),
      exec: engine.exec.bind(engine),
      close: engine.close.bind(engine),
      transaction: (fn) => {
        statements = [];
        return engine.transaction((tx) => fn(wrap(tx)));
      },
    },
    last: () => statements,
  };
}

interface ListCase {
  /** Key in bench-results/latest.json. */
  name: string;
  staffEmail: string;
  relation: string;
  query: Record<string, string> | URLSearchParams;
  /** The Prefer header (the list's count mode); count=exact unless the screen asks otherwise. */
  prefer?: string;
  /** The table whose sequential scan would mean a missing index. */
  table: string;
  /** HTTP/direct p95 ratio to meet, printed beside the figures (default: the customers list's ≤ 2× or ≤ 5 ms above). */
  targetRatio?: number;
}

/**
 * One list request as the console sends it, through HTTP vs the very same statements (captured from the server)
 * run directly on the same engine under the same role and claims; then EXPLAIN of those statements.
 */
async function measureList(base: Engine, recorder: ReturnType<typeof recordingEngine>, serverUrl: string, c: ListCase): Promise<void> {
  const tokenRes = await fetch(`${serverUrl}/embedded/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: c.staffEmail }),
  });
  if (!tokenRes.ok) throw new Error(`token request failed: ${tokenRes.status} ${await tokenRes.text()}`);
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const url = `${serverUrl}/rest/v1/${c.relation}?${new URLSearchParams(c.query)}`;
  const headers = { Authorization: `Bearer ${token}`, Prefer: c.prefer ?? "count=exact" };

  const first = await fetch(url, { headers });
  const body = (await first.json()) as unknown[];
  if (!first.ok) throw new Error(`${c.name}: request failed: ${first.status} ${JSON.stringify(body)}`);
  const contentRange = first.headers.get("content-range");
  const [setup, ...statements] = recorder.last();
  if (!setup || statements.length === 0) throw new Error(`${c.name}: could not capture the SQL`);
  console.log(`\n${c.name} (as ${c.staffEmail}): ${body.length} rows, Content-Range ${contentRange}`);

  const runDirect = () =>
    base.transaction(async (tx) => {
      await tx.query(setup.sql, setup.params);
      for (const s of statements) await tx.query(s.sql, s.params);
    });
  for (let i = 0; i < 20; i++) {
    await (await fetch(url, { headers })).arrayBuffer();
    await runDirect();
  }
  // Interleave so both see the same machine noise.
  const http: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let t = performance.now();
    await (await fetch(url, { headers })).arrayBuffer();
    http.push(performance.now() - t);
    t = performance.now();
    await runDirect();
    direct.push(performance.now() - t);
  }
  const h = summarise(http);
  const d = summarise(direct);

  const plans: string[] = [];
  await base.transaction(async (tx) => {
    await tx.query(setup.sql, setup.params);
    for (const s of statements) {
      const { rows: planRows } = await tx.query<Record<string, string>>(`explain ${s.sql}`, s.params);
      plans.push(planRows.map((r) => Object.values(r)[0]).join("\n"));
    }
  });
  const plan = plans.join("\n---\n");
  const seqScan = new RegExp(`Seq Scan on ${c.table}\\b`).test(plan);
  results[c.name] = {
    url: url.replace(serverUrl, ""),
    rows: body.length,
    contentRange,
    http: h,
    direct: d,
    ratioP50: h.p50 / d.p50,
    ratioP95: h.p95 / d.p95,
    overheadP50Ms: h.p50 - d.p50,
    prefer: headers.Prefer,
    seqScan,
    plan,
  };
  console.log(`  over ${ITERATIONS} runs each: HTTP p50 ${ms(h.p50)} p95 ${ms(h.p95)} · direct p50 ${ms(d.p50)} p95 ${ms(d.p95)}`);
  const target = c.targetRatio ? `target p95 ≤ ${c.targetRatio}×` : "target ≤ 2× or ≤ 5 ms above";
  console.log(`  ratio p50 ${(h.p50 / d.p50).toFixed(2)}× p95 ${(h.p95 / d.p95).toFixed(2)}× (overhead p50 ${ms(h.p50 - d.p50)}; ${target})`);
  console.log(`  EXPLAIN: ${seqScan ? `SEQUENTIAL SCAN on ${c.table}` : `no sequential scan on ${c.table}`}`);
  if (flag("plans")) console.log(plan.split("\n").map((l) => `    ${l}`).join("\n"));
}

const LEDGER_HEAVY_EMAIL = "bench.ledger@example.test";
const LEDGER_HEAVY_ROWS = 100_000;

/** A customer with 100,000 ledger rows in the bench database (inserted once, reused later). */
async function ensureLedgerHeavyCustomer(db: Engine): Promise<string> {
  const { rows } = await db.query<{ id: string; n: number }>(
    "select c.id, (select count(*)::int from public.credit_ledger l where l.customer_id = c.id) as n from public.customers c where c.email = $1",
    [LEDGER_HEAVY_EMAIL],
  );
  if (rows[0] && rows[0].n >= LEDGER_HEAVY_ROWS) return rows[0].id;
  if (rows[0]) throw new Error(`${LEDGER_HEAVY_EMAIL} holds ${rows[0].n} ledger rows, fewer than ${LEDGER_HEAVY_ROWS}: delete .data/bench and run again`);
  console.log(`\ninserting a customer with ${LEDGER_HEAVY_ROWS.toLocaleString("en-US")} ledger rows (once; reused later)…`);
  const t = performance.now();
  const id = await db.transaction(async (tx) => {
    const { rows: created } = await tx.query<{ id: string }>(
      "insert into public.customers (clerk_user_id, email, display_name, locale, country) values ('user_benchLedger', $1, 'Ledger Heavy', 'en', 'TH') returning id",
      [LEDGER_HEAVY_EMAIL],
    );
    const customerId = created[0]!.id;
    // Alternating grants and smaller spends over two years, so the balance stays positive and every row counts.
    await tx.query(
      `insert into public.credit_ledger (customer_id, amount, reason, note, created_at)
       select $1, case when g % 2 = 0 then 7 else -3 end, case when g % 2 = 0 then 'purchase' else 'generation' end,
              null, now() - interval '730 days' + (g * interval '10 minutes')
       from generate_series(1, $2) g`,
      [customerId, LEDGER_HEAVY_ROWS],
    );
    return customerId;
  });
  await db.exec("analyze public.credit_ledger; analyze public.credit_balances");
  console.log(`  inserted in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return id;
}

/** The bench database (.data/bench, or DATABASE_URL), migrated and seeded with the bench's customers once. */
async function openBenchDatabase(): Promise<{ base: Engine; dataDir: string }> {
  const dataDir = path.join(repoRoot, ".data/bench");
  await mkdir(dataDir, { recursive: true });
  const base = await openEngine(databaseUrl ? { databaseUrl } : { dataDir: path.join(dataDir, "pglite") });
  try {
    await prepareDatabase(base);
    const { rows } = await base.query<{ n: number }>("select count(*)::int as n from public.customers");
    const held = rows[0]?.n ?? 0;
    if (held < CUSTOMERS) {
      if (held > 0) throw new Error(`the bench database holds ${held} customers, fewer than ${CUSTOMERS}: delete .data/bench (or the DATABASE_URL database) and run again`);
      console.log(`seeding the bench database with ${CUSTOMERS.toLocaleString("en-US")} customers (once; reused later)…`);
      const t = performance.now();
      await seed(base, { customers: CUSTOMERS, onProgress: (m) => console.log(`  seed: ${m}`) });
      results.benchSeedMs = Math.round(performance.now() - t);
      console.log(`seeded in ${(Number(results.benchSeedMs) / 1000).toFixed(1)} s`);
    }
    return { base, dataDir };
  } catch (err) {
    await base.close();
    throw err;
  }
}

async function listBenchmarks(): Promise<void> {
  const { base, dataDir } = await openBenchDatabase();
  try {
    const { rows: dsarRows } = await base.query<{ n: number }>("select count(*)::int as n from public.dsar_requests");
    const dsarHeld = dsarRows[0]?.n ?? 0;
    if (dsarHeld < DSAR_REQUESTS) {
      console.log(`seeding ${(DSAR_REQUESTS - dsarHeld).toLocaleString("en-US")} DSAR requests (once; reused later)…`);
      const t = performance.now();
      await seedDsarBench(base, DSAR_REQUESTS - dsarHeld);
      console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    // Before the server starts: inserting it the first time takes minutes, and an idle server would drop its sockets.
    const ledgerCustomerId = await ensureLedgerHeavyCustomer(base);
    // PGlite runs no autovacuum: without fresh statistics the planner guesses, and the bench would measure the guess.
    const analyzed = performance.now();
    await base.exec("analyze");
    console.log(`analyze: ${Math.round(performance.now() - analyzed)} ms`);

    const recorder = recordingEngine(base);
    const server = await startEmbeddedServer({ engine: recorder.engine, port: 0, dataDir, prepare: false });
    try {
      // What the customers page sends: search + filter + sort + page of 25, exact count.
      const term = "wongsa";
      await measureList(base, recorder, server.url, {
        name: "customersList",
        staffEmail: "finance@m-factory.test",
        relation: "customer_directory",
        table: "customers",
        query: {
          select: "*",
          or: `(email.ilike.*${term}*,display_name.ilike.*${term}*,clerk_user_id.ilike.*${term}*)`,
          deleted_at: "is.null",
          processing_restricted: "eq.false",
          order: "created_at.desc",
          offset: "25",
          limit: "25",
        },
      });

      // The DSAR queue at 100,000 requests: the default page (open, by deadline) and a filtered page (overdue tab,
      // two types), as the DPO.
      const queueBase = { select: "*", is_open: "eq.true", order: "due_at.asc,reference.asc", offset: "0", limit: "25" };
      await measureList(base, recorder, server.url, {
        name: "dsarQueueDefault",
        staffEmail: "dpo@m-factory.test",
        relation: "dsar_queue",
        table: "dsar_requests",
        query: queueBase,
      });
      await measureList(base, recorder, server.url, {
        name: "dsarQueueFiltered",
        staffEmail: "dpo@m-factory.test",
        relation: "dsar_queue",
        table: "dsar_requests",
        query: { ...queueBase, is_overdue: "eq.true", type: "in.(access,erasure)" },
      });

      // A customer with 100,000 ledger rows: the balance as the customer page reads it (the credit_balances
      // checkpoint behind customer_directory), and the first ledger page with its exact count; plus, for scale,
      // what summing the ledger would cost on every read without the checkpoint.
      await measureList(base, recorder, server.url, {
        name: "ledgerBalance",
        staffEmail: "support@m-factory.test",
        relation: "customer_directory",
        table: "credit_ledger",
        query: { select: "id,credit_balance", id: `eq.${ledgerCustomerId}` },
      });
      await measureList(base, recorder, server.url, {
        name: "ledgerFirstPage",
        staffEmail: "finance@m-factory.test",
        relation: "credit_ledger",
        table: "credit_ledger",
        query: { select: "*", customer_id: `eq.${ledgerCustomerId}`, order: "created_at.desc,id.desc", offset: "0", limit: "25" },
      });
      const sums: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t = performance.now();
        await base.query("select sum(amount) from public.credit_ledger where customer_id = $1", [ledgerCustomerId]);
        sums.push(performance.now() - t);
      }
      const sum = summarise(sums);
      const { rows: check } = await base.query<{ ledger: string; checkpoint: string }>(
        "select (select sum(amount) from public.credit_ledger where customer_id = $1)::text as ledger, (select balance from public.credit_balances where customer_id = $1)::text as checkpoint",
        [ledgerCustomerId],
      );
      results.ledgerSumWithoutCheckpoint = { ...sum, checkpointMatchesLedger: check[0]?.ledger === check[0]?.checkpoint };
      console.log(
        `  for scale: sum(amount) over the 100,000 rows directly p50 ${ms(sum.p50)} p95 ${ms(sum.p95)}; checkpoint = ledger sum: ${check[0]?.ledger === check[0]?.checkpoint} (${check[0]?.checkpoint})`,
      );
    } finally {
      await server.close();
    }
  } finally {
    await base.close();
  }
}

// ---------------------------------------------------------------- 5. DSAR export and erasure of a heavy subject

async function dsarHeavySubject(): Promise<void> {
  console.log(`\nDSAR export of a heavy subject (${HEAVY_SUBJECT.apiLogs} API logs, ${HEAVY_SUBJECT.ledger} ledger rows, ${HEAVY_SUBJECT.generations} generations)…`);
  const figures = await measureHeavySubjectExport(HEAVY_SUBJECT, (m) => console.log(`  ${m}`));
  results.dsarExport = figures;
  console.log(
    `  export ${figures.exportMs} ms vs fetch only ${figures.fetchOnlyMs} ms: ${figures.ratio}× (target ≤ 2×); ` +
      `peak JS memory +${figures.peakExportMemoryMb} MB (target ≤ 300 MB); counts match the database: ${figures.countsMatchDatabase}`,
  );

  // Erasure of such a subject: one SQL function, as the DPO, timed alone.
  const env = await startExportTestServer(3);
  try {
    const customerId = await insertHeavySubject(env.engine, HEAVY_SUBJECT);
    const dpo = DEMO_STAFF.find((m) => m.roles.includes("dpo"))!;
    const claims = JSON.stringify({ sub: dpo.clerkUserId, role: "authenticated" });
    const asDpo = <T>(fn: (tx: Queryable) => Promise<T>) =>
      env.engine.transaction(async (tx) => {
        await tx.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [claims]);
        return fn(tx);
      });
    const requestId = await asDpo(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        "select id from public.dsar_create_request('erasure', 'email', 'heavy.erasure@example.test', now(), $1::uuid, 'bench')",
        [customerId],
      );
      await tx.query("select public.dsar_verify_identity($1, 'id_document', 'bench')", [rows[0]!.id]);
      return rows[0]!.id;
    });
    let t = performance.now();
    const preview = await asDpo((tx) => tx.query<{ row_count: number }>("select * from public.dsar_erasure_preview($1)", [requestId]));
    const previewMs = performance.now() - t;
    t = performance.now();
    await asDpo((tx) => tx.query("select * from public.dsar_execute_erasure($1)", [requestId]));
    const executeMs = performance.now() - t;
    t = performance.now();
    await asDpo((tx) => tx.query("select * from public.dsar_execute_erasure($1)", [requestId]));
    const rerunMs = performance.now() - t;
    const rowsInPreview = preview.rows.reduce((n, r) => n + Number(r.row_count), 0);
    results.dsarErasure = { previewMs: Math.round(previewMs), executeMs: Math.round(executeMs), rerunMs: Math.round(rerunMs), rowsInPreview };
    console.log(`  erasure: preview ${Math.round(previewMs)} ms, execute ${Math.round(executeMs)} ms (${rowsInPreview} rows in the plan), re-run ${Math.round(rerunMs)} ms`);
  } finally {
    await env.close();
  }
}

// ---------------------------------------------------------------- 6. Stripe reconciliation (200,000-row report)

/**
 * Reconcile a 200,000-row itemized balance report built from the bench database's latest charges and refunds:
 * read + validate + match (the page's pipeline, in-thread) vs papaparse merely parsing the same file. Each side runs
 * in its own child process (peak RSS is per process), alternating, three times; the figures are medians.
 * Alone: `npm run bench -- reconcile`.
 */
const RECONCILE_ROWS = 200_000;

async function reconciliationBench(): Promise<void> {
  const { balanceReportCsv, balanceRowsFromRecords } = await import("../src/features/reconciliation/stripeFiles.ts");
  const { recordsAsFinance } = await import("../tests/reconciliation/demoDb.ts");
  const { execFile } = await import("node:child_process");
  const dataDir = path.join(repoRoot, ".data/bench");
  const engine = await openEngine(databaseUrl ? { databaseUrl } : { dataDir: path.join(dataDir, "pglite") });
  const work = await mkdtemp(path.join(os.tmpdir(), "mfc-bench-reconcile-"));
  try {
    await prepareDatabase(engine);
    const { rows: span } = await engine.query<{ first: Date | string | null; n: number }>(
      "select min(created_at) as first, count(*)::int as n from public.payments where status = 'succeeded'",
    );
    if (!span[0]?.first) throw new Error("the bench database holds no payments; run the full bench once to seed it");
    const period = { from: new Date(span[0].first).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
    const t = performance.now();
    const records = await recordsAsFinance(engine, period);
    const recordsMs = Math.round(performance.now() - t);
    // Every charge and refund of the bench database, newest 200,000; when it holds fewer, Stripe fee rows (another
    // reporting category, read and validated like the rest, only totalled by the matcher) make up the difference.
    const rows = balanceRowsFromRecords(records).slice(-RECONCILE_ROWS);
    const matchable = rows.length;
    for (let i = 0; rows.length < RECONCILE_ROWS; i++) {
      const at = new Date(Date.parse(rows[i % matchable]!.created_utc) + 1000).toISOString();
      rows.push({
        balance_transaction_id: `txn_benchfee${i}`, created_utc: at, currency: "thb", gross: -100, fee: 0, net: -100, reporting_category: "fee",
        source_id: null, charge_id: null, payment_intent_id: null, customer_id: null,
      });
    }
    rows.sort((a, b) => a.created_utc.localeCompare(b.created_utc));
    const file = path.join(work, "balance-report.csv");
    const recordsFile = path.join(work, "records.json");
    await writeFile(file, balanceReportCsv(rows, { newline: "\r\n" }));
    await writeFile(recordsFile, JSON.stringify(records));
    const sizeMb = (await readFile(file)).length / 1048576;
    console.log(
      `\nreconciliation: ${rows.length.toLocaleString("en-US")}-row balance report (${sizeMb.toFixed(1)} MB; ${matchable.toLocaleString("en-US")} charges and refunds, ` +
        `${(rows.length - matchable).toLocaleString("en-US")} fee rows), ${records.length.toLocaleString("en-US")} database records (reconciliation_records as finance: ${recordsMs} ms)`,
    );

    const runChild = (mode: "papaparse" | "reconcile") =>
      new Promise<{ ms: number; peakRssMb: number; heapMb: number; rows: number; discrepancies: number }>((resolve, reject) => {
        execFile(
          process.execPath,
          [...process.execArgv, path.join(repoRoot, "scripts/bench.ts"), "--reconcile-child", mode, file, recordsFile],
          { maxBuffer: 1 << 20 },
          (err, stdout, stderr) => {
            if (err) return reject(new Error(`${mode} child failed: ${stderr || err.message}`));
            resolve(JSON.parse(stdout.trim().split("\n").pop()!));
          },
        );
      });
    const papa: Awaited<ReturnType<typeof runChild>>[] = [];
    const ours: Awaited<ReturnType<typeof runChild>>[] = [];
    for (let i = 0; i < 3; i++) {
      papa.push(await runChild("papaparse"));
      ours.push(await runChild("reconcile"));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const p = { ms: median(papa.map((r) => r.ms)), peakRssMb: median(papa.map((r) => r.peakRssMb)) };
    const o = { ms: median(ours.map((r) => r.ms)), peakRssMb: median(ours.map((r) => r.peakRssMb)) };
    const last = ours.at(-1)!;
    results.reconciliation = {
      rows: rows.length,
      chargeAndRefundRows: matchable,
      fileMb: Math.round(sizeMb * 10) / 10,
      databaseRecords: records.length,
      recordsQueryMs: recordsMs,
      papaparseParse: { ms: p.ms, peakRssMb: p.peakRssMb, runs: papa },
      readValidateMatch: { ms: o.ms, peakRssMb: o.peakRssMb, runs: ours, discrepancies: last.discrepancies },
      timeRatio: Math.round((o.ms / p.ms) * 100) / 100,
      peakMemoryRatio: Math.round((o.peakRssMb / p.peakRssMb) * 100) / 100,
    };
    console.log(
      `  papaparse parse only: ${p.ms} ms, peak RSS ${p.peakRssMb} MB · read + validate + match: ${o.ms} ms, peak RSS ${o.peakRssMb} MB ` +
        `(${last.discrepancies} discrepancies) → time ${(o.ms / p.ms).toFixed(2)}×, peak memory ${(o.peakRssMb / p.peakRssMb).toFixed(2)}× (target ≤ 1.5×)`,
    );
  } finally {
    await engine.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** The measured side of reconciliationBench, in a fresh process: prints one JSON line. */
async function reconcileChild(): Promise<void> {
  const i = args.indexOf("--reconcile-child");
  const [mode, file, recordsFile] = args.slice(i + 1);
  const bytes = await readFile(file!);
  const blob = new Blob([bytes]);
  let out: { rows: number; discrepancies: number };
  // Modules and the database records load before the clock starts: the page has both before a file is dropped.
  const Papa = (await import("papaparse")).default;
  const { readStripeFile } = await import("../src/features/reconciliation/parse.ts");
  const { matchParsed } = await import("../src/features/reconciliation/pipeline.ts");
  const records =
    mode === "reconcile" ? (JSON.parse(await readFile(recordsFile!, "utf8")) as import("../src/features/reconciliation/types.ts").DatabaseRecord[]) : [];
  const t = performance.now();
  if (mode === "papaparse") {
    const parsed = Papa.parse<string[]>(new TextDecoder().decode(await blob.arrayBuffer()));
    // Data rows: without the header and the empty piece after the last line end.
    out = { rows: parsed.data.length - 1 - (parsed.data.at(-1)?.join("") === "" ? 1 : 0), discrepancies: 0 };
  } else {
    const read = await readStripeFile(blob);
    if (!read.ok) throw new Error(`the bench file is invalid: ${JSON.stringify(read.invalid.issues.slice(0, 3))}`);
    const result = matchParsed(read.parsed, read.period, records);
    out = { rows: read.rows, discrepancies: result.discrepancies.length };
  }
  const ms = Math.round(performance.now() - t);
  const usage = process.resourceUsage();
  // Peak RSS of this process image: VmHWM starts afresh at exec, whereas getrusage's maxRSS keeps the parent's peak
  // from before the fork (Linux), which would hide the difference between the two children.
  const hwm = /VmHWM:\s+(\d+) kB/.exec(await readFile("/proc/self/status", "utf8").catch(() => ""));
  const peakKb = hwm ? Number(hwm[1]) : usage.maxRSS;
  console.log(JSON.stringify({ ms, peakRssMb: Math.round(peakKb / 1024), heapMb: Math.round(process.memoryUsage().heapUsed / 1048576), ...out }));
}

// ---------------------------------------------------------------- 7. consent explorer at 1,000,000 events

/**
 * The consent explorer (src/features/consent) over 1,000,000 consent events: its default page and filtered pages,
 * each request built by the screen's own filter and sort code and data provider (scripts/bench/consentExplorer.ts),
 * through HTTP vs the captured SQL run directly, and EXPLAIN (same method as 3–4). The events are topped up in bulk
 * once (scripts/bench/consentEvents.ts says what that path bypasses and why the explorer reads the same rows).
 * Then 8, the API-log purge. Alone: `npm run bench -- consent` (results in bench-results/consent.json).
 */
async function consentBenchmarks(): Promise<void> {
  const { base, dataDir } = await openBenchDatabase();
  try {
    const seeded = await ensureConsentEvents(base, CONSENT_EVENTS, (m) => console.log(m));
    // PGlite runs no autovacuum: the visibility map (index-only counts) and the statistics are set here, as
    // autovacuum would keep them after a bulk load (cheap when nothing changed since the last run).
    const t = performance.now();
    for (const table of ["consent_events", "consent_event_ips", "customer_consents"]) await base.exec(`vacuum analyze public.${table}`);
    console.log(`vacuum analyze of the consent tables: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    results.consentSeed = { ...seeded, vacuumAnalyzeMs: Math.round(performance.now() - t) };
    const checks = await checkConsentLog(base);
    results.consentLog = checks;
    console.log(
      `\nconsent log: ${checks.events.toLocaleString("en-US")} events, ${checks.withAddress.toLocaleString("en-US")} addresses kept apart ` +
        `(${checks.maskedMismatch} stored unmasked), current state mismatches ${checks.stateMismatches}, version mismatches ${checks.versionMismatches}`,
    );
    console.log(`  ${checks.triggerPathSample} newest events re-inserted through the app's insert path (rolled back): ${checks.triggerPathMismatches} stored differently`);
    if (checks.events < CONSENT_EVENTS) throw new Error(`the bench database holds ${checks.events} consent events, fewer than ${CONSENT_EVENTS}`);
    if (checks.maskedMismatch + checks.stateMismatches + checks.versionMismatches + checks.triggerPathMismatches > 0) {
      throw new Error("the bench consent log is not what the app would have stored (see the counts above): delete .data/bench and run again");
    }

    const recorder = recordingEngine(base);
    const server = await startEmbeddedServer({ engine: recorder.engine, port: 0, dataDir, prepare: false });
    try {
      await consentExplorerPages(base, recorder, server.url);
      await consentExport(server.url, server.anonKey);
    } finally {
      await server.close();
    }
  } finally {
    await base.close();
  }
}

/** The explorer's pages, as the DPO: the default one and three filtered ones. */
async function consentExplorerPages(base: Engine, recorder: ReturnType<typeof recordingEngine>, serverUrl: string): Promise<void> {
  // A customer and a version the filters name: the newest event's customer; the privacy policy in force.
  const { rows: picks } = await base.query<{ customer_id: string; version_id: string; latest: Date }>(
    `select (select customer_id from public.consent_events order by occurred_at desc, id desc limit 1) as customer_id,
            (select id from public.policy_versions where document = 'privacy_policy' and status = 'published') as version_id,
            (select max(occurred_at) from public.consent_events) as latest`,
  );
  const pick = picks[0]!;
  // The last three whole months before the newest event, as the date pickers give them (Bangkok days).
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const to = new Date(pick.latest.getTime() - 86_400_000);
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const pages: Array<[string, Parameters<typeof explorerRequest>[0]]> = [
    ["consentExplorerDefault", {}],
    ["consentExplorerByCustomer", { customer: pick.customer_id }],
    ["consentExplorerByPurposeActionDates", { purposes: ["marketing_email"], actions: ["withdrawn"], from: day(from), to: day(to) }],
    ["consentExplorerByVersionSource", { version: pick.version_id, sources: ["reprompt"] }],
  ];
  for (const [name, filters] of pages) {
    const request = await explorerRequest(filters);
    await measureList(base, recorder, serverUrl, {
      name,
      staffEmail: "dpo@m-factory.test",
      relation: request.relation,
      query: request.query,
      prefer: request.prefer,
      table: "consent_events",
      targetRatio: 1.5,
    });
  }
}

/**
 * The explorer's CSV export of every event, as the DPO's button runs it (keyset pages through HTTP, CSV written as
 * each page arrives), vs merely fetching the same pages; each pass in its own child process so its peak RSS is the
 * exporter's alone (the PGlite server lives in this one). Target: peak ≤ 300 MB.
 */
async function consentExport(serverUrl: string, anonKey: string): Promise<void> {
  const token = async () => {
    const res = await fetch(`${serverUrl}/embedded/v1/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "dpo@m-factory.test" }) });
    if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  console.log("\nconsent log CSV export of every event (keyset pages, each pass in a child process)…");
  const figures = await consentExportBench(serverUrl, token, { anonKey, isolate: true });
  results.consentExport = figures;
  const peak = figures.export.processPeakRssMb ?? figures.export.peakRssMb;
  console.log(
    `  ${figures.rows.toLocaleString("en-US")} rows, ${(figures.bytes / 1048576).toFixed(1)} MB of CSV in ${figures.pages} pages: ` +
      `fetch ${(figures.fetchMs / 1000).toFixed(1)} s, export ${(figures.exportMs / 1000).toFixed(1)} s (${figures.exportVsFetch}× the fetch); ` +
      `exporter's peak RSS ${peak} MB (target ≤ 300 MB${peak <= 300 ? ", met" : ", MISSED"}); fetch alone peaked at ${figures.fetch.processPeakRssMb ?? figures.fetch.peakRssMb} MB`,
  );
  if (figures.rows !== figures.total) throw new Error(`the export wrote ${figures.rows} rows of ${figures.total}`);
}

// ---------------------------------------------------------------- 8. API-log purge: partition drop vs DELETE

/** The bench database's API-log rate: BENCH_CUSTOMERS × API_LOGS_PER_CUSTOMER per 90 days. */
const API_LOGS_PER_DAY = Math.round((CUSTOMERS * API_LOGS_PER_CUSTOMER) / API_LOG_RETENTION_DAYS);

async function apiLogPurge(): Promise<void> {
  console.log(`\nAPI-log purge at the bench size (${API_LOGS_PER_DAY.toLocaleString("en-US")} logs a day; an expired month and ${PURGE_LIVE_DAYS} days within retention)…`);
  const figures = await apiLogPurgeBench({ databaseUrl, rowsPerDay: API_LOGS_PER_DAY, liveDays: PURGE_LIVE_DAYS, log: (m) => console.log(m) });
  results.apiLogPurge = figures;
  const { partitionDrop: drop, plainDelete, certifiedPurge } = figures;
  console.log(
    `  plain DELETE ${plainDelete.ms} ms (${plainDelete.rows.toLocaleString("en-US")} rows) vs DROP TABLE of ${drop.partitions.join(", ")} ` +
      `${drop.dropTableMs} ms: ${figures.ratio}× faster (target ≥ 100×); the purge's whole drop step (the partition's newest row, then the drop) ` +
      `${drop.ms} ms: ${figures.dropStepRatio}×`,
  );
  console.log(
    `  the whole certified purge (retention_run: the drop, every purged id hashed, the certificate) ${certifiedPurge.ms} ms ` +
      `(a dry run of it: ${certifiedPurge.dryRunMs} ms; ${certifiedPurge.rows.toLocaleString("en-US")} rows): ${figures.certifiedRatio}× faster than the DELETE; ` +
      `rows purged and rows left agree on the three copies: ${figures.countsMatch}`,
  );
}

async function main(): Promise<void> {
  if (flag("reconcile-child")) return reconcileChild();
  // `npm run bench -- reconcile`: the reconciliation section alone (results in bench-results/reconcile.json).
  if (args[0] === "reconcile") {
    await reconciliationBench();
    const out = path.join(repoRoot, "bench-results");
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, "reconcile.json"), JSON.stringify({ date: results.date, engine: results.engine, reconciliation: results.reconciliation }, null, 2));
    return;
  }
  // `npm run bench -- consent`: the consent explorer and the API-log purge alone (results in bench-results/consent.json).
  // `npm run bench -- purge`: the API-log purge alone (bench-results/purge.json).
  if (args[0] === "consent" || args[0] === "purge") {
    if (args[0] === "consent") await consentBenchmarks();
    if (!flag("skip-purge")) await apiLogPurge();
    const out = path.join(repoRoot, "bench-results");
    await mkdir(out, { recursive: true });
    const { date, engine, consentSeed, consentLog, consentExport: csvExport, apiLogPurge: purge } = results;
    const pages = Object.fromEntries(Object.entries(results).filter(([key]) => key.startsWith("consentExplorer")));
    const file = `${args[0]}.json`;
    await writeFile(path.join(out, file), JSON.stringify({ date, engine, consentSeed, consentLog, ...pages, consentExport: csvExport, apiLogPurge: purge }, null, 2));
    console.log(`\nresults written to bench-results/${file}`);
    return;
  }
  await firstLoadJs();
  await startTimes();
  await listBenchmarks();
  if (!flag("skip-dsar-export")) await dsarHeavySubject();
  await reconciliationBench();
  await consentBenchmarks();
  if (!flag("skip-purge")) await apiLogPurge();
  const out = path.join(repoRoot, "bench-results");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "latest.json"), JSON.stringify(results, null, 2));
  console.log(`\nresults written to bench-results/latest.json`);
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
