import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { dsarDataFor, dsarRow, expectRefusedUntilFilled } from "./test-fixtures";

const REQUEST = dsarRow();
const PATH = `/dsar/${REQUEST.id}`;

async function openDialog(button: string) {
  const actions = await screen.findByRole("group", { name: "Request actions" });
  await userEvent.click(within(actions).getByRole("button", { name: button }));
  return screen.findByRole("dialog");
}

describe("DSAR request actions", () => {
  it("a note is refused when empty, what was typed is gone after a cancel, and a note is sent trimmed", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole(PATH, { rowsFor: dsarDataFor([REQUEST]), rpc: () => ({ body: null }) });
    let dialog = await openDialog("Add note");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add note" }));
    expect(await within(dialog).findByText("The note is empty.")).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText("Note"), "draft words");
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    dialog = await openDialog("Add note");
    expect(within(dialog).getByLabelText("Note")).toHaveValue("");
    expect(within(dialog).queryByText("The note is empty.")).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText("Note"), "  Called the subject  ");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add note" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(1));
    expect(rpcCalls[0]).toMatchObject({ fn: "dsar_add_note", args: { p_request_id: REQUEST.id, p_note: "Called the subject" } });
    expect(await screen.findByText("Note added to the timeline.")).toBeInTheDocument();
  });

  it("an extension needs a reason, then sends the days and the reason", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole(PATH, { rowsFor: dsarDataFor([REQUEST]), rpc: () => ({ body: dsarRow({ extension_days: 14 }) }) });
    const dialog = await openDialog("Extend");
    expect(within(dialog).getByText("The statutory date does not move: it stays visible and still drives “overdue”.")).toBeInTheDocument();
    await expectRefusedUntilFilled(dialog, rpcCalls, {
      submit: "Extend",
      refusal: "An extension needs a reason: it is told to the subject and audited.",
      field: "Extension reason",
      text: "Archived projects to restore",
    });
    expect(rpcCalls[0]!.fn).toBe("dsar_extend");
    expect(rpcCalls[0]!.args).toMatchObject({ p_request_id: REQUEST.id, p_days: 14, p_reason: "Archived projects to restore" });
    expect(await screen.findByText("DSAR-2026-0001 extended by 14 days.")).toBeInTheDocument();
  });
});
