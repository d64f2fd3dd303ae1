import { afterEach, describe, expect, it } from "vitest";
import Stripe from "stripe";
import type { StripeSandbox } from "../../server/stripe-sandbox/index.ts";
import { signPayload } from "../../server/stripe-sandbox/index.ts";
import { startReceiver, startSandbox, WEBHOOK_SECRET } from "./helpers.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(statuses: number[] = [], options: { webhookMaxAttempts?: number } = {}) {
  const receiver = await startReceiver(statuses);
  cleanups.push(receiver.close);
  const { sandbox, stripe } = await startSandbox({ webhookUrl: receiver.url, webhookRetryDelayMs: 5, ...options });
  cleanups.push(() => sandbox.close());
  const intent = await stripe.paymentIntents.create({ amount: 30_000, currency: "thb" });
  return { receiver, sandbox, stripe, intent };
}

function verified(stripe: Stripe, body: string, signature: string): Stripe.Event {
  return stripe.webhooks.constructEvent(body, signature, WEBHOOK_SECRET);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("webhooks", () => {
  it("sends charge.refunded and refund.created for a refund, signed so the official SDK verifies them", async () => {
    const { receiver, sandbox, stripe, intent } = await setup();
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 5_000 }, { idempotencyKey: "rr-hook" });
    await sandbox.webhooks.settled();
    const events = receiver.received.map((delivery) => verified(stripe, delivery.body, delivery.signature));
    // Deliveries run concurrently (Stripe does not guarantee order either), so find each event by type.
    expect(events.map((event) => event.type).sort()).toEqual(["charge.refunded", "refund.created"]);
    const chargeEvent = events.find((event) => event.type === "charge.refunded") as Stripe.ChargeRefundedEvent;
    expect(chargeEvent.data.object).toMatchObject({ id: intent.latest_charge, amount_refunded: 5_000 });
    expect(chargeEvent.data.previous_attributes).toEqual({ amount_refunded: 0 });
    expect((events.find((event) => event.type === "refund.created") as Stripe.RefundCreatedEvent).data.object.id).toBe(refund.id);
    expect(events.every((event) => /^evt_[A-Za-z0-9]+$/.test(event.id) && event.request?.idempotency_key === "rr-hook")).toBe(true);
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
  });

  it("fails verification with the wrong secret and with a tampered body", async () => {
    const { receiver, sandbox, stripe, intent } = await setup();
    await stripe.refunds.create({ payment_intent: intent.id });
    await sandbox.webhooks.settled();
    const delivery = receiver.received[0];
    if (!delivery) throw new Error("no webhook received");
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_wrong")).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => verified(stripe, delivery.body.replace("30000", "30001"), delivery.signature)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => verified(stripe, delivery.body, delivery.signature)).not.toThrow();
  });

  it("signs as Stripe does: v1 is HMAC-SHA256 of `${t}.${payload}` with the whole secret as key", () => {
    const header = signPayload('{"id":"evt_1"}', "whsec_abc", 1_700_000_000);
    // Reference value computed independently with: printf '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_abc
    expect(header).toBe("t=1700000000,v1=79f159714a0d01d9505691104b38e71f0dbb0d4bdeef387b113d07b870f50db3");
  });

  it("sends refund.updated and refund.failed when a refund fails, and refund.updated when one succeeds", async () => {
    const { receiver, sandbox, stripe, intent } = await setup();
    const first = await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000 });
    const second = await stripe.refunds.create({ payment_intent: intent.id, amount: 2_000 });
    sandbox.setRefundStatus(first.id, "failed", "lost_or_stolen_card");
    await stripe.rawRequest("POST", `/v1/test_helpers/refunds/${second.id}/status`, { status: "succeeded" });
    await sandbox.webhooks.settled();
    const received = receiver.received.map((delivery) => verified(stripe, delivery.body, delivery.signature).id);
    expect(received.sort()).toEqual(sandbox.webhooks.events.map((record) => record.event.id).sort());
    // The order in which the sandbox raised them (delivery itself is concurrent).
    const after = sandbox.webhooks.events.slice(4).map(({ event }) => [event.type, (event.data.object as { id: string }).id, (event.data.object as { status?: string }).status]);
    expect(after).toEqual([
      ["refund.updated", first.id, "failed"],
      ["refund.failed", first.id, "failed"],
      ["charge.refund.updated", first.id, "failed"],
      ["refund.updated", second.id, "succeeded"],
    ]);
  });

  it("retries a delivery answered with non-2xx until it succeeds", async () => {
    const { receiver, sandbox, stripe, intent } = await setup([500, 503]);
    sandbox.webhooks.pause();
    await stripe.refunds.create({ payment_intent: intent.id });
    const firstEventId = sandbox.webhooks.heldEventIds()[0] as string;
    const last = await sandbox.webhooks.deliver(firstEventId);
    expect(last.status).toBe(200);
    const record = sandbox.webhooks.find(firstEventId);
    expect(record?.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
    expect(record?.delivered).toBe(true);
    expect(sandbox.webhooks.heldEventIds()).not.toContain(firstEventId);
    expect(receiver.received.map((delivery) => verified(stripe, delivery.body, delivery.signature).id)).toEqual([firstEventId, firstEventId, firstEventId]);
  });

  it("gives up after the configured number of attempts", async () => {
    const { sandbox, stripe, intent } = await setup([500, 500, 500, 500, 500], { webhookMaxAttempts: 2 });
    await stripe.refunds.create({ payment_intent: intent.id });
    await sandbox.webhooks.settled();
    expect(sandbox.webhooks.events.map((record) => record.delivered)).toEqual([false, false]);
    expect(sandbox.webhooks.events[0]?.attempts).toHaveLength(2);
  });

  it("re-delivers an already delivered event with the same id through the test helper", async () => {
    const { receiver, sandbox, stripe, intent } = await setup();
    await stripe.refunds.create({ payment_intent: intent.id });
    await sandbox.webhooks.settled();
    const eventId = sandbox.webhooks.events[1]?.event.id as string;
    await stripe.rawRequest("POST", `/v1/test_helpers/events/${eventId}/deliver`, {});
    await until(() => receiver.received.length === 3, "the re-delivery");
    const ids = receiver.received.map((delivery) => verified(stripe, delivery.body, delivery.signature).id);
    expect(ids.filter((id) => id === eventId)).toHaveLength(2);
    expect((await stripe.events.retrieve(eventId)).id).toBe(eventId);
  });

  it("holds events while paused and delivers them in the order asked for", async () => {
    const { receiver, sandbox, stripe, intent } = await setup();
    await stripe.rawRequest("POST", "/v1/test_helpers/webhooks/pause", {});
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 700 });
    sandbox.setRefundStatus(refund.id, "succeeded");
    const held = sandbox.webhooks.heldEventIds();
    expect(held).toHaveLength(3);
    expect(receiver.received).toHaveLength(0);
    const reversed = [...held].reverse();
    await stripe.rawRequest("POST", "/v1/test_helpers/webhooks/resume", { order: reversed });
    await until(() => receiver.received.length === 3, "the held events");
    const types = receiver.received.map((delivery) => verified(stripe, delivery.body, delivery.signature).type);
    expect(types).toEqual(["refund.updated", "refund.created", "charge.refunded"]);
    expect(sandbox.webhooks.heldEventIds()).toEqual([]);
  });

  it("refuses to resume with an event that is not held", async () => {
    const { stripe } = await setup();
    await stripe.rawRequest("POST", "/v1/test_helpers/webhooks/pause", {});
    await expect(stripe.rawRequest("POST", "/v1/test_helpers/webhooks/resume", { order: ["evt_unknown"] })).rejects.toMatchObject({ statusCode: 400, param: "order" });
  });
});

describe("sandbox without a webhook URL", () => {
  let sandbox: StripeSandbox | undefined;
  afterEach(async () => { await sandbox?.close(); });

  it("still records events and refuses to deliver them", async () => {
    const started = await startSandbox();
    sandbox = started.sandbox;
    const intent = await started.stripe.paymentIntents.create({ amount: 100, currency: "thb" });
    await started.stripe.refunds.create({ payment_intent: intent.id });
    expect(sandbox.webhooks.events.map((record) => record.event.type)).toEqual(["charge.refunded", "refund.created"]);
    await expect(sandbox.webhooks.deliver(sandbox.webhooks.events[0]?.event.id as string)).rejects.toThrow(/no webhookUrl/);
  });
});
