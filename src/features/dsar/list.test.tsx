import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signInAs, type FakeBackend } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { captureDownloads } from "../../test/downloads";
import { DPO_ID, dsarDataFor, dsarRow, SUPPORT_ID } from "./test-fixtures";

const OVERDUE = dsarRow({
  id: "aaaaaaaa-0000-4000-8000-000000000002",
  reference: "DSAR-2026-0002",
  type: "erasure",
  status: "awaiting_verification",
  days_left: -3,
  is_overdue: true,
  due_on: "2026-11-23",
  statutory_due_on: "2027-01-21",
  promise_due_at: "2026-11-23T17:00:00Z",
  assignee_id: null,
  assignee_name: null,
  created_by: DPO_ID,
});
const SOON = dsarRow({ id: "aaaaaaaa-0000-4000-8000-000000000003", reference: "DSAR-2026-0003", days_left: 5, due_on: "2026-12-01", promise_due_at: "2026-12-01T17:00:00Z" });
const LATER = dsarRow({ id: "aaaaaaaa-0000-4000-8000-000000000004", reference: "DSAR-2026-0004", days_left: 20, due_on: "2026-12-16", promise_due_at: "2026-12-16T17:00:00Z", customer_id: null, customer_email: null, customer_display_name: null });
const CLOSED = dsarRow({ id: "aaaaaaaa-0000-4000-8000-000000000005", reference: "DSAR-2026-0005", status: "fulfilled", is_open: false, days_left: -10, closed_at: "2026-11-20T03:00:00Z" });
const REQUESTS = [OVERDUE, SOON, LATER, CLOSED];

function lastQueueQuery(backend: FakeBackend) {
  const gets = backend.requestsTo("/rest/v1/dsar_queue").filter((r) => r.method === "GET");
  return gets[gets.length - 1]!.url.searchParams;
}

