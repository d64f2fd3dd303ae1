/**
 * stripe-reconcile-pull against the real embedded server and the Stripe sandbox: finance gets every balance
 * transaction of the range (over several pages) as the itemized balance report's rows; the expected rows are built
 * here straight from the sandbox's state, not through the SDK the function uses.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { BalanceTransaction } from "../../server/stripe-sandbox/store.ts";
import { getFunctionEnv, setFunctionEnv } from "../../supabase/functions/_shared/env.ts";
import { startMoneyHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startMoneyHarness, 120_000);
let oldChargePaymentIntent: string;
let startedAt: number;

beforeAll(async () => {
  startedAt = Math.floor(Date.now() / 1000);
  // More than a page of new charges (the list pages by 100), some refunded, one refund failed.
  const customer = await h.stripe.customers.create({ email: "pull@example.test" });
  for (let i = 0; i < 110; i++) {
    await h.stripe.paymentIntents.create({ amount: 1_000 + i, currency: i % 3 === 0 ? "usd" : "thb", ...(i % 2 === 0 ? { customer: customer.id } : {}) });
  }
  const intents = await h.stripe.paymentIntents.list({ limit: 3, created: { gte: startedAt } });
  for (const intent of intents.data) await h.stripe.refunds.create({ payment_intent: intent.id, amount: 500 });
  const failing = await h.stripe.refunds.create({ payment_intent: intents.data[0]!.id, amount: 100 });
  h.sandbox.setRefundStatus(failing.id, "failed", "declined");
  // A refund today of a charge seeded long ago: its charge is outside a narrow range and must be looked up.
  const old = await h.freshPayment();
  oldChargePaymentIntent = old.paymentIntentId;
  await h.stripe.refunds.create({ payment_intent: old.paymentIntentId, amount: 150 });
  await h.sandbox.webhooks.settled();
}, 180_000);

function expectedRows(fromSec: number, toSec: number) {
  const state = h.sandbox.state;
  const entries = [...state.balanceTransactions.values()].filter((e) => e.value.created >= fromSec && e.value.created < toSec);
  entries.sort((a, b) => a.value.created - b.value.created || a.sequence - b.sequence);
  return entries.map(({ value: t }: { value: BalanceTransaction }) => {
    const refund = t.source.startsWith("re_") ? state.getRefund(t.source) : null;
    const charge = state.getCharge(refund ? refund.charge : t.source);
    return {
      balance_transaction_id: t.id, created_utc: new Date(t.created * 1000).toISOString(), currency: t.currency,
      gross: t.amount, fee: t.fee, net: t.net, reporting_category: t.reporting_category, source_id: t.source,
      charge_id: charge.id, payment_intent_id: charge.payment_intent, customer_id: charge.customer,
    };
  });
}

const pull = (body: unknown, token: string | null = h.token("finance")) => h.callFunction("stripe-reconcile-pull", { token, body });

describe("stripe-reconcile-pull", () => {
  it("gives finance every balance transaction of the range, over several pages, as report rows", async () => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - 399 * 86_400_000);
    const res = await pull({ from: from.toISOString(), to: to.toISOString() });
    expect(res.status).toBe(200);
    const rows = res.body.rows as ReturnType<typeof expectedRows>;
    const expected = expectedRows(Math.floor(from.getTime() / 1000), Math.ceil(to.getTime() / 1000));
    expect(expected.length).toBeGreaterThan(150); // two pages at least
    expect(rows).toHaveLength(expected.length);
    // Same set; order: oldest first (ties in Stripe's creation order).
    expect(new Map(rows.map((r) => [r.balance_transaction_id, r]))).toEqual(new Map(expected.map((r) => [r.balance_transaction_id, r])));
    expect(rows.map((r) => r.created_utc)).toEqual([...rows.map((r) => r.created_utc)].sort());
    const categories = new Set(rows.map((r) => r.reporting_category));
    expect([...categories].sort()).toEqual(["charge", "refund", "refund_failure"]);
    expect(rows.some((r) => r.customer_id !== null) && rows.some((r) => r.customer_id === null)).toBe(true);
    expect(rows.every((r) => Number.isInteger(r.gross) && Number.isInteger(r.fee) && Number.isInteger(r.net) && r.currency === r.currency.toLowerCase())).toBe(true);
  });

  it("names the charge, payment intent and customer of a refund whose charge is older than the range", async () => {
    const res = await pull({ from: new Date(startedAt * 1000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    expect(res.status).toBe(200);
    const rows = res.body.rows as ReturnType<typeof expectedRows>;
    expect(rows).toEqual(expectedRows(startedAt, Math.ceil((Date.now() + 60_000) / 1000)));
    const oldRefund = rows.find((r) => r.reporting_category === "refund" && r.payment_intent_id === oldChargePaymentIntent);
    expect(oldRefund).toMatchObject({ gross: -150, net: -150, fee: 0 });
    expect(oldRefund?.source_id).toMatch(/^re_/);
    expect(oldRefund?.charge_id).toMatch(/^ch_/);
  });

  it("refuses everyone but finance (403) and callers without a token (401)", async () => {
    const body = { from: "2026-01-01", to: "2026-02-01" };
    for (const role of ["support", "dpo", "auditor", "admin"] as const) {
      expect(await pull(body, h.token(role)), role).toMatchObject({ status: 403 });
    }
    expect((await pull(body, null)).status).toBe(401);
    expect([401, 403]).toContain((await pull(body, h.server.anonKey)).status);
  });

  it("refuses a bad range (400): missing, not a date, inverted, empty, longer than 400 days", async () => {
    for (const body of [{}, { from: "2026-01-01" }, { from: "yesterday", to: "2026-02-01" }, { from: "2026-02-01", to: "2026-01-01" },
      { from: "2026-01-01", to: "2026-01-01" }, { from: "2025-01-01", to: "2026-02-06" }, { from: 1, to: 2 }]) {
      expect(await pull(body), JSON.stringify(body)).toMatchObject({ status: 400, body: { code: "bad_range" } });
    }
    expect((await pull({ from: "2025-01-01", to: "2026-02-05" })).status).toBe(200);
  });

  it("names the field at fault, and refuses dates JavaScript would silently move or read in the server's time zone", async () => {
    const cases: [unknown, "from" | "to"][] = [
      [{}, "from"], [null, "from"], [[], "from"], [{ from: "2026-01-01" }, "to"], [{ from: 1, to: 2 }, "from"],
      [{ from: "yesterday", to: "2026-02-01" }, "from"], [{ from: "2026-01-01", to: "tomorrow" }, "to"],
      [{ from: "2026-02-01", to: "2026-01-01" }, "to"], [{ from: "2026-01-01", to: "2026-01-01" }, "to"], [{ from: "2025-01-01", to: "2026-02-06" }, "to"],
      // new Date() reads these as 2026-03-02, 2001-01-01, 2026-01-01 and a local time.
      [{ from: "2026-02-30", to: "2026-04-01" }, "from"], [{ from: "1", to: "2026-02-01" }, "from"], [{ from: "2026", to: "2026-02-01" }, "from"],
      [{ from: "2026-01-01T00:00", to: "2026-02-01" }, "from"], [{ from: "2026-01-01", to: "2026-01-31T24:00:00Z" }, "to"],
      // Stripe's timestamps start in 1970.
      [{ from: "1969-12-01", to: "1970-01-02" }, "from"],
    ];
    for (const [body, field] of cases) {
      const res = await pull(body);
      expect(res, JSON.stringify(body)).toMatchObject({ status: 400, body: { code: "bad_range", field } });
      expect(String(res.body.message), JSON.stringify(body)).toContain(field);
    }
    const malformed = await h.callFunction("stripe-reconcile-pull", { token: h.token("finance"), rawBody: '{"from": "2026-01-01",', headers: { "Content-Type": "application/json" } });
    expect(malformed).toMatchObject({ status: 400, body: { code: "malformed_json" } });
    for (const body of [{ from: "2026-01-01T00:00:00+07:00", to: "2026-01-31T23:59:59.999Z" }, { from: "2026-01-01T00:00Z", to: "2026-02-01" }]) {
      expect((await pull(body)).status, JSON.stringify(body)).toBe(200);
    }
  });

  it("Stripe unreachable and the database unreachable are 502 (try again), with a code saying which", async () => {
    const body = { from: new Date(startedAt * 1000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    // The SDK makes 1 + 2 attempts: lose all three answers.
    h.sandbox.failNextResponses(3, { mode: "drop", method: "GET", path: "/v1/balance_transactions" });
    expect(await pull(body)).toMatchObject({ status: 502, body: { code: "stripe_unavailable" } });
    const restUrl = getFunctionEnv("SUPABASE_URL");
    setFunctionEnv({ SUPABASE_URL: "http://127.0.0.1:9" });
    try {
      expect(await pull(body)).toMatchObject({ status: 502, body: { code: "database_unavailable" } });
    } finally {
      setFunctionEnv({ SUPABASE_URL: restUrl });
    }
    expect((await pull(body)).status).toBe(200);
  });
});
