/**
 * The seeded refunds in the Stripe sandbox: refundsByPaymentIdFromDatabase gives stripeSeedFromDatabase each refund
 * Stripe knows (re_ id, amount, status), so the sandbox's charges carry the database's amount_refunded and each
 * console refund can be looked up in Stripe by its id.
 */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CUSTOMERS, refundsByPaymentIdFromDatabase } from "../../server/seed/index.ts";
import { stripeSeedFromDatabase } from "../../server/stripe-sandbox/from-database.ts";
import { startStripeSandbox, type StripeSandbox } from "../../server/stripe-sandbox/index.ts";
import { TEST_KEY, WEBHOOK_SECRET } from "../stripe-sandbox/helpers.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { openSeededEngine } from "./seed-engine.ts";

describe("seeded refunds in the Stripe sandbox", () => {
  const db = openBeforeAll(() => openSeededEngine({ customers: DEMO_CUSTOMERS, seed: 20261126, now: new Date("2026-11-26T00:00:00Z") }), 120_000);
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    const refundsByPaymentId = await refundsByPaymentIdFromDatabase(db.engine);
    sandbox = await startStripeSandbox({ webhookSecret: WEBHOOK_SECRET, seed: await stripeSeedFromDatabase(db.engine, { refundsByPaymentId }) });
    stripe = new Stripe(TEST_KEY, { host: sandbox.host, port: sandbox.port, protocol: "http", maxNetworkRetries: 0 });
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
  });

  it("every charge's amount_refunded equals the payment's, and every re_ id is a Stripe refund with the console's status and amount", async () => {
    const { rows: payments } = await db.engine.query<{ stripe_charge_id: string; amount_refunded: string }>(
      `select s.stripe_charge_id, p.amount_refunded::text from public.payments p join public.payment_stripe_ids s on s.payment_id = p.id
        where p.status = 'succeeded' and s.stripe_charge_id is not null`,
    );
    const charges = new Map<string, Stripe.Charge>();
    for await (const charge of stripe.charges.list({ limit: 100 })) charges.set(charge.id, charge);
    expect(charges.size).toBe(payments.length);
    for (const p of payments) expect([p.stripe_charge_id, charges.get(p.stripe_charge_id)?.amount_refunded]).toEqual([p.stripe_charge_id, Number(p.amount_refunded)]);

    const { rows: refunds } = await db.engine.query<{ id: string; stripe_refund_id: string; status: string; amount: string }>(
      "select r.id, s.stripe_refund_id, r.status, r.amount::text from public.refunds r join public.refund_stripe_ids s on s.refund_id = r.id",
    );
    expect(refunds.length).toBeGreaterThan(5);
    for (const r of refunds) {
      const inStripe = await stripe.refunds.retrieve(r.stripe_refund_id);
      expect({ status: inStripe.status, amount: inStripe.amount, console: inStripe.metadata?.console_refund_id }).toEqual({
        status: r.status,
        amount: Number(r.amount),
        console: r.id,
      });
    }
  });
});
