import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerRpc, rpcError, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
// Loaded up front so opening the new request after submit does not wait for the lazy chunk on a busy runner.
import "./show";
import { dsarDataFor, dsarRow } from "./test-fixtures";

async function chooseOption(label: string, option: string) {
  await userEvent.click(screen.getByRole("combobox", { name: label }));
  await userEvent.click(await screen.findByTitle(option));
}

function setReceived(value: string) {
  const input = screen.getByRole("textbox", { name: "Received at" });
  return userEvent.clear(input).then(() => userEvent.type(input, `${value}{enter}`));
}

describe("DSAR intake form", () => {
  it("names each missing field and sends nothing", async () => {
    signInAs("support");
    const { rpcCalls } = renderConsole("/dsar/new", { rowsFor: dsarDataFor([]) });
    await userEvent.click(await screen.findByRole("button", { name: "Log request" }));
    expect(await screen.findByText("Choose the type of request.")).toBeInTheDocument();
    expect(screen.getByText("The requester's email is required.")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
  });

  it("refuses a received time later today (the picker already greys out future days)", async () => {
    // Only Date is faked (timers stay real for the UI): noon in Bangkok, far from midnight, so "five minutes
    // from now" is still today and the picker lets it through to the form's own check.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-26T05:00:00Z"));
    signInAs("dpo");
    const { rpcCalls } = renderConsole("/dsar/new", { rowsFor: dsarDataFor([]) });
    await screen.findByRole("button", { name: "Log request" });
    await chooseOption("Type", "Access");
    await userEvent.type(screen.getByLabelText("Requester email"), "emma@example.com");
    await setReceived("2026-11-26 12:05");
    await userEvent.click(screen.getByRole("button", { name: "Log request" }));
    expect(await screen.findByText("The received time cannot be in the future.")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
  });

  it("sends one dsar_create_request with the Bangkok time as an instant, even when clicked twice, and opens the new request", async () => {
    signInAs("support");
    const created = dsarRow({ id: "aaaaaaaa-0000-4000-8000-000000000009", reference: "DSAR-2026-0009", status: "new" });
    const { rpcCalls } = renderConsole("/dsar/new", {
      rowsFor: dsarDataFor([created]),
      rpc: (fn) => (fn === "dsar_create_request" ? { body: created } : undefined),
      delayFor: (url) => (url.pathname.endsWith("/rpc/dsar_create_request") ? 400 : 0),
    });
    await screen.findByRole("button", { name: "Log request" });
    await chooseOption("Type", "Erasure");
    await userEvent.type(screen.getByLabelText("Requester email"), "Emma@Example.com");
    await setReceived("2026-11-20 09:30");
    const submit = screen.getByRole("button", { name: "Log request" });
    await userEvent.click(submit);
    await userEvent.click(submit);
    expect(await screen.findByRole("heading", { name: "DSAR-2026-0009" })).toBeInTheDocument();
    const creates = rpcCalls.filter((c) => c.fn === "dsar_create_request");
    expect(creates).toHaveLength(1);
    expect(creates[0]!.args).toEqual({
      p_type: "erasure",
      p_channel: "email",
      p_requester_email: "emma@example.com",
      p_received_at: "2026-11-20T02:30:00.000Z",
      p_customer_id: null,
      p_summary: null,
    });
  });

  it("shows the database's refusal on the form and keeps what was typed", async () => {
    signInAs("dpo");
    renderConsole("/dsar/new", {
      rowsFor: dsarDataFor([]),
      rpc: answerRpc("dsar_create_request", rpcError(409, "23505", "dsar_create_request: this request is already logged as DSAR-2026-0003 (same requester, type and received time)")),
    });
    await screen.findByRole("button", { name: "Log request" });
    await chooseOption("Type", "Access");
    await userEvent.type(screen.getByLabelText("Requester email"), "emma@example.com");
    await setReceived("2026-11-20 09:30");
    await userEvent.click(screen.getByRole("button", { name: "Log request" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText(/already logged as DSAR-2026-0003/)).toBeInTheDocument();
    expect(screen.getByLabelText("Requester email")).toHaveValue("emma@example.com");
    await waitFor(() => expect(screen.getByRole("button", { name: "Log request" })).toBeEnabled());
  });

  it("auditor cannot open the intake form", async () => {
    signInAs("auditor");
    renderConsole("/dsar/new", { rowsFor: dsarDataFor([]) });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
  });
});
