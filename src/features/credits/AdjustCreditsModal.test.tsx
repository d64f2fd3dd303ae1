import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { answerRpc, rpcError, type RpcHandler, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { CUSTOMER_ID } from "../../test/fixtures";
import { amountProblem, describeLimits } from "./AdjustCreditsModal";
import { adjustmentRow, creditsDataFor, LIMITS, SUPPORT } from "./test-fixtures";
import type { CreditLimitRow } from "./types";

const APPLIED = adjustmentRow({ id: "adj-applied", amount: 200, status: "applied", pending_reason: null, ledger_entry_id: 77 });
const PENDING = adjustmentRow({ id: "adj-pending", amount: 800, status: "pending", pending_reason: "over_per_adjustment_limit" });

async function openOnCustomerPage(role: string, rpc: RpcHandler) {
  signInAs(role);
  const view = renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: creditsDataFor([], []), rpc });
  const credits = await screen.findByRole("region", { name: "Credits" });
  await userEvent.click(within(credits).getByRole("button", { name: "Adjust credits" }));
  const dialog = await screen.findByRole("dialog");
  return { ...view, dialog };
}

async function chooseReason(dialog: HTMLElement, label: string) {
  fireEvent.mouseDown(within(dialog).getByRole("combobox", { name: "Reason" }));
  await userEvent.click(await screen.findByTitle(label));
}

async function fill(dialog: HTMLElement, amount: string, reason: string, note: string) {
  await userEvent.type(within(dialog).getByRole("spinbutton", { name: "Amount (credits)" }), amount);
  await chooseReason(dialog, reason);
  await userEvent.type(within(dialog).getByRole("textbox", { name: "Note" }), note);
}

