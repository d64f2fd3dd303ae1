/**
 * Bench: the consent explorer's CSV export of every event (issue 10: "CSV export of all of them (time vs fetch, peak
 * memory ≤ 300 MB)"), against a server that is already seeded. Measures, through HTTP with supabase-js as the button
 * does:
 *
 *  - fetch: the very same keyset pages read and dropped, no CSV built (what the API alone costs);
 *  - export: those pages written as CSV into a file (scripts/bench/exportCsvToFile), rows and bytes;
 *  - memory during each: this process's RSS and V8 heap sampled every `sampleMs` (and at each page), as the peak and
 *    as the rise over the level just before the run (after a GC when node runs with --expose-gc). When the server
 *    runs in this same process (PGlite), its memory is in these figures too: the rise is the fairer number then,
 *    or `isolate: true`, which runs each pass in a child process and reports that process's own peak RSS.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CrudFilters } from "@refinedev/core";
import { createClient } from "@supabase/supabase-js";
import { consentCsvSource } from "../../src/features/consent/api.ts";
import type { ConsentSort } from "../../src/features/consent/state.ts";
import type { ConsentEventRow } from "../../src/features/consent/types.ts";
import { exportCsvToFile } from "./exportCsvToFile.ts";

export interface MemoryFigures {
  /** Highest RSS seen during the run, MB. */
  peakRssMb: number;
  /** Peak RSS minus RSS just before the run, MB. */
  rssRiseMb: number;
  /** Highest V8 heap in use during the run, MB. */
  peakHeapMb: number;
  heapRiseMb: number;
  /** With `isolate`: the child process's own peak RSS (VmHWM), MB — the exporter alone. */
  processPeakRssMb?: number | null;
}

export interface ConsentExportFigures {
  rows: number;
  /** The first page's exact count (the progress bar's total). */
  total: number | null;
  bytes: number;
  pages: number;
  fetchMs: number;
  exportMs: number;
  /** exportMs / fetchMs: what building and writing the CSV adds over reading the pages. */
  exportVsFetch: number;
  fetch: MemoryFigures;
  export: MemoryFigures;
}

export interface ConsentExportBenchOptions {
  /** The explorer's filters (default: none, every event) and sort (default: newest first). */
  filters?: CrudFilters;
  sort?: ConsentSort;
  /** The project's anon key; the embedded server does not check it. */
  anonKey?: string;
  sampleMs?: number;
  /** Where the CSV is written (a temporary directory, removed afterwards, by default). */
  dir?: string;
  /** In-process runs only. */
  onProgress?: (phase: "fetch" | "export", rows: number, total: number | null) => void;
  /** Run each pass in a child process (`node` with this process's loader flags, i.e. under tsx). */
  isolate?: boolean;
}

const MB = 1024 * 1024;

class RealtimeUnavailable {
  constructor() {
    throw new Error("realtime is not used by the bench");
  }
}

/** Samples memory until stopped; `mark()` samples now (called at each page). */
function memorySampler(sampleMs: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const mark = () => {
    const now = process.memoryUsage();
    if (now.rss > peakRss) peakRss = now.rss;
    if (now.heapUsed > peakHeap) peakHeap = now.heapUsed;
  };
  const timer = setInterval(mark, sampleMs);
  return {
    mark,
    stop(): MemoryFigures {
      clearInterval(timer);
      mark();
      const round = (n: number) => Math.round((n / MB) * 10) / 10;
      return { peakRssMb: round(peakRss), rssRiseMb: round(peakRss - start.rss), peakHeapMb: round(peakHeap), heapRiseMb: round(peakHeap - start.heapUsed) };
    },
  };
}

interface Pass {
  rows: number;
  total: number | null;
  pages: number;
  bytes: number;
  ms: number;
  memory: MemoryFigures;
}

type BenchClient = ReturnType<typeof createClient>;

function benchClient(serverUrl: string, getToken: () => string | Promise<string>, anonKey: string | undefined): BenchClient {
  return createClient(serverUrl, anonKey ?? "bench-anon-key", {
    accessToken: async () => getToken(),
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as never },
  });
}

/** Fetch only: the export's very pages, in the same order, each dropped once read. */
async function fetchPass(client: BenchClient, filters: CrudFilters, sort: ConsentSort, sampleMs: number, onProgress?: ConsentExportBenchOptions["onProgress"]): Promise<Pass> {
  const { pages } = await consentCsvSource(client, filters, sort);
  let rows = 0;
  let total: number | null = null;
  let count = 0;
  const memory = memorySampler(sampleMs);
  const started = performance.now();
  let after: ConsentEventRow | null = null;
  for (let page = 0; ; page++) {
    const read = await pages.read(after, page);
    count++;
    if (page === 0) total = read.total ?? null;
    rows += read.rows.length;
    memory.mark();
    onProgress?.("fetch", rows, total);
    if (read.rows.length < pages.pageSize) break;
    after = read.rows[read.rows.length - 1]!;
  }
  const ms = performance.now() - started;
  return { rows, total, pages: count, bytes: 0, ms, memory: memory.stop() };
}

