/**
 * The embedded Supabase-compatible server: opens the engine (PGlite in the data dir, or DATABASE_URL),
 * prepares the database on first start (bootstrap, migrations, demo seed), then serves /rest/v1,
 * /functions/v1 and, with demo sign-in, /embedded/v1 on 127.0.0.1 only.
 *
 * Run directly: `npx tsx server/index.ts`.
 */
import { randomBytes } from "node:crypto";
import type { RequestListener, Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openEngine, type Engine } from "./db/engine.ts";
import { acquireDataDirLock } from "./db/data-dir-lock.ts";
import { prepareDatabase } from "./db/migrate.ts";
import { describeDatabaseUrl } from "./seed/reset.ts";
import { apiUrlFor, appOrigins, portTakenMessage, resolveBackendConfig } from "./config.ts";
import { issueAnonKey, issueServiceRoleToken, loadOrCreateSecret } from "./auth/jwt.ts";
import { createApp, createHttpServer, type EmbeddedApp } from "./app.ts";
import { defaultFunctionRegistry, type FunctionRegistry } from "./functions.ts";
import { DEMO_STAFF } from "./seed/staff.ts";
import { setFunctionEnv } from "../supabase/functions/_shared/env.ts";
import { readApiSettings } from "./supabaseConfig.ts";
import type { RestOptions } from "./rest/handler.ts";
import type { StripeSandbox, StripeSandboxOptions, StripeSeed } from "./stripe-sandbox/index.ts";

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
  /** Origins the browser may call from; default the console's dev and preview origins (MFC_APP_PORT). */
  allowedOrigins?: string[];
  log?: (message: string) => void;
  /** One log line per request; default from MFC_API_LOG=1. */
  logRequests?: boolean;
  /**
   * Start the local Stripe sandbox (server/stripe-sandbox/), seeded from the database, and point the money functions
   * at it. Default "sandbox" unless STRIPE_SECRET_KEY is set in the environment (then the functions use that Stripe).
   */
  stripe?: "sandbox" | false;
  /** Extra sandbox options (e.g. autoSucceedRefundsAfterMs, webhook retry timing); port defaults to MFC_STRIPE_SANDBOX_PORT or a free one. */
  stripeSandboxOptions?: Partial<Omit<StripeSandboxOptions, "webhookUrl" | "webhookSecret" | "seed">>;
  /** PostgREST settings; default `[api] max_rows` and `schemas` of supabase/config.toml, as on the hosted project. */
  rest?: Partial<RestOptions>;
}

