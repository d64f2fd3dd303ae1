import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../test/fakeBackend";
import { CUSTOMER_ID, customerDataFor } from "../../test/fixtures";
import { renderConsole } from "../../test/renderConsole";

const PRIVACY = "aaaaaaaa-0000-4000-8000-000000000002";
const POLICY = { document: "privacy_policy", version: "2026-05-12" };

/** The customer fixture with consents that name a policy version (embedded as the page reads it). */
function withConsents(role: string) {
  const tables = customerDataFor(role);
  if (tables.customer_consents) {
    tables.customer_consents = [
      { customer_id: CUSTOMER_ID, purpose: "marketing_email", granted: false, action: "withdrawn", policy_version_id: PRIVACY, updated_at: "2026-05-20T03:00:00Z", policy: POLICY },
      { customer_id: CUSTOMER_ID, purpose: "privacy_policy", granted: true, action: "re_accepted", policy_version_id: PRIVACY, updated_at: "2026-05-12T03:00:00Z", policy: POLICY },
    ];
  }
  if (tables.consent_events) {
    tables.consent_events = [
      { id: 8, customer_id: CUSTOMER_ID, purpose: "marketing_email", action: "withdrawn", policy_version_id: PRIVACY, source: "settings", ip: "203.0.113.0/24", occurred_at: "2026-05-20T03:00:00Z", policy: POLICY },
      { id: 7, customer_id: CUSTOMER_ID, purpose: "privacy_policy", action: "re_accepted", policy_version_id: PRIVACY, source: "reprompt", ip: "203.0.113.0/24", occurred_at: "2026-05-12T03:00:00Z", policy: POLICY },
    ];
  }
  return tables;
}

const CODES = ["privacy_policy", "marketing_email", "re_accepted", "withdrawn", "reprompt", "settings", PRIVACY];

describe("the customer page's consent sections show labels, not codes", () => {
  it("the DPO: the current state and the history by purpose, action, source and version label", async () => {
    signInAs("dpo");
    const { backend } = renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: withConsents });
    const state = await screen.findByRole("region", { name: "Consents (current state)" });
    expect(await within(state).findByText("Marketing e-mail")).toBeInTheDocument();
    expect(within(state).getByText("Privacy policy")).toBeInTheDocument();
    expect(within(state).getByText("Re-accepted")).toBeInTheDocument();
    expect(within(state).getAllByText("Privacy policy 2026-05-12")).toHaveLength(2);
    const history = screen.getByRole("region", { name: "Consent history" });
    expect(await within(history).findByText("Re-acceptance prompt")).toBeInTheDocument();
    expect(within(history).getByText("Settings")).toBeInTheDocument();
    expect(within(history).getByText("Withdrawn")).toBeInTheDocument();
    for (const code of CODES) {
      expect(within(state).queryByText(code)).not.toBeInTheDocument();
      expect(within(history).queryByText(code)).not.toBeInTheDocument();
    }
    // The version's label is read with the rows (one request per section, no lookup per row).
    expect(backend.lastQuery("customer_consents").get("select")).toContain("policy:policy_versions(document,version)");
    expect(backend.lastQuery("consent_events").get("select")).toContain("policy:policy_versions(document,version)");
  });

  it("support: the current state, labelled; the history neither shown nor requested", async () => {
    signInAs("support");
    const { backend } = renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: withConsents });
    const state = await screen.findByRole("region", { name: "Consents (current state)" });
    expect(await within(state).findByText("Marketing e-mail")).toBeInTheDocument();
    expect(within(state).getAllByText("Privacy policy 2026-05-12")).toHaveLength(2);
    for (const code of CODES) expect(within(state).queryByText(code)).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Consent history" })).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/consent_events")).toHaveLength(0);
  });

  it("the auditor has no customer page (it reads no contact data): the consent page is its view, nothing asked here", async () => {
    signInAs("auditor");
    const { backend } = renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: withConsents });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/customer_consents")).toHaveLength(0);
    expect(backend.requestsTo("/rest/v1/consent_events")).toHaveLength(0);
  });

  it("finance: no consent section, nothing of consent requested", async () => {
    signInAs("finance");
    const { backend } = renderConsole(`/customers/${CUSTOMER_ID}`, { rowsFor: withConsents });
    await screen.findByRole("region", { name: "Credits" });
    expect(screen.queryByRole("region", { name: "Consents (current state)" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Consent history" })).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/customer_consents")).toHaveLength(0);
    expect(backend.requestsTo("/rest/v1/consent_events")).toHaveLength(0);
  });
});
