/**
 * The embedded Supabase-compatible server: opens the engine (PGlite in the data dir, or DATABASE_URL),
 * prepares the database on first start (bootstrap, migrations, demo seed), then serves /rest/v1,
 * /functions/v1 and, with demo sign-in, /embedded/v1 on 127.0.0.1 only.
 *
 * Run directly: `npx tsx server/index.ts`.
 */
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openEngine, type Engine } from "./db/engine.ts";
import { prepareDatabase } from "./db/migrate.ts";
import { resolveBackendConfig } from "./config.ts";
import { issueAnonKey, issueServiceRoleToken, loadOrCreateSecret } from "./auth/jwt.ts";
import { createApp, type EmbeddedApp } from "./app.ts";
import { defaultFunctionRegistry, type FunctionRegistry } from "./functions.ts";
import { DEMO_STAFF } from "./seed/staff.ts";
import { setFunctionEnv } from "../supabase/functions/_shared/env.ts";

export { createApp } from "./app.ts";
export { RestService } from "./rest/handler.ts";
export { defaultFunctionRegistry } from "./functions.ts";

/** The only interface the server binds to. */
export const LOOPBACK_HOST = "127.0.0.1";
export const DEFAULT_DEMO_CUSTOMERS = 300;

export interface EmbeddedServerOptions {
  /** Folder for the JWT secret and the PGlite files; default from MFC_DATA_DIR or `.data`. */
  dataDir?: string;
  /** Real Postgres instead of PGlite; default DATABASE_URL. */
  databaseUrl?: string;
  /** An engine opened by the caller (tests: in-memory PGlite). The server does not close it. */
  engine?: Engine;
  /** Port on 127.0.0.1; 0 picks a free one. Default MFC_API_PORT or 54321. */
  port?: number;
  /** Serve /embedded/v1 (staff list, demo tokens). Default true; refused when NODE_ENV=production. */
  demoSignIn?: boolean;
  /** Prepare (bootstrap + migrations) and seed on first start. Default true. */
  prepare?: boolean;
  /** Customers the first-start seed generates. */
  demoCustomers?: number;
  /** How often to look for schema changes made while running (ms); 0 disables. Default 3000. */
  schemaCheckIntervalMs?: number;
  /** Use this secret instead of the one kept in the data dir. */
  jwtSecret?: string;
  functions?: FunctionRegistry;
  allowedOrigins?: string[];
  log?: (message: string) => void;
  /** One log line per request; default from MFC_API_LOG=1. */
  logRequests?: boolean;
}

export interface EmbeddedServer {
  url: string;
  port: number;
  engine: Engine;
  app: EmbeddedApp;
  /** Role anon, long-lived: what supabase-js is created with, as on a Supabase project. */
  anonKey: string;
  /** Role service_role: for server-side code and tests only. */
  serviceRoleKey: string;
  jwtSecret: string;
  close(): Promise<void>;
}

export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const config = resolveBackendConfig();
  const log = options.log ?? (() => undefined);
  const demoSignIn = options.demoSignIn ?? true;
  if (demoSignIn && process.env.NODE_ENV === "production") {
    throw new Error("Refusing to start with demo sign-in while NODE_ENV=production: demo tokens would let anyone in.");
  }
  const dataDir = options.dataDir ?? config.dataDir;
  const databaseUrl = options.engine ? undefined : (options.databaseUrl ?? config.databaseUrl);
  const jwtSecret = options.jwtSecret ?? (await loadOrCreateSecret(path.join(dataDir, "jwt-secret")));

  const ownsEngine = !options.engine;
  const engine = options.engine ?? (await openEngine(databaseUrl ? { databaseUrl } : { dataDir: path.join(dataDir, "pglite") }));
  try {
    if (options.prepare ?? true) await prepareAndSeed(engine, options.demoCustomers ?? DEFAULT_DEMO_CUSTOMERS, log);

    const app = createApp({
      engine,
      jwtSecret,
      demoSignIn,
      functions: options.functions ?? defaultFunctionRegistry(),
      log,
      logRequests: options.logRequests ?? process.env.MFC_API_LOG === "1",
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    });
    const stopSchemaWatch = (options.schemaCheckIntervalMs ?? 3000) > 0 ? app.rest.watchSchema(options.schemaCheckIntervalMs ?? 3000) : () => undefined;
    const server = createServer(app.listener);
    const port = await listen(server, options.port ?? config.port);
    const url = `http://${LOOPBACK_HOST}:${port}`;
    const anonKey = issueAnonKey(jwtSecret);
    const serviceRoleKey = issueServiceRoleToken(jwtSecret);
    setFunctionEnv({ SUPABASE_URL: url, SUPABASE_ANON_KEY: anonKey, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey });
    log(`listening on ${url} (${engine.kind}${databaseUrl ? "" : ` in ${dataDir}`}${demoSignIn ? ", demo sign-in on" : ""})`);
    return {
      url,
      port,
      engine,
      app,
      anonKey,
      serviceRoleKey,
      jwtSecret,
      async close() {
        stopSchemaWatch();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (ownsEngine) await engine.close();
      },
    };
  } catch (err) {
    if (ownsEngine) await engine.close().catch(() => undefined);
    throw err;
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`Port ${port} on ${LOOPBACK_HOST} is already in use (another dev server?)`) : err),
    );
    server.listen(port, LOOPBACK_HOST, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

async function prepareAndSeed(engine: Engine, customers: number, log: (message: string) => void): Promise<void> {
  const started = Date.now();
  const applied = await prepareDatabase(engine);
  if (applied.length) log(`applied ${applied.length} migration(s): ${applied.join(", ")} (${Date.now() - started} ms)`);
  const { rows } = await engine.query<{ empty: boolean }>("select not exists (select 1 from public.staff_members) as empty");
  if (!rows[0]?.empty) return;
  log(`first start: seeding demo data (${customers} customers)…`);
  const seeded = Date.now();
  const seedModule = await import("./seed/index.ts").catch((err: unknown) => {
    log(`demo seed unavailable (${(err as Error).message}); seeding the demo staff only`);
    return null;
  });
  if (seedModule) {
    await seedModule.seed(engine, { customers, onProgress: (msg: string) => log(`seed: ${msg}`) });
  } else {
    await seedDemoStaffOnly(engine);
  }
  log(`seeded in ${Date.now() - seeded} ms`);
}

/** Fallback so sign-in works even before the full seed exists. */
async function seedDemoStaffOnly(engine: Engine): Promise<void> {
  await engine.transaction(async (tx) => {
    for (const staff of DEMO_STAFF) {
      const { rows } = await tx.query<{ id: string }>(
        "insert into public.staff_members (clerk_user_id, email, display_name) values ($1, $2, $3) returning id",
        [staff.clerkUserId, staff.email, staff.displayName],
      );
      for (const role of staff.roles) {
        await tx.query("insert into public.staff_roles (staff_member_id, role) values ($1, $2)", [rows[0]?.id, role]);
      }
    }
  });
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const log = (message: string): void => console.log(`[api] ${message}`);
  startEmbeddedServer({ log }).then(
    (server) => {
      console.log(`Embedded Supabase-compatible server: ${server.url}`);
      const stop = (): void => void server.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (err: unknown) => {
      console.error(`Could not start the embedded server: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
