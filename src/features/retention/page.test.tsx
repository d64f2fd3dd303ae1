import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { captureDownloads } from "../../test/downloads";
import { rpcError, signInAs, type RpcHandler } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { sizeChartsInTests } from "../../test/chartLayout";
import { hold, retentionDataFor, run, runCategory, type RetentionData } from "./test-fixtures";

function renderRetention(role: string, path = "/retention", data: RetentionData = {}, rpc?: RpcHandler, extra: Parameters<typeof renderConsole>[1] = {}) {
  signInAs(role);
  return renderConsole(path, { rowsFor: retentionDataFor(data), ...(rpc ? { rpc } : {}), ...extra });
}

const statusTable = () => screen.findByRole("table", { name: "Retention status per category" });

describe("retention status", () => {
  sizeChartsInTests();

  it("shows the DPO one row per category: state in words and colour, counts, the rule, and the backlog chart", async () => {
    renderRetention("dpo");
    const table = await statusTable();
    const overdue = (await within(table).findByText("API logs")).closest("tr")!;
    expect(within(overdue).getByText("Overdue")).toHaveClass("ant-tag-red");
    expect(within(overdue).getByText("65")).toBeInTheDocument();
    expect(within(overdue).getByText("90 days since creation, then drop monthly partitions")).toBeInTheDocument();
    expect(within(overdue).getByText("Backup lag: 30 days")).toBeInTheDocument();
    expect(within(overdue).getByText("2026-12-01 02:30 · 12 rows")).toBeInTheDocument();
    const held = within(table).getByText("Payment records").closest("tr")!;
    expect(within(held).getByText("Held")).toHaveClass("ant-tag-purple");
    expect(within(held).getByText("3 on hold")).toBeInTheDocument();
    expect(within(held).getByText("Legal basis: Thai Revenue Code s.87/3")).toBeInTheDocument();
    expect(within(within(table).getByText("Account data").closest("tr")!).getByText("Compliant")).toHaveClass("ant-tag-green");
    const chart = await screen.findByRole("region", { name: "Backlog per category (rows past their period, per run)" });
    await waitFor(() => expect(chart.querySelectorAll(".recharts-line").length).toBe(2));
    expect(within(chart).getByText("API logs")).toBeInTheDocument();
  });

  it("says so when no category is visible, and draws no chart without runs", async () => {
    renderRetention("dpo", "/retention", { status: [], runs: [] });
    expect(await screen.findByText("No retention rules are visible to you.")).toBeInTheDocument();
    expect(await screen.findByText("No runs yet: each dry run or purge records the backlog.")).toBeInTheDocument();
  });

  it("the admin sees status and past runs but no legal holds and no purge buttons", async () => {
    const { backend } = renderRetention("admin");
    await statusTable();
    expect(screen.getByRole("link", { name: /Retention/ })).toBeInTheDocument();
    expect(screen.queryByRole("tab", { name: "Legal holds" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("tab", { name: "Purges" }));
    expect(await screen.findByRole("table", { name: "Past runs" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Dry run" })).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/legal_holds")).toHaveLength(0);
  });

  it.each(["finance", "support"])("%s has no retention menu entry and the page is refused", async (role) => {
    renderRetention(role);
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /Retention/ })).not.toBeInTheDocument();
  });
});

describe("legal holds", () => {
  it("the auditor reads holds, active and released, and may not place or release one", async () => {
    renderRetention("auditor", "/retention?tab=holds");
    const table = await screen.findByRole("table", { name: "Legal holds" });
    expect(await within(table).findByText("Chargeback dispute CB-2026-114")).toBeInTheDocument();
    expect(within(table).queryByText("Police request 42")).not.toBeInTheDocument();
    // No customer PII for the auditor: the hold names the customer by id.
    expect(within(table).getByText(/customer 11111111-1111-4111-8111-111111111111 · Payment records/)).toBeInTheDocument();
    await userEvent.click(screen.getByText("Released"));
    expect(await within(table).findByText("Police request 42")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Place a hold…" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Release…" })).not.toBeInTheDocument();
  });

  it("the DPO sees the held customer's email and what the hold covers", async () => {
    renderRetention("dpo", "/retention?tab=holds");
    const table = await screen.findByRole("table", { name: "Legal holds" });
    expect(await within(table).findByText("customer somchai.j@example.co.th · Payment records")).toBeInTheDocument();
    expect(within(table).getByRole("button", { name: "Release…" })).toBeInTheDocument();
  });

  it("a hold without a reason (or without a scope) is refused in words and nothing is sent", async () => {
    const { rpcCalls } = renderRetention("dpo", "/retention?tab=holds");
    await userEvent.click(await screen.findByRole("button", { name: "Place a hold…" }));
    const dialog = await screen.findByRole("dialog", { name: "Place a legal hold" });
    fireEvent.change(within(dialog).getByLabelText("Review date"), { target: { value: "2099-01-31" } });
    await userEvent.click(within(dialog).getByRole("button", { name: "Place hold" }));
    expect(await within(dialog).findByText("A reason is required: the claim, investigation or order the data is kept for.")).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText("Reason"), "Court order 7/2026");
    await userEvent.click(within(dialog).getByRole("button", { name: "Place hold" }));
    expect(await within(dialog).findByText("Say what the hold covers: a customer, a data category, a date range, or several.")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
  });

  it("the DPO places a hold over a date range with a reason and a review date", async () => {
    const rpc: RpcHandler = (fn) => (fn === "legal_hold_place" ? { body: hold({ id: "hold-2" }) } : undefined);
    const { rpcCalls } = renderRetention("dpo", "/retention?tab=holds", {}, rpc);
    await userEvent.click(await screen.findByRole("button", { name: "Place a hold…" }));
    const dialog = await screen.findByRole("dialog", { name: "Place a legal hold" });
    fireEvent.change(within(dialog).getByLabelText("From (optional)"), { target: { value: "2026-01-01" } });
    fireEvent.change(within(dialog).getByLabelText("Until (optional)"), { target: { value: "2026-01-31" } });
    await userEvent.type(within(dialog).getByLabelText("Reason"), "  Court order 7/2026 ");
    fireEvent.change(within(dialog).getByLabelText("Review date"), { target: { value: "2099-01-31" } });
    await userEvent.click(within(dialog).getByRole("button", { name: "Place hold" }));
    await waitFor(() => expect(rpcCalls.map((c) => c.fn)).toEqual(["legal_hold_place"]));
    expect(rpcCalls[0]!.args).toEqual({
      p_reason: "Court order 7/2026",
      p_review_on: "2099-01-31",
      p_held_from: "2025-12-31T17:00:00.000Z",
      p_held_until: "2026-01-31T17:00:00.000Z",
    });
    expect(await screen.findByText("Legal hold placed.")).toBeInTheDocument();
  });

  it("release asks for a note (none → refused, nothing sent), then calls legal_hold_release; a refusal is worded", async () => {
    const rpc: RpcHandler = (fn) => (fn === "legal_hold_release" ? rpcError(409, "PT409", "legal_hold_release: legal hold hold-1 was already released on 2026-12-01") : undefined);
    const { rpcCalls } = renderRetention("dpo", "/retention?tab=holds", {}, rpc);
    const table = await screen.findByRole("table", { name: "Legal holds" });
    await userEvent.click(await within(table).findByRole("button", { name: "Release…" }));
    const dialog = await screen.findByRole("dialog", { name: "Release this legal hold?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Release hold" }));
    expect(await within(dialog).findByText("A note is required: why the data need not be kept any more.")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText("Note"), "Dispute settled");
    await userEvent.click(within(dialog).getByRole("button", { name: "Release hold" }));
    expect(await within(dialog).findByText("Not possible now: Legal hold hold-1 was already released on 2026-12-01")).toBeInTheDocument();
    expect(rpcCalls.map((c) => [c.fn, c.args])).toEqual([["legal_hold_release", { p_hold_id: "hold-1", p_note: "Dispute settled" }]]);
  });
});

