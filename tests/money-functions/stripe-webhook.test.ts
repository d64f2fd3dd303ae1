/**
 * stripe-webhook against the real embedded server, fed by the Stripe sandbox's signed events (and by hand-signed
 * copies of them): the signature is checked before anything is written, each event id is processed once, and the
 * refund ends in Stripe's latest status whatever order the events arrive in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPayload, type StripeEvent } from "../../server/stripe-sandbox/index.ts";
import { getFunctionEnv, setFunctionEnv } from "../../supabase/functions/_shared/env.ts";
import { functionSecrets, startMoneyHarness, type MoneyHarness, type RefundRow } from "./harness.ts";

let h: MoneyHarness;

beforeAll(async () => {
  h = await startMoneyHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

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

  it("no answer carries a secret", () => {
    expect(h.captured.length).toBeGreaterThan(10);
    for (const answer of h.captured) {
      for (const secret of functionSecrets()) {
        expect(answer.body.includes(secret) || answer.headers.includes(secret), answer.url).toBe(false);
      }
    }
  });
});
