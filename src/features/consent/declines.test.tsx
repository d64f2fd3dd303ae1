import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../test/fakeBackend";
import { CUSTOMER_ID } from "../../test/fixtures";
import { renderConsole } from "../../test/renderConsole";
import { consentDataFor, CURRENT, declineRow, eventRow, EVENTS, PRIVACY_NOW } from "./test-fixtures";

const PAGE = `/consent/customer/${CUSTOMER_ID}`;
/** The refusal at the prompt the decline names, and a later analytics consent that names the privacy policy too. */
const REFUSAL = eventRow({ id: 6, action: "refused", source: "reprompt", collection_method: "prompt", occurred_at: "2026-05-25T03:00:00Z" });
const ANALYTICS_LATER = eventRow({ id: 9, purpose: "analytics", action: "granted", source: "settings", occurred_at: "2026-06-05T03:00:00Z" });
const ACCEPTED_LATER = eventRow({ id: 8, action: "re_accepted", source: "reprompt", collection_method: "prompt", occurred_at: "2026-06-01T03:00:00Z" });

describe("a customer's declines of re_accept versions on the consent page", () => {
  it.each(["dpo", "auditor"])("the %s sees the version declined, the consent withdrawn and the restriction in force", async (role) => {
    signInAs(role);
    const { backend } = renderConsole(PAGE, { rowsFor: consentDataFor([ANALYTICS_LATER, REFUSAL, ...EVENTS], CURRENT, [declineRow()]) });
    const table = await screen.findByRole("table", { name: "Policy versions declined" });
    expect(await within(table).findByText("Privacy policy 2026-05-12")).toBeInTheDocument();
    expect(within(table).getByText("Product analytics")).toBeInTheDocument();
    expect(within(table).getByText("Marketing e-mail")).toBeInTheDocument();
    // The later analytics consent names the privacy policy but is no answer to it: the restriction holds.
    expect(await within(table).findByText("Restricted (service refused until the customer accepts)")).toBeInTheDocument();
    expect(within(table).queryByText(PRIVACY_NOW)).not.toBeInTheDocument();
    expect(within(table).queryByText("marketing_email")).not.toBeInTheDocument();
    const read = backend.lastQuery("policy_declines");
    expect(read.get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);
    expect(read.get("order")).toBe("declined_at.desc,id.desc");
    expect(backend.lastQuery("consent_events").get("policy_version_id")).toBe(`in.(${PRIVACY_NOW})`);
  });

  it("a later acceptance of the version lifts the restriction, and says when", async () => {
    signInAs("dpo");
    renderConsole(PAGE, { rowsFor: consentDataFor([ANALYTICS_LATER, ACCEPTED_LATER, REFUSAL, ...EVENTS], CURRENT, [declineRow()]) });
    const table = await screen.findByRole("table", { name: "Policy versions declined" });
    expect(await within(table).findByText(/^Restriction lifted: accepted /)).toBeInTheDocument();
    expect(within(table).queryByText(/^Restricted/)).not.toBeInTheDocument();
  });

  it("no decline says so", async () => {
    signInAs("auditor");
    renderConsole(PAGE, { rowsFor: consentDataFor() });
    expect(await screen.findByText("This customer has not declined a policy version at the re-acceptance prompt.")).toBeInTheDocument();
  });

  it("support sees the current state only: the declines are neither shown nor requested", async () => {
    signInAs("support");
    const { backend } = renderConsole(PAGE, { rowsFor: consentDataFor(EVENTS, CURRENT, [declineRow()]) });
    await screen.findByRole("table", { name: "Current state per purpose" });
    expect(screen.queryByRole("region", { name: "Policy versions declined" })).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/policy_declines")).toHaveLength(0);
  });

  it("finance has no consent page and asks for nothing of it", async () => {
    signInAs("finance");
    const { backend } = renderConsole(PAGE, { rowsFor: consentDataFor(EVENTS, CURRENT, [declineRow()]) });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/policy_declines")).toHaveLength(0);
    expect(backend.requestsTo("/rest/v1/customer_consents")).toHaveLength(0);
  });
});
