/** The reconciliation page's calls: the database side of matching, saving runs, reading runs, pulling from Stripe. */
import type { SupabaseClient } from "@supabase/supabase-js";
import { MAX_ROWS, readAllRows, type OrderKey } from "../../lib/readAll";
import { invokeFunction, rpcCaller, RpcError, toRpcError, type CallFailure, type ErrorWording, type PostgrestAnswer } from "../../lib/rpc";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/reconciliation";
import type { BalanceReportRow, DatabaseRecord, Discrepancy, Period, ReconciliationResult, RunCounts, RunFileKind, RunPayload, RunSource, TotalsRow } from "./types";

/** The page shows the database's (or the function's) own message; these say what failed when it gave none. */
const saying = (fallback: () => string): ErrorWording => ({ otherwise: (failure: CallFailure) => failure.message || fallback() });
const RECORDS_WORDING = saying(() => t("reconciliation.errors.records"));
const SAVE_WORDING = saying(() => t("reconciliation.errors.save"));
const PULL_WORDING = saying(() => t("reconciliation.errors.pull"));

/** reconciliation_records takes at most 400 days: longer periods are read in windows. */
const WINDOW_MS = 365 * 86_400_000;

/** A row as reconciliation_records returns it (numeric columns may come as strings). */
export type RawDatabaseRecord = Omit<DatabaseRecord, "amount" | "amount_refunded"> & { amount: number | string; amount_refunded: number | string | null };

/**
 * Reads [from, to) through `readWindow` in windows reconciliation_records accepts; windows never overlap, and a refund
 * touched in two windows (requested in one, sent to Stripe in the next) is kept once. Shared with the tests' database.
 */