describe("adjust-credits modal", () => {
  it("is pre-filled with the customer on the customer page and shows the caller's limits", async () => {
    const { dialog } = await openOnCustomerPage("support", () => undefined);
    expect(within(dialog).getByText("Somchai Jaidee (somchai.j@example.co.th)")).toBeInTheDocument();
    expect(await within(dialog).findByText(/Support: up to 500 per adjustment, 2,000 per day/)).toBeInTheDocument();
    expect(within(dialog).queryByText(/Finance:/)).not.toBeInTheDocument();
  });

  it("refuses a zero, fractional or missing amount, a missing reason and a blank note, and sends nothing", async () => {
    const { dialog, rpcCalls } = await openOnCustomerPage("support", () => ({ body: APPLIED }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    expect(await within(dialog).findByText("Enter an amount of credits (negative to take credits away).")).toBeInTheDocument();
    expect(within(dialog).getByText("Choose a reason.")).toBeInTheDocument();
    expect(within(dialog).getByText("A note saying why is required (it goes to the ledger).")).toBeInTheDocument();
    const amount = within(dialog).getByRole("spinbutton", { name: "Amount (credits)" });
    await userEvent.type(amount, "0");
    expect(await within(dialog).findByText("The amount cannot be zero.")).toBeInTheDocument();
    await userEvent.clear(amount);
    await userEvent.type(amount, "1.5");
    expect(await within(dialog).findByText("Whole credits only: no decimals.")).toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Note" }), "   ");
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    await waitFor(() => expect(within(dialog).getByText("A note saying why is required (it goes to the ledger).")).toBeInTheDocument());
    expect(rpcCalls.filter((c) => c.fn === "adjust_credits")).toHaveLength(0);
  });

  it("a double click sends one request, and a retry after an error reuses the same idempotency key", async () => {
    let calls = 0;
    const { dialog, rpcCalls } = await openOnCustomerPage("support", (fn) => {
      if (fn !== "adjust_credits") return undefined;
      calls += 1;
      // The first answer is lost to a gateway error (the database may or may not have applied it).
      return calls === 1 ? { ...rpcError(503, "503", "upstream timed out"), delayMs: 150 } : { body: APPLIED };
    });
    await fill(dialog, "200", "Goodwill", "Outage on 18 Nov");
    const submit = within(dialog).getByRole("button", { name: "Adjust credits" });
    await userEvent.dblClick(submit);
    expect(await within(dialog).findByText("Upstream timed out")).toBeInTheDocument();
    expect(rpcCalls.filter((c) => c.fn === "adjust_credits")).toHaveLength(1);
    // The form kept what was typed; trying again sends the same key.
    expect(within(dialog).getByRole("spinbutton", { name: "Amount (credits)" })).toHaveValue("200");
    await userEvent.click(within(dialog).getByRole("button", { name: "Try again" }));
    expect(await within(dialog).findByText("Applied: +200 credits for Somchai Jaidee (somchai.j@example.co.th)")).toBeInTheDocument();
    const adjusts = rpcCalls.filter((c) => c.fn === "adjust_credits");
    expect(adjusts).toHaveLength(2);
    expect(adjusts[0]!.args).toEqual({ p_customer_id: CUSTOMER_ID, p_amount: 200, p_reason: "goodwill", p_note: "Outage on 18 Nov", p_idempotency_key: adjusts[1]!.args.p_idempotency_key });
    expect(new Set(adjusts.map((c) => c.args.p_idempotency_key)).size).toBe(1);
    expect(String(adjusts[0]!.args.p_idempotency_key)).toMatch(/^[0-9a-f-]{36}$/);
    // Once applied, the form cannot send again.
    expect(within(dialog).queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Adjust credits" })).not.toBeInTheDocument();
  });

  it("a new opening gets a new key", async () => {
    const { dialog, rpcCalls } = await openOnCustomerPage("support", (fn) => (fn === "adjust_credits" ? { body: APPLIED } : undefined));
    await fill(dialog, "200", "Goodwill", "First");
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    await within(dialog).findByText(/^Applied:/);
    await userEvent.click(within(dialog).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    await userEvent.click(within(screen.getByRole("region", { name: "Credits" })).getByRole("button", { name: "Adjust credits" }));
    const again = await screen.findByRole("dialog");
    // A fresh form: nothing typed before remains.
    expect(within(again).getByRole("spinbutton", { name: "Amount (credits)" })).toHaveValue("");
    await fill(again, "300", "Goodwill", "Second");
    await userEvent.click(within(again).getByRole("button", { name: "Adjust credits" }));
    await within(again).findByText(/^Applied:/);
    const keys = rpcCalls.filter((c) => c.fn === "adjust_credits").map((c) => c.args.p_idempotency_key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("says clearly when the adjustment waits for finance approval", async () => {
    const { dialog } = await openOnCustomerPage("support", (fn) => (fn === "adjust_credits" ? { body: PENDING } : undefined));
    await fill(dialog, "800", "Goodwill", "Long outage");
    expect(await within(dialog).findByText("Above your per-adjustment limit: this will wait for finance approval.")).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    expect(await within(dialog).findByText("Waiting for finance approval: over the per-adjustment limit")).toBeInTheDocument();
    expect(within(dialog).queryByText(/^Applied:/)).not.toBeInTheDocument();
  });

  it("shows the database's refusal in clear words and keeps the form", async () => {
    const { dialog } = await openOnCustomerPage(
      "finance",
      answerRpc("adjust_credits", rpcError(409, "PT409", "adjust_credits: the balance of 40 credits cannot go below zero (adjustment -100); only an approved correction may do that")),
    );
    await fill(dialog, "-100", "Promotion", "Undo promo");
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    expect(await within(dialog).findByText(/^Not possible now: The balance of 40 credits cannot go below zero/)).toBeInTheDocument();
    expect(within(dialog).getByRole("spinbutton", { name: "Amount (credits)" })).toHaveValue("-100");
    expect(within(dialog).getByRole("textbox", { name: "Note" })).toHaveValue("Undo promo");
  });

  it("on the credits page it asks for the customer first", async () => {
    signInAs("support");
    const { rpcCalls } = renderConsole("/credits", {
      rowsFor: creditsDataFor([], []),
      rpc: (fn) => (fn === "adjust_credits" ? { body: APPLIED } : undefined),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Adjust credits" }));
    const dialog = await screen.findByRole("dialog");
    await fill(dialog, "50", "Failed generation", "Song cut off");
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    expect(await within(dialog).findByText("Choose the customer.")).toBeInTheDocument();
    const customer = within(dialog).getByRole("combobox", { name: "Customer" });
    await userEvent.type(customer, "emma");
    await userEvent.click(await screen.findByTitle("Emma Clarke (emma@example.com)", {}, { timeout: 5000 }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    expect(await within(dialog).findByText("Applied: +200 credits for Emma Clarke (emma@example.com)")).toBeInTheDocument();
    const call = rpcCalls.find((c) => c.fn === "adjust_credits")!;
    expect(call.args.p_customer_id).toBe("22222222-2222-4222-8222-222222222222");
    expect(call.args.p_reason).toBe("failed_generation");
  });

  it("is not offered to the DPO, who reads credits but does not adjust them", async () => {
    signInAs("dpo");
    renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: creditsDataFor([], []) });
    const credits = await screen.findByRole("region", { name: "Credits" });
    expect(within(credits).getByText("Credit balance")).toBeInTheDocument();
    expect(await within(credits).findByText("No adjustment waits for approval.")).toBeInTheDocument();
    expect(within(credits).queryByRole("button", { name: "Adjust credits" })).not.toBeInTheDocument();
  });
});

describe("modal helpers", () => {
  it("describes the limits of the roles the caller holds", () => {
    const limits = LIMITS as CreditLimitRow[];
    expect(describeLimits(limits, ["support"])).toEqual(["Support: up to 500 per adjustment, 2,000 per day"]);
    expect(describeLimits(limits, ["finance", "support"])).toHaveLength(2);
    expect(describeLimits(limits, ["dpo"])).toEqual([]);
  });
  it("accepts whole non-zero amounts up to a million either way", () => {
    expect(amountProblem(-500)).toBeNull();
    expect(amountProblem(1_000_000)).toBeNull();
    expect(amountProblem(1_000_001)).toMatch(/At most 1,000,000/);
    expect(amountProblem(0)).toMatch(/zero/);
    expect(amountProblem(2.5)).toMatch(/Whole/);
    expect(amountProblem(null)).toMatch(/Enter an amount/);
  });
  it("the fixture's support member is the one the fake signs in", () => {
    expect(SUPPORT.roles).toEqual(["support"]);
  });
});
