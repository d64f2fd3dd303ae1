import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { CUSTOMER_ID } from "../../test/fixtures";
import { adjustmentRow, creditsDataFor, FINANCE, ledgerRow, SECOND_CUSTOMER_ID } from "./test-fixtures";

const PENDING_HERE = adjustmentRow({ id: "adj-here", amount: 800 });
const PENDING_OWN = adjustmentRow({ id: "adj-own", amount: -300, reason: "correction", pending_reason: "negative_balance_correction", requested_by: FINANCE.id, requester: { display_name: FINANCE.display_name } });
const PENDING_ELSEWHERE = adjustmentRow({ id: "adj-elsewhere", customer_id: SECOND_CUSTOMER_ID, amount: 999 });

describe("customer page: credits", () => {
  it("lists this customer's adjustments waiting for approval; finance decides others' but not their own", async () => {
    signInAs("finance");
    const { backend } = renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: creditsDataFor([], [PENDING_HERE, PENDING_OWN, PENDING_ELSEWHERE]) });
    const waiting = await screen.findByRole("region", { name: "Adjustments waiting for approval" });
    expect(await within(waiting).findByText("+800")).toBeInTheDocument();
    expect(within(waiting).getByText("-300")).toBeInTheDocument();
    expect(within(waiting).queryByText("+999")).not.toBeInTheDocument();
    expect(within(waiting).getByText("a correction taking the balance below zero")).toBeInTheDocument();
    expect(within(waiting).getByRole("button", { name: "Approve +800 for Somchai Jaidee" })).toBeEnabled();
    expect(within(waiting).getByRole("button", { name: "Approve -300 for Somchai Jaidee" })).toBeDisabled();
    const query = backend.requestsTo("/rest/v1/credit_adjustments").at(-1)!.url.searchParams;
    expect(query.get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);
    expect(query.get("status")).toBe("eq.pending");
  });

  it("support sees the waiting adjustments without decision buttons", async () => {
    signInAs("support");
    renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: creditsDataFor([], [PENDING_HERE]) });
    const waiting = await screen.findByRole("region", { name: "Adjustments waiting for approval" });
    expect(await within(waiting).findByText("+800")).toBeInTheDocument();
    expect(within(waiting).queryByRole("button", { name: /Approve|Reject/ })).not.toBeInTheDocument();
  });

  it("after an adjustment the balance, the ledger and the waiting list are read again", async () => {
    signInAs("support");
    const { backend } = renderConsole(`/customers/${CUSTOMER_ID}`, {
      rowsFor: creditsDataFor([ledgerRow()], []),
      rpc: (fn) => (fn === "adjust_credits" ? { body: adjustmentRow({ status: "applied", pending_reason: null, amount: 100, ledger_entry_id: 9 }) } : undefined),
    });
    const credits = await screen.findByRole("region", { name: "Credits" });
    await within(credits).findByText("No adjustment waits for approval.");
    const reads = (path: string) => backend.requestsTo(path).filter((r) => r.method === "GET").length;
    const before = { profile: reads("/rest/v1/customer_directory"), ledger: reads("/rest/v1/credit_ledger"), waiting: reads("/rest/v1/credit_adjustments") };
    await userEvent.click(within(credits).getByRole("button", { name: "Adjust credits" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByRole("spinbutton", { name: "Amount (credits)" }), "100");
    fireEvent.mouseDown(within(dialog).getByRole("combobox", { name: "Reason" }));
    await userEvent.click(await screen.findByTitle("Goodwill"));
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Note" }), "Sorry");
    await userEvent.click(within(dialog).getByRole("button", { name: "Adjust credits" }));
    await within(dialog).findByText(/^Applied: \+100 credits/);
    await waitFor(() => expect(reads("/rest/v1/customer_directory")).toBeGreaterThan(before.profile));
    await waitFor(() => expect(reads("/rest/v1/credit_ledger")).toBeGreaterThan(before.ledger));
    await waitFor(() => expect(reads("/rest/v1/credit_adjustments")).toBeGreaterThan(before.waiting));
  });
});