export async function readRecordsInWindows(
  from: number,
  to: number,
  readWindow: (from: string, to: string) => Promise<readonly RawDatabaseRecord[]>,
): Promise<DatabaseRecord[]> {
  const out: DatabaseRecord[] = [];
  const seen = new Set<string>();
  for (let start = from; start < to; start += WINDOW_MS) {
    const end = Math.min(to, start + WINDOW_MS);
    for (const row of await readWindow(new Date(start).toISOString(), new Date(end).toISOString())) {
      const key = `${row.record_type}:${row.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...row, amount: Number(row.amount), amount_refunded: row.amount_refunded === null ? null : Number(row.amount_refunded) });
    }
  }
  return out;
}

/** The function's own order, made total: a payment and a refund never share an id, but the pair is the key. */
const RECORD_ORDER: [OrderKey, ...OrderKey[]] = [
  { column: "created_at", ascending: true },
  { column: "id", ascending: true },
  { column: "record_type", ascending: true },
];

/** Microseconds since the epoch of a timestamp as PostgREST writes it (Date.parse stops at milliseconds). */
const micros = (iso: string): number => Date.parse(iso) * 1000 + Number(`${/\.(\d+)/.exec(iso)?.[1] ?? ""}000000`.slice(3, 6));
const inRecordOrder = (a: RawDatabaseRecord, b: RawDatabaseRecord): number =>
  micros(a.created_at) - micros(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.record_type.localeCompare(b.record_type);

/**
 * The database records for a period. Files give an inclusive last time, so the range asked ends one second
 * later (the matcher keeps to the exact period).
 *
 * Every page of a set-returning function costs the whole function, so paging a busy window is slow (a year of 52,000
 * records: 10 s). Each window's records are counted first (a HEAD request); one holding more than one response is read
 * as smaller windows of about half a response each, each paged all the same (1 s for that year). A record belongs to a
 * window by its own times, so the smaller windows hold exactly the window's records (a refund touched in two of them
 * twice, kept once by readRecordsInWindows); they are put back in the function's order.
 */
export async function fetchReconciliationRecords(client: SupabaseClient, period: Period, endInclusive: boolean): Promise<DatabaseRecord[]> {
  const records = (p_from: string, p_to: string, count?: { head: true; count: "exact" }) => client.rpc("reconciliation_records", { p_from, p_to }, count);
  const failed = (answer: PostgrestAnswer) => toRpcError("reconciliation_records", answer, RECORDS_WORDING);
  return readRecordsInWindows(Date.parse(period.from), Date.parse(period.to) + (endInclusive ? 1000 : 0), async (from, to) => {
    const { count, error, status } = await records(from, to, { head: true, count: "exact" });
    if (error) throw failed({ error, status });
    const start = Date.parse(from);
    const end = Date.parse(to);
    const parts = count !== null && count > MAX_ROWS ? Math.ceil(count / (MAX_ROWS / 2)) : 1;
    const step = Math.ceil((end - start) / parts);
    const rows: RawDatabaseRecord[] = [];
    for (let partStart = start; partStart < end; partStart += step) {
      const partEnd = new Date(Math.min(end, partStart + step)).toISOString();
      const part = await readAllRows<RawDatabaseRecord>(() => records(new Date(partStart).toISOString(), partEnd), RECORD_ORDER);
      if (part.error) throw failed({ error: part.error });
      for (const row of part.data) rows.push(row);
    }
    return parts > 1 ? rows.sort(inRecordOrder) : rows;
  });
}

export interface SavedRun {
  id: string;
  created_by: string;
  created_at: string;
  source: RunSource;
  file_kind: RunFileKind;
  file_name: string | null;
  file_sha256: string | null;
  file_rows: number;
  period_from: string | null;
  period_to: string | null;
  counts: RunCounts;
  totals: TotalsRow[];
}

export function runPayload(
  result: ReconciliationResult,
  file: { source: RunSource; name: string | null; sha256: string | null; rows: number },
): RunPayload {
  return {
    source: file.source,
    file_kind: result.fileKind,
    file_name: file.name ? file.name.slice(0, 255) : null,
    file_sha256: file.sha256,
    file_rows: file.rows,
    period_from: result.period.from,
    period_to: result.period.to,
    counts: result.counts,
    totals: result.totals,
  };
}

/** The functions the page calls whole (reconciliation_records is paged above); hand-typed until the generated Database type lands. */
type ReconciliationFunctions = {
  record_reconciliation_run: { Args: { p_run: RunPayload; p_discrepancies: Discrepancy[] }; Returns: SavedRun };
};

const callReconciliation = rpcCaller<ReconciliationFunctions>(SAVE_WORDING);

export function saveRun(client: SupabaseClient, payload: RunPayload, discrepancies: readonly Discrepancy[]): Promise<SavedRun> {
  return callReconciliation(client, "record_reconciliation_run", {
    p_run: payload,
    p_discrepancies: discrepancies.map((d) => ({ ...d, detail: d.detail.slice(0, 2000), stripe_id: d.stripe_id?.slice(0, 255) ?? null })),
  });
}

export async function listRuns(client: SupabaseClient, limit = 100): Promise<SavedRun[]> {
  const { data, error, status } = await client.from("reconciliation_runs").select("*").order("created_at", { ascending: false }).limit(limit);
  if (error) throw toRpcError("reconciliation_runs", { error, status }, saying(() => t("reconciliation.errors.runs")));
  return (data ?? []) as SavedRun[];
}

export async function getRun(client: SupabaseClient, id: string): Promise<{ run: SavedRun; discrepancies: Discrepancy[] }> {
  const [{ data: runs, error, status }, { data: rows, error: rowsError }] = await Promise.all([
    client.from("reconciliation_runs").select("*").eq("id", id).limit(1),
    readAllRows(() => client.from("reconciliation_discrepancies").select("*").eq("run_id", id), [{ column: "seq", ascending: true }]),
  ]);
  if (error || rowsError) throw toRpcError("reconciliation_runs", error ? { error, status } : { error: rowsError }, saying(() => t("reconciliation.errors.run")));
  const run = (runs ?? [])[0] as SavedRun | undefined;
  if (!run) throw new RpcError(t("reconciliation.errors.noSuchRun"), { fn: "reconciliation_runs", code: "PT404" });
  const discrepancies = ((rows ?? []) as (Discrepancy & { stripe_amount: number | string | null; database_amount: number | string | null })[]).map((d) => ({
    kind: d.kind,
    stripe_id: d.stripe_id,
    payment_id: d.payment_id,
    refund_id: d.refund_id,
    currency: d.currency,
    stripe_amount: d.stripe_amount === null ? null : Number(d.stripe_amount),
    database_amount: d.database_amount === null ? null : Number(d.database_amount),
    stripe_status: d.stripe_status,
    database_status: d.database_status,
    line: d.line,
    detail: d.detail,
  }));
  return { run, discrepancies };
}

/** Balance transactions for [from, to) through the stripe-reconcile-pull function (finance only). */
export async function pullFromStripe(client: SupabaseClient, from: string, to: string, signal?: AbortSignal): Promise<BalanceReportRow[]> {
  const data = await invokeFunction<{ rows: BalanceReportRow[] }>(client, "stripe-reconcile-pull", { body: { from, to }, ...(signal ? { signal } : {}) }, PULL_WORDING);
  return data?.rows ?? [];
}
