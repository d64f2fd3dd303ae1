import { afterEach, describe, expect, it, vi } from "vitest";
import Stripe from "stripe";
import type { StripeSandbox } from "../../server/stripe-sandbox/index.ts";
import { startSandbox, TEST_KEY } from "./helpers.ts";

let running: StripeSandbox | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await running?.close();
  running = undefined;
});

async function sandboxWithSdk(options: Parameters<typeof startSandbox>[0] = {}) {
  const started = await startSandbox(options);
  running = started.sandbox;
  return started;
}

/** Expects the SDK call to fail with the given Stripe error fields. */
async function expectStripeError(call: Promise<unknown>, expected: { statusCode: number; type?: string; code?: string; param?: string; rawType?: string }) {
  const error = await call.then(() => undefined, (thrown: unknown) => thrown);
  expect(error, "the call should have failed").toBeInstanceOf(Stripe.errors.StripeError);
  const stripeError = error as Stripe.errors.StripeError;
  expect(stripeError.statusCode).toBe(expected.statusCode);
  if (expected.type) expect(stripeError.type).toBe(expected.type);
  if (expected.code) expect(stripeError.code).toBe(expected.code);
  if (expected.param) expect(stripeError.param).toBe(expected.param);
  if (expected.rawType) expect(stripeError.rawType).toBe(expected.rawType);
  return stripeError;
}

describe("payment intents, charges and balance transactions", () => {
  it("creates a succeeded payment intent with its charge and a balance transaction carrying fee and net", async () => {
    const { stripe } = await sandboxWithSdk({ fee: (amount) => Math.round(amount * 0.03) });
    const customer = await stripe.customers.create({ email: "a@example.com" });
    const intent = await stripe.paymentIntents.create({ amount: 49_900, currency: "THB", customer: customer.id, metadata: { plan: "pro" } });
    expect(intent.id).toMatch(/^pi_[A-Za-z0-9]+$/);
    expect(intent).toMatchObject({ status: "succeeded", amount: 49_900, amount_received: 49_900, currency: "thb", customer: customer.id, metadata: { plan: "pro" } });

    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount: 49_900, amount_refunded: 0, refunded: false, payment_intent: intent.id, status: "succeeded" });
    const transaction = await stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(transaction).toMatchObject({ amount: 49_900, fee: 1_497, net: 48_403, type: "charge", reporting_category: "charge", source: charge.id, currency: "thb" });
    expect((await stripe.paymentIntents.retrieve(intent.id)).id).toBe(intent.id);
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
  });

  it("refuses a payment intent without amount, with a zero amount, or for an unknown customer", async () => {
    const { stripe } = await sandboxWithSdk();
    await expectStripeError(stripe.paymentIntents.create({ currency: "thb" } as Stripe.PaymentIntentCreateParams), { statusCode: 400, code: "parameter_missing", param: "amount" });
    await expectStripeError(stripe.paymentIntents.create({ amount: 0, currency: "thb" }), { statusCode: 400, code: "parameter_invalid_integer", param: "amount" });
    await expectStripeError(stripe.paymentIntents.create({ amount: 100, currency: "thb", customer: "cus_nobody" }), { statusCode: 404, code: "resource_missing" });
    expect(running?.state.paymentIntents.size).toBe(0);
  });

  it("lists newest first and pages forward with starting_after and back with ending_before", async () => {
    const base = 1_760_000_000;
    const payments = Array.from({ length: 25 }, (_, index) => ({
      paymentIntentId: `pi_seed${String(index).padStart(3, "0")}`, chargeId: `ch_seed${String(index).padStart(3, "0")}`,
      amount: 1_000 + index, currency: "thb", created: base + index * 60,
    }));
    const { stripe } = await sandboxWithSdk({ seed: { payments } });

    const first = await stripe.paymentIntents.list({ limit: 10 });
    expect(first.data.map((p) => p.id)).toEqual(payments.slice(15).reverse().map((p) => p.paymentIntentId));
    expect(first.has_more).toBe(true);
    const second = await stripe.paymentIntents.list({ limit: 10, starting_after: first.data.at(-1)?.id });
    const third = await stripe.paymentIntents.list({ limit: 10, starting_after: second.data.at(-1)?.id });
    expect(third.data).toHaveLength(5);
    expect(third.has_more).toBe(false);
    const back = await stripe.paymentIntents.list({ limit: 10, ending_before: third.data[0]?.id });
    expect(back.data.map((p) => p.id)).toEqual(second.data.map((p) => p.id));

    const all: string[] = [];
    for await (const intent of stripe.paymentIntents.list({ limit: 7 })) all.push(intent.id);
    expect(all).toEqual(payments.slice().reverse().map((p) => p.paymentIntentId));
  });

  it("filters lists by created[gte] and created[lte]", async () => {
    const base = 1_760_000_000;
    const payments = Array.from({ length: 6 }, (_, index) => ({ amount: 500, currency: "usd", created: base + index * 100 }));
    const { stripe } = await sandboxWithSdk({ seed: { payments } });
    const window = await stripe.paymentIntents.list({ created: { gte: base + 100, lte: base + 300 }, limit: 100 });
    expect(window.data.map((p) => p.created)).toEqual([base + 300, base + 200, base + 100]);
    const charges = await stripe.charges.list({ created: { gte: base + 400 } });
    expect(charges.data.map((c) => c.created)).toEqual([base + 500, base + 400]);
  });

  it("refuses a limit above 100 and an unknown cursor", async () => {
    const { stripe } = await sandboxWithSdk();
    await expectStripeError(stripe.charges.list({ limit: 101 }), { statusCode: 400, param: "limit" });
    await expectStripeError(stripe.charges.list({ starting_after: "ch_missing" }), { statusCode: 400, code: "resource_missing", param: "starting_after" });
  });

  it("answers an unknown id with a Stripe-shaped 404", async () => {
    const { stripe } = await sandboxWithSdk();
    const error = await expectStripeError(stripe.charges.retrieve("ch_nothere"), { statusCode: 404, code: "resource_missing", rawType: "invalid_request_error" });
    expect(error.message).toBe("No such charge: 'ch_nothere'");
  });
});

