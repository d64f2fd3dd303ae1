import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { answerRpc, rpcError, signInAs } from "../../test/fakeBackend";
import { currentLocation, renderConsole } from "../../test/renderConsole";
import { CUSTOMER_ID } from "../../test/fixtures";
import { OWN_REQUEST_HINT } from "./decisions";
import { adjustmentRow, creditsDataFor, FINANCE, ledgerRow, SECOND_CUSTOMER_ID, SUPPORT } from "./test-fixtures";

const EMMA = { display_name: "Emma Clarke", email: "emma@example.com" };
const LEDGER = [
  ledgerRow({ id: 3, amount: 200, reason: "goodwill", created_at: "2026-11-20T03:00:00Z" }),
  ledgerRow({ id: 2, customer_id: SECOND_CUSTOMER_ID, customer: EMMA, amount: -40, reason: "generation", note: null, actor_staff_id: null, actor: null, created_at: "2026-11-19T03:00:00Z" }),
  ledgerRow({ id: 1, amount: 1000, reason: "purchase", note: null, actor_staff_id: null, actor: null, created_at: "2026-11-01T03:00:00Z" }),
];
const FROM_SUPPORT = adjustmentRow({ id: "adj-1", amount: 800, requested_by: SUPPORT.id });
const FROM_FINANCE = adjustmentRow({
  id: "adj-2",
  customer_id: SECOND_CUSTOMER_ID,
  customer: EMMA,
  amount: 6000,
  reason: "promotion",
  note: "Launch campaign",
  requested_by: FINANCE.id,
  requester: { display_name: FINANCE.display_name },
});
const APPLIED = adjustmentRow({ id: "adj-3", amount: 100, status: "applied", pending_reason: null, ledger_entry_id: 3 });
const ADJUSTMENTS = [FROM_SUPPORT, FROM_FINANCE, APPLIED];

