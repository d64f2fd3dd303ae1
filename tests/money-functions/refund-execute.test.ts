/**
 * refund-execute against the real embedded server and its Stripe sandbox: roles and states are the database's
 * (refund_begin_execution as the caller), the Stripe refund is made exactly once whatever the concurrency or the
 * retries, and the status then follows Stripe through the signed webhook.
 */
import { describe, expect, it } from "vitest";
import { getFunctionEnv, setFunctionEnv } from "../../supabase/functions/_shared/env.ts";
import { functionSecrets, startMoneyHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startMoneyHarness, 120_000);

/** Stripe refunds the sandbox holds for one console refund (by the metadata the function sets). */
const stripeRefundsFor = (refundId: string) =>
  [...h.sandbox.state.refunds.values()].filter((stored) => stored.value.metadata.console_refund_id === refundId).map((stored) => stored.value);

const execute = (refundId: string, token: string | null = h.token("finance")) =>
  h.callFunction("refund-execute", { token, body: { refund_id: refundId } });

describe("refund-execute", () => {
  it("starts from a sandbox holding the seeded refunds with their Stripe ids, amounts and statuses (runs first)", async () => {
    const { rows } = await h.engine.query<{ id: string; amount: string; status: string; re: string; ch: string; payment_refunded: string }>(`
      select r.id, r.amount, r.status, s.stripe_refund_id as re, ps.stripe_charge_id as ch, p.amount_refunded as payment_refunded
        from refunds r join refund_stripe_ids s on s.refund_id = r.id
        join payments p on p.id = r.payment_id join payment_stripe_ids ps on ps.payment_id = p.id`);
    expect(rows.length).toBeGreaterThan(0);
    expect(h.sandbox.state.refunds.size).toBeGreaterThanOrEqual(rows.length);
    for (const row of rows) {
      expect(h.sandbox.state.getRefund(row.re), row.id).toMatchObject({ amount: Number(row.amount), status: row.status, charge: row.ch, metadata: { console_refund_id: row.id } });
      // Stripe's refunded total of the charge is what the console believes.
      expect(h.sandbox.state.getCharge(row.ch).amount_refunded, row.ch).toBe(Number(row.payment_refunded));
    }
  });

  it("sends an approved refund to Stripe: pending at once, then succeeded through the webhook, amount_refunded kept", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    const amount = Number(requested.amount);
    const res = await execute(requested.id);
    expect(res.status).toBe(200);
    const stripeRefund = stripeRefundsFor(requested.id);
    expect(stripeRefund).toHaveLength(1);
    expect(stripeRefund[0]).toMatchObject({ amount, payment_intent: payment.paymentIntentId, charge: payment.chargeId, reason: "requested_by_customer", status: "pending" });
    expect(res.body).toMatchObject({ stripe_refund_id: stripeRefund[0]?.id, refund: { id: requested.id, status: "pending" } });
    expect(await h.count("select 1 from refund_stripe_ids where refund_id = $1 and stripe_refund_id = $2", [requested.id, stripeRefund[0]?.id])).toBe(1);
    expect(await h.paymentRefunded(payment.id)).toBe(amount);

    h.sandbox.setRefundStatus(stripeRefund[0]!.id, "succeeded");
    await h.until(async () => (await h.refund(requested.id)).status === "succeeded", "the webhook to record succeeded");
    expect(await h.paymentRefunded(payment.id)).toBe(amount);
    expect(h.sandbox.state.getCharge(payment.chargeId).amount_refunded).toBe(amount);
    const row = await h.refund(requested.id);
    expect(row.execution_attempts).toBe(1);
    expect(await h.count("select 1 from audit_log where action = 'refunds.stripe_status' and record_id = $1", [requested.id])).toBeGreaterThanOrEqual(2);
  });

  it("20 concurrent calls for one refund make exactly one Stripe refund", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    const answers = await Promise.all(Array.from({ length: 20 }, () => execute(requested.id)));
    expect(stripeRefundsFor(requested.id)).toHaveLength(1);
    const stripeRefundId = stripeRefundsFor(requested.id)[0]?.id;
    // Calls that started after another one had recorded the Stripe answer find the refund already pending: 409.
    for (const answer of answers) {
      if (answer.status === 200) expect(answer.body.stripe_refund_id).toBe(stripeRefundId);
      else expect(answer, JSON.stringify(answer.body)).toMatchObject({ status: 409, body: { code: "PT409" } });
    }
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    await h.sandbox.webhooks.settled();
    expect((await h.refund(requested.id)).status).toBe("pending");
    expect(await h.paymentRefunded(payment.id)).toBe(Number(requested.amount));
    expect(h.sandbox.state.getCharge(payment.chargeId).amount_refunded).toBe(Number(requested.amount));
  });

  it("a lost Stripe answer leaves the refund processing (502); the retry makes no second Stripe refund", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    // Hold the webhooks, so only the function's own calls can move the refund.
    h.sandbox.webhooks.pause();
    try {
      // The function's SDK makes 1 + 2 attempts (its own network retries, same Idempotency-Key): lose all three answers.
      h.sandbox.failNextResponses(3, { mode: "drop", method: "POST", path: "/v1/refunds" });
      const lost = await execute(requested.id);
      expect(lost.status).toBe(502);
      expect(lost.body).toMatchObject({ code: "stripe_unavailable" });
      expect(stripeRefundsFor(requested.id)).toHaveLength(1); // Stripe did make it
      expect((await h.refund(requested.id)).status).toBe("processing");
      expect(await h.paymentRefunded(payment.id)).toBe(0);

      const retried = await execute(requested.id);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ refund: { status: "pending" }, stripe_refund_id: stripeRefundsFor(requested.id)[0]?.id });
      expect((await h.refund(requested.id)).execution_attempts).toBe(2);
    } finally {
      await h.sandbox.webhooks.resume();
    }
    await h.sandbox.webhooks.settled();
    expect(stripeRefundsFor(requested.id)).toHaveLength(1);
    expect((await h.refund(requested.id)).status).toBe("pending");
    expect(await h.paymentRefunded(payment.id)).toBe(Number(requested.amount));
  });

  it("refuses support, dpo, auditor (403) and no token or the anon key (401/403) without calling Stripe", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    const before = h.sandbox.state.refunds.size;
    for (const role of ["support", "dpo", "auditor", "admin"] as const) {
      const res = await execute(requested.id, h.token(role));
      expect(res.status, role).toBe(403);
      expect(res.body).toMatchObject({ code: "42501" });
    }
    expect((await execute(requested.id, null)).status).toBe(401);
    expect([401, 403]).toContain((await execute(requested.id, h.server.anonKey)).status);
    expect((await execute(requested.id, "not.a.jwt")).status).toBe(401);
    expect(h.sandbox.state.refunds.size).toBe(before);
    expect((await h.refund(requested.id)).status).toBe("approved");
    expect((await h.refund(requested.id)).execution_attempts).toBe(0);
  });

  it("a refund not approved yet, or already succeeded, is 409 and Stripe is not called; an unknown id 404; a bad body 400", async () => {
    const payment = await h.freshPayment();
    // Support's request needs a finance approval first.
    const awaiting = await h.rpc<{ id: string; status: string }>("request_refund", {
      p_payment_id: payment.id, p_amount: Math.min(payment.amount, payment.threshold), p_currency: payment.currency,
      p_reason: "duplicate", p_note: "charged twice", p_idempotency_key: `support-awaiting-${Date.now()}`,
    }, h.token("support"));
    expect(awaiting.status).toBe("awaiting_approval");
    const before = h.sandbox.state.refunds.size;
    const notApproved = await execute(awaiting.id);
    expect(notApproved).toMatchObject({ status: 409, body: { code: "PT409" } });

    const other = await h.freshPayment();
    const done = await h.approvedRefund(other);
    expect((await execute(done.id)).status).toBe(200);
    h.sandbox.setRefundStatus(stripeRefundsFor(done.id)[0]!.id, "succeeded");
    await h.until(async () => (await h.refund(done.id)).status === "succeeded", "succeeded");
    const afterSuccess = h.sandbox.state.refunds.size;
    const again = await execute(done.id);
    expect(again).toMatchObject({ status: 409, body: { code: "PT409" } });
    expect(String(again.body.message)).toMatch(/succeeded/);
    expect(h.sandbox.state.refunds.size).toBe(afterSuccess);
    expect(afterSuccess).toBe(before + 1);

    expect(await execute("00000000-0000-4000-8000-000000000000")).toMatchObject({ status: 404, body: { code: "PT404" } });
    expect(await h.callFunction("refund-execute", { token: h.token("finance"), body: { refund_id: "nope" } })).toMatchObject({ status: 400 });
    expect(await h.callFunction("refund-execute", { token: h.token("finance"), rawBody: "{not json" })).toMatchObject({ status: 400 });
    expect(h.sandbox.state.refunds.size).toBe(afterSuccess);
  });

  it("a bad body is 400 naming the problem (malformed JSON, refund_id missing or not a uuid); nothing changes and Stripe is not called", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    const stripeBefore = h.sandbox.state.refunds.size;
    const finance = h.token("finance");
    const malformed = await h.callFunction("refund-execute", { token: finance, rawBody: `{"refund_id": "${requested.id}"`, headers: { "Content-Type": "application/json" } });
    expect(malformed).toMatchObject({ status: 400, body: { code: "malformed_json" } });
    expect(String(malformed.body.message)).toMatch(/refund_id/);
    for (const body of [{}, { refund_id: null }, { refund_id: 42 }, { refund_id: `${requested.id}x` }, { id: requested.id }, [requested.id]]) {
      const res = await h.callFunction("refund-execute", { token: finance, body });
      expect(res, JSON.stringify(body)).toMatchObject({ status: 400, body: { code: "bad_request", field: "refund_id" } });
      expect(String(res.body.message)).toMatch(/refund_id/);
    }
    expect(h.sandbox.state.refunds.size).toBe(stripeBefore);
    expect(await h.refund(requested.id)).toMatchObject({ status: "approved", execution_attempts: 0 });
  });

  it("Stripe refusing the idempotency key (used before with other parameters) is 409 idempotency_conflict: no second refund, the refund stays processing", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    // Someone used this refund's id as an Idempotency-Key for another refund of the charge.
    const other = await h.stripe.refunds.create({ payment_intent: payment.paymentIntentId, amount: 100 }, { idempotencyKey: requested.id });
    expect(other.id).toMatch(/^re_/);
    await h.sandbox.webhooks.settled();
    const stripeBefore = h.sandbox.state.refunds.size;
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await execute(requested.id);
      expect(res).toMatchObject({ status: 409, body: { code: "idempotency_conflict" } });
      expect(String(res.body.message)).toMatch(/idempotency key/i);
    }
    expect(h.sandbox.state.refunds.size).toBe(stripeBefore);
    expect(stripeRefundsFor(requested.id)).toHaveLength(0);
    expect(await h.refund(requested.id)).toMatchObject({ status: "processing", failure_reason: null });
    expect(await h.count("select 1 from refund_stripe_ids where refund_id = $1", [requested.id])).toBe(0);
  });

  it("the database refusing Stripe's answer (the refund already tied to another Stripe refund) is 409 record_refused, not a retriable 502", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    // The webhook tied this console refund to another Stripe refund (made in the Dashboard with its metadata).
    await h.engine.query("insert into refund_stripe_ids (refund_id, stripe_refund_id) values ($1, 're_madeInTheDashboard')", [requested.id]);
    h.sandbox.webhooks.pause();
    try {
      const res = await execute(requested.id);
      expect(res).toMatchObject({ status: 409, body: { code: "record_refused" } });
      const made = stripeRefundsFor(requested.id);
      expect(made).toHaveLength(1);
      expect(String(res.body.message)).toContain(made[0]!.id);
      expect(String(res.body.message)).toContain("re_madeInTheDashboard");
      expect(await h.refund(requested.id)).toMatchObject({ status: "processing" });
      expect(await h.count("select 1 from refund_stripe_ids where refund_id = $1 and stripe_refund_id = 're_madeInTheDashboard'", [requested.id])).toBe(1);
      // Retrying gets the same Stripe refund and the same refusal: no second Stripe refund.
      expect(await execute(requested.id)).toMatchObject({ status: 409, body: { code: "record_refused" } });
      expect(stripeRefundsFor(requested.id)).toHaveLength(1);
    } finally {
      await h.sandbox.webhooks.resume();
      await h.sandbox.webhooks.settled();
    }
  });

  it("the database unreachable is a 502 database_unavailable: the refund stays approved, Stripe is not called, a later retry sends it", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    const restUrl = getFunctionEnv("SUPABASE_URL");
    const stripeBefore = h.sandbox.state.refunds.size;
    setFunctionEnv({ SUPABASE_URL: "http://127.0.0.1:9" });
    try {
      expect(await execute(requested.id)).toMatchObject({ status: 502, body: { code: "database_unavailable" } });
    } finally {
      setFunctionEnv({ SUPABASE_URL: restUrl });
    }
    expect(h.sandbox.state.refunds.size).toBe(stripeBefore);
    expect(await h.refund(requested.id)).toMatchObject({ status: "approved", execution_attempts: 0 });
    expect(await execute(requested.id)).toMatchObject({ status: 200, body: { refund: { status: "pending" } } });
    await h.sandbox.webhooks.settled();
  });

  it("more than Stripe still has on the charge (changed behind the console's back) is 422 and the refund fails", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    // Someone refunds part of the charge in the Stripe dashboard: less remains than the console believes.
    await h.stripe.refunds.create({ payment_intent: payment.paymentIntentId, amount: payment.amount - Number(requested.amount) + 1 });
    const res = await execute(requested.id);
    expect(res).toMatchObject({ status: 422, body: { code: "amount_too_large" } });
    expect(typeof res.body.message).toBe("string");
    const row = await h.refund(requested.id);
    expect(row).toMatchObject({ status: "failed", failure_reason: "amount_too_large" });
    expect(stripeRefundsFor(requested.id)).toHaveLength(0);
    expect(await h.paymentRefunded(payment.id)).toBe(0);
    // Failed is final: executing again is refused before Stripe.
    expect(await execute(requested.id)).toMatchObject({ status: 409 });
  });

  it("without Stripe configured it answers 503 stripe_not_configured and leaves the refund approved", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    const key = process.env.STRIPE_SECRET_KEY;
    setFunctionEnv({ STRIPE_SECRET_KEY: "" });
    try {
      delete process.env.STRIPE_SECRET_KEY;
      expect(await execute(requested.id)).toMatchObject({ status: 503, body: { code: "stripe_not_configured" } });
    } finally {
      setFunctionEnv({ STRIPE_SECRET_KEY: "sk_test_local_sandbox" });
      if (key !== undefined) process.env.STRIPE_SECRET_KEY = key;
    }
    expect((await h.refund(requested.id)).status).toBe("approved");
  });

  it("a key Stripe refuses is a 502 that does not show the key; the secret never appears in any answer", async () => {
    const payment = await h.freshPayment();
    const requested = await h.approvedRefund(payment);
    const liveLooking = "sk_live_ThisMustNeverBeShown4242";
    setFunctionEnv({ STRIPE_SECRET_KEY: liveLooking });
    try {
      const res = await execute(requested.id);
      expect(res).toMatchObject({ status: 502, body: { code: "stripe_unavailable" } });
    } finally {
      setFunctionEnv({ STRIPE_SECRET_KEY: "sk_test_local_sandbox" });
    }
    expect((await h.refund(requested.id)).status).toBe("processing");
    expect((await execute(requested.id)).status).toBe(200);

    const secrets = [...functionSecrets(), liveLooking];
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    expect(h.captured.length).toBeGreaterThan(20);
    for (const answer of h.captured) {
      for (const secret of secrets) {
        expect(answer.body.includes(secret), `${answer.url} ${answer.status} body`).toBe(false);
        expect(answer.headers.includes(secret), `${answer.url} ${answer.status} headers`).toBe(false);
      }
    }
  });
});
