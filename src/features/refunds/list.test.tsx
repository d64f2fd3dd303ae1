import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { answerRpc, type FakeBackend, rpcError, signInAs } from "../../test/fakeBackend";
import { currentPath, renderConsole } from "../../test/renderConsole";
import { REFUND_POLLING } from "./list";
import { FINANCE_ID, moneyDataFor, OTHER_FINANCE_ID, refundRow, SUPPORT_ID } from "./test-fixtures";
import type { RefundRow } from "./types";

const id = (n: number) => `bbbbbbbb-0000-4000-8000-00000000000${n}`;
const FROM_SUPPORT = refundRow({ id: id(1), amount: 10000, status: "awaiting_approval", approvals_needed: 1, requested_by: SUPPORT_ID });
const MY_OWN = refundRow({ id: id(2), amount: 20000, status: "awaiting_approval", approvals_needed: 1, requested_by: FINANCE_ID, reason: "duplicate", requested_at: "2026-11-21T03:00:00Z" });
const I_APPROVED = refundRow({
  id: id(3),
  amount: 700000,
  status: "awaiting_approval",
  approvals_needed: 1,
  first_approved_by: FINANCE_ID,
  first_approved_at: "2026-11-22T03:00:00Z",
  requested_by: SUPPORT_ID,
  requested_at: "2026-11-22T02:00:00Z",
});
const APPROVED = refundRow({ id: id(4), amount: 4000, currency: "usd", status: "approved", approvals_needed: 0, first_approved_by: OTHER_FINANCE_ID, requested_by: SUPPORT_ID, requested_at: "2026-11-19T03:00:00Z" });
const PROCESSING = refundRow({ id: id(5), amount: 3000, status: "processing", approvals_needed: 0, requested_by: FINANCE_ID, execution_attempts: 1, requested_at: "2026-11-18T03:00:00Z" });
const SUCCEEDED = refundRow({ id: id(6), amount: 2500, status: "succeeded", approvals_needed: 0, requested_by: FINANCE_ID, requested_at: "2026-11-17T03:00:00Z" });
const FAILED = refundRow({ id: id(7), amount: 1500, status: "failed", failure_reason: "charge_already_refunded", approvals_needed: 0, requested_at: "2026-11-16T03:00:00Z" });
const ALL = [FROM_SUPPORT, MY_OWN, I_APPROVED, APPROVED, PROCESSING, SUCCEEDED, FAILED];

function lastListQuery(backend: FakeBackend) {
  const gets = backend.requestsTo("/rest/v1/refunds").filter((r) => r.method === "GET" && r.url.searchParams.has("offset"));
  return gets[gets.length - 1]!.url.searchParams;
}

const rowOf = (table: HTMLElement, amount: string) => within(table).getByText(amount).closest("tr")!;

const savedInterval = REFUND_POLLING.intervalMs;
afterEach(() => {
  REFUND_POLLING.intervalMs = savedInterval;
});

