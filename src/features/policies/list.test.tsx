import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { answerRpc, signInAs } from "../../test/fakeBackend";
import { currentLocation, renderConsole } from "../../test/renderConsole";
import { CURRENT_PRIVACY, policiesDataFor } from "./test-fixtures";

describe("policy versions list", () => {
  it.each(["support", "finance", "admin", "auditor"])("%s reads the published and superseded versions, no drafts and no draft controls", async (role) => {
    signInAs(role);
    const { backend } = renderConsole("/policies", { rowsFor: policiesDataFor() });
    const table = await screen.findByRole("table", { name: "Versions of the privacy policy" });
    expect(await within(table).findByText("2026-05-12")).toBeInTheDocument();
    expect(within(table).getByText("2025-01-01")).toBeInTheDocument();
    expect(within(table).queryByText("2026-12-01")).not.toBeInTheDocument();
    expect(within(within(table).getByRole("row", { name: "Open version 2026-05-12" })).getByText("Published")).toBeInTheDocument();
    expect(within(within(table).getByRole("row", { name: "Open version 2025-01-01" })).getByText("Superseded")).toBeInTheDocument();
    expect(within(table).getByText("aaaaaaaaaaaa")).toBeInTheDocument(); // the short SHA-256
    expect(within(table).getByText("Notify (in-app notice)")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New draft" })).not.toBeInTheDocument();
    const query = backend.lastQuery("policy_versions");
    expect(query.get("document")).toBe("eq.privacy_policy");
    expect(query.get("select")).not.toContain("body_markdown");
  });

  it("the DPO sees drafts and starts one on the document of the tab", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/policies?tab=terms", { rowsFor: policiesDataFor() });
    const table = await screen.findByRole("table", { name: "Versions of the terms" });
    expect(await within(table).findByText("2026-01-15")).toBeInTheDocument();
    expect(backend.lastQuery("policy_versions").get("document")).toBe("eq.terms");
    await userEvent.click(screen.getByRole("tab", { name: "Privacy policy" }));
    expect(await screen.findByText("2026-12-01")).toBeInTheDocument();
    expect(screen.getByText("Draft")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "New draft" }));
    await waitFor(() => expect(currentLocation().pathname).toBe("/policies/new"));
    expect(currentLocation().searchParams.get("document")).toBe("privacy_policy");
  });

  it("which version was in force on a date: policy_version_in_force at the end of that Bangkok day", async () => {
    signInAs("support");
    const { backend } = renderConsole("/policies", {
      rowsFor: policiesDataFor(),
      rpc: answerRpc("policy_version_in_force", { rows: [CURRENT_PRIVACY] }),
    });
    await screen.findByRole("table");
    const picker = screen.getByRole("textbox", { name: "Date (Bangkok)" });
    await userEvent.click(picker);
    await userEvent.type(picker, "2026-06-01{enter}");
    expect(await screen.findByText(/On 2026-06-01 the privacy policy in force was version 2026-05-12/)).toBeInTheDocument();
    const call = backend.rpcCalls.find((c) => c.fn === "policy_version_in_force")!;
    expect(call.args).toEqual({ p_document: "privacy_policy", p_at: "2026-06-01T23:59:59.999+07:00" });
  });

  it("a row opens its version from the keyboard", async () => {
    signInAs("auditor");
    renderConsole("/policies", { rowsFor: policiesDataFor() });
    const row = await screen.findByRole("row", { name: "Open version 2026-05-12" });
    row.focus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(currentLocation().pathname).toBe(`/policies/${CURRENT_PRIVACY.id}`));
  });
});
