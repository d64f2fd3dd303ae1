/**
 * Engines for the seed tests: a fresh in-memory PGlite by default; with DATABASE_URL, a database of
 * our own on that server (openTestEngine creates it and drops it on close, never any other database).
 */
import type { Engine } from "../../server/db/engine.ts";
import { migrate } from "../../server/db/migrate.ts";
import { seed, type SeedOptions, type SeedSummary } from "../../server/seed/index.ts";
import { bootstrapWithRetry, openTestEngine } from "../helpers/db.ts";

export interface SeedTestEngine {
  engine: Engine;
  close(): Promise<void>;
}

export async function openMigratedEngine(): Promise<SeedTestEngine> {
  const engine = await openTestEngine();
  try {
    await bootstrapWithRetry(engine);
    await migrate(engine);
  } catch (err) {
    await engine.close();
    throw err;
  }
  return { engine, close: () => engine.close() };
}

/** A migrated engine with the seed run on it as `options` say, and what the seed reported. */
export async function openSeededEngine(options: SeedOptions): Promise<SeedTestEngine & { summary: SeedSummary }> {
  const db = await openMigratedEngine();
  try {
    return { ...db, summary: await seed(db.engine, options) };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * md5 over every row of the tables the seed writes (and those its triggers derive), each table's rows in
 * text order. audit_log is left out: its rows carry clock_timestamp() and chain hashes over them; so is
 * consent_event_ips, whose nonces are random on purpose (they salt the IP commitments).
 */
export const HASHED_TABLES = [
  "staff_members", "staff_roles", "policy_versions", "customers", "customer_stripe_ids", "projects", "generations",
  "assets", "subscriptions", "subscription_stripe_ids", "payments", "payment_stripe_ids", "credit_ledger",
  "credit_balances", "refunds", "refund_stripe_ids", "credit_adjustments", "consent_events", "customer_consents", "policy_declines", "error_reports", "api_request_logs",
  "dsar_requests", "dsar_events", "dsar_reference_counters", "legal_holds",
] as const;

export async function tableHashes(engine: Engine): Promise<Record<string, string>> {
  // One connection, UTC and full float precision, so the text of a row is the same on every engine.
  return engine.transaction(async (tx) => {
    await tx.exec("set local timezone = 'UTC'; set local extra_float_digits = 1");
    const out: Record<string, string> = {};
    for (const table of HASHED_TABLES) {
      const { rows } = await tx.query<{ h: string }>(
        `select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as h from public.${table} t`,
      );
      out[table] = rows[0]!.h;
    }
    return out;
  });
}
