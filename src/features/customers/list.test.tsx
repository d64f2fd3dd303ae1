import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { signInAs, type FakeBackend } from "../../test/fakeBackend";
import { customerDataFor } from "../../test/fixtures";
import { renderConsole } from "../../test/renderConsole";

function lastDirectoryQuery(backend: FakeBackend) {
  const requests = backend.requestsTo("/rest/v1/customer_directory");
  return requests[requests.length - 1]!.url.searchParams;
}

describe("customers list", () => {
  it("support sees contact rows but no Stripe column", async () => {
    signInAs("support");
    renderConsole("/customers", { rowsFor: customerDataFor });
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("somchai.j@example.co.th")).toBeInTheDocument();
    expect(within(table).getByText("Emma Clarke")).toBeInTheDocument();
    expect(within(table).queryByRole("columnheader", { name: /Stripe customer/ })).not.toBeInTheDocument();
    expect(within(table).queryByText("cus_Sj123")).not.toBeInTheDocument();
    expect(within(table).getByText("restricted")).toBeInTheDocument();
  });

  it("finance sees the Stripe customer column with ids", async () => {
    signInAs("finance");
    renderConsole("/customers", { rowsFor: customerDataFor });
    const table = await screen.findByRole("table");
    expect(await within(table).findByText("cus_Sj123")).toBeInTheDocument();
    expect(within(table).getByRole("columnheader", { name: /Stripe customer/ })).toBeInTheDocument();
  });

  it("asks for the first page of 25, newest first, with an exact count", async () => {
    signInAs("support");
    const { backend } = renderConsole("/customers", { rowsFor: customerDataFor });
    await screen.findByText("somchai.j@example.co.th");
    const params = lastDirectoryQuery(backend);
    expect(params.get("offset")).toBe("0");
    expect(params.get("limit")).toBe("25");
    expect(params.get("order")).toBe("created_at.desc");
    expect(backend.requestsTo("/rest/v1/customer_directory")[0]!.headers.get("Prefer")).toContain("count=exact");
    expect(screen.getByText("2 customers")).toBeInTheDocument();
  });

  it("search sends one debounced or=(…ilike…) query over email, name and Clerk id", async () => {
    signInAs("support");
    const { backend } = renderConsole("/customers", { rowsFor: customerDataFor });
    await screen.findByText("somchai.j@example.co.th");
    const before = backend.requestsTo("/rest/v1/customer_directory").length;

    // Two edits in quick succession (as fast typing produces) must cost one request, for the final term.
    const box = screen.getByLabelText("Search customers");
    fireEvent.change(box, { target: { value: "em" } });
    fireEvent.change(box, { target: { value: "emma" } });
    await waitFor(() => expect(lastDirectoryQuery(backend).get("or")).not.toBeNull());
    expect(lastDirectoryQuery(backend).get("or")).toBe('(email.ilike."%emma%",display_name.ilike."%emma%",clerk_user_id.ilike."%emma%")');
    const searchRequests = backend.requestsTo("/rest/v1/customer_directory").slice(before).filter((r) => r.url.searchParams.has("or"));
    expect(searchRequests).toHaveLength(1);
    expect(lastDirectoryQuery(backend).get("offset")).toBe("0");
  });

  it("a cus_ term searches the Stripe customer id exactly", async () => {
    signInAs("finance");
    const { backend } = renderConsole("/customers", { rowsFor: customerDataFor });
    await screen.findByText("somchai.j@example.co.th");
    const box = screen.getByLabelText("Search customers");
    await userEvent.type(box, "cus_Em456{enter}");
    await waitFor(() => expect(lastDirectoryQuery(backend).get("or")).toBe("(stripe_customer_id.eq.cus_Em456)"));
  });

  it("filters send PostgREST conditions (restricted, no subscription)", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/customers", { rowsFor: customerDataFor });
    await screen.findByText("somchai.j@example.co.th");
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Processing restriction" }));
    await userEvent.click(await screen.findByTitle("Processing restricted"));
    await waitFor(() => expect(lastDirectoryQuery(backend).get("processing_restricted")).toBe("eq.true"));
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Plan" }));
    await userEvent.click(await screen.findByTitle("No subscription"));
    await waitFor(() => expect(lastDirectoryQuery(backend).get("subscription_plan")).toBe("is.null"));
    expect(lastDirectoryQuery(backend).get("processing_restricted")).toBe("eq.true");
  });

  it("clicking a sortable header asks the server to sort by that column", async () => {
    signInAs("support");
    const { backend } = renderConsole("/customers", { rowsFor: customerDataFor });
    await screen.findByText("somchai.j@example.co.th");
    await userEvent.click(screen.getByRole("columnheader", { name: /Credits/ }));
    await waitFor(() => expect(lastDirectoryQuery(backend).get("order")).toBe("credit_balance.asc"));
    expect(screen.getByRole("columnheader", { name: /Credits/ })).toHaveAttribute("aria-sort", "ascending");
  });

  it("the second page asks for rows 26-50", async () => {
    signInAs("support");
    const many = (role: string) => {
      const data = customerDataFor(role);
      const template = data.customer_directory![0]!;
      data.customer_directory = Array.from({ length: 30 }, (_, i) => ({ ...template, id: `id-${i}`, email: `customer${i}@example.com` }));
      return data;
    };
    const { backend } = renderConsole("/customers", { rowsFor: many });
    await screen.findByText("customer0@example.com");
    expect(screen.getByText("30 customers")).toBeInTheDocument();
    await userEvent.click(screen.getByTitle("2"));
    expect(await screen.findByText("customer25@example.com")).toBeInTheDocument();
    expect(lastDirectoryQuery(backend).get("offset")).toBe("25");
    expect(lastDirectoryQuery(backend).get("limit")).toBe("25");
  });

  it("keeps the rows (and the focused row) on screen while a search is loading", async () => {
    signInAs("support");
    const { backend } = renderConsole("/customers", {
      rowsFor: customerDataFor,
      delayFor: (url) => (url.searchParams.has("or") ? 1500 : 0),
    });
    const row = (await screen.findByText("Somchai Jaidee")).closest("tr")!;
    row.focus();
    fireEvent.change(screen.getByLabelText("Search customers"), { target: { value: "somchai" } });
    await waitFor(() => expect(lastDirectoryQuery(backend).get("or")).not.toBeNull());
    // The search request is in flight: the previous rows are still there, focus included.
    expect(row).toBeInTheDocument();
    expect(document.activeElement).toBe(row);
  });

  it("a focused row opens the customer with Enter", async () => {
    signInAs("support");
    renderConsole("/customers", { rowsFor: customerDataFor });
    const cell = await screen.findByText("Somchai Jaidee");
    const row = cell.closest("tr")!;
    expect(row).toHaveAttribute("tabindex", "0");
    row.focus();
    fireEvent.keyDown(row, { key: "Enter" });
    expect(await screen.findByRole("region", { name: "Credits" })).toBeInTheDocument();
    expect(screen.getAllByText("somchai.j@example.co.th").length).toBeGreaterThan(0);
  });

  it("shows the error and a retry when the list cannot load", async () => {
    signInAs("support");
    renderConsole("/customers", {
      rowsFor: customerDataFor,
      failures: { "/rest/v1/customer_directory": { status: 500, code: "XX000", message: "database is restarting" } },
    });
    expect(await screen.findByText("Could not load customers")).toBeInTheDocument();
    expect(screen.getByText("database is restarting")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  it("admin opening the customers page gets the 403 page and no customer request", async () => {
    signInAs("admin");
    const { backend } = renderConsole("/customers", { rowsFor: customerDataFor });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/customer_directory")).toHaveLength(0);
  });
});
