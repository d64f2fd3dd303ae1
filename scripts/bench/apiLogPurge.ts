/**
 * Purging 90-day-expired API logs at the bench size: dropping whole monthly partitions (the retention purge's way)
 * vs a plain DELETE of the same rows, each on its own identical copy of one database.
 *
 * The copy: a freshly migrated database holding API logs at the bench database's rate (BENCH_CUSTOMERS customers ×
 * API_LOGS_PER_CUSTOMER logs per 90 days ≈ 33,000 a day): one whole expired month, the month before the retention
 * window, and the window itself (90 days, by default). The cut-off is chosen so that the window starts on a month
 * boundary (cut-off = first of that month + 90 days): every expired row is then in a whole expired partition, which
 * is what the daily job meets (it drops each month once the whole of it is past 90 days).
 *
 * - copy A: the partition drop as retention_run does it (retention_api_log_partitions() past the rule's period;
 *   for each, its newest row through the primary key — every row due — then drop it), timed alone (its rows are
 *   counted before the clock starts, to check the copies agree);
 * - copy B: `delete from api_request_logs where requested_at <= cut-off - period` (due_at <= cut-off, the purge's rule), as the owner (the table's
 *   legal-hold guard fires per row, as it would for anyone deleting);
 * - copy C: the whole certified purge (retention_run as the daily job runs it, with the chosen cut-off): the drop plus
 *   what proves it (enumerating and hashing every purged id for the certificate, the audit entry), for scale; a dry
 *   run first on the same copy shows how much of it is finding and hashing the ids.
 * Then the three must agree: rows purged, and rows left.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openEngine, type Engine } from "../../server/db/engine.ts";
import { prepareDatabase } from "../../server/db/migrate.ts";
import { USER_AGENTS } from "../../server/seed/vocabulary.ts";

export interface PurgeBenchOptions {
  /** postgres://… of a database on the server where the copies are made (created and dropped here); else PGlite. */
  databaseUrl?: string | undefined;
  /** Log rows a day (the bench database's rate). */
  rowsPerDay: number;
  /** Days of logs still within retention to hold besides the expired month. */
  liveDays: number;
  log: (message: string) => void;
}

export interface PurgeBenchFigures {
  cutoff: string;
  period: string;
  rowsHeld: number;
  expiredRows: number;
  /** ms: the whole step (list, newest row of each, drop each, commit); dropTableMs: the DROP TABLE statements alone. */
  partitionDrop: { ms: number; dropTableMs: number; rows: number; partitions: string[] };
  plainDelete: { ms: number; rows: number };
  /** ms: the execution; dryRunMs: a dry run just before it on the same copy (finding, counting and hashing the ids). */
  certifiedPurge: { ms: number; dryRunMs: number; rows: number; partitions: string[] };
  rowsLeft: { drop: number; delete: number; certified: number };
  /** plain DELETE time / DROP TABLE time (target ≥ 100). */
  ratio: number;
  /** plain DELETE time / the purge's drop step (the newest row of each partition, then DROP TABLE). */
  dropStepRatio: number;
  /** plain DELETE time / whole certified purge time. */
  certifiedRatio: number;
  countsMatch: boolean;
}

// Byte budget of md5 per ordinal: 0-1 customer · 2 anonymous? · 3-4 endpoint · 5 status · 6-9 address · 10 agent.
const INSERT_LOGS_SQL = `
insert into public.api_request_logs (customer_id, method, endpoint, status_code, ip, user_agent, requested_at)
select
  case when get_byte(h, 2) < 13 then null else md5('mfc-bench-customer:' || ((get_byte(h, 0) * 256 + get_byte(h, 1)) % 20000))::uuid end,
  split_part(call, ' ', 1), split_part(call, ' ', 2),
  (array[200, 200, 200, 200, 200, 201, 204, 400, 401, 402, 404, 429, 500])[1 + get_byte(h, 5) % 13],
  format('%s.%s.%s.%s', (array[1,27,49,58,61,101,110,115,124,171,182,183,184,202,203])[1 + get_byte(h, 6) % 15],
         get_byte(h, 7), get_byte(h, 8), 1 + get_byte(h, 9) % 254)::inet,
  ($4::text[])[1 + get_byte(h, 10) % cardinality($4::text[])],
  $1::timestamptz + ($2::timestamptz - $1::timestamptz) * ((g - 0.5)::float8 / $3::float8)
from (
  select g, h, (array['GET /v1/generations', 'POST /v1/generations', 'GET /v1/projects', 'GET /v1/assets', 'POST /v1/assets',
                      'GET /v1/credits', 'DELETE /v1/assets'])[1 + (get_byte(h, 3) * 256 + get_byte(h, 4)) % 7] as call
  from (select g, decode(md5('mfc-bench-apilog:' || $1::text || ':' || g), 'hex') as h from generate_series(1, $3::bigint) g offset 0) x
) y
order by g`;
// Rows sit mid-step (g - 0.5), so none falls exactly on the window's start: every expired row is then in a whole
// expired partition, and `requested_at <= cut-off - period` (due_at <= cut-off, the purge's rule) selects them.

