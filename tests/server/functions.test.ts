/**
 * /functions/v1 with handlers that use supabase/functions/_shared/rest.ts: a function identifies its caller by
 * forwarding the caller's token to the REST API (RLS decides), and can act as the service role server-side.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "../../server/index.ts";
import type { FunctionRegistry } from "../../server/functions.ts";
import { callerAuthorization, callRpc, RestCallError } from "../../supabase/functions/_shared/rest.ts";
import { errorJson, json } from "../../supabase/functions/_shared/http.ts";
import { ALICE, startHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startHarness);
let server: EmbeddedServer;

const functions: FunctionRegistry = new Map([
  ["who-am-i", {
    verifyJwt: false, // verifies by forwarding the token, as the handler would on Supabase with verify_jwt off
    load: async () => async (req: Request) => {
      try {
        const sub = await callRpc<string>("whoami", {}, { authorization: callerAuthorization(req) });
        const sum = await callRpc<number>("add_numbers", { a: 40, b: 2 }, { serviceRole: true });
        return json({ sub, sum });
      } catch (err) {
        if (err instanceof RestCallError) return errorJson(err.status, err.code, err.message);
        throw err;
      }
    },
  }],
]);

const requestLog: string[] = [];

beforeAll(async () => {
  server = await startEmbeddedServer({
    engine: h.engine, port: 0, prepare: false, demoSignIn: false, jwtSecret: h.server.jwtSecret, functions,
    logRequests: true, log: (line) => requestLog.push(line),
  });
});
afterAll(async () => {
  await server?.close();
});

describe("functions calling the REST API", () => {
  it("identifies the caller through their own token and calls as the service role", async () => {
    const res = await fetch(`${server.url}/functions/v1/who-am-i`, { method: "POST", headers: { Authorization: `Bearer ${h.tokenFor(ALICE)}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: ALICE.clerkUserId, sum: 42 });
  });
  it("a forged token is refused by the REST API and the function reports 401", async () => {
    const res = await fetch(`${server.url}/functions/v1/who-am-i`, { method: "POST", headers: { Authorization: "Bearer a.b.c" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "PGRST301" });
  });
  it("logRequests writes one line per request with method, path and status", async () => {
    await fetch(`${server.url}/functions/v1/nope?x=1`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requestLog.some((line) => /^GET \/functions\/v1\/nope\?x=1 → 404 \(\d+\.\d ms\)$/.test(line))).toBe(true);
  });
  it("no token at all is a 401 from the function itself", async () => {
    const res = await fetch(`${server.url}/functions/v1/who-am-i`, { method: "POST" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "unauthorized" });
  });
});