describe("credits page: ledger", () => {
  it("lists the ledger across customers, newest first, with names, paged on the server", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/credits", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("Emma Clarke")).toBeInTheDocument();
    expect(within(table).getAllByText("Somchai Jaidee")).toHaveLength(2);
    expect(within(table).getByText("+200")).toBeInTheDocument();
    expect(within(table).getByText("-40")).toBeInTheDocument();
    expect(within(table).getByText("Generation")).toBeInTheDocument();
    expect(within(table).getAllByText("product")).toHaveLength(2);
    const query = backend.lastQuery("credit_ledger");
    expect(query.get("order")).toBe("created_at.desc,id.desc");
    expect(query.get("limit")).toBe("25");
    expect(query.get("offset")).toBe("0");
    expect(query.get("select")).toContain("customer:customers(display_name,email)");
    expect(query.get("select")).toContain("actor:staff_members!actor_staff_id(display_name,email)");
  });

  it("filters from the address reach the query (reason, staff member, Bangkok dates, amount range, customer)", async () => {
    signInAs("dpo");
    const { backend } = renderConsole(
      `/credits?reason=goodwill,correction&actor=${SUPPORT.id}&from=2026-11-01&to=2026-11-30&min=100&max=1000&customer=${CUSTOMER_ID}`,
      { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) },
    );
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("+200")).toBeInTheDocument();
    expect(within(table).queryByText("Emma Clarke")).not.toBeInTheDocument();
    const query = backend.lastQuery("credit_ledger");
    expect(query.get("reason")).toBe("in.(goodwill,correction)");
    expect(query.get("actor_staff_id")).toBe(`eq.${SUPPORT.id}`);
    expect(query.getAll("created_at")).toEqual(["gte.2026-10-31T17:00:00.000Z", "lt.2026-11-30T17:00:00.000Z"]);
    expect(query.getAll("amount")).toEqual(["gte.100", "lte.1000"]);
    expect(query.get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);
    expect(screen.getByRole("textbox", { name: "Minimum amount" })).toHaveValue("100");
  });

  it("changing a filter goes into the URL and the query, and starts again at page 1", async () => {
    signInAs("support");
    const { backend } = renderConsole("/credits?page=2", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    await screen.findByRole("table");
    await userEvent.type(screen.getByRole("textbox", { name: "Minimum amount" }), "150");
    await waitFor(() => expect(currentLocation().searchParams.get("min")).toBe("150"));
    expect(currentLocation().searchParams.get("page")).toBeNull();
    await waitFor(() => expect(backend.lastQuery("credit_ledger").get("amount")).toBe("gte.150"));
    expect(backend.lastQuery("credit_ledger").get("offset")).toBe("0");

    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Reason" }));
    await userEvent.click(await screen.findByTitle("Correction"));
    await waitFor(() => expect(currentLocation().searchParams.get("reason")).toBe("correction"));
    await waitFor(() => expect(backend.lastQuery("credit_ledger").get("reason")).toBe("in.(correction)"));

    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Staff member" }));
    await userEvent.click(await screen.findByTitle("Nobody (the product)"));
    await waitFor(() => expect(currentLocation().searchParams.get("actor")).toBe("none"));
    await waitFor(() => expect(backend.lastQuery("credit_ledger").get("actor_staff_id")).toBe("is.null"));
  });

  it("a malformed amount is named and not sent", async () => {
    signInAs("support");
    const { backend } = renderConsole("/credits", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    await screen.findByRole("table");
    // One change event: the rule is about the value, not about how fast the keys came (a pause after "1" would
    // rightly apply min=1 on a loaded machine).
    fireEvent.change(screen.getByRole("textbox", { name: "Minimum amount" }), { target: { value: "12x" } });
    expect(await screen.findByText("Minimum amount: a whole number of credits, e.g. -500 or 1000.")).toBeInTheDocument();
    expect(currentLocation().searchParams.get("min")).toBeNull();
    expect(backend.lastQuery("credit_ledger").get("amount")).toBeNull();
  });

  it("sorting by amount is kept in the URL and sent with a tie-breaker", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/credits", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const table = await screen.findByRole("table");
    await within(table).findByText("Emma Clarke");
    await userEvent.click(within(table).getByRole("columnheader", { name: /Amount/ }));
    await waitFor(() => expect(currentLocation().searchParams.get("sort")).toBe("amount"));
    await waitFor(() => expect(backend.lastQuery("credit_ledger").get("order")).toMatch(/^amount\.(asc|desc),created_at\.desc,id\.desc$/));
  });

  it("rows open the customer from the keyboard", async () => {
    signInAs("finance");
    renderConsole("/credits", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const row = await screen.findByRole("row", { name: /Ledger entry 2/ });
    expect(row).toHaveAttribute("tabindex", "0");
    row.focus();
    fireEvent.keyDown(row, { key: "Enter" });
    await waitFor(() => expect(currentLocation().pathname).toBe(`/customers/${SECOND_CUSTOMER_ID}`));
  });

  it("says so when there is nothing, or nothing matching the filters", async () => {
    signInAs("finance");
    const view = renderConsole("/credits", { rowsFor: creditsDataFor([], []) });
    expect(await screen.findByText("No ledger entries yet.")).toBeInTheDocument();
    view.unmount();
    signInAs("finance");
    renderConsole("/credits?reason=promotion", { rowsFor: creditsDataFor(LEDGER, []) });
    expect(await screen.findByText("Nothing matches these filters.")).toBeInTheDocument();
  });

  it("the auditor reads the ledger without customer contact data and cannot adjust; admin gets the 403 page", async () => {
    signInAs("auditor");
    const view = renderConsole("/credits", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("customer 22222222")).toBeInTheDocument();
    expect(within(table).queryByText("Emma Clarke")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Adjust credits" })).not.toBeInTheDocument();
    expect(screen.queryByRole("combobox", { name: "Customer filter" })).not.toBeInTheDocument();
    view.unmount();
    signInAs("admin");
    const admin = renderConsole("/credits", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(admin.backend.requestsTo("/rest/v1/credit_ledger")).toHaveLength(0);
  });
});

describe("credits page: adjustments and approvals", () => {
  it("the adjustments tab lists every request with its status; a status filter is sent", async () => {
    signInAs("support");
    const { backend } = renderConsole("/credits?tab=adjustments&status=pending", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const table = await screen.findByRole("table", { name: "Credit adjustments" });
    expect(await within(table).findByText("+6,000")).toBeInTheDocument();
    expect(within(table).getAllByText("Pending approval")).toHaveLength(2);
    expect(within(table).getAllByText("over the per-adjustment limit")).toHaveLength(2);
    // The caller's own requests are marked "(you)".
    expect(within(table).getByText("Support Person (you)")).toBeInTheDocument();
    const query = backend.lastQuery("credit_adjustments");
    expect(query.get("status")).toBe("in.(pending)");
    expect(query.get("order")).toBe("requested_at.desc,id.desc");
  });

  it("the pending tab carries a count badge and asks for pending requests only", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/credits", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const tab = await screen.findByRole("tab", { name: /Pending approval/ });
    await waitFor(() => expect(tab).toHaveTextContent("Pending approval 2"));
    const heads = backend.requestsTo("/rest/v1/credit_adjustments").filter((r) => r.method === "HEAD");
    expect(heads.at(-1)!.url.searchParams.get("status")).toBe("eq.pending");
    await userEvent.click(tab);
    await waitFor(() => expect(currentLocation().searchParams.get("tab")).toBe("pending"));
    await waitFor(() => expect(backend.lastQuery("credit_adjustments").get("status")).toBe("eq.pending"));
  });

  it("finance sees Approve / Reject; on their own request the buttons are disabled and say why", async () => {
    signInAs("finance");
    renderConsole("/credits?tab=pending", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const table = await screen.findByRole("table", { name: "Adjustments waiting for approval" });
    const others = await within(table).findByRole("button", { name: "Approve +800 for Somchai Jaidee" });
    expect(others).toBeEnabled();
    expect(within(table).getByRole("button", { name: "Reject +800 for Somchai Jaidee" })).toBeEnabled();
    const own = within(table).getByRole("button", { name: "Approve +6,000 for Emma Clarke" });
    expect(own).toBeDisabled();
    expect(within(table).getByRole("button", { name: "Reject +6,000 for Emma Clarke" })).toBeDisabled();
    const hint = within(table).getByLabelText(OWN_REQUEST_HINT);
    expect(hint).toContainElement(own);
    await userEvent.hover(hint);
    expect(await screen.findByRole("tooltip")).toHaveTextContent(OWN_REQUEST_HINT);
  });

  it("a click on the caller's own disabled decision buttons stays on the page (rows open from the keyboard only)", async () => {
    signInAs("finance");
    renderConsole("/credits?tab=pending", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
    const table = await screen.findByRole("table", { name: "Adjustments waiting for approval" });
    await within(table).findByRole("button", { name: "Approve +6,000 for Emma Clarke" });
    fireEvent.click(within(table).getByLabelText(OWN_REQUEST_HINT));
    fireEvent.click(within(table).getByText("Launch campaign"));
    expect(currentLocation().pathname).toBe("/credits");
  });

  it("roles that cannot approve see no decision buttons", async () => {
    for (const role of ["support", "dpo", "auditor"]) {
      signInAs(role);
      const view = renderConsole("/credits?tab=pending", { rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS) });
      const table = await screen.findByRole("table", { name: "Adjustments waiting for approval" });
      expect(await within(table).findByText("+800")).toBeInTheDocument();
      expect(within(table).queryByRole("button", { name: /Approve|Reject/ })).not.toBeInTheDocument();
      view.unmount();
      window.sessionStorage.clear();
    }
  });

  it("approving sends the id, and the row's result is shown", async () => {
    signInAs("finance");
    const { rpcCalls } = renderConsole("/credits?tab=pending", {
      rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS),
      rpc: (fn) => (fn === "approve_credit_adjustment" ? { body: { ...FROM_SUPPORT, status: "applied", decided_by: FINANCE.id } } : undefined),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Approve +800 for Somchai Jaidee" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Approval note" }), "Checked the outage log");
    await userEvent.click(within(dialog).getByRole("button", { name: "Approve" }));
    expect(await screen.findByText("+800 credits for Somchai Jaidee (Goodwill): Approved: the credits are on the balance.")).toBeInTheDocument();
    expect(rpcCalls.filter((c) => c.fn === "approve_credit_adjustment").map((c) => c.args)).toEqual([{ p_id: "adj-1", p_note: "Checked the outage log" }]);
  });

  it("rejecting needs a note; a refusal from the database is explained on the row", async () => {
    signInAs("finance");
    const { rpcCalls } = renderConsole("/credits?tab=pending", {
      rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS),
      rpc: answerRpc("reject_credit_adjustment", rpcError(409, "PT409", "reject_credit_adjustment: credit adjustment adj-1 is already applied")),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Reject +800 for Somchai Jaidee" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Reject" }));
    expect(await within(dialog).findByText("A rejection needs a note saying why.")).toBeInTheDocument();
    expect(rpcCalls.filter((c) => c.fn === "reject_credit_adjustment")).toHaveLength(0);
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Rejection note" }), "Not our outage");
    await userEvent.click(within(dialog).getByRole("button", { name: "Reject" }));
    const message = "Not possible now: Credit adjustment adj-1 is already applied";
    expect(await screen.findByText(`+800 credits for Somchai Jaidee (Goodwill): ${message}`)).toBeInTheDocument();
    expect(rpcCalls.filter((c) => c.fn === "reject_credit_adjustment").map((c) => c.args)).toEqual([{ p_id: "adj-1", p_note: "Not our outage" }]);
  });

  it("a four-eyes refusal says a different finance user must approve", async () => {
    signInAs("finance");
    renderConsole("/credits?tab=pending", {
      rowsFor: creditsDataFor(LEDGER, ADJUSTMENTS),
      rpc: answerRpc("approve_credit_adjustment", rpcError(403, "42501", "approve_credit_adjustment: nobody decides their own credit adjustment (four eyes)")),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Approve +800 for Somchai Jaidee" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Approve" }));
    expect(await screen.findAllByText(/Not allowed: nobody decides their own request\. A different finance user must approve\./)).not.toHaveLength(0);
  });
});
