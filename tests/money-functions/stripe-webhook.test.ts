/**
 * stripe-webhook against the real embedded server, fed by the Stripe sandbox's signed events (and by hand-signed
 * copies of them): the signature is checked before anything is written, each event id is processed once, and the
 * refund ends in Stripe's latest status whatever order the events arrive in.
 */
import { describe, expect, it } from "vitest";
import { signPayload, type StripeEvent } from "../../server/stripe-sandbox/index.ts";
import { getFunctionEnv, setFunctionEnv } from "../../supabase/functions/_shared/env.ts";
import { functionSecrets, startMoneyHarness, type RefundRow } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startMoneyHarness, 120_000);

const webhookSecret = (): string => {
  const secret = getFunctionEnv("STRIPE_WEBHOOK_SECRET");
  if (!secret) throw new Error("the server did not give the functions a webhook secret");
  return secret;
};

/** POSTs an event body to the webhook with the given signature header (none when null). */
const post = (payload: string, signature: string | null) =>
  h.callFunction("stripe-webhook", { token: null, rawBody: payload, headers: signature === null ? { "Content-Type": "application/json" } : { "Content-Type": "application/json", "Stripe-Signature": signature } });

const signed = (event: StripeEvent) => {
  const payload = JSON.stringify(event, null, 2);
  return post(payload, signPayload(payload, webhookSecret()));
};

/** What the database holds that a webhook could change. */
async function snapshot() {
  const { rows } = await h.engine.query<{ refunds: string; events: string; audit: string; payments: string }>(`
    select (select md5(coalesce(string_agg(r::text, ',' order by r.id), '')) from refunds r) as refunds,
           (select count(*) from stripe_webhook_events)::text as events,
           (select count(*) from audit_log)::text as audit,
           (select md5(coalesce(string_agg(p.amount_refunded::text, ',' order by p.id), '')) from payments p) as payments`);
  return rows[0];
}

/** Sends an approved refund to Stripe with webhooks held; returns it and its Stripe refund id. */
async function executedWithHeldWebhooks(): Promise<{ refund: RefundRow; stripeRefundId: string; paymentId: string }> {
  const payment = await h.freshPayment();
  const refund = await h.approvedRefund(payment);
  h.sandbox.webhooks.pause();
  const res = await h.callFunction("refund-execute", { token: h.token("finance"), body: { refund_id: refund.id } });
  expect(res.status).toBe(200);
  return { refund, stripeRefundId: String(res.body.stripe_refund_id), paymentId: payment.id };
}

const eventsFor = (stripeRefundId: string, type?: string) =>
  h.sandbox.webhooks.events
    .map((record) => record.event)
    .filter((event) => (event.data.object as { id: string }).id === stripeRefundId && (type === undefined || event.type === type));

const outcomeOf = async (eventId: string): Promise<string | undefined> =>
  (await h.engine.query<{ outcome: string }>("select outcome from stripe_webhook_events where id = $1", [eventId])).rows[0]?.outcome;