describe("purges", () => {
  const DRY = run("dry-9", "2026-12-03T09:00:00Z", "dry_run", { started_via: "console" });
  const CERT = { certificate: "retention_purge", run_id: "exec-9", rows_purged: 65 };
  const EXEC = run("exec-9", "2026-12-03T09:00:00Z", "execute", { started_via: "console", rows_purged: 65, certificate: CERT, certificate_sha256: "b".repeat(64) });
  const data: RetentionData = {
    runCategories: [runCategory("dry-9", "api_logs", 66, 1), runCategory("dry-9", "payment_records", 3, 3), runCategory("exec-9", "api_logs", 66, 1)],
  };

  it("the purge confirmation states the dry run's counts; the purge uses its cut-off; the certificate downloads as JSON", async () => {
    const downloads = captureDownloads("cert");
    const rpc: RpcHandler = (fn) => (fn === "retention_dry_run" ? { body: DRY } : fn === "retention_purge" ? { body: EXEC } : undefined);
    const { rpcCalls } = renderRetention("dpo", "/retention?tab=purges", data, rpc);
    expect(await screen.findByRole("button", { name: "Purge now…" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Dry run" }));
    const counts = await screen.findByRole("table", { name: "Dry run counts" });
    expect(within(within(counts).getByText("API logs").closest("tr")!).getByText("65")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "Purge now…" })).toBeEnabled());
    await userEvent.click(screen.getByRole("button", { name: "Purge now…" }));
    const dialog = await screen.findByRole("dialog", { name: "Purge 65 rows now?" });
    expect(within(dialog).getByText("API logs: 65 to purge (1 on hold, kept)")).toBeInTheDocument();
    expect(within(dialog).getByText("Payment records: 0 to purge (3 on hold, kept)")).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Purge now" }));
    expect(await screen.findByText("Purge done: 65 rows purged.")).toBeInTheDocument();
    expect(rpcCalls.map((c) => [c.fn, c.args])).toEqual([
      ["retention_dry_run", {}],
      ["retention_purge", { p_cutoff: "2026-12-03T09:00:00Z" }],
    ]);
    const result = screen.getByRole("region", { name: "Purge result" });
    expect(within(result).getByText(`Certificate SHA-256: ${"b".repeat(64)}`)).toBeInTheDocument();
    await userEvent.click(within(result).getByRole("button", { name: "Download certificate (JSON)" }));
    expect(JSON.parse(await downloads.text(0))).toEqual({ certificate: CERT, certificate_sha256: "b".repeat(64) });
  });

  it("a refused dry run is worded and opens no confirmation", async () => {
    const rpc: RpcHandler = (fn) => (fn === "retention_dry_run" ? rpcError(400, "22023", "retention_dry_run: the cut-off is in the future") : undefined);
    renderRetention("dpo", "/retention?tab=purges", data, rpc);
    await userEvent.click(await screen.findByRole("button", { name: "Dry run" }));
    expect(await screen.findByText("Check the input: The cut-off is in the future")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Purge now…" })).toBeDisabled();
  });

  it("lists past runs to the auditor without the purge buttons", async () => {
    renderRetention("auditor", "/retention?tab=purges");
    const table = await screen.findByRole("table", { name: "Past runs" });
    expect(await within(table).findAllByText("dry run")).toHaveLength(2);
    expect(screen.queryByRole("button", { name: "Dry run" })).not.toBeInTheDocument();
  });
});
