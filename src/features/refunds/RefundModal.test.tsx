import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { REFUND_POLLING } from "./data";
import { answerRpc, type FakeBackendOptions, rpcError, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { CUSTOMER_ID } from "../../test/fixtures";
import { FINANCE_ID, moneyDataFor, PAYMENT_ID, refundRow, SUPPORT_ID } from "./test-fixtures";
import type { RefundRow } from "./types";

const SHOW_PATH = `/customers/${CUSTOMER_ID}`;

// The fixture payment: a ฿299.00 top-up granting 1,000 credits; the customer's balance is 1,250.
const EXISTING: RefundRow[] = [
  refundRow({ id: "bbbbbbbb-0000-4000-8000-000000000001", amount: 5000, status: "succeeded", approvals_needed: 0 }),
  refundRow({ id: "bbbbbbbb-0000-4000-8000-000000000002", amount: 3000, status: "awaiting_approval" }),
  refundRow({ id: "bbbbbbbb-0000-4000-8000-000000000003", amount: 2000, status: "rejected" }),
];

function paymentOverride(overrides: Record<string, unknown>) {
  return (role: string) => {
    const tables = moneyDataFor([])(role);
    return { ...tables, payment_details: tables.payment_details!.map((p) => ({ ...p, ...overrides })) };
  };
}

async function openModal(role: string, options: FakeBackendOptions) {
  signInAs(role);
  const rendered = renderConsole(SHOW_PATH, options);
  const payments = await screen.findByRole("region", { name: "Payments" });
  await userEvent.click(await within(payments).findByRole("button", { name: role === "finance" ? "Refund" : "Request refund" }));
  const dialog = await screen.findByRole("dialog");
  await within(dialog).findByText("Remaining");
  return { ...rendered, dialog };
}

async function choosePartial(dialog: HTMLElement, amount: string) {
  await userEvent.click(within(dialog).getByRole("radio", { name: "Partial" }));
  const input = within(dialog).getByLabelText("Amount to refund");
  await userEvent.clear(input);
  if (amount) await userEvent.type(input, amount);
}

const approved = (args: Record<string, unknown>): RefundRow =>
  refundRow({ id: "cccccccc-0000-4000-8000-000000000001", amount: args.p_amount as number, status: "approved", approvals_needed: 0, requested_by: FINANCE_ID });

const savedInterval = REFUND_POLLING.intervalMs;
afterEach(() => {
  REFUND_POLLING.intervalMs = savedInterval;
});

describe("refund modal from a payment", () => {
  it("shows paid, refunded, reserved and remaining from the payment's refunds in the database", async () => {
    const { dialog, backend } = await openModal("finance", { rowsFor: moneyDataFor(EXISTING) });
    const position = within(dialog).getByLabelText("Refund position");
    expect(within(position).getByText("฿299.00")).toBeInTheDocument();
    expect(within(position).getByText("฿50.00")).toBeInTheDocument(); // succeeded
    expect(within(position).getByText("฿30.00")).toBeInTheDocument(); // awaiting approval reserves its amount
    expect(within(position).getByText("฿219.00")).toBeInTheDocument(); // the rejected ฿20.00 is released
    const asked = backend.requestsTo("/rest/v1/refunds").map((r) => r.url.searchParams.get("payment_id"));
    expect(asked).toContain(`eq.${PAYMENT_ID}`);
  });

  it("refuses zero, negative, over-remaining and non-numeric amounts without calling the database", async () => {
    const { dialog, rpcCalls } = await openModal("finance", { rowsFor: moneyDataFor(EXISTING) });
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "Duplicate charge");
    const cases: [string, string][] = [
      ["0", "The amount must be more than zero."],
      ["-5", "The amount must be more than zero."],
      ["219.01", "At most ฿219.00 remains refundable."],
      ["ten", '"ten" is not an amount; write it like 123.45.'],
      ["1.234", "THB has 2 decimal places at most."],
    ];
    for (const [amount, message] of cases) {
      await choosePartial(dialog, amount);
      await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
      expect(await within(dialog).findByText(message)).toBeInTheDocument();
    }
    expect(rpcCalls).toHaveLength(0);
  });

  it("requires the internal note", async () => {
    const { dialog, rpcCalls } = await openModal("finance", { rowsFor: moneyDataFor([]) });
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
    expect(await within(dialog).findByText(/Write an internal note/)).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
  });

  for (const [currency, amount, typed, minor] of [
    ["thb", 29900, "12.34", 1234],
    ["usd", 250000, "1,234.5", 123450],
    ["jpy", 5000, "1500", 1500],
  ] as const) {
    it(`converts ${typed} ${currency.toUpperCase()} to ${minor} minor units`, async () => {
      const { dialog, rpcCalls } = await openModal("finance", {
        rowsFor: paymentOverride({ currency, amount }),
        rpc: (fn, args) => (fn === "request_refund" ? { body: approved(args) } : undefined),
      });
      await choosePartial(dialog, typed);
      await userEvent.type(within(dialog).getByLabelText("Internal note"), "Partial goodwill refund");
      await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
      await within(dialog).findByText("Approved — refund now");
      expect(rpcCalls).toHaveLength(1);
      expect(rpcCalls[0]!.args).toMatchObject({ p_payment_id: PAYMENT_ID, p_amount: minor, p_currency: currency, p_reason: "requested_by_customer", p_note: "Partial goodwill refund", p_clawback_credits: 0 });
    });
  }

  it("JPY takes whole units only", async () => {
    const { dialog } = await openModal("finance", { rowsFor: paymentOverride({ currency: "jpy", amount: 5000 }) });
    await choosePartial(dialog, "15.5");
    expect(await within(dialog).findByText("JPY has no decimal places.")).toBeInTheDocument();
  });

  it("a double click sends one request, and a retry after an error reuses the same idempotency key", async () => {
    let calls = 0;
    const { dialog, rpcCalls } = await openModal("finance", {
      rowsFor: moneyDataFor([]),
      rpc: (fn, args) => {
        if (fn !== "request_refund") return undefined;
        calls += 1;
        return calls === 1 ? rpcError(503, "57014", "canceling statement due to statement timeout") : { body: approved(args) };
      },
    });
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "Charged twice");
    const submit = within(dialog).getByRole("button", { name: "Refund" });
    fireEvent.click(submit);
    fireEvent.click(submit);
    expect(await within(dialog).findByText(/statement timeout/)).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(1);
    // The form is kept as typed.
    expect(within(dialog).getByLabelText("Internal note")).toHaveValue("Charged twice");
    // antd drops the button's loading state one render after the answer: wait for it to be clickable again.
    await userEvent.click(await within(dialog).findByRole("button", { name: "Refund" }));
    await within(dialog).findByText("Approved — refund now");
    expect(rpcCalls).toHaveLength(2);
    const key = rpcCalls[0]!.args.p_idempotency_key as string;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(rpcCalls[1]!.args.p_idempotency_key).toBe(key);
    expect(rpcCalls[0]!.args.p_amount).toBe(29900); // full refund by default
  });

  it("a new opening of the form gets a new idempotency key", async () => {
    const { dialog, rpcCalls } = await openModal("finance", {
      rowsFor: moneyDataFor([]),
      rpc: answerRpc("request_refund", rpcError(400, "22023", "only ฿0.00 remains refundable")),
    });
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "x");
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
    await within(dialog).findByText("only ฿0.00 remains refundable");
    await userEvent.click(await within(dialog).findByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    await userEvent.click(within(screen.getByRole("region", { name: "Payments" })).getByRole("button", { name: "Refund" }));
    const second = await screen.findByRole("dialog");
    await within(second).findByText("Remaining");
    await userEvent.type(within(second).getByLabelText("Internal note"), "x");
    await userEvent.click(within(second).getByRole("button", { name: "Refund" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(2));
    expect(rpcCalls[1]!.args.p_idempotency_key).not.toBe(rpcCalls[0]!.args.p_idempotency_key);
  });

  it("finance below the threshold: 'Approved — refund now' sends it to Stripe through refund-execute", async () => {
    let created: RefundRow | null = null;
    const { dialog, functionCalls } = await openModal("finance", {
      rowsFor: moneyDataFor([]),
      rpc: (fn, args) => (fn === "request_refund" ? { body: (created = approved(args)) } : undefined),
      functions: (name, method, body) =>
        name === "refund-execute" && method === "POST"
          ? { body: { refund: { ...created!, status: "succeeded", execution_attempts: 1 }, stripe_refund_id: "re_Sand123", refund_id: (body as { refund_id: string }).refund_id } }
          : undefined,
    });
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "Charged twice");
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
    expect(await within(dialog).findByText("Approved — refund now")).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund now" }));
    expect(await within(dialog).findByText("Succeeded")).toBeInTheDocument();
    expect(within(dialog).getByText("Stripe refund re_Sand123")).toBeInTheDocument();
    expect(functionCalls.filter((c) => c.name === "refund-execute")).toEqual([
      { name: "refund-execute", method: "POST", body: { refund_id: "cccccccc-0000-4000-8000-000000000001" }, role: "finance" },
    ]);
  });

  it("a Stripe refusal from refund-execute is explained", async () => {
    const { dialog } = await openModal("finance", {
      rowsFor: moneyDataFor([]),
      rpc: (fn, args) => (fn === "request_refund" ? { body: approved(args) } : undefined),
      functions: (name) => (name === "refund-execute" ? { status: 422, body: { code: "charge_already_refunded", message: "Charge ch_Def456 has already been refunded." } } : undefined),
    });
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "Charged twice");
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
    await userEvent.click(await within(dialog).findByRole("button", { name: "Refund now" }));
    expect(await within(dialog).findByText(/Stripe refused the refund\. charge_already_refunded: Charge ch_Def456 has already been refunded\./)).toBeInTheDocument();
  });

  it("support requests a refund above the threshold: 'Waiting for 2 finance approvals'", async () => {
    const { dialog, rpcCalls } = await openModal("support", {
      rowsFor: moneyDataFor([]),
      rpc: (fn, args) =>
        fn === "request_refund" ? { body: refundRow({ amount: args.p_amount as number, status: "awaiting_approval", approvals_needed: 2, requested_by: SUPPORT_ID }) } : undefined,
    });
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "Customer emailed");
    await userEvent.click(within(dialog).getByRole("button", { name: "Request refund" }));
    expect(await within(dialog).findByText("Waiting for 2 finance approvals")).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Refund now" })).not.toBeInTheDocument();
    expect(rpcCalls[0]!.role).toBe("support");
  });

  it("a refusal is shown in clear text and the form stays as typed", async () => {
    const { dialog } = await openModal("finance", {
      rowsFor: moneyDataFor([]),
      rpc: answerRpc("request_refund", rpcError(409, "PT409", "payment pay1 has no Stripe charge")),
    });
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "Keep me");
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
    expect(await within(dialog).findByText(/not in a state that allows this any more.*payment pay1 has no Stripe charge/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Internal note")).toHaveValue("Keep me");
  });

  it("offers to claw back min(credits granted, balance) on a top-up and sends it", async () => {
    const { dialog, rpcCalls } = await openModal("finance", {
      rowsFor: moneyDataFor([], () => ({ credit_balances: [{ customer_id: CUSTOMER_ID, balance: 640 }] })),
      rpc: (fn, args) => (fn === "request_refund" ? { body: approved(args) } : undefined),
    });
    const box = await within(dialog).findByRole("checkbox", { name: "Also claw back unused credits (640)" });
    await userEvent.click(box);
    await userEvent.type(within(dialog).getByLabelText("Internal note"), "Refund and take the credits back");
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund" }));
    await within(dialog).findByText("Approved — refund now");
    expect(rpcCalls[0]!.args.p_clawback_credits).toBe(640);
  });

  it("no clawback offer on a subscription payment", async () => {
    const { dialog } = await openModal("finance", { rowsFor: paymentOverride({ kind: "subscription", plan: "pro", credits_granted: 0 }) });
    expect(within(dialog).queryByText(/claw back/)).not.toBeInTheDocument();
  });

  it("the customer page lists each payment's refunds and hides the button when nothing remains", async () => {
    signInAs("finance");
    renderConsole(SHOW_PATH, { rowsFor: moneyDataFor([refundRow({ amount: 29900, status: "succeeded", approvals_needed: 0 })]) });
    const payments = await screen.findByRole("region", { name: "Payments" });
    const sub = await within(payments).findByRole("table", { name: "Refunds of this payment" });
    expect(within(sub).getByText("Succeeded")).toBeInTheDocument();
    expect(within(payments).getByText("fully refunded")).toBeInTheDocument();
    expect(within(payments).queryByRole("button", { name: "Refund" })).not.toBeInTheDocument();
  });

  it("a refund in flight on the customer page follows Stripe's status without a reload", async () => {
    REFUND_POLLING.intervalMs = 150;
    const rows = [refundRow({ amount: 1000, status: "pending", approvals_needed: 0 })];
    signInAs("finance");
    renderConsole(SHOW_PATH, { rowsFor: moneyDataFor(rows) });
    const payments = await screen.findByRole("region", { name: "Payments" });
    const sub = await within(payments).findByRole("table", { name: "Refunds of this payment" });
    expect(within(sub).getByText("Pending")).toBeInTheDocument();
    rows[0]!.status = "succeeded";
    expect(await within(sub).findByText("Succeeded")).toBeInTheDocument();
  });

  it("the DPO and the auditor see refunds but get no refund button", async () => {
    signInAs("dpo");
    renderConsole(SHOW_PATH, { rowsFor: moneyDataFor(EXISTING) });
    const payments = await screen.findByRole("region", { name: "Payments" });
    const sub = await within(payments).findByRole("table", { name: "Refunds of this payment" });
    expect(within(payments).queryByRole("button", { name: /refund/i })).not.toBeInTheDocument();
    // The DPO reads every staff member's name; the requester is named.
    expect((await within(sub).findAllByText("Support Person")).length).toBe(3);
  });
});
