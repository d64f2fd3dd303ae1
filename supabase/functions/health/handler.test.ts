/** The health handler as plain web-standard code (the same module Deno serves). */
import { afterEach, describe, expect, it } from "vitest";
import { setFunctionEnv } from "../_shared/env.ts";
import handler from "./handler.ts";

afterEach(() => setFunctionEnv({ SUPABASE_URL: undefined, SUPABASE_ANON_KEY: undefined }));

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
});
