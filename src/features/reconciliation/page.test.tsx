import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { syntheticRecords } from "../../../tests/reconciliation/dataset";
import { MAX_ROWS } from "../../lib/readAll";
import { FAKE_STAFF, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { captureDownloads } from "../../test/downloads";
import { injectIntoPaymentsRows, paymentsExportCsv, paymentsRowsFromRecords } from "./stripeFiles";
import type { FromWorker, ToWorker } from "./workerProtocol";

const RECORDS = syntheticRecords(60);
const FINANCE = FAKE_STAFF.find((s) => s.roles.includes("finance"))!;
const RUN_ID = "bbbbbbbb-0000-4000-8000-000000000001";

function savedRun(args: Record<string, unknown>) {
  const run = args.p_run as Record<string, unknown>;
  return { id: RUN_ID, created_by: FINANCE.id, created_at: "2026-11-26T10:00:00Z", ...run };
}

function fileInput(): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  return input;
}

function upload(content: string | Uint8Array, name: string) {
  const file = new File([content as BlobPart], name, { type: "text/csv" });
  fireEvent.change(fileInput(), { target: { files: [file] } });
}

/** Stands in for the reconciliation worker: records what the page posts, and answers as the worker would. */
function stubWorker() {
  const created: FakeWorker[] = [];
  const stub = {
    posted: [] as ToWorker[],
    terminated: false,
    /** Delivers `message` to the page as if the worker had posted it. */
    send(message: FromWorker) {
      created.at(-1)!.onmessage!({ data: message } as MessageEvent<FromWorker>);
    },
  };
  class FakeWorker {
    onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
    onerror = null;
    constructor() {
      created.push(this);
    }
    postMessage(message: ToWorker) {
      stub.posted.push(message);
    }
    terminate() {
      stub.terminated = true;
    }
  }
  vi.stubGlobal("Worker", FakeWorker);
  return stub;
}

