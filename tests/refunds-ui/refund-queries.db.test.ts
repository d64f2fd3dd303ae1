/**
 * The refund screens' own calls against the real thing: the embedded server on an in-memory PGlite with the
 * migrations, the demo seed and the local Stripe sandbox. The component tests fake the backend; this checks that
 * what the screens send (request/approve/reject, refund-execute, health, list filters and HEAD counts, staff
 * names) is accepted, that refusals map to the screens' texts, and that the screens' arithmetic agrees with the
 * database's.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import { beforeAll, describe, expect, it } from "vitest";
import { findDemoStaff } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { startDemoServer } from "../helpers/server.ts";
import { withFilters } from "../../src/lib/postgrestFilters";
import { RpcError } from "../../src/lib/rpc";
import { approveRefund, executeRefund, fetchStripeMode, rejectRefund, requestRefund } from "../../src/features/refunds/api";
import { barFilters, REFUND_TABS, tabFilters } from "../../src/features/refunds/listState";
import { clawbackOffer, summarisePayment } from "../../src/features/refunds/money";
import type { RefundablePayment, RefundRow } from "../../src/features/refunds/types";

const demo = openBeforeAll(() => startDemoServer({ demoCustomers: 20 }), 180_000);
const clientAs = (email: string): SupabaseClient => demo.clientFor(findDemoStaff(email));

let finance: SupabaseClient;
let approver: SupabaseClient;
let support: SupabaseClient;
let payment: RefundablePayment & { customer_id: string };

const key = () => crypto.randomUUID();

async function refundsOf(paymentId: string): Promise<RefundRow[]> {
  const { data, error } = await finance.from("refunds").select("*").eq("payment_id", paymentId);
  if (error) throw error;
  return data as RefundRow[];
}

beforeAll(async () => {
  finance = clientAs("finance@m-factory.test");
  approver = clientAs("finance.approver@m-factory.test");
  support = clientAs("support@m-factory.test");
  const { data, error } = await finance
    .from("payment_details")
    .select("*")
    .eq("status", "succeeded")
    .eq("kind", "top_up")
    .eq("amount_refunded", 0)
    .not("stripe_charge_id", "is", null)
    .gt("amount", 1000)
    .limit(1);
  if (error) throw error;
  payment = data![0] as RefundablePayment & { customer_id: string };
}, 180_000);

describe("refund screens against the embedded server", () => {
  it("the header tag reads the sandbox mode from the health function", async () => {
    expect(await fetchStripeMode(finance)).toBe("sandbox");
  });

  it("support requests, finance approves, finance sends; the screens' position matches the database", async () => {
    const before = summarisePayment(payment.amount, await refundsOf(payment.id));
    const { data: balanceRow } = await support.from("credit_balances").select("balance").eq("customer_id", payment.customer_id).maybeSingle();
    const offer = clawbackOffer(payment.credits_granted, (balanceRow as { balance: number } | null)?.balance ?? 0);

    const requested = await requestRefund(support, {
      paymentId: payment.id,
      amount: 100,
      currency: payment.currency,
      reason: "requested_by_customer",
      note: "Customer asked by email",
      idempotencyKey: key(),
      clawbackCredits: offer,
    });
    expect(requested).toMatchObject({ status: "awaiting_approval", approvals_needed: 1, clawback_credits: offer });
    const reserved = summarisePayment(payment.amount, await refundsOf(payment.id));
    expect(reserved.reserved).toBe(before.reserved + 100);
    expect(reserved.remaining).toBe(before.remaining - 100);

    // Sending before approval is refused with the screens' text.
    await expect(executeRefund(finance, requested.id)).rejects.toMatchObject({ code: "PT409" });

    const approved = await approveRefund(approver, requested.id, null);
    expect(approved.status).toBe("approved");

    // Support may not send; finance may (any finance user, the approver's colleague included).
    await expect(executeRefund(support, requested.id)).rejects.toMatchObject({ message: expect.stringContaining("Only finance sends refunds to Stripe.") });
    const sent = await executeRefund(finance, requested.id);
    expect(["pending", "succeeded"]).toContain(sent.refund.status);
    expect(sent.stripe_refund_id).toMatch(/^re_/);

    const after = summarisePayment(payment.amount, await refundsOf(payment.id));
    const { data: paymentNow } = await finance.from("payment_details").select("amount_refunded").eq("id", payment.id).single();
    expect(after.refunded).toBe(Number((paymentNow as { amount_refunded: number }).amount_refunded));

    // A second send of a refund already at Stripe is refused, not repeated.
    const again = await executeRefund(finance, requested.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RpcError);
    expect((again as RpcError).message).toMatch(/^The refund is not approved \(or already finished\)/);
  });

  it("refusals come back with the SQLSTATE and the screens' text", async () => {
    const over = await requestRefund(finance, {
      paymentId: payment.id,
      amount: Number(payment.amount) * 10,
      currency: payment.currency,
      reason: "duplicate",
      note: "too much",
      idempotencyKey: key(),
      clawbackCredits: 0,
    }).catch((e: unknown) => e as RpcError);
    expect(over).toMatchObject({ code: "22023" });
    expect((over as RpcError).message).toMatch(/remains refundable/);

    const own = await requestRefund(approver, { paymentId: payment.id, amount: 1, currency: payment.currency, reason: "duplicate", note: "mine", idempotencyKey: key(), clawbackCredits: 0 });
    expect(own.status).toBe("approved"); // finance within the threshold needs no approval
    const rejectOwn = await rejectRefund(approver, own.id, "changed my mind").catch((e: unknown) => e as RpcError);
    expect(rejectOwn).toMatchObject({ code: "42501" });
    expect((rejectOwn as RpcError).message).toMatch(/^Not allowed for your role, or you are the requester/);
    expect((await rejectRefund(finance, own.id, "not needed")).status).toBe("rejected");
  });

  it("every tab count and the filter bar are accepted and count what the list shows", async () => {
    const bar = barFilters({ reasons: ["requested_by_customer", "duplicate"], currency: payment.currency, requester: "", from: "2020-01-01", to: "2030-12-31" });
    let sum = 0;
    for (const tab of REFUND_TABS) {
      const filters = [...tabFilters(tab), ...bar];
      const { count, error } = await withFilters(finance.from("refunds").select("id", { count: "exact", head: true }), filters);
      expect(error).toBeNull();
      const { data, error: listError } = await withFilters(finance.from("refunds").select("*"), filters).order("requested_at", { ascending: false }).order("id").range(0, 999);
      expect(listError).toBeNull();
      expect(data!.length).toBe(count);
      if (tab !== "all") sum += count ?? 0;
      else expect(count).toBe(sum);
    }
    expect(sum).toBeGreaterThan(0);
  });

  it("staff names: finance reads who requested (the staff directory is open to staff), roles stay hidden", async () => {
    const supportStaff = findDemoStaff("support@m-factory.test");
    const { data: me } = await finance.rpc("current_staff");
    const { data: supportRow } = await clientAs("dpo@m-factory.test").from("staff_members").select("id").eq("clerk_user_id", supportStaff.clerkUserId).single();
    const ids = [(me as { id: string }).id, (supportRow as { id: string }).id];
    const { data, error } = await finance.from("staff_members").select("id,display_name").in("id", ids).order("display_name");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: ids[0], display_name: "Fiona Grant" },
      { id: ids[1], display_name: supportStaff.displayName },
    ]);
  });
});
