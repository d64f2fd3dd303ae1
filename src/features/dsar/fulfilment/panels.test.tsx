import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../../test/fakeBackend";
import { renderConsole } from "../../../test/renderConsole";
import { dsarDataFor, dsarRow, expectRefusedUntilFilled } from "../test-fixtures";

const request = (type: "rectification" | "restriction" | "objection" | "complaint") => dsarRow({ type });
const PATH = `/dsar/${dsarRow().id}`;

function renderPanel(type: Parameters<typeof request>[0]) {
  signInAs("dpo");
  return renderConsole(PATH, { rowsFor: dsarDataFor([request(type)]), rpc: () => ({ body: dsarRow() }) });
}

describe("DSAR fulfilment panels", () => {
  it("rectification shows before and after and sends only the changed field", async () => {
    const { rpcCalls } = renderPanel("rectification");
    const panel = await screen.findByRole("region", { name: "Rectification" });
    const country = await within(panel).findByLabelText("Country");
    expect(within(panel).getByText("Edit a field to see the correction before and after.")).toBeInTheDocument();
    await userEvent.clear(country);
    await userEvent.type(country, "LA");
    const table = within(panel).getByRole("table", { name: "Before and after" });
    expect(within(table).getByText("TH")).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole("button", { name: "Apply correction" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(1));
    expect(rpcCalls[0]).toMatchObject({ fn: "dsar_rectify_customer", args: { p_request_id: dsarRow().id, p_changes: { country: "LA" } } });
    expect(await screen.findByText("Profile corrected; before and after are in the timeline.")).toBeInTheDocument();
  });

  it("restriction needs a reason: without one nothing is sent, with one the choice and reason go to the database", async () => {
    const { rpcCalls } = renderPanel("restriction");
    const panel = await screen.findByRole("region", { name: "Processing restriction" });
    expect(within(panel).getByText("not restricted")).toBeInTheDocument();
    await expectRefusedUntilFilled(panel, rpcCalls, { submit: "Save", refusal: "Give the reason for the change.", field: "Restriction reason", text: " Accuracy contested " });
    expect(rpcCalls[0]).toMatchObject({ fn: "dsar_set_restriction", args: { p_restricted: true, p_reason: "Accuracy contested" } });
    expect(await screen.findByText("Processing restricted.")).toBeInTheDocument();
  });

  it("consent withdrawal names each purpose's state and needs one picked", async () => {
    const { rpcCalls } = renderPanel("objection");
    const panel = await screen.findByRole("region", { name: "Objection / consent withdrawal" });
    expect(await within(panel).findByText("Marketing e-mail (already withdrawn)")).toBeInTheDocument();
    expect(within(panel).getByText("Product analytics (never given)")).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole("button", { name: "Record withdrawal" }));
    expect(await within(panel).findByText("Choose at least one purpose.")).toBeInTheDocument();
    await userEvent.click(within(panel).getByLabelText("Product analytics (never given)"));
    await userEvent.click(within(panel).getByRole("button", { name: "Record withdrawal" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(1));
    expect(rpcCalls[0]).toMatchObject({ fn: "dsar_withdraw_consent", args: { p_purposes: ["analytics"] } });
  });

  it("a complaint's finding is written to the timeline as a note, and an empty one is refused", async () => {
    const { rpcCalls } = renderPanel("complaint");
    const panel = await screen.findByRole("region", { name: "Complaint" });
    await expectRefusedUntilFilled(panel, rpcCalls, { submit: "Record finding", refusal: "Write the finding first.", field: "Finding", text: "Reply was late; apologised" });
    expect(rpcCalls[0]).toMatchObject({ fn: "dsar_add_note", args: { p_note: "Complaint finding: Reply was late; apologised" } });
  });
});