describe("DSAR queue", () => {
  it("lists open requests by deadline with the days-left tag and Bangkok due date", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("DSAR-2026-0002")).toBeInTheDocument();
    expect(within(table).getByText("3 days overdue")).toBeInTheDocument();
    expect(within(table).getByText("5 days left")).toBeInTheDocument();
    expect(within(table).getByText("due 2026-11-23 (Mon)")).toBeInTheDocument();
    // Erasure: the statutory limit (90 days) is shown under the company target.
    expect(within(table).getByText("statutory 2027-01-21 (Thu)")).toBeInTheDocument();
    expect(within(table).queryByText("DSAR-2026-0005")).not.toBeInTheDocument();
    const query = lastQueueQuery(backend);
    expect(query.get("order")).toBe("due_at.asc,reference.asc");
    expect(query.get("is_open")).toBe("eq.true");
    expect(query.get("limit")).toBe("25");
  });

  it("shows a count per tab from count=exact HEAD requests", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    const tabs = await screen.findByRole("tablist");
    await waitFor(() => expect(within(tabs).getByRole("tab", { name: /Overdue/ })).toHaveTextContent("Overdue 1"));
    expect(within(tabs).getByRole("tab", { name: /All open/ })).toHaveTextContent("All open 3");
    expect(within(tabs).getByRole("tab", { name: /Closed/ })).toHaveTextContent("Closed 1");
    expect(within(tabs).getByRole("tab", { name: /Due ≤ 7 days/ })).toHaveTextContent("Due ≤ 7 days 1");
    expect(within(tabs).getByRole("tab", { name: /Awaiting identity/ })).toHaveTextContent("Awaiting identity 1");
    expect(within(tabs).getByRole("tab", { name: /My queue/ })).toHaveTextContent("My queue 2");
    const heads = backend.requestsTo("/rest/v1/dsar_queue").filter((r) => r.method === "HEAD");
    expect(heads.length).toBeGreaterThanOrEqual(6);
    expect(heads.every((r) => r.headers.get("Prefer")?.includes("count=exact"))).toBe(true);
  });

  it("the overdue tab asks for open overdue requests only", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/dsar?tab=overdue", { rowsFor: dsarDataFor(REQUESTS) });
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("DSAR-2026-0002")).toBeInTheDocument();
    expect(within(table).queryByText("DSAR-2026-0003")).not.toBeInTheDocument();
    expect(lastQueueQuery(backend).get("is_overdue")).toBe("eq.true");
  });

  it("clicking a tab as soon as it shows switches the list to that tab", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    await userEvent.click(await screen.findByRole("tab", { name: /Overdue/ }));
    await waitFor(() => expect(lastQueueQuery(backend).get("is_overdue")).toBe("eq.true"));
    const table = screen.getByRole("table");
    await waitFor(() => expect(within(table).queryByText("DSAR-2026-0003")).not.toBeInTheDocument());
    expect(within(table).getByText("DSAR-2026-0002")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: /Overdue/ })).toHaveAttribute("aria-selected", "true");
  });

  it("filters go into the query and the URL state (type, search)", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/dsar?type=erasure&q=somchai", { rowsFor: dsarDataFor(REQUESTS) });
    await screen.findByText("DSAR-2026-0002");
    const query = lastQueueQuery(backend);
    expect(query.get("type")).toBe("in.(erasure)");
    expect(query.get("or")).toContain('reference.ilike."%somchai%"');
    expect(query.get("or")).toContain('customer_display_name.ilike."%somchai%"');
    expect(screen.getByLabelText("Search requests")).toHaveValue("somchai");
  });

  it("a search applies after a pause and the box keeps what is being typed (a trailing space on the way to a full name)", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    await screen.findByText("DSAR-2026-0003");
    const search = screen.getByLabelText("Search requests");
    fireEvent.change(search, { target: { value: "emma " } });
    await waitFor(() => expect(lastQueueQuery(backend).get("or")).toContain('requester_email.ilike."%emma%"'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(search).toHaveValue("emma ");
  });

  it("ticking 'Overdue only' adds is_overdue to the query", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    await screen.findByText("DSAR-2026-0003");
    await userEvent.click(screen.getByRole("checkbox", { name: "Overdue only" }));
    await waitFor(() => expect(lastQueueQuery(backend).get("is_overdue")).toBe("eq.true"));
    expect(await screen.findByText("DSAR-2026-0002")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText("DSAR-2026-0003")).not.toBeInTheDocument());
  });

  it("bulk assign shows a result per selected row, refusals with their reason", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole("/dsar", {
      rowsFor: dsarDataFor(REQUESTS),
      rpc: (fn, args) =>
        fn === "dsar_assign"
          ? {
              body: (args.p_request_ids as string[]).map((id) =>
                id === OVERDUE.id ? { request_id: id, ok: false, error: "request is awaiting identity verification" } : { request_id: id, ok: true, error: null },
              ),
            }
          : undefined,
    });
    const table = await screen.findByRole("table");
    await within(table).findByText("DSAR-2026-0002");
    const rowOf = (reference: string) => within(table).getByText(reference).closest("tr")!;
    await userEvent.click(within(rowOf("DSAR-2026-0002")).getByRole("checkbox"));
    await userEvent.click(within(rowOf("DSAR-2026-0003")).getByRole("checkbox"));
    expect(screen.getByText("2 selected")).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Assign selected to" }));
    await userEvent.click(await screen.findByTitle("Dpo Person"));
    await userEvent.click(screen.getByRole("button", { name: "Assign" }));
    const results = await screen.findByText("Assign: 1 done, 1 refused");
    expect(results).toBeInTheDocument();
    expect(screen.getByText("request is awaiting identity verification")).toBeInTheDocument();
    expect(rpcCalls).toEqual([{ fn: "dsar_assign", args: { p_request_ids: [OVERDUE.id, SOON.id], p_assignee_id: DPO_ID }, role: "dpo", method: "POST" }]);
  });

  it("bulk close-as-duplicate resolves the original by reference and lists each row's outcome", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole("/dsar", {
      rowsFor: dsarDataFor(REQUESTS),
      rpc: (fn, args) =>
        fn === "dsar_close_as_duplicate"
          ? { body: (args.p_request_ids as string[]).map((id) => ({ request_id: id, ok: true, error: null })) }
          : undefined,
    });
    const table = await screen.findByRole("table");
    await within(table).findByText("DSAR-2026-0003");
    await userEvent.click(within(within(table).getByText("DSAR-2026-0003").closest("tr")!).getByRole("checkbox"));
    await userEvent.click(within(within(table).getByText("DSAR-2026-0004").closest("tr")!).getByRole("checkbox"));
    await userEvent.type(screen.getByLabelText("Original request reference"), "dsar-2026-0002");
    await userEvent.click(screen.getByRole("button", { name: "Close as duplicate" }));
    expect(await screen.findByText("Close as duplicate: 2 done, 0 refused")).toBeInTheDocument();
    const results = screen.getByRole("table", { name: "Bulk action results" });
    expect(within(results).getByText("DSAR-2026-0003")).toBeInTheDocument();
    expect(within(results).getByText("DSAR-2026-0004")).toBeInTheDocument();
    expect(rpcCalls).toEqual([{ fn: "dsar_close_as_duplicate", args: { p_request_ids: [SOON.id, LATER.id], p_duplicate_of: OVERDUE.id }, role: "dpo", method: "POST" }]);
  });

  it("bulk close-as-duplicate with an unknown original says so and calls nothing", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    const table = await screen.findByRole("table");
    await within(table).findByText("DSAR-2026-0003");
    await userEvent.click(within(within(table).getByText("DSAR-2026-0003").closest("tr")!).getByRole("checkbox"));
    await userEvent.type(screen.getByLabelText("Original request reference"), "DSAR-2026-9999");
    await userEvent.click(screen.getByRole("button", { name: "Close as duplicate" }));
    expect(await screen.findByText("No request with reference DSAR-2026-9999.")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
  });

  it("a focused row opens the request with Enter", async () => {
    signInAs("dpo");
    renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    const row = (await screen.findByText("DSAR-2026-0003")).closest("tr")!;
    expect(row).toHaveAttribute("tabindex", "0");
    row.focus();
    fireEvent.keyDown(row, { key: "Enter" });
    await waitFor(() => expect(screen.queryByRole("tablist")).not.toBeInTheDocument());
  });

  it("support sees its own intakes, no selection boxes and no 'My queue' assignment tab", async () => {
    signInAs("support");
    renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("DSAR-2026-0003")).toBeInTheDocument();
    expect(within(table).queryByText("DSAR-2026-0002")).not.toBeInTheDocument();
    expect(within(table).queryByRole("checkbox")).not.toBeInTheDocument();
    expect(screen.queryByRole("tab", { name: /My queue/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New request" })).toBeInTheDocument();
    expect(SUPPORT_ID).not.toBe(DPO_ID);
  });

  it("an empty tab says so", async () => {
    signInAs("dpo");
    renderConsole("/dsar?tab=overdue", { rowsFor: dsarDataFor([SOON]) });
    expect(await screen.findByText("No request is overdue.")).toBeInTheDocument();
  });

  it("finance gets the 403 page and no request is asked for", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/dsar_queue")).toHaveLength(0);
    const menu = (await screen.findAllByRole("menu"))[0]!;
    // Wait for the access checks to settle (finance does get Customers) before asserting what is absent.
    await within(menu).findAllByText("Customers");
    // Under Privacy finance reads only the published policy versions (every staff role does): no queue, no
    // consent log, no retention, no privacy dashboard.
    expect(await within(menu).findByText("Policy versions")).toBeInTheDocument();
    for (const entry of ["Data subject requests", "Privacy dashboard", "Consent log", "Retention"]) {
      expect(within(menu).queryByText(entry)).not.toBeInTheDocument();
    }
  });

  it("the DPO's menu has the queue and the dashboard under Privacy", async () => {
    signInAs("dpo");
    renderConsole("/dsar", { rowsFor: dsarDataFor(REQUESTS) });
    expect(await screen.findByRole("link", { name: "Data subject requests" })).toHaveAttribute("href", "/dsar");
    expect(screen.getByRole("link", { name: "Privacy dashboard" })).toHaveAttribute("href", "/dsar/dashboard");
  });

  describe("CSV export", () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it("exports every row of the current tab and filters, not just the page on screen", async () => {
      const { blobs, text } = captureDownloads("csv");
      // jsdom cannot follow a download link; record which file the page asked the browser to save.
      const clicked: string[] = [];
      vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push(this.download);
      });
      signInAs("dpo");
      const { backend } = renderConsole("/dsar?tab=open&type=access", { rowsFor: dsarDataFor(REQUESTS) });
      await screen.findByText("DSAR-2026-0003");
      await userEvent.click(screen.getByRole("button", { name: "Export CSV" }));
      await waitFor(() => expect(blobs).toHaveLength(1));
      expect(clicked).toHaveLength(1);
      expect(clicked[0]).toMatch(/^dsar-queue-\d{8}-\d{4}\.csv$/);
      const csv = await text(0);
      const lines = csv.trim().split(/\r?\n/);
      expect(lines[0]).toContain("reference,type,status");
      // Open access requests only: 0003 and 0004 (0002 is an erasure, 0005 is closed).
      expect(lines.slice(1).map((line) => line.split(",")[0]).sort()).toEqual(["DSAR-2026-0003", "DSAR-2026-0004"]);
      const csvQuery = backend.requestsTo("/rest/v1/dsar_queue").filter((r) => r.url.searchParams.get("limit") === "1000");
      expect(csvQuery.length).toBeGreaterThan(0);
      expect(csvQuery[0]!.url.searchParams.get("type")).toBe("in.(access)");
      expect(csvQuery[0]!.url.searchParams.get("is_open")).toBe("eq.true");
    });
  });
});
