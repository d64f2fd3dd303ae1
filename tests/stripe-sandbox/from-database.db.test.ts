import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import type { SqlRow } from "../../server/db/engine.ts";
import { startStripeSandbox, type StripeSandbox } from "../../server/stripe-sandbox/index.ts";
import { stripeSeedFromDatabase } from "../../server/stripe-sandbox/from-database.ts";
import type { Tables } from "../../src/lib/database.types.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { openSeededEngine } from "../seed/seed-engine.ts";
import { TEST_KEY, WEBHOOK_SECRET } from "./helpers.ts";

type PaymentRow = SqlRow<Pick<Tables<"payments">, "amount" | "amount_refunded" | "currency" | "created_at">, "created_at"> &
  Pick<Tables<"payment_stripe_ids">, "stripe_payment_intent_id"> & {
    /** The seed charges every succeeded payment (the test below finds each charge). */
    stripe_charge_id: string;
    /** Left-joined: null when the customer has no Stripe id. */
    stripe_customer_id: Tables<"customer_stripe_ids">["stripe_customer_id"] | null;
  };

describe("sandbox seeded from the console's payments", () => {
  const db = openBeforeAll(() => openSeededEngine({ customers: 40, seed: 7, now: new Date("2026-11-26T00:00:00Z") }));
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let payments: PaymentRow[];

  beforeAll(async () => {
    payments = (await db.engine.query<PaymentRow>(`
      select p.amount, p.amount_refunded, p.currency, p.created_at, s.stripe_payment_intent_id, s.stripe_charge_id, c.stripe_customer_id
        from payments p join payment_stripe_ids s on s.payment_id = p.id left join customer_stripe_ids c on c.customer_id = p.customer_id
       where p.status = 'succeeded'`)).rows;
    sandbox = await startStripeSandbox({ webhookSecret: WEBHOOK_SECRET, seed: await stripeSeedFromDatabase(db.engine) });
    stripe = new Stripe(TEST_KEY, { host: sandbox.host, port: sandbox.port, protocol: "http", maxNetworkRetries: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("holds one charge per succeeded payment with the same ids, amount, currency, time and refunded total", async () => {
    expect(payments.length).toBeGreaterThan(20);
    expect(payments.some((p) => Number(p.amount_refunded) > 0)).toBe(true);
    const charges = new Map<string, Stripe.Charge>();
    for await (const charge of stripe.charges.list({ limit: 100 })) charges.set(charge.id, charge);
    expect(charges.size).toBe(payments.length);
    for (const payment of payments) {
      const charge = charges.get(payment.stripe_charge_id);
      expect(charge, payment.stripe_charge_id).toMatchObject({
        payment_intent: payment.stripe_payment_intent_id, amount: Number(payment.amount), amount_refunded: Number(payment.amount_refunded),
        currency: payment.currency, customer: payment.stripe_customer_id, created: Math.floor(new Date(payment.created_at).getTime() / 1000),
      });
    }
  });

  it("refunds a seeded payment only up to what the database says remains", async () => {
    const partly = payments.find((p) => Number(p.amount_refunded) > 0 && Number(p.amount_refunded) < Number(p.amount))
      ?? payments.find((p) => Number(p.amount_refunded) === 0);
    if (!partly) throw new Error("the seed has no refundable payment");
    const remaining = Number(partly.amount) - Number(partly.amount_refunded);
    await expect(stripe.refunds.create({ payment_intent: partly.stripe_payment_intent_id, amount: remaining + 1 })).rejects.toMatchObject({ code: "amount_too_large" });
    const refund = await stripe.refunds.create({ payment_intent: partly.stripe_payment_intent_id });
    expect(refund.amount).toBe(remaining);
  });
});