const CHUNK_DAYS = 7;

/** Fills one database with the logs; returns the cut-off, the rule's period and counts. */
async function fill(db: Engine, options: PurgeBenchOptions): Promise<{ cutoff: Date; period: string; held: number; expired: number }> {
  await prepareDatabase(db);
  const { rows } = await db.query<{ window_start: Date; cutoff: Date; expired_from: Date; period: string }>(
    `select date_trunc('month', now() - r.period) as window_start,
            date_trunc('month', now() - r.period) + r.period as cutoff,
            date_trunc('month', now() - r.period) - interval '1 month' as expired_from,
            r.period::text as period
     from public.retention_rules r where r.category = 'api_logs' and r.superseded_at is null`,
  );
  const { window_start: windowStart, cutoff, expired_from: expiredFrom, period } = rows[0]!;
  await db.query("select public.ensure_api_request_log_partitions($1::date, 6)", [expiredFrom]);
  const DAY = 86_400_000;
  const spans: Array<[Date, Date]> = [];
  const liveEnd = new Date(windowStart.getTime() + options.liveDays * DAY);
  for (let at = expiredFrom.getTime(); at < liveEnd.getTime(); at += CHUNK_DAYS * DAY) {
    spans.push([new Date(at), new Date(Math.min(at + CHUNK_DAYS * DAY, liveEnd.getTime()))]);
  }
  let held = 0;
  for (const [from, to] of spans) {
    // A span never straddles the window's start (it starts on a month boundary, a chunk may not): split there.
    const cuts = from < windowStart && to > windowStart ? [[from, windowStart], [windowStart, to]] : [[from, to]];
    for (const [a, b] of cuts as Array<[Date, Date]>) {
      const n = Math.round(((b.getTime() - a.getTime()) / DAY) * options.rowsPerDay);
      if (n <= 0) continue;
      await db.transaction((tx) => tx.query(INSERT_LOGS_SQL, [a, b, n, [...USER_AGENTS]]));
      held += n;
    }
    options.log(`  api logs ${held.toLocaleString("en-US")} (to ${to.toISOString().slice(0, 10)})`);
  }
  await db.exec("vacuum analyze public.api_request_logs");
  const { rows: counted } = await db.query<{ expired: number }>(
    "select count(*)::int as expired from public.api_request_logs where requested_at <= $1::timestamptz - $2::interval",
    [cutoff, period],
  );
  return { cutoff, period, held, expired: counted[0]!.expired };
}

const rowsLeft = async (db: Engine): Promise<number> =>
  (await db.query<{ n: number }>("select count(*)::int as n from public.api_request_logs")).rows[0]!.n;

