/**
 * stripe-webhook against a stand-in REST API that answers as PostgREST does once the SQL functions choose their
 * status (409 PT409) or when it cannot reach the database (503 PGRST000): a refusal is a 4xx, a failure a 502, by
 * HTTP status. tests/money-functions/stripe-webhook.test.ts covers the real server and database.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signPayload } from "../../../server/stripe-sandbox/webhooks.ts";
import { setFunctionEnv } from "../_shared/env.ts";
import handler from "./handler.ts";

const SECRET = "whsec_handler_unit_test";
interface Call { fn: string; body: Record<string, unknown> }
const calls: Call[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: "applied" };
let rest: Server;

beforeAll(async () => {
  rest = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      calls.push({ fn: (req.url ?? "").replace("/rest/v1/rpc/", ""), body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> });
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => rest.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => rest.close(() => resolve()));
});
beforeEach(() => {
  calls.length = 0;
  setFunctionEnv({
    SUPABASE_URL: `http://127.0.0.1:${(rest.address() as AddressInfo).port}`, SUPABASE_ANON_KEY: "anon", SUPABASE_SERVICE_ROLE_KEY: "service",
    STRIPE_SECRET_KEY: "sk_test_handler_unit", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_HOST: "",
  });
});
afterEach(() => {
  setFunctionEnv({ SUPABASE_URL: undefined, SUPABASE_ANON_KEY: undefined, SUPABASE_SERVICE_ROLE_KEY: undefined, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_API_HOST: undefined });
});

const deliver = async (event: unknown) => {
  const payload = JSON.stringify(event);
  const res = await handler(new Request("http://x/functions/v1/stripe-webhook", { method: "POST", headers: { "Stripe-Signature": signPayload(payload, SECRET) }, body: payload }));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const refundEvent = { id: "evt_unit1", object: "event", type: "refund.updated", created: 1_790_000_000, data: { object: { id: "re_unit1", object: "refund", status: "succeeded" } } };

describe("stripe-webhook answers by the REST API's status", () => {
  it("the database refusing the event (409 PT409) is 409 record_refused, not a 5xx", async () => {
    answer = { status: 409, body: { code: "PT409", message: "refund is already another Stripe refund", details: null, hint: null } };
    const res = await deliver(refundEvent);
    expect(res).toMatchObject({ status: 409, body: { code: "record_refused" } });
    expect(String(res.body.message)).toContain("evt_unit1");
    expect(String(res.body.message)).toContain("PT409");
    expect(calls.map((c) => c.fn)).toEqual(["stripe_record_webhook_event"]);
  });

  it("the REST API unable to reach the database (503 PGRST000) is 502 record_failed, so Stripe delivers it again", async () => {
    answer = { status: 503, body: { code: "PGRST000", message: "Database connection error. Retrying the connection." } };
    expect(await deliver(refundEvent)).toMatchObject({ status: 502, body: { code: "record_failed" } });
  });

  it("an unusable event is recorded as refused with only its usable fields; if that recording fails it is a 502, not a lost refusal", async () => {
    const bad = { ...refundEvent, id: "evt_unit2", type: "", created: "1790000000" };
    answer = { status: 200, body: "refused" };
    expect(await deliver(bad)).toMatchObject({ status: 400, body: { code: "invalid_event", fields: ["type", "created"], recorded: true, outcome: "refused" } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ fn: "stripe_record_webhook_refusal", body: { p_event_id: "evt_unit2", p_type: null, p_stripe_created_at: null } });
    expect(String(calls[0]!.body.p_reason)).toMatch(/^type must .*; created must /);

    answer = { status: 503, body: { code: "PGRST000", message: "Database connection error." } };
    expect(await deliver(bad)).toMatchObject({ status: 502, body: { code: "record_failed" } });
  });
});
