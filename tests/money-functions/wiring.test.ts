/**
 * How startEmbeddedServer wires Stripe: the local sandbox by default (its address and secrets handed to the
 * functions, stopped on close), none with `stripe: false`, and the environment's Stripe when STRIPE_SECRET_KEY is set.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../server/db/engine.ts";
import { openTestEngine } from "../helpers/db.ts";
import { bootstrapSupabaseRoles } from "../../server/db/migrate.ts";
import { generateSecret } from "../../server/auth/jwt.ts";
import { startEmbeddedServer, SANDBOX_STRIPE_SECRET_KEY, type EmbeddedServer, type EmbeddedServerOptions } from "../../server/index.ts";
import { getFunctionEnv } from "../../supabase/functions/_shared/env.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine();
  await bootstrapSupabaseRoles(engine);
});
afterAll(async () => {
  await engine?.close();
});

/** An empty database (no payments table): the server and the sandbox start, the seed is empty. */
async function start(options: Partial<EmbeddedServerOptions> = {}): Promise<EmbeddedServer> {
  const server = await startEmbeddedServer({ engine, port: 0, jwtSecret: generateSecret(), prepare: false, demoSignIn: false, schemaCheckIntervalMs: 0, ...options });
  cleanups.push(() => server.close());
  return server;
}

const health = async (server: EmbeddedServer) =>
  (await (await fetch(`${server.url}/functions/v1/health`)).json()) as { stripe: { mode: string } };

function withEnvKey(value: string | undefined): void {
  const before = process.env.STRIPE_SECRET_KEY;
  if (value === undefined) delete process.env.STRIPE_SECRET_KEY;
  else process.env.STRIPE_SECRET_KEY = value;
  cleanups.unshift(async () => {
    if (before === undefined) delete process.env.STRIPE_SECRET_KEY;
    else process.env.STRIPE_SECRET_KEY = before;
  });
}

describe("Stripe wiring of the embedded server", () => {
  it("starts the sandbox by default and hands the functions its address and secrets; close() stops it", async () => {
    withEnvKey(undefined);
    const server = await start();
    const sandbox = server.stripeSandbox;
    expect(sandbox?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(getFunctionEnv("STRIPE_SECRET_KEY")).toBe(SANDBOX_STRIPE_SECRET_KEY);
    expect(getFunctionEnv("STRIPE_WEBHOOK_SECRET")).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(getFunctionEnv("STRIPE_API_HOST")).toBe("127.0.0.1");
    expect(getFunctionEnv("STRIPE_API_PORT")).toBe(String(sandbox?.port));
    expect(getFunctionEnv("STRIPE_API_PROTOCOL")).toBe("http");
    expect(await health(server)).toMatchObject({ stripe: { mode: "sandbox" } });
    // The sandbox answers Stripe's API with the functions' key.
    const res = await fetch(`${sandbox?.url}/v1/charges`, { headers: { Authorization: `Bearer ${SANDBOX_STRIPE_SECRET_KEY}` } });
    expect(res.status).toBe(200);
    await server.close();
    await expect(fetch(`${sandbox?.url}/v1/charges`, { headers: { Authorization: `Bearer ${SANDBOX_STRIPE_SECRET_KEY}` } })).rejects.toThrow();
  });

  it("starts no sandbox with stripe: false; the functions then report Stripe as not configured", async () => {
    withEnvKey(undefined);
    const server = await start({ stripe: false });
    expect(server.stripeSandbox).toBeNull();
    expect(getFunctionEnv("STRIPE_API_HOST")).toBeUndefined();
    expect(await health(server)).toMatchObject({ stripe: { mode: "not_configured" } });
    const res = await fetch(`${server.url}/functions/v1/stripe-webhook`, { method: "POST", headers: { "Stripe-Signature": "t=1,v1=00" }, body: "{}" });
    expect(res.status).toBe(503);
  });

  it("uses the environment's STRIPE_SECRET_KEY instead of a sandbox when it is set", async () => {
    withEnvKey("sk_test_from_the_environment");
    const server = await start();
    expect(server.stripeSandbox).toBeNull();
    expect(getFunctionEnv("STRIPE_SECRET_KEY")).toBe("sk_test_from_the_environment");
    const body = await health(server);
    expect(body).toMatchObject({ stripe: { mode: "test" } });
    expect(JSON.stringify(body)).not.toContain("sk_test_from_the_environment");
  });
});