describe("seed", () => {
  it("creates the given payments with their ids, customers and refunds so they match the console's payments table", async () => {
    const { stripe } = await sandboxWithSdk({
      seed: {
        customers: [{ id: "cus_SeedA", email: "seed@example.com" }],
        payments: [{
          paymentIntentId: "pi_SeedA", chargeId: "ch_SeedA", balanceTransactionId: "txn_SeedA", customer: "cus_SeedA",
          amount: 99_000, currency: "thb", created: new Date("2026-10-01T03:00:00Z"), fee: 3_614,
          refunds: [{ id: "re_SeedA1", amount: 10_000, status: "succeeded", reason: "requested_by_customer" }, { amount: 5_000, status: "failed" }],
        }],
      },
    });
    const charge = await stripe.charges.retrieve("ch_SeedA");
    expect(charge).toMatchObject({ customer: "cus_SeedA", payment_intent: "pi_SeedA", amount_refunded: 10_000, created: 1_790_823_600 });
    expect(await stripe.balanceTransactions.retrieve("txn_SeedA")).toMatchObject({ fee: 3_614, net: 95_386 });
    const refunds = await stripe.refunds.list({ charge: "ch_SeedA" });
    expect(refunds.data.map((r) => r.status).sort()).toEqual(["failed", "succeeded"]);
    expect((await stripe.customers.retrieve("cus_SeedA")) as Stripe.Customer).toMatchObject({ email: "seed@example.com" });
  });

  it("refuses a seed whose refunds exceed the payment", async () => {
    const { startStripeSandbox } = await import("../../server/stripe-sandbox/index.ts");
    await expect(startStripeSandbox({ webhookSecret: "whsec_x", seed: { payments: [{ amount: 100, currency: "thb", refunds: [{ amount: 101, status: "succeeded" }] }] } }))
      .rejects.toThrow(/not within the remaining 100/);
  });
});

