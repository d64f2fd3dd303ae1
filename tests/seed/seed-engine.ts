/**
 * Engines for the seed tests: a fresh in-memory PGlite by default; with DATABASE_URL, a database of
 * our own on that server, created here and dropped on close (never any other database).
 */
import pg from "pg";
import { openEngine, type Engine } from "../../server/db/engine.ts";
import { bootstrapSupabaseRoles, migrate } from "../../server/db/migrate.ts";

export interface SeedTestEngine {
  engine: Engine;
  close(): Promise<void>;
}

async function withAdmin<T>(databaseUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** bootstrap.sql touches cluster-wide roles; test files starting together can race on them. */
async function bootstrapWithRetry(engine: Engine): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bootstrapSupabaseRoles(engine);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || (code !== "23505" && code !== "XX000" && code !== "40001")) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

export async function openMigratedEngine(): Promise<SeedTestEngine> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const engine = await openEngine();
    await bootstrapWithRetry(engine);
    await migrate(engine);
    return { engine, close: () => engine.close() };
  }
  const name = `mfc_seed_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(databaseUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const engine = await openEngine({ databaseUrl: url.toString() });
  try {
    await bootstrapWithRetry(engine);
    await migrate(engine);
  } catch (err) {
    await engine.close();
    await withAdmin(databaseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    throw err;
  }
  return {
    engine,
    async close() {
      await engine.close();
      await withAdmin(databaseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * md5 over every row of the tables the seed writes (and those its triggers derive), each table's rows in
 * text order. audit_log is left out: its rows carry clock_timestamp() and chain hashes over them.
 */
export const HASHED_TABLES = [
  "staff_members", "staff_roles", "policy_versions", "customers", "customer_stripe_ids", "projects", "generations",
  "assets", "subscriptions", "subscription_stripe_ids", "payments", "payment_stripe_ids", "credit_ledger",
  "credit_balances", "refunds", "refund_stripe_ids", "credit_adjustments", "consent_events", "customer_consents", "error_reports", "api_request_logs",
  "dsar_requests", "dsar_events", "dsar_reference_counters",
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
