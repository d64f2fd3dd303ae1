/**
 * One small interface over the two engines the console runs on:
 * PGlite (Postgres in WASM, the embedded default) and a real Postgres (DATABASE_URL).
 * Everything above this file (server, seed, tests, bench) talks to `Engine` only.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.ts";

export interface SqlResult<Row> {
  rows: Row[];
  rowCount: number;
  fields: { name: string; dataTypeID: number }[];
}

export interface Queryable {
  /** One statement with `$1…$n` parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
  /** Several statements, no parameters (migrations, scripts). */
  exec(sql: string): Promise<void>;
}

export interface Engine extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in BEGIN … COMMIT; any throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** postgres://… — use a real Postgres instead of PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; omitted → in-memory (tests). Locked for this process until the engine is closed. */
  dataDir?: string | undefined;
  /**
   * The lock on `dataDir`, when the caller took it earlier (db:reset holds it while deleting the files). The engine
   * owns it from here: it is released on close, or at once if the engine fails to open.
   */
  lock?: DataDirLock | null | undefined;
}

export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  if (!options.dataDir) return openPglite("memory://", null);
  const lock = options.lock ?? (await acquireDataDirLock(options.dataDir));
  return openPglite(options.dataDir, lock);
}

async function openPglite(dataDir: string, lock: DataDirLock | null): Promise<Engine> {
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      const r = await q.query<Row>(sql, params);
      return {
        rows: r.rows,
        rowCount: r.affectedRows ?? r.rows.length,
        fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(db);
  return {
    kind: "pglite",
    ...base,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async close() {
      try {
        await db.close();
      } finally {
        await lock?.release();
      }
    },
  };
}

// Same shapes as PGlite: bigint/int8 and numeric as JS numbers when they fit.
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 20 || oid === 1700) {
      return (v: string) => {
        const n = Number(v);
        return Number.isSafeInteger(n) || oid === 1700 ? n : v;
      };
    }
    return pg.types.getTypeParser(oid, format as "text");
  },
};

async function openPostgres(databaseUrl: string): Promise<Engine> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, types: pgTypes as never });
  // A connection the server ends while it is idle or closing (restart, admin terminate, DROP DATABASE … WITH (FORCE))
  // emits 'error' on its client; with no listener Node treats that as an uncaught exception and the process dies.
  // A query in flight still rejects with the error, and the pool replaces dead idle clients.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      const r = await c.query(sql, params);
      return {
        rows: r.rows as Row[],
        rowCount: r.rowCount ?? r.rows.length,
        fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    kind: "postgres",
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const out = await fn(wrap(client));
        await client.query("commit");
        return out;
      } catch (err) {
        await client.query("rollback").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