describe("refunds", () => {
  async function paidCharge(stripe: Stripe, amount = 10_000, currency = "thb") {
    const intent = await stripe.paymentIntents.create({ amount, currency });
    return { intent, chargeId: intent.latest_charge as string };
  }

  it("refunds the remaining amount by default and then refuses another refund as already refunded", async () => {
    const { stripe } = await sandboxWithSdk();
    const { intent, chargeId } = await paidCharge(stripe);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, reason: "duplicate", metadata: { refund_request_id: "rr-1" } });
    expect(refund).toMatchObject({ amount: 10_000, currency: "thb", charge: chargeId, payment_intent: intent.id, reason: "duplicate", status: "pending", metadata: { refund_request_id: "rr-1" } });
    expect(refund.id).toMatch(/^re_/);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 10_000, refunded: true });
    expect(await stripe.balanceTransactions.retrieve(refund.balance_transaction as string)).toMatchObject({ amount: -10_000, net: -10_000, type: "refund", source: refund.id });
    await expectStripeError(stripe.refunds.create({ charge: chargeId, amount: 1 }), { statusCode: 400, code: "charge_already_refunded" });
  });

  it("allows partial refunds up to the remaining amount and refuses one cent more with amount_too_large", async () => {
    const { stripe } = await sandboxWithSdk();
    const { intent, chargeId } = await paidCharge(stripe);
    await stripe.refunds.create({ payment_intent: intent.id, amount: 3_000 });
    await stripe.refunds.create({ charge: chargeId, amount: 4_000, reason: "requested_by_customer" });
    const error = await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 3_001 }), { statusCode: 400, code: "amount_too_large", param: "amount", rawType: "invalid_request_error" });
    expect(error.message).toMatch(/greater than unrefunded amount on charge \(3000 thb\)/);
    const last = await stripe.refunds.create({ payment_intent: intent.id, amount: 3_000 });
    expect(last.amount).toBe(3_000);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 10_000, refunded: true });
    expect((await stripe.refunds.list({ payment_intent: intent.id })).data).toHaveLength(3);
  });

  it("refuses a wrong reason, a zero, negative or fractional amount, a foreign currency and an unknown payment, writing nothing", async () => {
    const { stripe, sandbox } = await sandboxWithSdk();
    const { intent } = await paidCharge(stripe);
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, reason: "changed_mind" as Stripe.RefundCreateParams.Reason }), { statusCode: 400, param: "reason" });
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 0 }), { statusCode: 400, code: "parameter_invalid_integer", param: "amount" });
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: -5 }), { statusCode: 400, code: "parameter_invalid_integer", param: "amount" });
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 1.5 }), { statusCode: 400, code: "parameter_invalid_integer", param: "amount" });
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, currency: "usd" }), { statusCode: 400, param: "currency" });
    await expectStripeError(stripe.refunds.create({ payment_intent: "pi_unknown" }), { statusCode: 400, code: "resource_missing", param: "payment_intent" });
    await expectStripeError(stripe.refunds.create({}), { statusCode: 400, code: "parameter_missing" });
    expect(sandbox.state.refunds.size).toBe(0);
    expect((await stripe.charges.retrieve(intent.latest_charge as string)).amount_refunded).toBe(0);
  });

  it("moves a refund's status through the test helper; a failed refund gives the amount back to the charge", async () => {
    const { stripe } = await sandboxWithSdk();
    const { intent, chargeId } = await paidCharge(stripe);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 2_500 });
    const failed = await stripe.rawRequest("POST", `/v1/test_helpers/refunds/${refund.id}/status`, { status: "failed", failure_reason: "expired_or_canceled_card" });
    expect(failed).toMatchObject({ id: refund.id, status: "failed", failure_reason: "expired_or_canceled_card" });
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(0);
    const reversal = await stripe.balanceTransactions.list({ source: refund.id });
    expect(reversal.data.map((t) => [t.type, t.amount]).sort()).toEqual([["payment_failure_refund", 2_500], ["refund", -2_500]]);
    await expectStripeError(stripe.rawRequest("POST", `/v1/test_helpers/refunds/${refund.id}/status`, { status: "succeeded" }), { statusCode: 400, code: "refund_status_transition_invalid" });
    await expectStripeError(stripe.rawRequest("POST", `/v1/test_helpers/refunds/${refund.id}/status`, { status: "lost" }), { statusCode: 400, param: "status" });
  });

  it("updates only a refund's metadata", async () => {
    const { stripe } = await sandboxWithSdk();
    const { intent } = await paidCharge(stripe);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, metadata: { a: "1", b: "2" } });
    const updated = await stripe.refunds.update(refund.id, { metadata: { b: "", c: "3" } });
    expect(updated.metadata).toEqual({ a: "1", c: "3" });
    await expectStripeError(stripe.refunds.update(refund.id, { amount: 5 } as Stripe.RefundUpdateParams), { statusCode: 400, code: "parameter_unknown" });
  });
});