describe("stripe-webhook", () => {
  it("refuses a wrong signature, a tampered body, a stale signature and a missing header (400) and writes nothing", async () => {
    const { refund, stripeRefundId } = await executedWithHeldWebhooks();
    try {
      h.sandbox.setRefundStatus(stripeRefundId, "succeeded");
      const [event] = eventsFor(stripeRefundId, "refund.updated");
      if (!event) throw new Error("no refund.updated event");
      const payload = JSON.stringify(event, null, 2);
      const before = await snapshot();

      const wrongSecret = await post(payload, signPayload(payload, "whsec_not_the_endpoint_secret"));
      expect(wrongSecret).toMatchObject({ status: 400, body: { code: "invalid_signature" } });
      const tampered = await post(payload.replace('"succeeded"', '"failed"'), signPayload(payload, webhookSecret()));
      expect(tampered).toMatchObject({ status: 400, body: { code: "invalid_signature" } });
      const stale = await post(payload, signPayload(payload, webhookSecret(), Math.floor(Date.now() / 1000) - 3600));
      expect(stale).toMatchObject({ status: 400, body: { code: "invalid_signature" } });
      const garbage = await post(payload, "t=1,v1=deadbeef");
      expect(garbage.status).toBe(400);
      const missing = await post(payload, null);
      expect(missing).toMatchObject({ status: 400, body: { code: "missing_signature" } });

      expect(await snapshot()).toEqual(before);
      expect((await h.refund(refund.id)).status).toBe("pending");
      expect(await outcomeOf(event.id)).toBeUndefined();

      // The genuine delivery of the same event goes through.
      expect(await signed(event)).toMatchObject({ status: 200, body: { received: true, outcome: "applied" } });
      expect((await h.refund(refund.id)).status).toBe("succeeded");
    } finally {
      await h.sandbox.webhooks.resume();
      await h.sandbox.webhooks.settled();
    }
  });

  it("processes an event delivered twice only once", async () => {
    const { refund, stripeRefundId } = await executedWithHeldWebhooks();
    try {
      h.sandbox.setRefundStatus(stripeRefundId, "succeeded");
      const [event] = eventsFor(stripeRefundId, "refund.updated");
      if (!event) throw new Error("no refund.updated event");
      const auditBefore = await h.count("select 1 from audit_log where record_id = $1", [refund.id]);
      expect((await signed(event)).body).toMatchObject({ received: true, outcome: "applied" });
      const auditAfterFirst = await h.count("select 1 from audit_log where record_id = $1", [refund.id]);
      expect(auditAfterFirst).toBe(auditBefore + 1);
      const second = await signed(event);
      expect(second).toMatchObject({ status: 200, body: { received: true, outcome: "duplicate" } });
      // Stripe's own re-delivery of the same event id (signed afresh) is a duplicate too.
      const attempt = await h.sandbox.webhooks.deliver(event.id);
      expect(attempt.status).toBe(200);
      expect(await h.count("select 1 from stripe_webhook_events where id = $1", [event.id])).toBe(1);
      expect(await h.count("select 1 from audit_log where record_id = $1", [refund.id])).toBe(auditAfterFirst);
      expect(await outcomeOf(event.id)).toBe("applied");
    } finally {
      await h.sandbox.webhooks.resume();
      await h.sandbox.webhooks.settled();
    }
    expect((await h.refund(refund.id)).status).toBe("succeeded");
  });

  it("events delivered in reverse order end in the final status (succeeded), the older ones ignored", async () => {
    const { refund, stripeRefundId, paymentId } = await executedWithHeldWebhooks();
    h.sandbox.setRefundStatus(stripeRefundId, "requires_action");
    h.sandbox.setRefundStatus(stripeRefundId, "succeeded");
    const held = h.sandbox.webhooks.heldEventIds();
    expect(held.length).toBeGreaterThanOrEqual(4); // charge.refunded, refund.created, 2 × refund.updated
    await h.sandbox.webhooks.resume([...held].reverse());
    await h.sandbox.webhooks.settled();
    expect((await h.refund(refund.id)).status).toBe("succeeded");
    expect(await h.paymentRefunded(paymentId)).toBe(Number(refund.amount));
    const [toRequiresAction] = eventsFor(stripeRefundId, "refund.updated").filter((e) => (e.data.object as { status: string }).status === "requires_action");
    expect(await outcomeOf(toRequiresAction!.id)).toBe("ignored_older");
    const [created] = eventsFor(stripeRefundId, "refund.created");
    expect(await outcomeOf(created!.id)).toBe("ignored_older");
    const chargeRefunded = h.sandbox.webhooks.events.find((r) => held.includes(r.event.id) && r.event.type === "charge.refunded");
    expect(await outcomeOf(chargeRefunded!.event.id)).toBe("ignored_type");
  });

  it("a failed refund arriving before its creation event ends failed and gives the amount back", async () => {
    const { refund, stripeRefundId, paymentId } = await executedWithHeldWebhooks();
    expect(await h.paymentRefunded(paymentId)).toBe(Number(refund.amount));
    h.sandbox.setRefundStatus(stripeRefundId, "failed", "expired_or_canceled_card");
    await h.sandbox.webhooks.resume([...h.sandbox.webhooks.heldEventIds()].reverse());
    await h.sandbox.webhooks.settled();
    expect(await h.refund(refund.id)).toMatchObject({ status: "failed", failure_reason: "expired_or_canceled_card" });
    expect(await h.paymentRefunded(paymentId)).toBe(0);
  });

  it("records a refund made outside the console as unmatched and changes no refund", async () => {
    const payment = await h.freshPayment();
    await h.sandbox.webhooks.settled();
    const before = await snapshot();
    const outside = await h.stripe.refunds.create({ payment_intent: payment.paymentIntentId, amount: 100 });
    await h.sandbox.webhooks.settled();
    const [created] = eventsFor(outside.id, "refund.created");
    expect(await outcomeOf(created!.id)).toBe("unmatched");
    const after = await snapshot();
    expect(after?.refunds).toBe(before?.refunds);
    expect(after?.payments).toBe(before?.payments);
  });

  it("without a webhook secret it answers 503 and records nothing", async () => {
    const secret = webhookSecret();
    const before = await snapshot();
    setFunctionEnv({ STRIPE_WEBHOOK_SECRET: "" });
    try {
      const payload = JSON.stringify({ id: "evt_noSecret", object: "event", type: "refund.updated", created: 1, data: { object: {} } });
      expect(await post(payload, signPayload(payload, secret))).toMatchObject({ status: 503, body: { code: "stripe_not_configured" } });
    } finally {
      setFunctionEnv({ STRIPE_WEBHOOK_SECRET: secret });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a correctly signed body that is not JSON is 400 malformed_json (not invalid_signature), not recorded, nothing applied", async () => {
    const { refund, stripeRefundId } = await executedWithHeldWebhooks();
    try {
      h.sandbox.setRefundStatus(stripeRefundId, "succeeded");
      const [event] = eventsFor(stripeRefundId, "refund.updated");
      if (!event) throw new Error("no refund.updated event");
      const before = await snapshot();
      const truncated = JSON.stringify(event).slice(0, -1);
      for (let delivery = 0; delivery < 2; delivery++) {
        const res = await post(truncated, signPayload(truncated, webhookSecret()));
        expect(res).toMatchObject({ status: 400, body: { code: "malformed_json", recorded: false } });
        expect(String(res.body.message)).toMatch(/not JSON/);
      }
      expect(await snapshot()).toEqual(before);
      expect((await h.refund(refund.id)).status).toBe("pending");
    } finally {
      await h.sandbox.webhooks.resume();
      await h.sandbox.webhooks.settled();
    }
  });

  describe("a correctly signed event that can never be applied is 400 naming the field, recorded once, nothing applied", () => {
    type Bad = (event: Record<string, unknown>) => unknown;
    const without = (event: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(event).filter(([k]) => k !== key));
    const withObject = (event: Record<string, unknown>, change: Record<string, unknown>) =>
      ({ ...event, data: { ...(event.data as object), object: { ...((event.data as { object: object }).object), ...change } } });
    const cases: [string, string, Bad][] = [
      ["no data", "data.object", (e) => without(e, "data")],
      ["data without its object", "data.object", (e) => ({ ...e, data: {} })],
      ["a non-numeric created", "created", (e) => ({ ...e, created: "yesterday" })],
      ["created as a numeric string", "created", (e) => ({ ...e, created: String(e.created) })],
      ["a fractional created", "created", (e) => ({ ...e, created: Number(e.created) + 0.5 })],
      ["created past year 9999", "created", (e) => ({ ...e, created: 1e15 })],
      ["no type", "type", (e) => without(e, "type")],
      ["a refund event carrying a charge", "data.object.object", (e) => withObject(e, { object: "charge" })],
      ["a failure reason longer than 500 characters", "data.object.failure_reason", (e) => withObject(e, { status: "failed", failure_reason: "x".repeat(501) })],
    ];

    it.each(cases)("%s → field %s; a redelivery is refused again and changes nothing", async (_what, field, bad) => {
      const { refund, stripeRefundId, paymentId } = await executedWithHeldWebhooks();
      try {
        h.sandbox.setRefundStatus(stripeRefundId, "succeeded");
        const [event] = eventsFor(stripeRefundId, "refund.updated");
        if (!event) throw new Error("no refund.updated event");
        const eventId = `${event.id}_bad`;
        const payload = JSON.stringify({ ...(bad({ ...event, id: eventId }) as object), id: eventId });
        const before = await snapshot();

        const first = await post(payload, signPayload(payload, webhookSecret()));
        expect(first).toMatchObject({ status: 400, body: { code: "invalid_event", field, event_id: eventId, recorded: true, outcome: "refused" } });
        expect(String(first.body.message)).toContain(field);
        const { rows } = await h.engine.query<{ outcome: string; refusal: string; refund_id: string | null }>(
          "select outcome, refusal, refund_id from stripe_webhook_events where id = $1", [eventId]);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ outcome: "refused", refund_id: null });
        expect(rows[0]!.refusal).toContain(field);
        const afterFirst = await snapshot();
        expect(afterFirst).toEqual({ ...before, events: String(Number(before!.events) + 1) });

        // Stripe redelivers what it did not see acknowledged: the same event, signed afresh.
        const again = await post(payload, signPayload(payload, webhookSecret()));
        expect(again).toMatchObject({ status: 400, body: { code: "invalid_event", field, recorded: true, outcome: "duplicate" } });
        expect(await snapshot()).toEqual(afterFirst);
        expect((await h.refund(refund.id)).status).toBe("pending");
        expect(await h.paymentRefunded(paymentId)).toBe(Number(refund.amount));

        // Finance reads the refusal and its reason through the REST API.
        const seen = await fetch(`${h.server.url}/rest/v1/stripe_webhook_events?id=eq.${eventId}&select=outcome,refusal`, {
          headers: { apikey: h.server.anonKey, Authorization: `Bearer ${h.token("finance")}` },
        });
        expect(await seen.json()).toEqual([{ outcome: "refused", refusal: rows[0]!.refusal }]);

        // The genuine event still applies.
        expect(await signed(event)).toMatchObject({ status: 200, body: { outcome: "applied" } });
        expect((await h.refund(refund.id)).status).toBe("succeeded");
      } finally {
        await h.sandbox.webhooks.resume();
        await h.sandbox.webhooks.settled();
      }
    });

    it.each([
      ["an id that is not evt_…", "id", { id: "ch_notAnEvent", object: "event", type: "refund.updated", created: 1_790_000_000, data: { object: { id: "re_x", object: "refund", status: "succeeded" } } }],
      ["no id", "id", { object: "event", type: "refund.updated", created: 1_790_000_000, data: { object: { id: "re_x", object: "refund", status: "succeeded" } } }],
      ["a JSON array", "event", [{ id: "evt_inAnArray" }]],
      ["JSON null", "event", null],
    ] as const)("%s → field %s, not recorded (no usable id), and the answer says so", async (_what, field, body) => {
      const before = await snapshot();
      const payload = JSON.stringify(body);
      for (let delivery = 0; delivery < 2; delivery++) {
        const res = await post(payload, signPayload(payload, webhookSecret()));
        expect(res).toMatchObject({ status: 400, body: { code: "invalid_event", field, recorded: false } });
        expect(String(res.body.message)).toMatch(/Not recorded/);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  it("the database unreachable is a 502 and records nothing; Stripe's redelivery after it is back applies the event", async () => {
    const { refund, stripeRefundId } = await executedWithHeldWebhooks();
    const restUrl = getFunctionEnv("SUPABASE_URL");
    try {
      h.sandbox.setRefundStatus(stripeRefundId, "succeeded");
      const [event] = eventsFor(stripeRefundId, "refund.updated");
      if (!event) throw new Error("no refund.updated event");
      const before = await snapshot();
      setFunctionEnv({ SUPABASE_URL: "http://127.0.0.1:9" });
      const lost = await signed(event);
      expect(lost).toMatchObject({ status: 502, body: { code: "database_unavailable" } });
      expect(String(lost.body.message)).toMatch(/deliver it again/);
      const attempt = await h.sandbox.webhooks.deliver(event.id);
      expect(attempt.status).toBe(502);
      expect(await snapshot()).toEqual(before);
      expect((await h.refund(refund.id)).status).toBe("pending");

      setFunctionEnv({ SUPABASE_URL: restUrl });
      expect((await h.sandbox.webhooks.deliver(event.id)).status).toBe(200);
      expect(await outcomeOf(event.id)).toBe("applied");
      expect((await h.refund(refund.id)).status).toBe("succeeded");
    } finally {
      setFunctionEnv({ SUPABASE_URL: restUrl });
      await h.sandbox.webhooks.resume();
      await h.sandbox.webhooks.settled();
    }
  });

  it("no answer carries a secret", () => {
    expect(h.captured.length).toBeGreaterThan(10);
    for (const answer of h.captured) {
      for (const secret of functionSecrets()) {
        expect(answer.body.includes(secret) || answer.headers.includes(secret), answer.url).toBe(false);
      }
    }
  });
});
