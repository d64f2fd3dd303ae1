/**
 * startEmbeddedServer on the real migrations and seed: demo sign-in endpoints, tokens that RLS accepts,
 * restart reusing data and secret, the token CLI, and the production guard.
 * PGlite in a temporary data dir by default; with DATABASE_URL, a fresh database created on that server
 * (the secret still lives in the temporary data dir), dropped at the end.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testClient } from "../helpers/server.ts";
import { verifyToken } from "../../server/auth/jwt.ts";
import { repoRoot } from "../../server/config.ts";
import { startEmbeddedServer, type EmbeddedServer } from "../../server/index.ts";
import { DEMO_STAFF } from "../../server/seed/staff.ts";

const run = promisify(execFile);
const EXTRA_STAFF = { clerkUserId: "user_extraSupport", email: "extra.support@m-factory.test" };
let dataDir: string;
let server: EmbeddedServer | null = null;
const logs: string[] = [];

const clientWith = (s: EmbeddedServer, token: string) => testClient({ url: s.url, anonKey: "embedded-anon-key-placeholder" }, token);

async function signIn(s: EmbeddedServer, email: string): Promise<Response> {
  return fetch(`${s.url}/embedded/v1/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email }) });
}

// The server under test must use this file's own database, never the one DATABASE_URL names.
const postgresServerUrl = process.env.DATABASE_URL || undefined;
let databaseUrl: string | undefined;
const databaseName = `mfc_embedded_test_${randomBytes(6).toString("hex")}`;

async function onPostgresServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresServerUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Environment for the token CLI: same data dir, same database as the server under test. */
function cliEnv(port: number): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, ...rest } = process.env;
  void _unused;
  return { ...rest, MFC_DATA_DIR: dataDir, MFC_API_PORT: String(port), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
}

const start = (log: (m: string) => void) =>
  startEmbeddedServer({ dataDir, port: 0, demoCustomers: 8, log, ...(databaseUrl ? { databaseUrl } : {}) });

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-embedded-"));
  if (postgresServerUrl) {
    await onPostgresServer(`create database ${databaseName}`);
    const url = new URL(postgresServerUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
  server = await start((m) => logs.push(m));
  // A staff member the demo list does not know: only the database can vouch for them.
  await server.engine.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      "insert into public.staff_members (clerk_user_id, email, display_name) values ($1, $2, $3) returning id",
      [EXTRA_STAFF.clerkUserId, EXTRA_STAFF.email, "Extra Support"],
    );
    await tx.query("insert into public.staff_roles (staff_member_id, role) values ($1, 'support')", [rows[0]?.id]);
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
  if (postgresServerUrl) {
    process.env.DATABASE_URL = postgresServerUrl;
    await onPostgresServer(`drop database if exists ${databaseName} with (force)`);
  }
});

