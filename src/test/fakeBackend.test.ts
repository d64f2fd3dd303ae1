import { describe, expect, it } from "vitest";
import { MAX_ROWS } from "../lib/readAll";
import { createFakeBackend, staffOf, TEST_API_URL, type TableRows } from "./fakeBackend";

const asFinance = { Authorization: `Bearer ${staffOf("finance").token}` };
const ROWS = [
  { id: 1, status: "open", amount: 100, email: "a@example.com" },
  { id: 2, status: "closed", amount: 300, email: "b@example.com" },
  { id: 3, status: "open", amount: 200, email: "c@example.com" },
];

describe("the fake backend", () => {
  it("answers a table read filtered, ordered, projected and paged like PostgREST", async () => {
    const backend = createFakeBackend({ rowsFor: (role): TableRows => (role === "finance" ? { payments: ROWS } : {}) });
    const response = await backend.fetch(`${TEST_API_URL}/rest/v1/payments?select=id,amount&status=eq.open&order=amount.desc&offset=0&limit=1`, { headers: asFinance });
    expect(await response.json()).toEqual([{ id: 3, amount: 200 }]);
    expect(response.headers.get("Content-Range")).toBe("0-0/2");
    expect(backend.lastQuery("payments").get("status")).toBe("eq.open");
  });

  it("refuses what the role cannot read, a missing token, and a filter it does not implement", async () => {
    const backend = createFakeBackend({ rowsFor: () => ({ payments: ROWS }) });
    expect((await backend.fetch(`${TEST_API_URL}/rest/v1/refunds`, { headers: asFinance })).status).toBe(403);
    expect((await backend.fetch(`${TEST_API_URL}/rest/v1/payments`)).status).toBe(401);
    const unsupported = await backend.fetch(`${TEST_API_URL}/rest/v1/payments?tags=cs.{a}`, { headers: asFinance });
    expect(unsupported.status).toBe(400);
    expect(((await unsupported.json()) as { message: string }).message).toMatch(/does not implement the cs operator/);
  });

  it("routes RPCs to the test's handler and records each call; an unexpected function is a 404", async () => {
    const backend = createFakeBackend({ rpc: (fn, args) => (fn === "approve" ? { body: { approved: args.p_id } } : undefined) });
    const post = (fn: string, args: unknown) =>
      backend.fetch(`${TEST_API_URL}/rest/v1/rpc/${fn}`, { method: "POST", headers: asFinance, body: JSON.stringify(args) });
    expect(await (await post("approve", { p_id: "r1" })).json()).toEqual({ approved: "r1" });
    const missing = await post("reject", { p_id: "r1" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe("PGRST202");
    expect(backend.rpcCalls).toEqual([
      { fn: "approve", args: { p_id: "r1" }, role: "finance", method: "POST" },
      { fn: "reject", args: { p_id: "r1" }, role: "finance", method: "POST" },
    ]);
  });

  it("pages a set-returning function's rows under max_rows and counts them on HEAD", async () => {
    const many = Array.from({ length: MAX_ROWS + 5 }, (_, i) => ({ n: i }));
    const backend = createFakeBackend({ rpc: () => ({ rows: many }) });
    const head = await backend.fetch(`${TEST_API_URL}/rest/v1/rpc/numbers?p_from=2026-11-01`, { method: "HEAD", headers: { ...asFinance, Prefer: "count=exact" } });
    expect(head.headers.get("Content-Range")).toBe(`0-${MAX_ROWS - 1}/${many.length}`);
    const read = await backend.fetch(`${TEST_API_URL}/rest/v1/rpc/numbers`, { method: "POST", headers: asFinance, body: "{}" });
    expect((await read.json()) as unknown[]).toHaveLength(MAX_ROWS);
    expect(backend.rpcCalls.map((c) => [c.method, c.args])).toEqual([["HEAD", { p_from: "2026-11-01" }], ["POST", {}]]);
  });

  it("answers edge functions before auth, recording the caller's role (null without a token)", async () => {
    const backend = createFakeBackend({ functions: (name) => (name === "health" ? { body: { ok: true } } : undefined) });
    expect(await (await backend.fetch(`${TEST_API_URL}/functions/v1/health`)).json()).toEqual({ ok: true });
    expect((await backend.fetch(`${TEST_API_URL}/functions/v1/refund-execute`, { method: "POST", headers: asFinance, body: '{"refund_id":"r1"}' })).status).toBe(404);
    expect(backend.functionCalls).toEqual([
      { name: "health", method: "GET", body: null, role: null },
      { name: "refund-execute", method: "POST", body: { refund_id: "r1" }, role: "finance" },
    ]);
  });

  it("fails a path on request, before anything else answers it", async () => {
    const backend = createFakeBackend({ rpc: () => ({ body: 1 }), failures: { "/rest/v1/rpc/approve": { status: 503, code: "503", message: "down" } } });
    const response = await backend.fetch(`${TEST_API_URL}/rest/v1/rpc/approve`, { method: "POST", headers: asFinance, body: "{}" });
    expect(response.status).toBe(503);
    expect(backend.requestsTo("/rest/v1/rpc/approve")).toHaveLength(1);
  });
});
