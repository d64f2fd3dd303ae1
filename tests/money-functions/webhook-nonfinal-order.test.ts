/**
 * Out-of-order delivery between NON-final statuses: Stripe moved pending → requires_action → pending; delivered in
 * reverse the console must end pending. refund_apply_stripe_status advances stripe_status_at also when the status
 * it receives equals the current one (migration 20261203000600_refunds.sql); without that, this test ends on requires_action.
 */
import { describe, expect, it } from "vitest";
import { startMoneyHarness, type RefundRow } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startMoneyHarness, 120_000);

async function executedWithHeldWebhooks(): Promise<{ refund: RefundRow; stripeRefundId: string }> {
  const payment = await h.freshPayment();
  const refund = await h.approvedRefund(payment);
  h.sandbox.webhooks.pause();
  const res = await h.callFunction("refund-execute", { token: h.token("finance"), body: { refund_id: refund.id } });
  expect(res.status).toBe(200);
  return { refund, stripeRefundId: String(res.body.stripe_refund_id) };
}
const eventsFor = (stripeRefundId: string, type: string) =>
  h.sandbox.webhooks.events.map((r) => r.event).filter((e) => (e.data.object as { id: string }).id === stripeRefundId && e.type === type);
const outcomeOf = async (eventId: string): Promise<string | undefined> =>
  (await h.engine.query<{ outcome: string }>("select outcome from stripe_webhook_events where id = $1", [eventId])).rows[0]?.outcome;

describe("stripe-webhook ordering", () => {
  it("between non-final statuses the one Stripe set last wins, whatever the delivery order", async () => {
    const { refund, stripeRefundId } = await executedWithHeldWebhooks();
    const nextSecond = async () => {
      const second = Math.floor(Date.now() / 1000);
      while (Math.floor(Date.now() / 1000) === second) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    // Events carry whole seconds: let each status change happen in a later second than the one before.
    await nextSecond();
    h.sandbox.setRefundStatus(stripeRefundId, "requires_action");
    await nextSecond();
    h.sandbox.setRefundStatus(stripeRefundId, "pending");
    const updates = eventsFor(stripeRefundId, "refund.updated");
    expect(updates.map((e) => (e.data.object as { status: string }).status)).toEqual(["requires_action", "pending"]);
    await h.sandbox.webhooks.resume([...h.sandbox.webhooks.heldEventIds()].reverse());
    await h.sandbox.webhooks.settled();
    expect((await h.refund(refund.id)).status).toBe("pending");
    expect(await outcomeOf(updates[0]!.id)).toBe("ignored_older");
  });
});