describe("first start on the real migrations", () => {
  it("applied the migrations and seeded the demo data, logging both", () => {
    expect(logs.some((l) => l.startsWith("applied "))).toBe(true);
    expect(logs.some((l) => l.startsWith("first start: seeding"))).toBe(true);
  });
  it("kept the JWT secret in the data dir", async () => {
    expect((await readFile(path.join(dataDir, "jwt-secret"), "utf8")).trim()).toBe(server?.jwtSecret);
  });
  it("GET /embedded/v1/staff lists the five demo staff with their roles from the database", async () => {
    const res = await fetch(`${server?.url}/embedded/v1/staff`);
    expect(res.status).toBe(200);
    const staff = (await res.json()) as { email: string; display_name: string; roles: string[] }[];
    for (const demo of DEMO_STAFF) {
      expect(staff).toContainEqual({ email: demo.email, display_name: demo.displayName, roles: demo.roles });
    }
  });
  it("POST /embedded/v1/token issues a Clerk-shaped token for a demo staff member", async () => {
    const res = await signIn(server as EmbeddedServer, "DPO@m-factory.test ");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; expires_at: number };
    const claims = verifyToken(body.access_token, (server as EmbeddedServer).jwtSecret);
    expect(claims).toMatchObject({ sub: "user_demoDpo", role: "authenticated", exp: body.expires_at });
    expect(body.expires_at).toBeGreaterThan(Date.now() / 1000);
  });
  it("an unknown email gets 404 with a message and no token", async () => {
    const res = await signIn(server as EmbeddedServer, "nobody@m-factory.test");
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.message).toMatch(/nobody@m-factory.test/);
    expect(body.access_token).toBeUndefined();
  });
  it("a malformed token request is 400", async () => {
    const res = await fetch(`${server?.url}/embedded/v1/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "not json" });
    expect(res.status).toBe(400);
  });
  it("a token request that is not application/json (a cross-site simple POST) is refused", async () => {
    const res = await fetch(`${server?.url}/embedded/v1/token`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ email: "dpo@m-factory.test" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Record<string, unknown>).access_token).toBeUndefined();
  });
  it("the issued token reaches current_staff() through RLS", async () => {
    const { access_token } = (await (await signIn(server as EmbeddedServer, "support@m-factory.test")).json()) as { access_token: string };
    const { data, error } = await clientWith(server as EmbeddedServer, access_token).rpc("current_staff");
    expect(error).toBeNull();
    expect(data).toMatchObject({ email: "support@m-factory.test", roles: ["support"] });
  });
  it("support lists customers with counts but sees no Stripe ids; the DPO sees them", async () => {
    const s = server as EmbeddedServer;
    const supportToken = ((await (await signIn(s, "support@m-factory.test")).json()) as { access_token: string }).access_token;
    const dpoToken = ((await (await signIn(s, "dpo@m-factory.test")).json()) as { access_token: string }).access_token;
    const support = await clientWith(s, supportToken).from("customer_directory").select("id,email,credit_balance,stripe_customer_id", { count: "exact" }).order("email").range(0, 4);
    expect(support.error).toBeNull();
    expect(support.count).toBe(8);
    expect(support.data).toHaveLength(5);
    expect(support.data?.every((c) => c.stripe_customer_id === null)).toBe(true);
    const dpo = await clientWith(s, dpoToken).from("customer_directory").select("stripe_customer_id").not("stripe_customer_id", "is", null);
    expect(dpo.error).toBeNull();
    expect((dpo.data ?? []).length).toBeGreaterThan(0);
  });
  it("embeds related rows through the customer_directory view", async () => {
    const s = server as EmbeddedServer;
    const dpoToken = ((await (await signIn(s, "dpo@m-factory.test")).json()) as { access_token: string }).access_token;
    const { data, error } = await clientWith(s, dpoToken).from("customer_directory").select("email,projects(id)").limit(1).single();
    expect(error).toBeNull();
    expect(Array.isArray((data as { projects: unknown }).projects)).toBe(true);
  });
  it("the health function answers without a token", async () => {
    const res = await fetch(`${server?.url}/functions/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });
  it("npm run token asks the running server about someone who is not demo staff, and prints only a valid token", async () => {
    const s = server as EmbeddedServer;
    const { stdout } = await run("npm", ["run", "--silent", "token", "--", EXTRA_STAFF.email], {
      cwd: repoRoot,
      env: cliEnv(s.port),
    });
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(verifyToken(stdout.trim(), s.jwtSecret).sub).toBe(EXTRA_STAFF.clerkUserId);
  });
  it("npm run token signs a demo staff member's token from the secret alone", async () => {
    const s = server as EmbeddedServer;
    const { stdout } = await run("npm", ["run", "--silent", "token", "--", "auditor@m-factory.test"], {
      cwd: repoRoot,
      env: cliEnv(9), // a port nothing listens on: no server is asked
    });
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(verifyToken(stdout.trim(), s.jwtSecret).sub).toBe("user_demoAuditor");
  });
  it("npm run token exits 1 with a message for an unknown email", async () => {
    const s = server as EmbeddedServer;
    const failure = await run("npm", ["run", "--silent", "token", "--", "ghost@m-factory.test"], {
      cwd: repoRoot,
      env: cliEnv(s.port),
    }).then(
      () => null,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe("");
    expect(failure?.stderr).toMatch(/Unknown staff email: ghost@m-factory.test/);
  });
});

describe("restart and guards", () => {
  it("a second start reuses the data and the secret (old tokens stay valid, no reseed)", async () => {
    const first = server as EmbeddedServer;
    const token = ((await (await signIn(first, "finance@m-factory.test")).json()) as { access_token: string }).access_token;
    const secret = first.jwtSecret;
    await first.close();
    server = null;
    const restartLogs: string[] = [];
    server = await start((m) => restartLogs.push(m));
    expect(server.jwtSecret).toBe(secret);
    expect(restartLogs.some((l) => l.startsWith("first start"))).toBe(false);
    expect(restartLogs.some((l) => l.startsWith("applied "))).toBe(false);
    const { data, error } = await clientWith(server, token).rpc("current_staff");
    expect(error).toBeNull();
    expect(data).toMatchObject({ email: "finance@m-factory.test" });
  });
  it("npm run token looks someone who is not demo staff up in the database itself when no server is running", async () => {
    const s = server as EmbeddedServer;
    const secret = s.jwtSecret;
    await s.close();
    server = null;
    const { stdout } = await run("npm", ["run", "--silent", "token", "--", EXTRA_STAFF.email], {
      cwd: repoRoot,
      env: cliEnv(9), // a port nothing listens on
    });
    expect(verifyToken(stdout.trim(), secret).sub).toBe(EXTRA_STAFF.clerkUserId);
  });
  it("refuses demo sign-in when NODE_ENV=production, before opening anything", async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await expect(startEmbeddedServer({ dataDir, port: 0 })).rejects.toThrow(/NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
