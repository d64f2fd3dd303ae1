/** The two sandbox options the console's stack uses: refunds that settle by themselves, and lost answers. */
import { afterEach, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { startReceiver, startSandbox, TEST_KEY, WEBHOOK_SECRET } from "./helpers.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("autoSucceedRefundsAfterMs", () => {
  it("moves a pending refund to succeeded after the delay and announces it with refund.updated", async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const { sandbox, stripe } = await startSandbox({ webhookUrl: receiver.url, autoSucceedRefundsAfterMs: 150 });
    cleanups.push(() => sandbox.close());
    const intent = await stripe.paymentIntents.create({ amount: 10_000, currency: "thb" });
    const started = Date.now();
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 2_500 }, { idempotencyKey: "auto-1" });
    expect(refund.status).toBe("pending");
    // A replay of the same request does not schedule a second move.
    await stripe.refunds.create({ payment_intent: intent.id, amount: 2_500 }, { idempotencyKey: "auto-1" });
    await until(() => sandbox.state.getRefund(refund.id).status === "succeeded", "the refund to settle");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await sandbox.webhooks.settled();
    const events = receiver.received.map((d) => stripe.webhooks.constructEvent(d.body, d.signature, WEBHOOK_SECRET));
    const updates = events.filter((e) => e.type === "refund.updated") as Stripe.RefundUpdatedEvent[];
    expect(updates).toHaveLength(1);
    expect(updates[0]?.data.object).toMatchObject({ id: refund.id, status: "succeeded" });
    expect(updates[0]?.data.previous_attributes).toEqual({ status: "pending" });
  });

  it("leaves a refund alone that was moved meanwhile, and is off by default", async () => {
    const { sandbox, stripe } = await startSandbox({ autoSucceedRefundsAfterMs: 100 });
    cleanups.push(() => sandbox.close());
    const intent = await stripe.paymentIntents.create({ amount: 10_000, currency: "thb" });
    const moved = await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000 });
    sandbox.setRefundStatus(moved.id, "failed", "declined");
    const { sandbox: plain, stripe: plainStripe } = await startSandbox();
    cleanups.push(() => plain.close());
    const otherIntent = await plainStripe.paymentIntents.create({ amount: 10_000, currency: "thb" });
    const untouched = await plainStripe.refunds.create({ payment_intent: otherIntent.id, amount: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(sandbox.state.getRefund(moved.id).status).toBe("failed");
    expect(plain.state.getRefund(untouched.id).status).toBe("pending");
  });
});

describe("failNextResponses (lost answers)", () => {
  it("applies the request but closes the connection; a retry with the same key replays the one refund", async () => {
    const { sandbox, stripe } = await startSandbox();
    cleanups.push(() => sandbox.close());
    const intent = await stripe.paymentIntents.create({ amount: 10_000, currency: "thb" });
    // Two: even with maxNetworkRetries 0 the SDK retries once when a (keep-alive) connection is closed under it.
    sandbox.failNextResponses(2, { mode: "drop", method: "POST", path: "/v1/refunds" });
    await expect(stripe.refunds.create({ payment_intent: intent.id, amount: 4_000 }, { idempotencyKey: "lost-1" }))
      .rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(sandbox.state.refunds.size).toBe(1);
    const replayed = await stripe.refunds.create({ payment_intent: intent.id, amount: 4_000 }, { idempotencyKey: "lost-1" });
    expect(replayed.id).toBe([...sandbox.state.refunds.keys()][0]);
    expect(sandbox.state.refunds.size).toBe(1);
  });

  it("the SDK's own retries see the replay when fewer answers are lost than it retries", async () => {
    const { sandbox } = await startSandbox();
    cleanups.push(() => sandbox.close());
    const stripe = new Stripe(TEST_KEY, { host: sandbox.host, port: sandbox.port, protocol: "http", maxNetworkRetries: 1 });
    const intent = await stripe.paymentIntents.create({ amount: 10_000, currency: "thb" });
    sandbox.failNextResponses(1, { mode: "drop", path: "/v1/refunds" });
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 3_000 }, { idempotencyKey: "lost-2" });
    expect(sandbox.state.refunds.size).toBe(1);
    expect(sandbox.state.getRefund(refund.id).amount).toBe(3_000);
  });

  it("only matching requests lose their answers", async () => {
    const { sandbox, stripe } = await startSandbox();
    cleanups.push(() => sandbox.close());
    sandbox.failNextResponses(1, { mode: "drop", method: "POST", path: "/v1/refunds" });
    const intent = await stripe.paymentIntents.create({ amount: 10_000, currency: "thb" });
    await expect(stripe.charges.list()).resolves.toMatchObject({ data: [{ payment_intent: intent.id }] });
    expect(() => sandbox.failNextResponses(0, { mode: "drop" })).toThrow(/positive integer/);
  });
});
