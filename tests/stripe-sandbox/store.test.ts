import { describe, expect, it } from "vitest";
import { SandboxState, StripeApiError } from "../../server/stripe-sandbox/index.ts";
import { parseForm } from "../../server/stripe-sandbox/form.ts";

function stateWithPayment(amount = 10_000) {
  const state = new SandboxState(() => 0);
  state.seed({ payments: [{ paymentIntentId: "pi_T1", chargeId: "ch_T1", amount, currency: "thb", created: 1_760_000_000 }] });
  return state;
}

describe("refund lifecycle (SandboxState)", () => {
  it("a canceled refund returns its amount to the charge and records a refund_failure transaction, with no refund.failed event", () => {
    const state = stateWithPayment();
    const { refund } = state.createRefund(parseForm("payment_intent=pi_T1&amount=4000"));
    const { changes } = state.moveRefund(refund.id, "canceled");
    expect(state.getCharge("ch_T1")).toMatchObject({ amount_refunded: 0, refunded: false });
    expect(changes.map((change) => change.type)).toEqual(["refund.updated", "charge.refund.updated"]);
    expect([...state.balanceTransactions.values()].map((entry) => entry.value.reporting_category)).toEqual(["charge", "refund", "refund_failure"]);
    expect(refund.failure_reason).toBeUndefined();
  });

  it("requires_action can still succeed; succeeded is final", () => {
    const state = stateWithPayment();
    const { refund } = state.createRefund(parseForm("charge=ch_T1"));
    state.moveRefund(refund.id, "requires_action");
    const { changes } = state.moveRefund(refund.id, "succeeded");
    expect(changes).toEqual([{ type: "refund.updated", object: expect.objectContaining({ status: "succeeded" }), previous_attributes: { status: "requires_action" } }]);
    expect(() => state.moveRefund(refund.id, "canceled")).toThrow(/cannot move from succeeded to canceled/);
    expect(state.getCharge("ch_T1").amount_refunded).toBe(10_000);
  });

  it("refuses failure_reason with a status other than failed, and an unknown failure_reason", () => {
    const state = stateWithPayment();
    const { refund } = state.createRefund(parseForm("charge=ch_T1&amount=1"));
    expect(() => state.moveRefund(refund.id, "succeeded", "declined")).toThrow(/only allowed with status failed/);
    expect(() => state.moveRefund(refund.id, "failed", "bad_luck")).toThrow(/Invalid failure_reason/);
    expect(refund.status).toBe("pending");
  });

  it("refuses a charge that does not belong to the given payment intent and unknown parameters", () => {
    const state = stateWithPayment();
    state.seed({ payments: [{ paymentIntentId: "pi_T2", chargeId: "ch_T2", amount: 500, currency: "usd" }] });
    const mismatch = (() => { try { state.createRefund(parseForm("payment_intent=pi_T1&charge=ch_T2")); } catch (error) { return error; } })();
    expect(mismatch).toBeInstanceOf(StripeApiError);
    expect((mismatch as StripeApiError).param).toBe("charge");
    expect(() => state.createRefund(parseForm("charge=ch_T1&instructions_email=x@example.com"))).toThrow(/Received unknown parameter: instructions_email/);
    expect(state.refunds.size).toBe(0);
  });

  it("refuses seed ids that do not look like Stripe ids and a fee above the amount", () => {
    expect(() => new SandboxState().seed({ payments: [{ paymentIntentId: "payment-1", amount: 100, currency: "thb" }] })).toThrow(/pi_/);
    expect(() => new SandboxState().seed({ payments: [{ amount: 100, currency: "thb", fee: 101 }] })).toThrow(/fee must be/);
    expect(() => new SandboxState().seed({ payments: [{ amount: 100, currency: "baht" }] })).toThrow(/three-letter/);
  });
});
