import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { answerRpc, rpcError, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { CURRENT_PRIVACY, DRAFT_PRIVACY, OLD_PRIVACY, policiesDataFor } from "./test-fixtures";

describe("policy version page", () => {
  it("support reads a published version: body, hashes, summary, Thai switch, and no edit or publish controls", async () => {
    signInAs("support");
    renderConsole(`/policies/${CURRENT_PRIVACY.id}`, { rowsFor: policiesDataFor() });
    expect(await screen.findByRole("heading", { name: "Privacy policy 2026-05-12" })).toBeInTheDocument();
    expect(screen.getByText(/We keep account data for 12 months\./)).toBeInTheDocument();
    expect(screen.getByText("a".repeat(64))).toBeInTheDocument();
    expect(screen.getByText("b".repeat(64))).toBeInTheDocument();
    expect(screen.getByText("Account data kept 12 months instead of 24.")).toBeInTheDocument();
    expect(screen.getByText(/cannot be changed by anyone/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit draft" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Publish…" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByText("Thai"));
    expect(await screen.findByText(/เราเก็บข้อมูลบัญชี 12 เดือน/)).toBeInTheDocument();
  });

  it("the diff against another version of the same document, older to newer", async () => {
    signInAs("auditor");
    renderConsole(`/policies/${CURRENT_PRIVACY.id}`, { rowsFor: policiesDataFor() });
    await screen.findByRole("heading", { name: "Privacy policy 2026-05-12" });
    await userEvent.click(screen.getByRole("tab", { name: "Compare" }));
    const diff = await screen.findByRole("list", { name: "Changes from 2025-01-01 to 2026-05-12" });
    expect(within(diff).getByRole("listitem", { name: "removed: We keep account data for 24 months." })).toBeInTheDocument();
    expect(within(diff).getByRole("listitem", { name: "added: We keep account data for 12 months." })).toBeInTheDocument();
    expect(screen.getByText("Lines added: 1, removed: 1 (from 2025-01-01 to 2026-05-12)")).toBeInTheDocument();
  });

  it("a draft is the DPO's: edit and publish controls", async () => {
    signInAs("dpo");
    renderConsole(`/policies/${DRAFT_PRIVACY.id}`, { rowsFor: policiesDataFor() });
    expect(await screen.findByRole("button", { name: "Edit draft" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Publish…" })).toBeInTheDocument();
  });

  it("a draft is not found for other roles (RLS hides it)", async () => {
    signInAs("support");
    renderConsole(`/policies/${DRAFT_PRIVACY.id}`, { rowsFor: policiesDataFor() });
    expect(await screen.findByText(/There is no such policy version/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Publish…" })).not.toBeInTheDocument();
  });
});

async function openPublish() {
  await userEvent.click(await screen.findByRole("button", { name: "Publish…" }));
  return screen.findByRole("dialog", { name: "Publish Privacy policy 2026-12-01" });
}

describe("publish dialog", () => {
  it("refuses without a change class, and re_accept without a reason: nothing is sent", async () => {
    signInAs("dpo");
    const { backend } = renderConsole(`/policies/${DRAFT_PRIVACY.id}`, { rowsFor: policiesDataFor(), rpc: answerRpc("publish_policy_version", { body: DRAFT_PRIVACY }) });
    const dialog = await openPublish();
    await userEvent.click(within(dialog).getByRole("button", { name: "Publish" }));
    expect(await within(dialog).findByText("Choose how the change is classified.")).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Re-accept (customers accept again)" }));
    // The diff against the version in force is shown before confirming.
    expect(await within(dialog).findByRole("list", { name: "Changes from 2026-05-12 to 2026-12-01" })).toBeInTheDocument();
    expect(within(dialog).getByRole("listitem", { name: "added: We use product analytics only with consent." })).toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Reason (what changed materially)" }), "   ");
    await userEvent.click(within(dialog).getByRole("button", { name: "Publish" }));
    expect(await within(dialog).findByText("A re-accept change needs a reason: say what changed materially.")).toBeInTheDocument();
    expect(backend.rpcCalls.filter((c) => c.fn === "publish_policy_version")).toHaveLength(0);
  });

  it("re_accept with a reason: one call to publish_policy_version", async () => {
    signInAs("dpo");
    const { backend } = renderConsole(`/policies/${DRAFT_PRIVACY.id}`, {
      rowsFor: policiesDataFor(),
      rpc: answerRpc("publish_policy_version", { body: { ...DRAFT_PRIVACY, status: "published", change_class: "re_accept" } }),
    });
    const dialog = await openPublish();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Re-accept (customers accept again)" }));
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Reason (what changed materially)" }), "Analytics now needs consent");
    await userEvent.click(within(dialog).getByRole("button", { name: "Publish" }));
    await waitFor(() => expect(backend.rpcCalls.filter((c) => c.fn === "publish_policy_version")).toHaveLength(1));
    expect(backend.rpcCalls.find((c) => c.fn === "publish_policy_version")!.args).toEqual({
      p_id: DRAFT_PRIVACY.id,
      p_change_class: "re_accept",
      p_reason: "Analytics now needs consent",
    });
  });

  it("the database's refusal (effective date before the version in force) is worded in the dialog", async () => {
    signInAs("dpo");
    renderConsole(`/policies/${DRAFT_PRIVACY.id}`, {
      rowsFor: policiesDataFor(),
      rpc: answerRpc(
        "publish_policy_version",
        rpcError(400, "22023", "publish_policy_version: the draft would take effect on 2026-01-01 00:00:00+00, before the version in force (2026-05-12, effective 2026-05-12 00:00:00+07)"),
      ),
    });
    const dialog = await openPublish();
    await userEvent.click(within(dialog).getByRole("radio", { name: "Editorial (no notice)" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Publish" }));
    expect(
      await within(dialog).findByText(/Not published: Check the input: The draft would take effect on 2026-01-01 .*before the version in force \(2026-05-12/),
    ).toBeInTheDocument();
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });
});

describe("drafts", () => {
  it("a bad label or no title is named and nothing is sent; a good draft is inserted with the granted columns", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/policies/new?document=terms", { rowsFor: policiesDataFor() });
    const label = await screen.findByRole("textbox", { name: "Label (YYYY-MM-DD)" });
    await userEvent.type(label, "May 2026");
    await userEvent.click(screen.getByRole("button", { name: "Save draft" }));
    expect(await screen.findByText(/The label must be a date written YYYY-MM-DD/)).toBeInTheDocument();
    await userEvent.clear(label);
    await userEvent.type(label, "2027-01-01");
    await userEvent.click(screen.getByRole("button", { name: "Save draft" }));
    expect(await screen.findByText("Give the version a title.")).toBeInTheDocument();
    expect(backend.requests.filter((r) => r.path === "/rest/v1/policy_versions" && r.method === "POST")).toHaveLength(0);

    await userEvent.type(screen.getByRole("textbox", { name: "Title" }), "Terms 2027");
    fireEvent.change(screen.getByRole("textbox", { name: "English text (markdown)" }), { target: { value: "# Terms\nBe kind." } });
    await userEvent.click(screen.getByRole("button", { name: "Save draft" }));
    await waitFor(() => expect(backend.requests.filter((r) => r.path === "/rest/v1/policy_versions" && r.method === "POST")).toHaveLength(1));
    const sent = JSON.parse(backend.requests.find((r) => r.method === "POST" && r.path === "/rest/v1/policy_versions")!.body!) as Record<string, unknown>;
    expect(sent).toEqual({
      document: "terms",
      version: "2027-01-01",
      title: "Terms 2027",
      effective_at: null,
      body_markdown: "# Terms\nBe kind.",
      body_th: null,
      summary_of_changes: null,
    });
  });

  it("a published version has nothing to edit", async () => {
    signInAs("dpo");
    renderConsole(`/policies/${OLD_PRIVACY.id}/edit`, { rowsFor: policiesDataFor() });
    expect(await screen.findByText(/cannot be changed by anyone/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save draft" })).not.toBeInTheDocument();
  });
});
