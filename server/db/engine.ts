/**
 * One small interface over the two engines the console runs on:
 * PGlite (Postgres in WASM, the embedded default) and a real Postgres (DATABASE_URL).
 * Everything above this file (server, seed, tests, bench) talks to `Engine` only.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Worker } from "node:worker_threads";
import pg from "pg";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.ts";

export interface SqlResult<Row> {
  rows: Row[];
  rowCount: number;
  fields: { name: string; dataTypeID: number }[];
}

/**
 * A generated row (src/lib/database.types.ts, which types rows as PostgREST sends them: JSON) as `query` returns it:
 * both engines give timestamptz and date columns as Date, not as ISO text. Name those columns in `DateColumn`.
 */
export type SqlRow<Row, DateColumn extends keyof Row = never> = Omit<Row, DateColumn> & {
  [Column in DateColumn]: null extends Row[Column] ? Date | null : Date;
};

export interface Queryable {
  /** One statement with `$1…$n` parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
  /** Several statements, no parameters (migrations, scripts). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * The longest one statement of this transaction may run before it fails with 57014, as PostgreSQL's
   * statement_timeout does. PostgreSQL enforces the setting itself; PGlite only on an interruptible engine.
   */
  statementTimeoutMs?: number | null;
}

export interface Engine extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in BEGIN … COMMIT; any throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
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
  /**
   * Run PGlite (with `dataDir`) on a worker thread, so that a statement past its transaction's statementTimeoutMs
   * can be stopped — PGlite runs each statement to its end on the calling thread, signals and all. The embedded
   * server uses it; CLIs and tests run PGlite in-process.
   */
  interruptible?: boolean;
}

export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  if (!options.dataDir) return openPglite("memory://", null);
  const lock = options.lock ?? (await acquireDataDirLock(options.dataDir));
  return options.interruptible ? openInterruptiblePglite(options.dataDir, lock) : openPglite(options.dataDir, lock);
}

/** What PostgreSQL raises when statement_timeout fires; the REST layer maps it as PostgREST does (500). */
export class StatementTimeoutError extends Error {
  readonly code = "57014";
  constructor() {
    super("canceling statement due to statement timeout");
    this.name = "StatementTimeoutError";
  }
}

/** A Postgres error as the worker sends it back: an Error carrying code, detail, hint… like PGlite's own. */
function revive(error: Record<string, unknown>): Error {
  return Object.assign(new Error(String(error.message)), error);
}

interface WorkerAnswer {
  id: number;
  result?: { rows: unknown[]; affectedRows?: number; fields: { name: string; dataTypeID: number }[] } | null;
  error?: Record<string, unknown>;
}

/**
 * One PGlite on a worker thread, restarted on the same data dir after it is stopped. Stopping the thread mid-statement
 * is a crash for PGlite: what was committed is kept (WAL), the open transaction is gone — as when PostgreSQL cancels.
 */
class PgliteThread {
  private worker!: Worker;
  private ready!: Promise<void>;
  private nextId = 0;
  /** Threads stopped on purpose (timeout, close): their exit is expected. */
  private readonly stopping = new WeakSet<Worker>();
  private readonly pending = new Map<number, { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void }>();

  constructor(private readonly dataDir: string) {
    this.start();
  }

  opened(): Promise<void> {
    return this.ready;
  }

  private start(): void {
    const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), { workerData: { dataDir: this.dataDir } });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once("message", (first: { ready: boolean; error?: Record<string, unknown> }) => {
        if (first.ready) resolve();
        else reject(revive(first.error ?? { message: "PGlite did not open" }));
        worker.on("message", (answer: WorkerAnswer) => {
          const waiting = this.pending.get(answer.id);
          this.pending.delete(answer.id);
          waiting?.resolve(answer);
        });
      });
      worker.once("error", reject);
    });
    this.ready.catch(() => undefined);
    worker.on("exit", (code) => {
      if (this.stopping.has(worker)) return;
      // PGlite died by itself (a WASM abort): fail what was waiting and open the data dir again for what comes next.
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the PGlite thread stopped (exit code ${code})`));
      this.pending.clear();
      this.start();
    });
  }

  /** Sends one operation; past `timeoutMs` the thread is stopped and restarted and the call fails with 57014. */
  async call(op: "query" | "exec" | "close", sql?: string, params?: unknown[], timeoutMs: number | null = null): Promise<WorkerAnswer["result"]> {
    await this.ready;
    const id = ++this.nextId;
    const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, sql, params });
      if (timeoutMs !== null) {
        const timer = setTimeout(() => {
          if (!this.pending.delete(id)) return;
          reject(new StatementTimeoutError());
          void this.restart();
        }, timeoutMs);
        const settle = (): void => clearTimeout(timer);
        this.pending.set(id, { resolve: (a) => (settle(), resolve(a)), reject: (e) => (settle(), reject(e)) });
      }
    });
    if (answer.error) throw revive(answer.error);
    return answer.result;
  }

  private async restart(): Promise<void> {
    const stopped = this.worker;
    this.stopping.add(stopped);
    this.ready = stopped.terminate().then(() => {
      this.start();
      return this.ready;
    });
    this.ready.catch(() => undefined);
    await this.ready.catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.call("close").catch(() => undefined);
    this.stopping.add(this.worker);
    await this.worker.terminate();
  }
}

async function openInterruptiblePglite(dataDir: string, lock: DataDirLock | null): Promise<Engine> {
  const thread = new PgliteThread(dataDir);
  try {
    await thread.opened();
  } catch (err) {
    await thread.close().catch(() => undefined);
    await lock?.release();
    throw err;
  }
  // One statement or transaction at a time, as PGlite (one connection) serialises them itself.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
  const on = (timeoutMs: number | null): Queryable => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      const r = (await thread.call("query", sql, params, timeoutMs)) as NonNullable<WorkerAnswer["result"]>;
      return { rows: r.rows as Row[], rowCount: r.affectedRows ?? r.rows.length, fields: r.fields };
    },
    async exec(sql: string) {
      await thread.call("exec", sql, undefined, timeoutMs);
    },
  });
  const untimed = on(null);
  return {
    kind: "pglite",
    query: (sql, params) => exclusive(() => untimed.query(sql, params)),
    exec: (sql) => exclusive(() => untimed.exec(sql)),
    transaction: (fn, options) =>
      exclusive(async () => {
        const tx = on(options?.statementTimeoutMs ?? null);
        await untimed.exec("begin");
        try {
          const out = await fn(tx);
          await untimed.exec("commit");
          return out;
        } catch (err) {
          // After a timeout the thread was restarted: the transaction died with it.
          if (!(err instanceof StatementTimeoutError)) await untimed.exec("rollback").catch(() => undefined);
          throw err;
        }
      }),
    async close() {
      try {
        await exclusive(() => thread.close());
      } finally {
        await lock?.release();
      }
    },
  };
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