/** The placeholder key the functions send to the sandbox (it accepts any sk_test_ key; never a real one). */
export const SANDBOX_STRIPE_SECRET_KEY = "sk_test_local_sandbox";
const STRIPE_ENV_NAMES = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_HOST", "STRIPE_API_PORT", "STRIPE_API_PROTOCOL"] as const;

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
  /** The local Stripe sandbox the functions talk to (its url, state and webhooks), or null when not started. */
  stripeSandbox: StripeSandbox | null;
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
  const ownsEngine = !options.engine;
  // Taken before anything in the data dir is touched and held until the engine closes (openEngine owns it from
  // there); kept here so that a refused opener is also told this server's URL.
  const lock = ownsEngine && !databaseUrl ? await acquireDataDirLock(path.join(dataDir, "pglite")) : null;
  // The port is bound next, so a taken one is reported before minutes of migrations and seeding; until the app is
  // ready, requests get 503.
  let handleRequest: RequestListener = (_req, res) => {
    res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "1" });
    res.end(JSON.stringify({ message: "The embedded server is starting" }));
  };
  const server = createHttpServer((req, res) => handleRequest(req, res));
  const stopListening = (): void => {
    server.close();
    server.closeAllConnections();
  };
  let port: number;
  let jwtSecret: string;
  let engine: Engine;
  try {
    port = await listen(server, options.port ?? config.port);
    jwtSecret = options.jwtSecret ?? (await loadOrCreateSecret(path.join(dataDir, "jwt-secret")));
    engine = options.engine ?? (await openEngine(databaseUrl ? { databaseUrl } : { dataDir: path.join(dataDir, "pglite"), lock, interruptible: true }));
  } catch (err) {
    stopListening();
    await lock?.release();
    throw err;
  }
  const url = apiUrlFor(port);
  lock?.describe({ apiUrl: url });
  try {
    if (options.prepare ?? true) {
      const target = options.engine ? undefined : databaseUrl ? describeDatabaseUrl(databaseUrl) : `PGlite data dir ${path.join(dataDir, "pglite")}`;
      await prepareAndSeed(engine, options.demoCustomers ?? DEFAULT_DEMO_CUSTOMERS, log, target);
    }

    const app = createApp({
      engine,
      jwtSecret,
      demoSignIn,
      functions: options.functions ?? defaultFunctionRegistry(),
      log,
      logRequests: options.logRequests ?? process.env.MFC_API_LOG === "1",
      rest: { ...readApiSettings(), ...options.rest },
      allowedOrigins: options.allowedOrigins ?? appOrigins(config),
    });
    const stopSchemaWatch = (options.schemaCheckIntervalMs ?? 3000) > 0 ? app.rest.watchSchema(options.schemaCheckIntervalMs ?? 3000) : () => undefined;
    const anonKey = issueAnonKey(jwtSecret);
    const serviceRoleKey = issueServiceRoleToken(jwtSecret);
    setFunctionEnv({ SUPABASE_URL: url, SUPABASE_ANON_KEY: anonKey, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey });
    handleRequest = app.listener;
    let stripeSandbox: StripeSandbox | null = null;
    try {
      stripeSandbox = await startStripe(engine, url, options, config.stripeSandboxPort, log);
    } catch (err) {
      stopSchemaWatch();
      throw err;
    }
    log(`listening on ${url} (${engine.kind}${databaseUrl ? "" : ` in ${dataDir}`}${demoSignIn ? ", demo sign-in on" : ""})`);
    return {
      url,
      port,
      engine,
      app,
      anonKey,
      serviceRoleKey,
      jwtSecret,
      stripeSandbox,
      async close() {
        stopSchemaWatch();
        // First the sandbox (it waits for webhook deliveries in flight, which need this server), then the server.
        await stripeSandbox?.close().catch(() => undefined);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (ownsEngine) await engine.close();
      },
    };
  } catch (err) {
    stopListening();
    if (ownsEngine) await engine.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Starts the sandbox seeded from the database and hands the functions its address and secrets; without a sandbox,
 * clears what an earlier server in this process set, so STRIPE_* from the environment apply.
 */
async function startStripe(
  engine: Engine, apiUrl: string, options: EmbeddedServerOptions, defaultPort: number, log: (message: string) => void,
): Promise<StripeSandbox | null> {
  const mode = options.stripe ?? (process.env.STRIPE_SECRET_KEY ? false : "sandbox");
  setFunctionEnv(Object.fromEntries(STRIPE_ENV_NAMES.map((name) => [name, undefined])));
  if (mode !== "sandbox") return null;
  const started = Date.now();
  const { startStripeSandbox } = await import("./stripe-sandbox/index.ts");
  let seed = await stripeSeed(engine, true);
  const webhookSecret = `whsec_${randomBytes(24).toString("hex")}`;
  const webhookUrl = `${apiUrl}/functions/v1/stripe-webhook`;
  const startWith = (withSeed: StripeSeed) => startStripeSandbox({
    port: defaultPort, initialRefundStatus: "pending", ...options.stripeSandboxOptions, webhookUrl, webhookSecret, seed: withSeed,
  });
  let sandbox: StripeSandbox;
  try {
    sandbox = await startWith(seed);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(portTakenMessage(options.stripeSandboxOptions?.port ?? defaultPort, "stripe"));
    }
    // A refund row the sandbox cannot hold (it refuses seeds that break Stripe's rules) must not stop the stack.
    log(`Stripe: the sandbox refused the console's refunds (${(err as Error).message}); starting it with the payments and their refunded totals only`);
    seed = await stripeSeed(engine, false);
    sandbox = await startWith(seed);
  }
  setFunctionEnv({
    STRIPE_SECRET_KEY: SANDBOX_STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_HOST: sandbox.host,
    STRIPE_API_PORT: String(sandbox.port),
    STRIPE_API_PROTOCOL: sandbox.protocol,
  });
  const seededRefunds = (seed.payments ?? []).reduce((n, p) => n + (p.refunds?.length ?? 0), 0);
  log(`Stripe: local sandbox on ${sandbox.url} (${seed.payments?.length ?? 0} charges and ${seededRefunds} refunds seeded, webhooks to ${webhookUrl}; ${Date.now() - started} ms)`);
  return sandbox;
}

/**
 * The console's payments as the sandbox's seed, with each refund Stripe knows of (its re_ id, amount, status) when
 * `withRefunds`; empty when the database has no payments table (test fixtures).
 */
async function stripeSeed(engine: Engine, withRefunds: boolean): Promise<StripeSeed> {
  const { rows } = await engine.query<{ payments: boolean; refunds: boolean }>(`
    select to_regclass('public.payments') is not null and to_regclass('public.payment_stripe_ids') is not null
             and to_regclass('public.customer_stripe_ids') is not null as payments,
           to_regclass('public.refunds') is not null and to_regclass('public.refund_stripe_ids') is not null as refunds`);
  if (!rows[0]?.payments) return {};
  const { stripeSeedFromDatabase } = await import("./stripe-sandbox/from-database.ts");
  if (!withRefunds || !rows[0].refunds) return stripeSeedFromDatabase(engine);
  const { refundsByPaymentIdFromDatabase } = await import("./seed/stripe-refunds.ts");
  return stripeSeedFromDatabase(engine, { refundsByPaymentId: await refundsByPaymentIdFromDatabase(engine) });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(portTakenMessage(port, "api")) : err),
    );
    server.listen(port, LOOPBACK_HOST, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

async function prepareAndSeed(engine: Engine, customers: number, log: (message: string) => void, target: string | undefined): Promise<void> {
  const started = Date.now();
  const applied = await prepareDatabase(engine, target ? { target } : {});
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
