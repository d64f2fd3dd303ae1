import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import Papa from "papaparse";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerRpc, rpcError, signInAs } from "../../test/fakeBackend";
import { captureDownloads } from "../../test/downloads";
import { currentLocation, renderConsole } from "../../test/renderConsole";
import { CUSTOMER_ID } from "../../test/fixtures";
import { consentDataFor, EVENTS, PRIVACY_NOW } from "./test-fixtures";

/** The `download` names the page gave its links, in order. */
function captureFileNames() {
  const names: string[] = [];
  // jsdom cannot follow a link: the name is all a test needs of the click.
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download);
  });
  return names;
}

afterEach(() => vi.restoreAllMocks());

describe("consent log explorer", () => {
  it("the DPO sees the log with labels, not codes, paged and sorted on the server", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/consent", { rowsFor: consentDataFor() });
    const table = await screen.findByRole("table", { name: "Consent events" });
    expect(await within(table).findByText("Emma Clarke")).toBeInTheDocument();
    expect(within(table).getAllByText("Marketing e-mail")).toHaveLength(2);
    expect(within(table).getByText("Withdrawn")).toBeInTheDocument();
    expect(within(table).getByText("Re-acceptance prompt")).toBeInTheDocument();
    expect(within(table).getByText("Cookie policy 2026-01-10")).toBeInTheDocument();
    expect(within(table).getByText("Privacy policy 2025-11-01")).toBeInTheDocument();
    expect(within(table).getByText("Thai")).toBeInTheDocument();
    expect(within(table).getByText("198.51.100.0/24")).toBeInTheDocument();
    for (const code of ["marketing_email", "re_accepted", "reprompt", PRIVACY_NOW]) expect(within(table).queryByText(code)).not.toBeInTheDocument();
    const query = backend.lastQuery("consent_events");
    expect(query.get("order")).toBe("occurred_at.desc,id.desc");
    expect(query.get("limit")).toBe("25");
    expect(query.get("offset")).toBe("0");
    expect(query.get("select")).toContain("policy:policy_versions(document,version)");
    expect(screen.getByRole("link", { name: "Consent log" })).toHaveAttribute("href", "/consent");
  });

  it("filters from the address reach the query; the version is offered by its label", async () => {
    signInAs("dpo");
    const { backend } = renderConsole(
      `/consent?customer=${CUSTOMER_ID}&purpose=marketing_email,analytics&action=withdrawn&version=${PRIVACY_NOW}&source=settings&from=2026-05-01&to=2026-05-31`,
      { rowsFor: consentDataFor() },
    );
    const table = await screen.findByRole("table", { name: "Consent events" });
    expect(await within(table).findByText("Withdrawn")).toBeInTheDocument();
    expect(within(table).getAllByRole("row")).toHaveLength(2); // the header and event 5
    const query = backend.lastQuery("consent_events");
    expect(query.get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);
    expect(query.get("purpose")).toBe("in.(marketing_email,analytics)");
    expect(query.get("action")).toBe("in.(withdrawn)");
    expect(query.get("policy_version_id")).toBe(`eq.${PRIVACY_NOW}`);
    expect(query.get("source")).toBe("in.(settings)");
    expect(query.getAll("occurred_at")).toEqual(["gte.2026-04-30T17:00:00.000Z", "lt.2026-05-31T17:00:00.000Z"]);
    expect(await screen.findByTitle("Privacy policy 2026-05-12")).toBeInTheDocument();
  });

  it("picking a filter goes into the URL and the request, back to page 1", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/consent?page=2", { rowsFor: consentDataFor() });
    await screen.findByRole("table", { name: "Consent events" });
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Action" }));
    await userEvent.click(await screen.findByTitle("Re-accepted"));
    await waitFor(() => expect(currentLocation().searchParams.get("action")).toBe("re_accepted"));
    expect(currentLocation().searchParams.get("page")).toBeNull();
    await waitFor(() => expect(backend.lastQuery("consent_events").get("action")).toBe("in.(re_accepted)"));
    expect(backend.lastQuery("consent_events").get("offset")).toBe("0");

    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Policy version" }));
    await userEvent.click(await screen.findByTitle("Privacy policy 2025-11-01"));
    await waitFor(() => expect(currentLocation().searchParams.get("version")).toBe("aaaaaaaa-0000-4000-8000-000000000001"));
    await waitFor(() => expect(backend.lastQuery("consent_events").get("policy_version_id")).toBe("eq.aaaaaaaa-0000-4000-8000-000000000001"));
  });

  it("sorting by purpose is kept in the URL and sent with time and id as tie-breakers", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/consent", { rowsFor: consentDataFor() });
    const table = await screen.findByRole("table", { name: "Consent events" });
    await within(table).findByText("Emma Clarke");
    await userEvent.click(within(table).getByRole("columnheader", { name: /Purpose/ }));
    await waitFor(() => expect(currentLocation().searchParams.get("sort")).toBe("purpose"));
    await waitFor(() => expect(backend.lastQuery("consent_events").get("order")).toMatch(/^purpose\.(asc|desc),occurred_at\.desc,id\.desc$/));
  });

  it("a failed customer search says so in the customer filter instead of showing an empty list", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/consent", {
      rowsFor: consentDataFor(),
      // 500, not 503: supabase-js retries a 503 read, which would only delay the answer.
      failures: { "/rest/v1/customer_directory": { status: 500, code: "XX000", message: "database unavailable" } },
    });
    const picker = await screen.findByRole("combobox", { name: "Customer" });
    await userEvent.type(picker, "somchai");
    expect(await screen.findByText("Customer search failed: database unavailable", {}, { timeout: 3000 })).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/customer_directory")).toHaveLength(1);
  });

  it("the auditor sees the masked network and no contact data; a customer id that is not one is named and not sent", async () => {
    signInAs("auditor");
    const { backend } = renderConsole("/consent", { rowsFor: consentDataFor() });
    const table = await screen.findByRole("table", { name: "Consent events" });
    expect(await within(table).findAllByText("203.0.113.0/24")).toHaveLength(4);
    expect(within(table).queryByText("Somchai Jaidee")).not.toBeInTheDocument();
    expect(within(table).getAllByText("Customer 11111111…")).toHaveLength(4);
    const before = backend.requestsTo("/rest/v1/consent_events").length;
    fireEvent.change(screen.getByRole("textbox", { name: "Customer id" }), { target: { value: "somchai" } });
    expect(await screen.findByText(/Customer: paste the customer's id/)).toBeInTheDocument();
    expect(currentLocation().searchParams.get("customer")).toBeNull();
    expect(backend.requestsTo("/rest/v1/consent_events").filter((r) => r.url.searchParams.has("customer_id"))).toHaveLength(0);
    expect(backend.requestsTo("/rest/v1/consent_events").length).toBe(before);
  });

  it("support and finance have no consent log: the page is refused and nothing is read", async () => {
    for (const role of ["support", "finance"]) {
      signInAs(role);
      const view = renderConsole("/consent", { rowsFor: consentDataFor() });
      expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
      expect(view.backend.requestsTo("/rest/v1/consent_events")).toHaveLength(0);
      view.unmount();
      window.sessionStorage.clear();
    }
  });

  it("the CSV export holds exactly the filtered rows, labelled and formula-guarded", async () => {
    const downloads = captureDownloads("csv");
    const names = captureFileNames();
    signInAs("dpo");
    const { backend } = renderConsole(`/consent?customer=${CUSTOMER_ID}&purpose=marketing_email`, { rowsFor: consentDataFor() });
    const table = await screen.findByRole("table", { name: "Consent events" });
    await within(table).findByText("Withdrawn");
    const shown = within(table).getAllByRole("row").slice(1).map((row) => row.getAttribute("data-row-key"));
    await userEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloads.blobs).toHaveLength(1));
    const parsed = Papa.parse<Record<string, string>>((await downloads.text(0)).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true });
    expect(parsed.data.map((r) => r.event_id)).toEqual(shown);
    expect(parsed.data.map((r) => r.event_id)).toEqual(["5", "3"]);
    expect(parsed.data[0]).toMatchObject({ purpose: "Marketing e-mail", action: "Withdrawn", source: "Settings", policy_version: "Privacy policy 2026-05-12", ip_masked: "203.0.113.0/24", user_agent: "'=HYPERLINK(\"x\")" });
    expect(names[0]).toMatch(/^consent-log-\d{8}-\d{4}\.csv$/);
    const exportRead = backend.requestsTo("/rest/v1/consent_events").at(-1)!.url.searchParams;
    expect(exportRead.get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);
    expect(exportRead.get("purpose")).toBe("in.(marketing_email)");
    expect(exportRead.get("order")).toBe("occurred_at.desc,id.desc");
    // Keyset pages: the first asks for max_rows from the top, never an offset (a second page would start after the last row).
    expect([exportRead.get("limit"), exportRead.has("offset")]).toEqual(["1000", false]);
  });

  it("a row's evidence pack downloads as one JSON file named after the event", async () => {
    const downloads = captureDownloads("json");
    const names = captureFileNames();
    const pack = { receipt: { consentReceiptID: "c0ffee00-0000-4000-8000-000000000005", jurisdiction: "TH" }, policy: { shown: { body_sha256: "ab12" } }, audit: { id: 42, hash: "ff00" } };
    signInAs("auditor");
    const { rpcCalls } = renderConsole("/consent", { rowsFor: consentDataFor(), rpc: answerRpc("consent_evidence", { body: pack }) });
    await userEvent.click(await screen.findByRole("button", { name: "Download the evidence pack of consent event 5" }));
    await waitFor(() => expect(downloads.blobs).toHaveLength(1));
    expect(JSON.parse(await downloads.text(0))).toEqual(pack);
    expect(downloads.blobs[0]!.type).toBe("application/json");
    expect(names).toEqual(["consent-evidence-event-5.json"]);
    expect(rpcCalls.filter((c) => c.fn === "consent_evidence").map((c) => c.args)).toEqual([{ p_event_id: 5 }]);
    expect(currentLocation().pathname).toBe("/consent");
  });

  it("an evidence pack the database refuses is explained, and nothing is downloaded", async () => {
    const downloads = captureDownloads("json");
    signInAs("dpo");
    renderConsole("/consent", { rowsFor: consentDataFor(), rpc: answerRpc("consent_evidence", rpcError(404, "PT404", "consent_evidence: consent event 4 does not exist")) });
    await userEvent.click(await screen.findByRole("button", { name: "Download the evidence pack of consent event 4" }));
    expect(await screen.findByText("Could not download the evidence pack of event 4: Not found: Consent event 4 does not exist")).toBeInTheDocument();
    expect(downloads.blobs).toHaveLength(0);
  });

  it("rows open the customer's consent page from the keyboard", async () => {
    signInAs("dpo");
    renderConsole("/consent", { rowsFor: consentDataFor() });
    const row = await screen.findByRole("row", { name: /Consent event 4/ });
    row.focus();
    fireEvent.keyDown(row, { key: "Enter" });
    await waitFor(() => expect(currentLocation().pathname).toBe(`/consent/customer/${EVENTS[1]!.customer_id}`));
  });
});