describe("reconciliation page", () => {
  it("finance uploads a payments export: summary, discrepancies by kind, the run saved, the CSV downloaded", async () => {
    const { blobs: created, text: downloaded } = captureDownloads("csv");
    signInAs("finance");
    const runs: Record<string, unknown>[] = [];
    const { rpcCalls } = renderConsole("/reconciliation", {
      rowsFor: () => ({ reconciliation_runs: runs, staff_members: [{ id: FINANCE.id, display_name: FINANCE.display_name }] }),
      rpc: (fn, args) => {
        if (fn === "reconciliation_records") return { rows: RECORDS };
        runs.push(savedRun(args));
        return { body: savedRun(args) };
      },
    });
    await screen.findByText("Drop a Stripe CSV here, or click to choose one");
    expect(screen.getByRole("link", { name: "payments export, with discrepancies" })).toHaveAttribute("href", "/demo/stripe-payments-export-discrepancies.csv");
    const injected = injectIntoPaymentsRows(paymentsRowsFromRecords(RECORDS));
    upload(paymentsExportCsv(injected.rows, { newline: "\r\n", bom: true }), "payments-nov.csv");

    expect(await screen.findByText("Run saved", {}, { timeout: 20_000 })).toBeInTheDocument();
    expect(screen.getByText("Result: payments-nov.csv")).toBeInTheDocument();
    expect(screen.getByText("Stripe Dashboard payments export")).toBeInTheDocument();
    const counts = screen.getByRole("list", { name: "Reconciliation counts" });
    const matched = within(counts).getAllByRole("listitem")[0]!;
    expect(within(matched).getByText("Matched")).toBeInTheDocument();
    expect(within(matched).getByText(String(RECORDS.filter((r) => r.record_type === "payment").length - 4))).toBeInTheDocument();

    // The database was counted and read once, for the file's period; the run saved once with the file's hash and counts.
    const asked = rpcCalls.filter((c) => c.fn === "reconciliation_records");
    expect(asked.map((c) => c.method)).toEqual(["HEAD", "POST"]);
    for (const call of asked) expect(call.args.p_from).toBe(RECORDS[0]!.created_at);
    const saves = rpcCalls.filter((c) => c.fn === "record_reconciliation_run");
    expect(saves).toHaveLength(1);
    const run = saves[0]!.args.p_run as Record<string, unknown>;
    expect(run).toMatchObject({ source: "upload", file_kind: "payments_export", file_name: "payments-nov.csv", file_rows: injected.rows.length });
    expect(run.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.counts).toMatchObject({ amount_mismatch: 1, status_mismatch: 1, refund_mismatch: 1, missing_in_database: 1, missing_in_stripe: 1 });
    expect(saves[0]!.args.p_discrepancies).toHaveLength(5);

    // Filter by kind, keyboard-reachable radio buttons.
    const table = screen.getByRole("table", { name: "Discrepancies" });
    expect(within(table).getAllByRole("row")).toHaveLength(6);
    fireEvent.click(screen.getByRole("radio", { name: "Amount mismatch (1)" }));
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Discrepancies" })).getAllByRole("row")).toHaveLength(2));
    const amount = injected.injected.find((i) => i.kind === "amount_mismatch")!;
    expect(within(screen.getByRole("table", { name: "Discrepancies" })).getByText(amount.stripe_id)).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: /Download discrepancies CSV/ }));
    expect(created).toHaveLength(1);
    const csv = await downloaded(0);
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("kind,stripe_id,payment_id,refund_id,currency,stripe_amount,database_amount,stripe_status,database_status,line,detail");
    expect(lines).toHaveLength(6);
    for (const i of injected.injected) expect(csv).toContain(`${i.kind},${i.stripe_id},`);

    // The saved run is listed at once (the list may have been read before the save).
    fireEvent.click(screen.getByRole("tab", { name: "Saved runs" }));
    const list = await screen.findByRole("table", { name: "Saved runs" });
    expect(await within(list).findByText("payments-nov.csv")).toBeInTheDocument();
  }, 60_000);

  it("a period holding more records than one API response is read in full before matching", async () => {
    const many = syntheticRecords(1300);
    expect(many.length).toBeGreaterThan(MAX_ROWS);
    signInAs("finance");
    const { rpcCalls, backend } = renderConsole("/reconciliation", {
      rowsFor: () => ({ reconciliation_runs: [], staff_members: [] }),
      // The records of the window asked (by their own time, as the function picks payments).
      rpc: (fn, args) =>
        fn === "reconciliation_records"
          ? { rows: many.filter((r) => r.created_at >= String(args.p_from) && r.created_at < String(args.p_to)) }
          : { body: savedRun(args) },
    });
    await screen.findByText("Drop a Stripe CSV here, or click to choose one");
    upload(paymentsExportCsv(paymentsRowsFromRecords(many), { newline: "\r\n" }), "payments-all.csv");

    expect(await screen.findByText("Run saved", {}, { timeout: 30_000 })).toBeInTheDocument();
    // Every payment in the file found its record: none reported missing from the database.
    const save = rpcCalls.find((c) => c.fn === "record_reconciliation_run")!;
    expect((save.args.p_run as { counts: Record<string, number> }).counts).toMatchObject({
      matched: many.filter((r) => r.record_type === "payment").length,
      missing_in_database: 0,
    });
    expect(save.args.p_discrepancies).toEqual([]);
    // Counted, then read as smaller windows of at most one response each (each read in pages, as the helper does).
    const requests = backend.requestsTo("/rest/v1/rpc/reconciliation_records");
    expect(requests[0]!.method).toBe("HEAD");
    const reads = requests.slice(1);
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.every((r) => r.method === "POST" && r.url.searchParams.get("limit") === String(MAX_ROWS))).toBe(true);
  }, 60_000);

  it("makes demo files from the database it runs against, which then reconcile to the injected discrepancies", async () => {
    const { blobs: created, text: downloaded } = captureDownloads("csv");
    signInAs("finance");
    const { rpcCalls } = renderConsole("/reconciliation", {
      rowsFor: () => ({ reconciliation_runs: [] }),
      rpc: (fn, args) => (fn === "reconciliation_records" ? { rows: RECORDS } : { body: savedRun(args) }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "balance report, with discrepancies" }));
    await waitFor(() => expect(created).toHaveLength(1));
    const asked = rpcCalls.filter((c) => c.fn === "reconciliation_records" && c.method === "POST");
    expect(asked).toHaveLength(1);
    expect(Date.parse(String(asked[0]!.args.p_to)) - Date.parse(String(asked[0]!.args.p_from))).toBe(365 * 86_400_000);
    const text = await downloaded(0);
    expect(text.startsWith("balance_transaction_id,created_utc,")).toBe(true);
    upload(text, "from-db.csv");
    expect(await screen.findByText("Run saved", {}, { timeout: 20_000 })).toBeInTheDocument();
    const run = rpcCalls.find((c) => c.fn === "record_reconciliation_run")!.args.p_run as Record<string, unknown>;
    expect(run.counts).toMatchObject({ amount_mismatch: 1, status_mismatch: 1, refund_mismatch: 1, missing_in_database: 1, missing_in_stripe: 1 });
  }, 60_000);

  it("an invalid file lists its errors with line numbers and saves nothing", async () => {
    signInAs("finance");
    const { rpcCalls } = renderConsole("/reconciliation", {
      rowsFor: () => ({ reconciliation_runs: [] }),
      rpc: (_fn, args) => ({ body: savedRun(args) }),
    });
    await screen.findByText("Drop a Stripe CSV here, or click to choose one");
    upload(
      ["id,Created (UTC),Amount,Currency,Status", "ch_1,2026-11-01 10:00:00,10.00,usd,Paid", 'ch_2,2026-11-01 10:00:00,"1\n0",usd,Paid', "ch_3,not a date,10.00,usd,Paid"].join("\n"),
      "broken.csv",
    );
    expect(await screen.findByText("broken.csv: not imported", {}, { timeout: 20_000 })).toBeInTheDocument();
    expect(screen.getByText(/This file cannot be reconciled: 2 problems\. Nothing was imported or saved\./)).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Validation errors" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]!.textContent)).toEqual(["3", "5"]);
    expect(within(rows[1]!).getByText("Created (UTC)")).toBeInTheDocument();
    expect(rpcCalls).toEqual([]);
  }, 60_000);

  it("shows progress from the worker and cancels it", async () => {
    const worker = stubWorker();
    signInAs("finance");
    const { rpcCalls } = renderConsole("/reconciliation", { rowsFor: () => ({ reconciliation_runs: [] }) });
    await screen.findByText("Drop a Stripe CSV here, or click to choose one");
    upload("id,Created (UTC),Amount,Currency,Status\n", "big.csv");
    await waitFor(() => expect(worker.posted[0]?.kind).toBe("start"));
    worker.send({ kind: "progress", progress: { bytesRead: 5 * 1048576, totalBytes: 10 * 1048576, rows: 12345, phase: "reading" } });
    expect(await screen.findByText("Read 5.0 of 10.0 MB · 12,345 rows")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Reconciliation progress" })).toHaveAttribute("aria-valuenow", "50");
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByText("Reconciling big.csv")).not.toBeInTheDocument());
    expect(worker.posted.at(-1)).toEqual({ kind: "cancel" });
    expect(worker.terminated).toBe(true);
    expect(rpcCalls).toEqual([]);
  }, 60_000);

  it("once the file is read, says the database records are being read", async () => {
    const worker = stubWorker();
    signInAs("finance");
    renderConsole("/reconciliation", { rowsFor: () => ({ reconciliation_runs: [] }), rpc: () => ({ rows: [] }) });
    await screen.findByText("Drop a Stripe CSV here, or click to choose one");
    upload("id,Created (UTC),Amount,Currency,Status\n", "big.csv");
    await waitFor(() => expect(worker.posted[0]?.kind).toBe("start"));
    const period = { from: "2026-11-01T00:00:00.000Z", to: "2026-11-30T23:59:59.000Z" };
    worker.send({ kind: "parsed", fileKind: "payments_export", period, rows: 12345, sha256: "0".repeat(64) });
    expect(await screen.findByText("Read 12,345 rows · reading the database records for this period…")).toBeInTheDocument();
    await waitFor(() => expect(worker.posted.at(-1)?.kind).toBe("records"));
    worker.send({ kind: "progress", progress: { bytesRead: 10, totalBytes: 10, rows: 12345, phase: "matching" } });
    expect(await screen.findByText("Matching 12,345 rows against the database…")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByText("Reconciling big.csv")).not.toBeInTheDocument());
  }, 60_000);

  it("a pull says it is waiting for Stripe, and Cancel ends it at once, aborting the request", async () => {
    signInAs("finance");
    const { rpcCalls } = renderConsole("/reconciliation", { rowsFor: () => ({ reconciliation_runs: [] }) });
    await screen.findByText("Drop a Stripe CSV here, or click to choose one");
    // The function never answers on its own; the request's signal is what ends it.
    let pullSignal: AbortSignal | null = null;
    const answering = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname !== "/functions/v1/stripe-reconcile-pull") return answering(input, init);
      pullSignal = init?.signal ?? (input instanceof Request ? input.signal : null);
      return new Promise<Response>((_, reject) => pullSignal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    });
    const [start, end] = screen.getAllByPlaceholderText(/date/i);
    for (const [input, value] of [
      [start!, "2026-11-01"],
      [end!, "2026-11-20"],
    ] as const) {
      fireEvent.mouseDown(input);
      fireEvent.focus(input);
      fireEvent.change(input, { target: { value } });
      fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13 });
    }
    const pull = screen.getByRole("button", { name: /Pull from Stripe/ });
    await waitFor(() => expect(pull).toBeEnabled());
    fireEvent.click(pull);
    expect(await screen.findByText("Pulling balance transactions from Stripe…")).toBeInTheDocument();
    await waitFor(() => expect(pullSignal).not.toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByText(/^Reconciling Stripe balance transactions/)).not.toBeInTheDocument());
    expect(pullSignal!.aborted).toBe(true);
    expect(screen.queryByText(/failed/)).not.toBeInTheDocument();
    expect(rpcCalls).toEqual([]);
  }, 60_000);

  it("the auditor reads saved runs and a run's discrepancies, and cannot run one", async () => {
    signInAs("auditor");
    const run = {
      id: RUN_ID, created_by: FINANCE.id, created_at: "2026-11-26T10:00:00Z", source: "upload", file_kind: "balance_report", file_name: "nov.csv",
      file_sha256: "ab".repeat(32), file_rows: 120, period_from: "2026-11-01T00:00:00Z", period_to: "2026-11-25T00:00:00Z",
      counts: { matched: 118, amount_mismatch: 1, status_mismatch: 0, refund_mismatch: 0, missing_in_database: 1, missing_in_stripe: 0 },
      totals: [{ currency: "thb", category: "charge", stripe_count: 119, stripe_amount: 100000, database_count: 118, database_amount: 99900 }],
    };
    const discrepancies = [
      { run_id: RUN_ID, seq: 1, kind: "amount_mismatch", stripe_id: "ch_A", payment_id: null, refund_id: null, currency: "thb", stripe_amount: 29900, database_amount: 29800, stripe_status: "succeeded", database_status: "succeeded", line: 7, detail: "Stripe charged 299.00 THB, the database records 298.00 THB." },
      { run_id: RUN_ID, seq: 2, kind: "missing_in_database", stripe_id: "ch_B", payment_id: null, refund_id: null, currency: "thb", stripe_amount: 100, database_amount: null, stripe_status: "succeeded", database_status: null, line: 9, detail: "Charge ch_B is in Stripe but not in the database." },
    ];
    renderConsole("/reconciliation", {
      rowsFor: () => ({ reconciliation_runs: [run], reconciliation_discrepancies: discrepancies, staff_members: [{ id: FINANCE.id, display_name: FINANCE.display_name }] }),
    });
    const table = await screen.findByRole("table", { name: "Saved runs" });
    expect(screen.queryByRole("tab", { name: "Reconcile" })).not.toBeInTheDocument();
    expect(await within(table).findByText("nov.csv")).toBeInTheDocument();
    expect(within(table).getByText("abababababab")).toBeInTheDocument();
    expect(await within(table).findByText(FINANCE.display_name)).toBeInTheDocument();
    fireEvent.click(within(table).getByRole("link"));
    const detail = await screen.findByRole("table", { name: "Discrepancies" });
    expect(within(detail).getByText("ch_A")).toBeInTheDocument();
    expect(within(detail).getByText("299.00 THB")).toBeInTheDocument();
    expect(within(detail).getByText("ch_B")).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "In Stripe, not in the database (1)" })).toBeInTheDocument();
  }, 60_000);
});