export async function apiLogPurgeBench(options: PurgeBenchOptions): Promise<PurgeBenchFigures> {
  const { log } = options;
  const work = await mkdtemp(path.join(os.tmpdir(), "mfc-bench-purge-"));
  const pgNames = ["a", "b", "c"].map((s) => `mfc_bench_purge_${s}_${process.pid}`);
  const admin = options.databaseUrl ? await openEngine({ databaseUrl: options.databaseUrl }) : null;
  const urlOf = (name: string) => {
    const url = new URL(options.databaseUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const open = (i: number) =>
    admin ? openEngine({ databaseUrl: urlOf(pgNames[i]!) }) : openEngine({ dataDir: path.join(work, `copy-${i}`) });
  try {
    // Copy A is built; B and C are copies of its files (PGlite) or made from it as a template (PostgreSQL).
    if (admin) await admin.exec(`create database ${pgNames[0]}`);
    let db = await open(0);
    log(`building the purge copies: API logs at ${options.rowsPerDay.toLocaleString("en-US")} a day…`);
    const built = performance.now();
    const filled = await fill(db, options).finally(() => db.close());
    for (const i of [1, 2]) {
      if (admin) await admin.exec(`create database ${pgNames[i]} template ${pgNames[0]}`);
      else await cp(path.join(work, "copy-0"), path.join(work, `copy-${i}`), { recursive: true });
    }
    log(`  ${filled.held.toLocaleString("en-US")} rows, ${filled.expired.toLocaleString("en-US")} past ${filled.period} at cut-off ${filled.cutoff.toISOString()}; three copies in ${((performance.now() - built) / 1000).toFixed(1)} s`);
    const params = [filled.cutoff, filled.period];

    // Each copy is opened and read once before its clock starts (catalog and buffer caches warm alike on all three).
    const openWarm = async (i: number) => {
      const engine = await open(i);
      await rowsLeft(engine);
      await engine.query("select count(*) from public.retention_api_log_partitions()");
      return engine;
    };

    // A: the partition drop, the statements retention_run uses for it.
    db = await openWarm(0);
    const partsSql =
      "select p.relid::text as relid, p.relname from public.retention_api_log_partitions() p where p.upper_bound <= $1::timestamptz - $2::interval";
    let inExpired = 0;
    for (const part of (await db.query<{ relid: string }>(partsSql, params)).rows) {
      inExpired += (await db.query<{ n: number }>(`select count(*)::int as n from ${part.relid}`)).rows[0]!.n;
    }
    let dropOnlyMs = 0;
    let t = performance.now();
    const drop = await db.transaction(async (tx) => {
      const { rows: parts } = await tx.query<{ relid: string; relname: string }>(partsSql, params);
      for (const part of parts) {
        await tx.query(`select max(requested_at) from ${part.relid}`);
        const dropped = performance.now();
        await tx.exec(`drop table ${part.relid}`);
        dropOnlyMs += performance.now() - dropped;
      }
      return { rows: inExpired, partitions: parts.map((p) => p.relname) };
    });
    const dropMs = performance.now() - t;
    const leftDrop = await rowsLeft(db);
    await db.close();

    // B: a plain DELETE of the same rows.
    db = await openWarm(1);
    t = performance.now();
    const deleted = await db.transaction((tx) =>
      tx.query("delete from public.api_request_logs where requested_at <= $1::timestamptz - $2::interval", params),
    );
    const deleteMs = performance.now() - t;
    const leftDelete = await rowsLeft(db);
    await db.close();

    // C: the whole certified purge, as the daily job runs it (the owner, no JWT), with this cut-off.
    db = await openWarm(2);
    t = performance.now();
    await db.transaction((tx) => tx.query("select id from public.retention_run($1, false, 'schedule', 'bench')", [filled.cutoff]));
    const dryRunMs = performance.now() - t;
    t = performance.now();
    const certified = await db.transaction(async (tx) => {
      const { rows: run } = await tx.query<{ id: string }>("select id from public.retention_run($1, true, 'schedule', 'bench')", [filled.cutoff]);
      const { rows } = await tx.query<{ rows_purged: string; partitions_dropped: string[] }>(
        "select rows_purged::text, partitions_dropped from public.purge_run_categories where run_id = $1 and category = 'api_logs'",
        [run[0]!.id],
      );
      return { rows: Number(rows[0]!.rows_purged), partitions: rows[0]!.partitions_dropped };
    });
    const certifiedMs = performance.now() - t;
    const leftCertified = await rowsLeft(db);
    await db.close();

    const countsMatch =
      drop.rows === filled.expired && deleted.rowCount === filled.expired && certified.rows === filled.expired &&
      leftDrop === filled.held - filled.expired && leftDelete === leftDrop && leftCertified === leftDrop;
    return {
      cutoff: filled.cutoff.toISOString(),
      period: filled.period,
      rowsHeld: filled.held,
      expiredRows: filled.expired,
      partitionDrop: { ms: Math.round(dropMs * 10) / 10, dropTableMs: Math.round(dropOnlyMs * 10) / 10, ...drop },
      plainDelete: { ms: Math.round(deleteMs), rows: deleted.rowCount },
      certifiedPurge: { ms: Math.round(certifiedMs), dryRunMs: Math.round(dryRunMs), ...certified },
      rowsLeft: { drop: leftDrop, delete: leftDelete, certified: leftCertified },
      ratio: Math.round(deleteMs / dropOnlyMs),
      dropStepRatio: Math.round(deleteMs / dropMs),
      certifiedRatio: Math.round((deleteMs / certifiedMs) * 10) / 10,
      countsMatch,
    };
  } finally {
    if (admin) {
      for (const name of pgNames) await admin.exec(`drop database if exists ${name}`);
      await admin.close();
    }
    await rm(work, { recursive: true, force: true });
  }
}
