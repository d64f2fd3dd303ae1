import { describe, expect, it } from "vitest";
import { refundTimeline } from "./timeline";
import type { RefundRow } from "./types";

const base: RefundRow = {
  id: "r1", payment_id: "p1", customer_id: "c1", amount: 100, currency: "thb", reason: "duplicate", note: "n",
  status: "succeeded", approvals_needed: 0, requested_by: "s1", requested_at: "2026-11-20T01:00:00Z", idempotency_key: "k-123456",
  first_approved_by: null, first_approved_at: null, second_approved_by: null, second_approved_at: null,
  rejected_by: null, rejected_at: null, rejection_note: null, executed_by: "s1", execution_started_at: "2026-11-20T02:00:00Z",
  execution_attempts: 1, stripe_status_at: "2026-11-20T02:05:00Z", failure_reason: null, clawback_credits: 0,
  clawback_ledger_entry_id: null, updated_at: "2026-11-20T02:05:00Z",
};
const who = (id: string | null) => (id === "s1" ? "Fiona" : String(id));

describe("refundTimeline", () => {
  it("from the row's columns alone, oldest first", () => {
    expect(refundTimeline(base, who).map((e) => e.title)).toEqual(["Requested by Fiona", "Sent to Stripe by Fiona", "Stripe status: Succeeded"]);
  });

  it("with the audit trail, every execution and each Stripe status change appear once, in order", () => {
    const audit = [
      { id: 2, occurred_at: "2026-11-20T02:00:00Z", actor_staff_id: "s1", action: "refunds.execution_started", record_id: "r1", old_data: { status: "approved" }, new_data: { status: "processing" } },
      { id: 3, occurred_at: "2026-11-20T02:00:01Z", actor_staff_id: null, action: "refunds.stripe_status", record_id: "r1", old_data: { status: "processing" }, new_data: { status: "pending" } },
      { id: 4, occurred_at: "2026-11-20T02:05:00Z", actor_staff_id: null, action: "refunds.stripe_status", record_id: "r1", old_data: { status: "pending" }, new_data: { status: "succeeded" } },
    ];
    const webhook = [{ id: "evt_1", type: "refund.updated", stripe_created_at: "2026-11-20T02:04:59Z", received_at: "2026-11-20T02:05:00Z", refund_id: "r1", outcome: "applied" }];
    expect(refundTimeline(base, who, webhook, audit).map((e) => e.title)).toEqual([
      "Requested by Fiona",
      "Sent to Stripe by Fiona",
      "Stripe status Processing → Pending",
      "Webhook refund.updated",
      "Stripe status Pending → Succeeded",
    ]);
  });

  it("a refusal by Stripe before any status shows its code", () => {
    const refused = { ...base, status: "failed" as const, stripe_status_at: null, failure_reason: "charge_already_refunded", updated_at: "2026-11-20T02:00:02Z" };
    const last = refundTimeline(refused, who).at(-1)!;
    expect(last).toMatchObject({ title: "Stripe refused the refund", detail: "charge_already_refunded", colour: "red" });
  });
});
