import type { SupabaseClient } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { invokeFunction, messageOf, rpcCaller, RpcError, rpcErrorMessage, SERVER_UNREACHABLE, SESSION_EXPIRED, toRpcError, type CallFailure, type ErrorWording } from "./rpc";

const failure = (overrides: Partial<CallFailure>): CallFailure => ({ fn: "do_thing", code: null, status: null, message: "", ...overrides });

const WORDING: ErrorWording = {
  "42501": "Not allowed for your role.",
  "409": "Not possible now.",
  PT404: (f) => `Not found: ${f.message}`,
  otherwise: (f) => `Refused: ${f.message || "no reason given"}`,
};

describe("rpcErrorMessage: one map from code or status to plain words", () => {
  it("takes the feature's sentence for the code before the one for the status", () => {
    expect(rpcErrorMessage(failure({ code: "42501", status: 409, message: "denied" }), WORDING)).toBe("Not allowed for your role.");
    expect(rpcErrorMessage(failure({ code: "P0001", status: 409, message: "busy" }), WORDING)).toBe("Not possible now.");
  });

  it("builds the sentence from the failure when the wording is a function", () => {
    expect(rpcErrorMessage(failure({ code: "PT404", status: 404, message: "no such refund" }), WORDING)).toBe("Not found: no such refund");
  });

  it("says an expired session and an unreachable server the same way everywhere, unless the feature words them", () => {
    expect(rpcErrorMessage(failure({ code: "PGRST301", status: 401, message: "JWT expired" }), WORDING)).toBe(SESSION_EXPIRED);
    expect(rpcErrorMessage(failure({ status: 401 }), WORDING)).toBe(SESSION_EXPIRED);
    expect(rpcErrorMessage(failure({ status: 0, message: "TypeError: fetch failed" }), WORDING)).toBe(SERVER_UNREACHABLE);
    expect(rpcErrorMessage(failure({ code: "PGRST301", message: "JWT expired" }), { PGRST301: "Sign in again; the form keeps what you typed." })).toBe(
      "Sign in again; the form keeps what you typed.",
    );
  });

  it("falls back to the feature's otherwise, then to the database's own sentence, then to what kind of failure it was", () => {
    expect(rpcErrorMessage(failure({ code: "P0001", status: 400, message: "limit reached" }), WORDING)).toBe("Refused: limit reached");
    expect(rpcErrorMessage(failure({ code: "P0001", status: 400, message: "limit reached" }))).toBe("limit reached");
    expect(rpcErrorMessage(failure({ status: 502 }))).toBe("The server could not answer (HTTP 502). Try again in a moment.");
    expect(rpcErrorMessage(failure({ status: 400 }))).toBe("do_thing failed");
  });

  it("never reads `otherwise` as a code", () => {
    expect(rpcErrorMessage(failure({ code: "otherwise", message: "odd" }), { otherwise: "fallback" })).toBe("fallback");
  });
});

describe("RpcError", () => {
  it("keeps the code, the status and the database's own sentence next to the worded message", () => {
    const error = toRpcError("do_thing", { error: { code: "42501", message: "denied by policy" }, status: 403 }, WORDING);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ message: "Not allowed for your role.", code: "42501", status: 403, detail: "denied by policy", fn: "do_thing" });
    expect(messageOf(error)).toBe("Not allowed for your role.");
  });

  it("is known by its status when the answer had no code, and as network when nothing answered", () => {
    expect(new RpcError("x", { fn: "f", status: 409 }).code).toBe("409");
    expect(new RpcError("x", { fn: "f", status: 0 }).code).toBe("network");
    expect(new RpcError("x", { fn: "f" }).code).toBeNull();
    expect(new RpcError("x", { fn: "f", message: "  " }).detail).toBeNull();
  });
});

/** A client whose rpc and functions.invoke answer as given (supabase-js's shapes), recording what was asked. */
function fakeClient(answer: { rpc?: unknown; invoke?: unknown }) {
  const calls: unknown[][] = [];
  const client = {
    rpc: async (...args: unknown[]) => {
      calls.push(args);
      return answer.rpc;
    },
    functions: {
      invoke: async (...args: unknown[]) => {
        calls.push(args);
        return answer.invoke;
      },
    },
  } as unknown as SupabaseClient;
  return { client, calls };
}

type Functions = { dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: { id: number } } };

describe("rpcCaller", () => {
  it("passes the arguments through and returns the function's data", async () => {
    const { client, calls } = fakeClient({ rpc: { data: { id: 7 }, error: null, status: 200 } });
    const call = rpcCaller<Functions>(WORDING);
    await expect(call(client, "dsar_add_note", { p_request_id: "a", p_note: "hi" })).resolves.toEqual({ id: 7 });
    expect(calls).toEqual([["dsar_add_note", { p_request_id: "a", p_note: "hi" }]]);
  });

  it("throws an RpcError worded by the feature", async () => {
    const { client } = fakeClient({ rpc: { data: null, error: { code: "PT404", message: "no such request" }, status: 404 } });
    const refused = await rpcCaller<Functions>(WORDING)(client, "dsar_add_note", { p_request_id: "a", p_note: "hi" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RpcError);
    expect(refused).toMatchObject({ message: "Not found: no such request", code: "PT404", status: 404, fn: "dsar_add_note" });
  });
});

describe("invokeFunction", () => {
  const refusal = (status: number, body: string) => ({ data: null, error: Object.assign(new Error("Edge Function returned a non-2xx status code"), { context: new Response(body, { status }) }) });

  it("returns the function's answer", async () => {
    const { client, calls } = fakeClient({ invoke: { data: { ok: true }, error: null } });
    await expect(invokeFunction(client, "health", { method: "GET" })).resolves.toEqual({ ok: true });
    expect(calls).toEqual([["health", { method: "GET" }]]);
  });

  it("reads the refusal's { code, message } and words it by status", async () => {
    const { client } = fakeClient({ invoke: refusal(409, JSON.stringify({ code: "not_approved", message: "refund is pending" })) });
    const refused = await invokeFunction(client, "refund-execute", {}, { "409": (f) => `Not now (${f.code}: ${f.message})` }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ message: "Not now (not_approved: refund is pending)", code: "not_approved", status: 409, detail: "refund is pending" });
  });

  it("words a refusal that is not JSON by its status alone", async () => {
    const { client } = fakeClient({ invoke: refusal(503, "Service Unavailable") });
    const refused = await invokeFunction(client, "refund-execute", {}, { "503": "Stripe is not configured." }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ message: "Stripe is not configured.", code: "503", status: 503, detail: null });
  });

  it("says the server was not reached when there was no answer at all", async () => {
    const { client } = fakeClient({ invoke: { data: null, error: new Error("Failed to send a request to the Edge Function") } });
    const refused = await invokeFunction(client, "refund-execute", {}).catch((e: unknown) => e);
    expect(refused).toMatchObject({ message: SERVER_UNREACHABLE, code: "network", status: 0 });
  });
});