/** The export into a file, as the button streams it into a Blob. */
async function exportPass(client: BenchClient, filters: CrudFilters, sort: ConsentSort, sampleMs: number, dir: string | undefined, onProgress?: ConsentExportBenchOptions["onProgress"]): Promise<Pass> {
  const into = dir ?? (await mkdtemp(path.join(os.tmpdir(), "consent-export-bench-")));
  try {
    const source = await consentCsvSource(client, filters, sort);
    const memory = memorySampler(sampleMs);
    let pages = 0;
    const result = await exportCsvToFile({
      source,
      path: path.join(into, "consent-events.csv"),
      onProgress: (rows, all) => {
        pages++;
        memory.mark();
        onProgress?.("export", rows, all);
      },
    });
    return { rows: result.rows, total: result.total, pages, bytes: result.bytes, ms: result.ms, memory: memory.stop() };
  } finally {
    if (!dir) await rm(into, { recursive: true, force: true });
  }
}

/** Peak RSS of this process image (VmHWM; starts afresh at exec), MB; null off Linux. */
async function processPeakRssMb(): Promise<number | null> {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(await readFile("/proc/self/status", "utf8").catch(() => ""));
  return hwm ? Math.round(Number(hwm[1]) / 102.4) / 10 : null;
}

const CHILD_FLAG = "--consent-export-child";

/** One pass in a child process of its own, so that its peak RSS is the exporter's alone (not the server's). */
function passInChild(kind: "fetch" | "export", serverUrl: string, token: string, options: ConsentExportBenchOptions): Promise<Pass & { processPeakRssMb: number | null }> {
  const job = JSON.stringify({ kind, serverUrl, token, anonKey: options.anonKey, filters: options.filters ?? [], sort: options.sort, sampleMs: options.sampleMs, dir: options.dir });
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), CHILD_FLAG], { env: { ...process.env, CONSENT_EXPORT_JOB: job }, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`consent export ${kind} child failed: ${stderr || err.message}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()!));
    });
  });
}

async function childMain(): Promise<void> {
  const job = JSON.parse(process.env.CONSENT_EXPORT_JOB ?? "{}") as { kind: "fetch" | "export"; serverUrl: string; token: string; anonKey?: string; filters: CrudFilters; sort?: ConsentSort; sampleMs?: number; dir?: string };
  const client = benchClient(job.serverUrl, () => job.token, job.anonKey);
  const sort = job.sort ?? DEFAULT_SORT;
  const sampleMs = job.sampleMs ?? DEFAULT_SAMPLE_MS;
  const pass = job.kind === "fetch" ? await fetchPass(client, job.filters, sort, sampleMs) : await exportPass(client, job.filters, sort, sampleMs, job.dir);
  console.log(JSON.stringify({ ...pass, processPeakRssMb: await processPeakRssMb() }));
}

const DEFAULT_SORT: ConsentSort = { field: "date", order: "desc" };
const DEFAULT_SAMPLE_MS = 25;

/**
 * The fetch-only pass, then the export into a file, as the staff member whose token `getToken` gives (a DPO or
 * auditor: RLS shows the log to them only). With `isolate`, each pass runs in a child process and also reports that
 * process's peak RSS (the figure to hold against the 300 MB when the server shares this process). Throws when
 * the export and the fetch disagree on the rows.
 */
export async function consentExportBench(serverUrl: string, getToken: () => string | Promise<string>, options: ConsentExportBenchOptions = {}): Promise<ConsentExportFigures> {
  const filters = options.filters ?? [];
  const sort = options.sort ?? DEFAULT_SORT;
  const sampleMs = options.sampleMs ?? DEFAULT_SAMPLE_MS;
  let fetched: Pass & { processPeakRssMb?: number | null };
  let exported: Pass & { processPeakRssMb?: number | null };
  if (options.isolate) {
    const token = await getToken();
    fetched = await passInChild("fetch", serverUrl, token, options);
    exported = await passInChild("export", serverUrl, token, options);
  } else {
    const client = benchClient(serverUrl, getToken, options.anonKey);
    fetched = await fetchPass(client, filters, sort, sampleMs, options.onProgress);
    exported = await exportPass(client, filters, sort, sampleMs, options.dir, options.onProgress);
  }
  if (exported.rows !== fetched.rows) throw new Error(`the export wrote ${exported.rows} rows but the fetch read ${fetched.rows}`);
  return {
    rows: exported.rows,
    total: fetched.total,
    bytes: exported.bytes,
    pages: fetched.pages,
    fetchMs: Math.round(fetched.ms),
    exportMs: Math.round(exported.ms),
    exportVsFetch: Math.round((exported.ms / fetched.ms) * 100) / 100,
    fetch: { ...fetched.memory, ...(fetched.processPeakRssMb !== undefined ? { processPeakRssMb: fetched.processPeakRssMb } : {}) },
    export: { ...exported.memory, ...(exported.processPeakRssMb !== undefined ? { processPeakRssMb: exported.processPeakRssMb } : {}) },
  };
}

if (process.argv.includes(CHILD_FLAG) && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  childMain().catch((err: unknown) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  });
}
