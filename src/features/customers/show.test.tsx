import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../test/fakeBackend";
import { CUSTOMER_ID, customerDataFor } from "../../test/fixtures";
import { renderConsole } from "../../test/renderConsole";

const SHOW_PATH = `/customers/${CUSTOMER_ID}`;

describe("customer page per role", () => {
  it("support sees the profile and credit balance, but no Stripe ids, assets, consent history or API logs", async () => {
    signInAs("support");
    const { backend } = renderConsole(SHOW_PATH, { rowsFor: customerDataFor });
    const credits = await screen.findByRole("region", { name: "Credits" });
    expect(within(credits).getByText("1,250")).toBeInTheDocument();
    // Ledger reasons read as on the credits page ("Generation"), not as stored ("generation").
    expect(await within(credits).findByText("Generation")).toBeInTheDocument();

    expect(await screen.findByText("Songkran jingle")).toBeInTheDocument();
    expect(await screen.findByText("฿299.00")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Consents (current state)" })).toBeInTheDocument();

    expect(screen.queryByText("Stripe customer")).not.toBeInTheDocument();
    expect(screen.queryByText("Payment intent")).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Assets" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "API requests (latest 50)" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Consent history" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Error reports" })).not.toBeInTheDocument();
    // Forbidden sections are not even requested.
    for (const path of ["/rest/v1/assets", "/rest/v1/api_request_logs", "/rest/v1/consent_events", "/rest/v1/error_reports"]) {
      expect(backend.requestsTo(path)).toHaveLength(0);
    }
  });

  it("dpo sees every section, including Stripe ids, assets and API logs", async () => {
    signInAs("dpo");
    renderConsole(SHOW_PATH, { rowsFor: customerDataFor });
    expect(await screen.findByText("gen/user_2kTq9/g1.mp3")).toBeInTheDocument();
    expect(screen.getByText("3.0 MB")).toBeInTheDocument();
    expect(await screen.findByText("/v1/generations")).toBeInTheDocument();
    expect(await screen.findByText("pi_Abc123")).toBeInTheDocument();
    expect(screen.getByText("cus_Sj123")).toBeInTheDocument();
    expect(await screen.findByText("sub_Xyz789")).toBeInTheDocument();
    expect(await screen.findByText("Timeout calling model")).toBeInTheDocument();
    const history = screen.getByRole("region", { name: "Consent history" });
    expect(await within(history).findByText("Withdrawn")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Generations (latest 50)" })).toBeInTheDocument();
  });

  it("asks each section for this customer's rows, newest first and bounded", async () => {
    signInAs("dpo");
    const { backend } = renderConsole(SHOW_PATH, { rowsFor: customerDataFor });
    await screen.findByText("/v1/generations");
    const logs = backend.requestsTo("/rest/v1/api_request_logs")[0]!.url.searchParams;
    expect(logs.get("customer_id")).toBe(`eq.${CUSTOMER_ID}`);
    expect(logs.get("order")).toBe("requested_at.desc");
    expect(logs.get("limit")).toBe("50");
  });

  it("shows the processing-restricted flag prominently", async () => {
    signInAs("support");
    renderConsole("/customers/22222222-2222-4222-8222-222222222222", { rowsFor: customerDataFor });
    expect(await screen.findByText("Processing restricted")).toBeInTheDocument();
    expect(screen.getByText(/objection pending/)).toBeInTheDocument();
  });

  it("admin gets the 403 page and the customer is never requested", async () => {
    signInAs("admin");
    const { backend } = renderConsole(SHOW_PATH, { rowsFor: customerDataFor });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/customer_directory")).toHaveLength(0);
  });

  it("says so when the customer is not visible", async () => {
    signInAs("finance");
    renderConsole("/customers/33333333-3333-4333-8333-333333333333", { rowsFor: customerDataFor });
    expect(await screen.findByText("Customer not found")).toBeInTheDocument();
  });

  it("one failing section shows its error while the rest of the page works", async () => {
    signInAs("dpo");
    renderConsole(SHOW_PATH, {
      rowsFor: customerDataFor,
      failures: { "/rest/v1/assets": { status: 500, code: "XX000", message: "storage manifest unavailable" } },
    });
    expect(await screen.findByText("storage manifest unavailable")).toBeInTheDocument();
    expect(await screen.findByText("Songkran jingle")).toBeInTheDocument();
  });
});
