/**
 * The demo database for reconciliation: migrations + the deterministic demo seed in an in-memory PGlite, and its
 * side of matching read exactly as the page reads it — `reconciliation_records` called as the finance demo user.
 * Used by the demo-file script (scripts/generate-demo-stripe-exports.ts), its test and the bench.
 */
import type { Engine, Queryable } from "../../server/db/engine.ts";
import { openTestEngine } from "../helpers/db.ts";
import { prepareDatabase } from "../../server/db/migrate.ts";
import { DEMO_CUSTOMERS, DEMO_STAFF, seed } from "../../server/seed/index.ts";
import { readRecordsInWindows, type RawDatabaseRecord } from "../../src/features/reconciliation/api.ts";
import type { DatabaseRecord, Period } from "../../src/features/reconciliation/types.ts";

/**
 * The demo files are made from the seed as of this day. The seed's rows depend on its "now" (recent activity is
 * generated relative to it), so the files match a database seeded as of this day exactly:
 * `npm run db:reset -- --now 2026-11-20`. The page can also make demo files from the database it runs against.
 */
export const DEMO_NOW = new Date("2026-11-20T00:00:00.000Z");

export async function openSeededDemoDatabase(now: Date = DEMO_NOW, customers = DEMO_CUSTOMERS): Promise<Engine> {
  const engine = await openTestEngine();
  await prepareDatabase(engine);
  await seed(engine, { customers, now });
  return engine;
}

function asFinance<T>(engine: Engine, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const finance = DEMO_STAFF.find((s) => s.roles.length === 1 && s.roles[0] === "finance")!;
  return engine.transaction(async (tx) => {
    await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: finance.clerkUserId, role: "authenticated" })]);
    await tx.exec("set local role authenticated");
    return fn(tx);
  });
}

interface RecordRow extends Omit<RawDatabaseRecord, "created_at"> {
  created_at: Date | string;
}

/** reconciliation_records over [from, to) as finance, in the page's windows (≤ 400 days each). */
export async function recordsAsFinance(engine: Engine, period: Period): Promise<DatabaseRecord[]> {
  return readRecordsInWindows(Date.parse(period.from), Date.parse(period.to), async (from, to) => {
    const { rows } = await asFinance(engine, (tx) => tx.query<RecordRow>("select * from public.reconciliation_records($1, $2)", [from, to]));
    // PGlite answers timestamps as Dates; PostgREST as text.
    return rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() }));
  });
}

/** Every payment and refund the database holds: from the first payment to just after the latest record. */
export async function allTime(engine: Engine): Promise<Period> {
  const { rows } = await engine.query<{ first: Date | string; last: Date | string }>(
    `select least(min(p.created_at), min(r.requested_at)) as first,
            greatest(max(p.created_at), max(r.requested_at), max(r.execution_started_at), max(r.stripe_status_at)) as last
       from public.payments p full join public.refunds r on false`,
  );
  const first = new Date(rows[0]!.first).getTime();
  const last = new Date(rows[0]!.last).getTime();
  return { from: new Date(first).toISOString(), to: new Date(last + 1000).toISOString() };
}
