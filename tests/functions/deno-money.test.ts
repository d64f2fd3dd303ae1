/**
 * The money functions under the Deno runtime itself (as on Supabase), with the official stripe SDK resolved from the
 * repo's node_modules: refund-execute talks to the Stripe sandbox through the SDK's fetch client, and stripe-webhook
 * verifies signatures with SubtleCrypto. The database side is a small recording stand-in for the REST API, so this
 * test is about the runtime, not the SQL (tests/money-functions covers that against the real server).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../server/config.ts";
import { signPayload, startStripeSandbox, type StripeSandbox } from "../../server/stripe-sandbox/index.ts";

const run = promisify(execFile);
const deno = path.join(repoRoot, "node_modules/.bin/deno");
const REFUND_ID = "6f1c2a8e-1111-4a4a-8b8b-0123456789ab";
const WEBHOOK_SECRET = "whsec_deno_runtime_test";
const SECRET_KEY = "sk_test_deno_runtime";

interface RpcCall { fn: string; authorization: string | undefined; apikey: string | undefined; body: Record<string, unknown> }

let sandbox: StripeSandbox;
let rest: Server;
let restUrl: string;
const calls: RpcCall[] = [];

beforeAll(async () => {
  sandbox = await startStripeSandbox({
    webhookSecret: WEBHOOK_SECRET,
    seed: { payments: [{ paymentIntentId: "pi_denoRuntime", chargeId: "ch_denoRuntime", amount: 10_000, currency: "thb" }] },
  });
  rest = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const fn = (req.url ?? "").replace("/rest/v1/rpc/", "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      calls.push({ fn, authorization: req.headers.authorization, apikey: req.headers.apikey as string | undefined, body });
      const answer = fn === "refund_begin_execution"
        ? { refund_id: REFUND_ID, amount: 2_500, currency: "thb", reason: "duplicate", stripe_payment_intent_id: "pi_denoRuntime", stripe_charge_id: "ch_denoRuntime", status: "processing" }
        : fn === "refund_record_stripe_result"
          ? { id: REFUND_ID, status: body.p_status }
          : fn === "stripe_record_webhook_event" ? "applied" : null;
      res.writeHead(answer === null ? 404 : 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(answer ?? { code: "PGRST202", message: "no such function" }));
    });
  });
  await new Promise<void>((resolve) => rest.listen(0, "127.0.0.1", resolve));
  restUrl = `http://127.0.0.1:${(rest.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => (rest ? rest.close(() => resolve()) : resolve()));
});

describe("money functions under Deno", () => {
  it("refund-execute makes one Stripe refund for concurrent calls; stripe-webhook verifies signatures", async () => {
    const payload = JSON.stringify({ id: "evt_denoRuntime1", object: "event", type: "refund.updated", created: 1_790_000_000, data: { object: { id: "re_x", object: "refund", status: "succeeded" } } });
    const script = `
      import execute from "./supabase/functions/refund-execute/handler.ts";
      import webhook from "./supabase/functions/stripe-webhook/handler.ts";
      const call = () => execute(new Request("http://localhost/functions/v1/refund-execute", {
        method: "POST", headers: { Authorization: "Bearer the-callers-token", "Content-Type": "application/json" },
        body: JSON.stringify({ refund_id: "${REFUND_ID}" }) }));
      const answers = await Promise.all([call(), call(), call()]);
      const executed = await Promise.all(answers.map(async (r) => ({ status: r.status, body: await r.json() })));
      const hook = (sig) => webhook(new Request("http://localhost/functions/v1/stripe-webhook", {
        method: "POST", headers: { "Stripe-Signature": sig }, body: Deno.env.get("TEST_PAYLOAD") }));
      const good = await hook(Deno.env.get("TEST_SIGNATURE"));
      const bad = await hook(Deno.env.get("TEST_BAD_SIGNATURE"));
      const malformed = await webhook(new Request("http://localhost/functions/v1/stripe-webhook", {
        method: "POST", headers: { "Stripe-Signature": Deno.env.get("TEST_MALFORMED_SIGNATURE") }, body: Deno.env.get("TEST_MALFORMED") }));
      console.log(JSON.stringify({ runtime: typeof Deno, executed, good: { status: good.status, body: await good.json() }, bad: { status: bad.status, body: await bad.json() },
        malformed: { status: malformed.status, body: await malformed.json() } }));
    `;
    const denoDir = await mkdtemp(path.join(os.tmpdir(), "mfc-deno-"));
    try {
      const { stdout } = await run(deno, ["eval", "--cached-only", "--config", "supabase/functions/deno.json", "--ext=ts", script], {
        cwd: repoRoot,
        env: {
          ...process.env, NO_COLOR: "1", DENO_DIR: denoDir,
          SUPABASE_URL: restUrl, SUPABASE_ANON_KEY: "anon-key", SUPABASE_SERVICE_ROLE_KEY: "service-role-key",
          STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
          STRIPE_API_HOST: sandbox.host, STRIPE_API_PORT: String(sandbox.port), STRIPE_API_PROTOCOL: sandbox.protocol,
          TEST_PAYLOAD: payload, TEST_SIGNATURE: signPayload(payload, WEBHOOK_SECRET), TEST_BAD_SIGNATURE: signPayload(payload, "whsec_wrong"),
          TEST_MALFORMED: payload.slice(0, -1), TEST_MALFORMED_SIGNATURE: signPayload(payload.slice(0, -1), WEBHOOK_SECRET),
        },
      });
      const out = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
        runtime: string;
        executed: { status: number; body: { stripe_refund_id?: string; refund?: { status?: string } } }[];
        good: { status: number; body: unknown };
        bad: { status: number; body: { code?: string } };
        malformed: { status: number; body: { code?: string } };
      };
      expect(out.runtime).toBe("object");
      const refunds = [...sandbox.state.refunds.values()].map((s) => s.value);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ amount: 2_500, payment_intent: "pi_denoRuntime", reason: "duplicate", metadata: { console_refund_id: REFUND_ID } });
      for (const answer of out.executed) {
        expect(answer).toMatchObject({ status: 200, body: { stripe_refund_id: refunds[0]?.id, refund: { status: "pending" } } });
      }
      // The role check ran with the caller's token; the recording with the service role.
      const begins = calls.filter((c) => c.fn === "refund_begin_execution");
      expect(begins).toHaveLength(3);
      expect(begins.every((c) => c.authorization === "Bearer the-callers-token" && c.apikey === "anon-key")).toBe(true);
      const records = calls.filter((c) => c.fn === "refund_record_stripe_result");
      expect(records.every((c) => c.authorization === "Bearer service-role-key" && c.body.p_stripe_refund_id === refunds[0]?.id && c.body.p_status === "pending")).toBe(true);

      expect(out.good).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
      expect(out.bad).toMatchObject({ status: 400, body: { code: "invalid_signature" } });
      // A valid signature over a body that is not JSON: told apart from a bad signature, and nothing recorded.
      expect(out.malformed).toMatchObject({ status: 400, body: { code: "malformed_json" } });
      const events = calls.filter((c) => c.fn === "stripe_record_webhook_event");
      expect(events).toHaveLength(1);
      expect(events[0]?.body).toMatchObject({ p_event_id: "evt_denoRuntime1", p_type: "refund.updated", p_refund: { id: "re_x", status: "succeeded" } });
      expect(events[0]?.body.p_stripe_created_at).toBe(new Date(1_790_000_000 * 1000).toISOString());
    } finally {
      await rm(denoDir, { recursive: true, force: true });
    }
  }, 120_000);
});
