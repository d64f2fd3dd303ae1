import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { answerRpc, rpcError, signInAs } from "../../test/fakeBackend";
import { currentLocation, renderConsole } from "../../test/renderConsole";
import { CUSTOMER_ID } from "../../test/fixtures";
import { consentDataFor, PRIVACY_BEFORE } from "./test-fixtures";

const PAGE = `/consent/customer/${CUSTOMER_ID}`;
const AS_OF_ROWS = [
  { purpose: "privacy_policy", granted: true, action: "granted", event_id: 1, policy_version_id: PRIVACY_BEFORE, language: "en", source: "signup", occurred_at: "2025-12-01T03:00:00Z" },
];

describe("a customer's consent page", () => {
  it("the DPO sees the current state per purpose, the timeline, and the state as of a day", async () => {
    signInAs("dpo");
    const { backend, rpcCalls } = renderConsole(`${PAGE}?asOf=2026-01-31`, { rowsFor: consentDataFor(), rpc: answerRpc("consent_state_as_of", { rows: AS_OF_ROWS }) });
    expect(await screen.findByText("Consent: Somchai Jaidee")).toBeInTheDocument();
    const current = await screen.findByRole("table", { name: "Current state per purpose" });
    expect(await within(current).findByText("Marketing e-mail")).toBeInTheDocument();
    expect(within(current).getByText("No consent")).toBeInTheDocument();
    expect(within(current).getByText("Consent given")).toBeInTheDocument();
    expect(within(current).getByText("Re-accepted")).toBeInTheDocument();
    expect(backend.lastQuery("customer_consents").get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);

    const timeline = await screen.findByRole("table", { name: "Timeline" });
    await waitFor(() => expect(within(timeline).getAllByRole("row")).toHaveLength(5)); // header + this customer's 4 events
    expect(backend.lastQuery("consent_events").get("order")).toBe("occurred_at.desc,id.desc");
    expect(backend.lastQuery("consent_events").get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);
    expect(backend.lastQuery("consent_events").get("limit")).toBe("50");

    const asOf = await screen.findByRole("table", { name: "As of" });
    expect(await within(asOf).findByText("Privacy policy 2025-11-01")).toBeInTheDocument();
    expect(within(asOf).getByText("Sign-up")).toBeInTheDocument();
    // The end of 31 January, Bangkok time: the last instant before 1 February 00:00 +07.
    expect(rpcCalls.filter((c) => c.fn === "consent_state_as_of").map((c) => c.args)).toEqual([{ p_customer_id: CUSTOMER_ID, p_at: "2026-01-31T16:59:59.999Z" }]);
  });

  it("no day chosen asks for one and calls nothing; a refusal of as-of is worded", async () => {
    signInAs("auditor");
    const first = renderConsole(PAGE, { rowsFor: consentDataFor(), rpc: answerRpc("consent_state_as_of", { rows: AS_OF_ROWS }) });
    expect(await screen.findByText("Pick a day to see the state then.")).toBeInTheDocument();
    expect(screen.getByText("Consent of customer 11111111…")).toBeInTheDocument();
    expect(first.rpcCalls.filter((c) => c.fn === "consent_state_as_of")).toHaveLength(0);
    first.unmount();

    renderConsole(`${PAGE}?asOf=2026-01-31`, { rowsFor: consentDataFor(), rpc: answerRpc("consent_state_as_of", rpcError(404, "PT404", `consent_state_as_of: customer ${CUSTOMER_ID} does not exist`)) });
    expect(await screen.findByText(`Could not compute the state as of that day: Not found: Customer ${CUSTOMER_ID} does not exist`)).toBeInTheDocument();
  });

  it("support sees the current state only: no timeline, no as-of, no addresses, none of it requested", async () => {
    signInAs("support");
    const { backend, rpcCalls } = renderConsole(`${PAGE}?asOf=2026-01-31`, { rowsFor: consentDataFor() });
    const current = await screen.findByRole("table", { name: "Current state per purpose" });
    expect(await within(current).findByText("Marketing e-mail")).toBeInTheDocument();
    expect(screen.getByText("Your role sees the current state only, not the history or addresses.")).toBeInTheDocument();
    expect(screen.queryByRole("table", { name: "Timeline" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "As of" })).not.toBeInTheDocument();
    expect(screen.queryByText(/203\.0\.113/)).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/consent_events")).toHaveLength(0);
    expect(rpcCalls).toHaveLength(0);
  });

  it("finance sees nothing of it: the page is refused and nothing is read", async () => {
    signInAs("finance");
    const { backend } = renderConsole(PAGE, { rowsFor: consentDataFor() });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/customer_consents")).toHaveLength(0);
    expect(backend.requestsTo("/rest/v1/consent_events")).toHaveLength(0);
  });

  it("the customer page links to it for the roles that read consent, not for finance", async () => {
    signInAs("support");
    const view = renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: consentDataFor() });
    await userEvent.click(await screen.findByRole("link", { name: "Consent state and history" }));
    await waitFor(() => expect(currentLocation().pathname).toBe(PAGE));
    view.unmount();
    window.sessionStorage.clear();

    signInAs("finance");
    renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: consentDataFor() });
    expect(await screen.findByText("Somchai Jaidee", { selector: "h1, h2, h3, h4, span" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Consent state and history" })).not.toBeInTheDocument();
  });
});
