/** The health handler as plain web-standard code (the same module Deno serves). */
import { afterEach, describe, expect, it } from "vitest";
import { setFunctionEnv } from "../_shared/env.ts";
import handler from "./handler.ts";

const STRIPE_UNSET = { STRIPE_SECRET_KEY: undefined, STRIPE_API_HOST: undefined };
afterEach(() => setFunctionEnv({ SUPABASE_URL: undefined, SUPABASE_ANON_KEY: undefined, ...STRIPE_UNSET }));

describe("health handler", () => {
  it("reports ok, the time and that the REST API is not configured when no URL is set", async () => {
    const res = await handler(new Request("http://x/functions/v1/health"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; time: string; runtime: string; rest_api: string };
    expect(body).toMatchObject({ status: "ok", runtime: "node", rest_api: "not_configured" });
    expect(Math.abs(Date.parse(body.time) - Date.now())).toBeLessThan(5000);
  });
  it("reports an unreachable REST API instead of failing", async () => {
    setFunctionEnv({ SUPABASE_URL: "http://127.0.0.1:9", SUPABASE_ANON_KEY: "k" });
    const res = await handler(new Request("http://x/functions/v1/health"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rest_api: string }).rest_api).toBe("unreachable");
  });
  it("answers preflight and refuses other methods", async () => {
    expect((await handler(new Request("http://x", { method: "OPTIONS" }))).status).toBe(204);
    const res = await handler(new Request("http://x", { method: "DELETE" }));
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ code: "method_not_allowed" });
  });
  it("reports which Stripe the money functions use, never the key", async () => {
    const mode = async () => {
      const text = await (await handler(new Request("http://x/functions/v1/health"))).text();
      expect(text).not.toMatch(/sk_(test|live)_/);
      return (JSON.parse(text) as { stripe: { mode: string } }).stripe.mode;
    };
    // The environment itself must not decide this test: blank overrides win over process.env.
    setFunctionEnv({ STRIPE_SECRET_KEY: "", STRIPE_API_HOST: "" });
    expect(await mode()).toBe("not_configured");
    setFunctionEnv({ STRIPE_SECRET_KEY: "sk_test_local_sandbox", STRIPE_API_HOST: "127.0.0.1" });
    expect(await mode()).toBe("sandbox");
    setFunctionEnv({ STRIPE_API_HOST: "" });
    expect(await mode()).toBe("test");
    setFunctionEnv({ STRIPE_SECRET_KEY: "sk_live_abc123" });
    expect(await mode()).toBe("live");
  });
});