describe("idempotency keys", () => {
  it("replays the first response for the same key and parameters, with Idempotent-Replayed", async () => {
    const { stripe, sandbox } = await sandboxWithSdk();
    const intent = await stripe.paymentIntents.create({ amount: 8_000, currency: "thb" });
    const first = await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000 }, { idempotencyKey: "refund-request-1" });
    const replay = await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000 }, { idempotencyKey: "refund-request-1" });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(sandbox.state.refunds.size).toBe(1);
  });

  it("replays a stored amount_too_large error with the same status, even after the charge changes", async () => {
    const { stripe } = await sandboxWithSdk();
    const intent = await stripe.paymentIntents.create({ amount: 1_000, currency: "thb" });
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 1_001 }, { idempotencyKey: "k-too-large" }), { statusCode: 400, code: "amount_too_large" });
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 1_001 }, { idempotencyKey: "k-too-large" }), { statusCode: 400, code: "amount_too_large" });
  });

  it("refuses the same key with different parameters as an idempotency_error and writes nothing", async () => {
    const { stripe, sandbox } = await sandboxWithSdk();
    const intent = await stripe.paymentIntents.create({ amount: 8_000, currency: "thb" });
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000 }, { idempotencyKey: "refund-request-2" });
    const error = await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 2_000 }, { idempotencyKey: "refund-request-2" }), { statusCode: 400, type: "StripeIdempotencyError", rawType: "idempotency_error" });
    expect(error.message).toMatch(/same parameters/);
    expect(sandbox.state.refunds.size).toBe(1);
  });

  it("keeps a key for 24 hours: still a mismatch error after 23 h, free for a new request after 24 h", async () => {
    const { stripe, sandbox } = await sandboxWithSdk();
    const intent = await stripe.paymentIntents.create({ amount: 8_000, currency: "thb" });
    const start = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(start);
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000 }, { idempotencyKey: "refund-request-ttl" });
    clock.mockReturnValue(start + 23 * 3_600_000);
    await expectStripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 500 }, { idempotencyKey: "refund-request-ttl" }), { statusCode: 400, rawType: "idempotency_error" });
    clock.mockReturnValue(start + 24 * 3_600_000 + 1_000);
    const fresh = await stripe.refunds.create({ payment_intent: intent.id, amount: 500 }, { idempotencyKey: "refund-request-ttl" });
    expect(fresh.amount).toBe(500);
    expect(sandbox.state.refunds.size).toBe(2);
  });

  it("turns 20 concurrent refund creates with one key into exactly one refund", async () => {
    const { stripe, sandbox } = await sandboxWithSdk();
    const intent = await stripe.paymentIntents.create({ amount: 50_000, currency: "thb" });
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      stripe.refunds.create({ payment_intent: intent.id, amount: 20_000, reason: "requested_by_customer" }, { idempotencyKey: "refund-request-concurrent" })));
    expect(new Set(results.map((refund) => refund.id)).size).toBe(1);
    expect(results.filter((refund) => refund.lastResponse.headers["idempotent-replayed"] === "true")).toHaveLength(19);
    expect(sandbox.state.refunds.size).toBe(1);
    expect((await stripe.charges.retrieve(intent.latest_charge as string)).amount_refunded).toBe(20_000);
  });
});

describe("authentication and routing", () => {
  it("answers a live or malformed key and a missing key with 401", async () => {
    const { sandbox } = await sandboxWithSdk();
    const live = new Stripe("sk_live_notallowed123", { host: sandbox.host, port: sandbox.port, protocol: "http", maxNetworkRetries: 0 });
    const error = await expectStripeError(live.charges.list(), { statusCode: 401, type: "StripeAuthenticationError" });
    expect(error.message).not.toContain("sk_live_notallowed123");
    const bare = await fetch(`${sandbox.url}/v1/charges`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });

  it("refuses expand and unknown parameters instead of ignoring them", async () => {
    const { stripe } = await sandboxWithSdk();
    const intent = await stripe.paymentIntents.create({ amount: 100, currency: "thb" });
    await expectStripeError(stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] }), { statusCode: 400, param: "expand" });
    await expectStripeError(stripe.paymentIntents.create({ amount: 100, currency: "thb", capture_method: "manual" }), { statusCode: 400, code: "parameter_unknown", param: "capture_method" });
  });

  it("answers an unknown route with a Stripe-shaped 404", async () => {
    const { sandbox } = await sandboxWithSdk();
    const response = await fetch(`${sandbox.url}/v1/payouts`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("Unrecognized request URL (GET: /v1/payouts)");
  });
});