describe("refunds list", () => {
  it("opens on 'Awaiting approval' and counts every tab with count=exact HEAD requests", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/refunds", { rowsFor: moneyDataFor(ALL) });
    const table = await screen.findByRole("table", { name: "Refunds" });
    expect(await within(table).findByText("฿100.00")).toBeInTheDocument();
    expect(within(table).queryByText("฿25.00")).not.toBeInTheDocument();
    expect(lastListQuery(backend).get("status")).toBe("eq.awaiting_approval");
    const tabs = screen.getByRole("tablist");
    await waitFor(() => expect(within(tabs).getByRole("tab", { name: /Awaiting approval/ })).toHaveTextContent("Awaiting approval 3"));
    expect(within(tabs).getByRole("tab", { name: /Ready to send/ })).toHaveTextContent("Ready to send 1");
    expect(within(tabs).getByRole("tab", { name: /In progress/ })).toHaveTextContent("In progress 1");
    expect(within(tabs).getByRole("tab", { name: /Failed/ })).toHaveTextContent("Failed / canceled 1");
    expect(within(tabs).getByRole("tab", { name: /^All/ })).toHaveTextContent("All 7");
    const heads = backend.requestsTo("/rest/v1/refunds").filter((r) => r.method === "HEAD");
    // Six status tabs are counted; "All" is their sum (7 here), so no request is unfiltered by status.
    expect(heads.length).toBeGreaterThanOrEqual(6);
    expect(heads.every((r) => r.url.searchParams.has("status"))).toBe(true);
    expect(heads.every((r) => r.headers.get("Prefer")?.includes("count=exact"))).toBe(true);
  });

  it("a tab goes into the query and the URL", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/refunds", { rowsFor: moneyDataFor(ALL) });
    await userEvent.click(await screen.findByRole("tab", { name: /In progress/ }));
    await waitFor(() => expect(lastListQuery(backend).get("status")).toBe("in.(processing,pending,requires_action)"));
    expect(currentPath()).toBe("/refunds?tab=in_progress");
    const table = screen.getByRole("table", { name: "Refunds" });
    expect(await within(table).findByText("฿30.00")).toBeInTheDocument();
  });

  it("filters from the URL reach the query (reason, currency, requester, Bangkok dates) and the bar", async () => {
    signInAs("finance");
    const { backend } = renderConsole(`/refunds?tab=all&reason=duplicate&currency=thb&requester=${FINANCE_ID}&from=2026-11-01&to=2026-11-30`, { rowsFor: moneyDataFor(ALL) });
    const table = await screen.findByRole("table", { name: "Refunds" });
    expect(await within(table).findByText("฿200.00")).toBeInTheDocument();
    const query = lastListQuery(backend);
    expect(query.get("reason")).toBe("in.(duplicate)");
    expect(query.get("currency")).toBe("eq.thb");
    expect(query.get("requested_by")).toBe(`eq.${FINANCE_ID}`);
    expect(query.getAll("requested_at")).toEqual(["gte.2026-10-31T17:00:00.000Z", "lt.2026-11-30T17:00:00.000Z"]);
    expect(query.get("status")).toBeNull();
    expect(within(table).queryByText("฿100.00")).not.toBeInTheDocument();
  });

  it("choosing a reason in the bar updates the URL and the query", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/refunds?tab=all", { rowsFor: moneyDataFor(ALL) });
    await screen.findByText("฿100.00");
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Reason" }));
    await userEvent.click(await screen.findByTitle("Duplicate"));
    await waitFor(() => expect(lastListQuery(backend).get("reason")).toBe("in.(duplicate)"));
    expect(currentPath()).toBe("/refunds?tab=all&reason=duplicate");
  });

  it("a link with an impossible date range says why and lists without the bar's filters", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/refunds?tab=all&reason=duplicate&from=2026-11-30&to=2026-11-01", { rowsFor: moneyDataFor(ALL) });
    expect(await screen.findByText("Requested date: the start is after the end.")).toBeInTheDocument();
    await within(screen.getByRole("table", { name: "Refunds" })).findByText("฿100.00");
    const query = lastListQuery(backend);
    expect(query.get("reason")).toBeNull();
    expect(query.get("requested_at")).toBeNull();
  });

  it("'Clear filters' empties the bar, the URL and the query", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/refunds?tab=all&reason=duplicate&currency=thb&page=2", { rowsFor: moneyDataFor(ALL) });
    await screen.findByRole("table", { name: "Refunds" });
    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(currentPath()).toBe("/refunds?tab=all"));
    await waitFor(() => expect(lastListQuery(backend).get("reason")).toBeNull());
    expect(lastListQuery(backend).get("currency")).toBeNull();
  });

  it("finance: approve is offered on others' requests, disabled with the reason on own and already-approved ones", async () => {
    signInAs("finance");
    renderConsole("/refunds", { rowsFor: moneyDataFor(ALL) });
    const table = await screen.findByRole("table", { name: "Refunds" });
    await within(table).findByText("฿100.00");
    expect(within(rowOf(table, "฿100.00")).getByRole("button", { name: "Approve" })).toBeEnabled();
    expect(within(rowOf(table, "฿100.00")).getByRole("button", { name: "Reject" })).toBeEnabled();
    const own = within(rowOf(table, "฿200.00")).getByRole("button", { name: "Approve" });
    expect(own).toBeDisabled();
    expect(within(rowOf(table, "฿200.00")).getByRole("button", { name: "Reject" })).toBeDisabled();
    fireEvent.mouseOver(own.parentElement!);
    expect(await screen.findByText("You requested this refund: another finance user must approve it.")).toBeInTheDocument();
    const twice = within(rowOf(table, "฿7,000.00")).getByRole("button", { name: "Approve" });
    expect(twice).toBeDisabled();
    fireEvent.mouseOver(twice.parentElement!);
    expect(await screen.findByText("You already approved this refund: a second finance user must approve it.")).toBeInTheDocument();
    expect(within(rowOf(table, "฿7,000.00")).getByText("1 of 2")).toBeInTheDocument();
  });

  it("finance approves a request through approve_refund", async () => {
    signInAs("finance");
    const { rpcCalls } = renderConsole("/refunds", {
      rowsFor: moneyDataFor(ALL),
      rpc: (fn) => (fn === "approve_refund" ? { body: { ...FROM_SUPPORT, status: "approved", approvals_needed: 0, first_approved_by: FINANCE_ID } } : undefined),
    });
    const table = await screen.findByRole("table", { name: "Refunds" });
    await within(table).findByText("฿100.00");
    await userEvent.click(within(rowOf(table, "฿100.00")).getByRole("button", { name: "Approve" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(rpcCalls).toEqual([{ fn: "approve_refund", args: { p_id: FROM_SUPPORT.id, p_note: null }, role: "finance", method: "POST" }]));
  });

  it("a rejection needs a note and a refused approval is explained", async () => {
    signInAs("finance");
    const { rpcCalls } = renderConsole("/refunds", {
      rowsFor: moneyDataFor(ALL),
      rpc: answerRpc("reject_refund", rpcError(409, "PT409", "refund is already processing")),
    });
    const table = await screen.findByRole("table", { name: "Refunds" });
    await within(table).findByText("฿100.00");
    await userEvent.click(within(rowOf(table, "฿100.00")).getByRole("button", { name: "Reject" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Reject" }));
    expect(await within(dialog).findByText("Say why the refund is rejected (the requester sees it).")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText("Why rejected"), "Not eligible");
    // Typing in the dialog (a portal inside the row's React tree) does not open the refund's drawer.
    expect(currentPath()).toBe("/refunds");
    await userEvent.click(within(dialog).getByRole("button", { name: "Reject" }));
    expect(await within(dialog).findByText(/not in a state that allows this any more.*refund is already processing/)).toBeInTheDocument();
    expect(rpcCalls[0]).toEqual({ fn: "reject_refund", args: { p_id: FROM_SUPPORT.id, p_note: "Not eligible" }, role: "finance", method: "POST" });
  });

  it("finance sends an approved refund to Stripe and retries a processing one", async () => {
    signInAs("finance");
    const { functionCalls } = renderConsole("/refunds?tab=all", {
      rowsFor: moneyDataFor(ALL),
      functions: (name, _method, body) =>
        name === "refund-execute" ? { body: { refund: { ...APPROVED, id: (body as { refund_id: string }).refund_id, status: "pending" }, stripe_refund_id: "re_1" } } : undefined,
    });
    const table = await screen.findByRole("table", { name: "Refunds" });
    await within(table).findByText("$40.00");
    await userEvent.click(within(rowOf(table, "$40.00")).getByRole("button", { name: "Send to Stripe" }));
    await userEvent.click(within(rowOf(table, "฿30.00")).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(functionCalls.filter((c) => c.name === "refund-execute")).toHaveLength(2));
    expect(functionCalls.filter((c) => c.name === "refund-execute").map((c) => c.body)).toEqual([{ refund_id: APPROVED.id }, { refund_id: PROCESSING.id }]);
    expect(within(rowOf(table, "฿25.00")).queryByRole("button")).not.toBeInTheDocument();
    expect(within(rowOf(table, "฿15.00")).getByText("charge_already_refunded")).toBeInTheDocument();
  });

  for (const role of ["support", "dpo", "auditor"]) {
    it(`${role} reads the list without any action`, async () => {
      signInAs(role);
      renderConsole("/refunds?tab=all", { rowsFor: moneyDataFor(ALL) });
      const table = await screen.findByRole("table", { name: "Refunds" });
      await within(table).findByText("฿100.00");
      expect(within(table).queryByRole("button")).not.toBeInTheDocument();
      expect(within(table).queryByText("Actions")).not.toBeInTheDocument();
    });
  }

  it("admin gets the 403 page and no refund is asked for", async () => {
    signInAs("admin");
    const { backend } = renderConsole("/refunds", { rowsFor: moneyDataFor(ALL) });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/refunds")).toHaveLength(0);
  });

  it("polls while a visible refund is in flight and stops once none is", async () => {
    REFUND_POLLING.intervalMs = 150;
    const rows: RefundRow[] = [{ ...PROCESSING }, { ...SUCCEEDED }];
    signInAs("finance");
    const { backend } = renderConsole("/refunds?tab=all", { rowsFor: moneyDataFor(rows) });
    const listGets = () => backend.requestsTo("/rest/v1/refunds").filter((r) => r.method === "GET" && r.url.searchParams.has("offset")).length;
    await screen.findByText("Processing");
    await waitFor(() => expect(listGets()).toBeGreaterThanOrEqual(3));
    rows[0]!.status = "succeeded";
    await waitFor(() => expect(screen.queryByText("Processing")).not.toBeInTheDocument());
    // The tab counts follow the statuses too.
    await waitFor(() => expect(screen.getByRole("tab", { name: /Succeeded/ })).toHaveTextContent("Succeeded 2"));
    expect(screen.getByRole("tab", { name: /In progress/ })).toHaveTextContent("In progress 0");
    const settled = listGets();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(listGets()).toBe(settled);
  });

  it("does not poll when nothing visible is in flight", async () => {
    REFUND_POLLING.intervalMs = 100;
    signInAs("finance");
    const { backend } = renderConsole("/refunds?tab=all", { rowsFor: moneyDataFor([SUCCEEDED, FROM_SUPPORT]) });
    await screen.findByText("฿25.00");
    const first = backend.requestsTo("/rest/v1/refunds").filter((r) => r.method === "GET" && r.url.searchParams.has("offset")).length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(backend.requestsTo("/rest/v1/refunds").filter((r) => r.method === "GET" && r.url.searchParams.has("offset")).length).toBe(first);
  });
});

describe("refund drawer", () => {
  const DONE = refundRow({
    id: id(8),
    amount: 12300,
    status: "succeeded",
    approvals_needed: 0,
    requested_by: SUPPORT_ID,
    first_approved_by: FINANCE_ID,
    first_approved_at: "2026-11-20T04:00:00Z",
    executed_by: FINANCE_ID,
    execution_started_at: "2026-11-20T05:00:00Z",
    execution_attempts: 2,
    stripe_status_at: "2026-11-20T05:00:05Z",
    clawback_credits: 300,
    clawback_ledger_entry_id: 42,
  });

  it("shows the timeline, the Stripe refund id and the clawback to finance", async () => {
    signInAs("finance");
    renderConsole(`/refunds?tab=all&open=${DONE.id}`, {
      rowsFor: moneyDataFor([DONE], (role): Record<string, Record<string, unknown>[]> =>
        role === "finance"
          ? {
              refund_stripe_ids: [{ refund_id: DONE.id, stripe_refund_id: "re_Done42" }],
              stripe_webhook_events: [{ id: "evt_1", type: "refund.updated", stripe_created_at: "2026-11-20T05:00:06Z", received_at: "2026-11-20T05:00:07Z", refund_id: DONE.id, outcome: "applied" }],
            }
          : {},
      ),
    });
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByText("re_Done42")).toBeInTheDocument();
    const timeline = within(drawer).getByLabelText("Refund timeline");
    expect(await within(timeline).findByText("Requested by Support Person")).toBeInTheDocument();
    expect(within(timeline).getByText("Approved by you")).toBeInTheDocument();
    expect(within(timeline).getByText("Sent to Stripe by you")).toBeInTheDocument();
    expect(within(timeline).getByText("attempt 2")).toBeInTheDocument();
    expect(within(timeline).getByText("Stripe status: Succeeded")).toBeInTheDocument();
    expect(await within(timeline).findByText("Webhook refund.updated")).toBeInTheDocument();
    expect(within(drawer).getByText("300 credits taken back (ledger entry 42)")).toBeInTheDocument();
  });

  it("re-reads the webhook events and the Stripe id when a polled refund moves on", async () => {
    REFUND_POLLING.intervalMs = 150;
    const refund: RefundRow = { ...PROCESSING, id: id(9) };
    const events: Record<string, unknown>[] = [];
    const stripeIds: Record<string, unknown>[] = [];
    signInAs("finance");
    renderConsole(`/refunds?tab=all&open=${refund.id}`, {
      rowsFor: moneyDataFor([refund], (role): Record<string, Record<string, unknown>[]> =>
        role === "finance" ? { refund_stripe_ids: stripeIds, stripe_webhook_events: events } : {},
      ),
    });
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByText("updating…", { exact: false })).toBeInTheDocument();
    stripeIds.push({ refund_id: refund.id, stripe_refund_id: "re_Moved9" });
    events.push({ id: "evt_9", type: "refund.updated", stripe_created_at: "2026-11-20T05:00:06Z", received_at: "2026-11-20T05:00:07Z", refund_id: refund.id, outcome: "applied" });
    refund.status = "succeeded";
    refund.stripe_status_at = "2026-11-20T05:00:06Z";
    const timeline = within(drawer).getByLabelText("Refund timeline");
    expect(await within(timeline).findByText("Webhook refund.updated")).toBeInTheDocument();
    expect(await within(drawer).findByText("re_Moved9")).toBeInTheDocument();
  });

  it("support sees no Stripe refund id", async () => {
    signInAs("support");
    const { backend } = renderConsole(`/refunds?tab=all&open=${DONE.id}`, { rowsFor: moneyDataFor([DONE]) });
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByText("Succeeded")).toBeInTheDocument();
    expect(within(drawer).queryByText("Stripe refund id")).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/refund_stripe_ids")).toHaveLength(0);
  });

  it("clicking a row opens the drawer and puts it in the URL", async () => {
    signInAs("finance");
    renderConsole("/refunds", { rowsFor: moneyDataFor(ALL) });
    const table = await screen.findByRole("table", { name: "Refunds" });
    await within(table).findByText("฿100.00");
    await userEvent.click(within(rowOf(table, "฿100.00")).getByText("Requested by customer"));
    expect(await screen.findByRole("dialog")).toHaveTextContent("Refund of ฿100.00");
    expect(currentPath()).toBe(`/refunds?open=${FROM_SUPPORT.id}`);
  });
});
