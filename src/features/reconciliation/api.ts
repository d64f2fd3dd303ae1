/** The reconciliation page's calls: the database side of matching, saving runs, reading runs, pulling from Stripe. */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { BalanceReportRow, DatabaseRecord, Discrepancy, Period, ReconciliationResult, RunCounts, RunFileKind, RunPayload, RunSource, TotalsRow } from "./types";

export class ReconciliationError extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
    this.name = "ReconciliationError";
  }
}

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

/**
 * The database records for a period. Files give an inclusive last time, so the range asked ends one second
 * later (the matcher keeps to the exact period).
 */
export async function fetchReconciliationRecords(client: SupabaseClient, period: Period, endInclusive: boolean): Promise<DatabaseRecord[]> {
  return readRecordsInWindows(Date.parse(period.from), Date.parse(period.to) + (endInclusive ? 1000 : 0), async (p_from, p_to) => {
    const { data, error } = await client.rpc("reconciliation_records", { p_from, p_to });
    if (error) throw new ReconciliationError(error.message || "The database records could not be read", error.code ?? null);
    return (data ?? []) as RawDatabaseRecord[];
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

export async function saveRun(client: SupabaseClient, payload: RunPayload, discrepancies: readonly Discrepancy[]): Promise<SavedRun> {
  const { data, error } = await client.rpc("record_reconciliation_run", {
    p_run: payload,
    p_discrepancies: discrepancies.map((d) => ({ ...d, detail: d.detail.slice(0, 2000), stripe_id: d.stripe_id?.slice(0, 255) ?? null })),
  });
  if (error) throw new ReconciliationError(error.message || "The run could not be saved", error.code ?? null);
  return data as SavedRun;
}

export async function listRuns(client: SupabaseClient, limit = 100): Promise<SavedRun[]> {
  const { data, error } = await client.from("reconciliation_runs").select("*").order("created_at", { ascending: false }).limit(limit);
  if (error) throw new ReconciliationError(error.message || "The runs could not be read", error.code ?? null);
  return (data ?? []) as SavedRun[];
}

export async function getRun(client: SupabaseClient, id: string): Promise<{ run: SavedRun; discrepancies: Discrepancy[] }> {
  const [{ data: runs, error }, { data: rows, error: rowsError }] = await Promise.all([
    client.from("reconciliation_runs").select("*").eq("id", id).limit(1),
    client.from("reconciliation_discrepancies").select("*").eq("run_id", id).order("seq", { ascending: true }),
  ]);
  const failure = error ?? rowsError;
  if (failure) throw new ReconciliationError(failure.message || "The run could not be read", failure.code ?? null);
  const run = (runs ?? [])[0] as SavedRun | undefined;
  if (!run) throw new ReconciliationError("This run does not exist (or is not visible to your role).", "PT404");
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

/** Names of staff members, where the caller may read them (finance reads only its own row: others stay ids). */
export async function staffNames(client: SupabaseClient, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { data } = await client.from("staff_members").select("id,display_name").in("id", [...new Set(ids)]);
  return new Map(((data ?? []) as { id: string; display_name: string }[]).map((r) => [r.id, r.display_name]));
}

/** Balance transactions for [from, to) through the stripe-reconcile-pull function (finance only). */
export async function pullFromStripe(client: SupabaseClient, from: string, to: string, signal?: AbortSignal): Promise<BalanceReportRow[]> {
  const { data, error } = await client.functions.invoke<{ rows: BalanceReportRow[] }>("stripe-reconcile-pull", { body: { from, to }, ...(signal ? { signal } : {}) });
  if (error) {
    let message = error.message || "The pull from Stripe failed";
    let code: string | null = null;
    const context = (error as { context?: unknown }).context;
    if (context instanceof Response) {
      const body = (await context.json().catch(() => null)) as { code?: string; message?: string } | null;
      if (body?.message) message = body.message;
      code = body?.code ?? String(context.status);
    }
    throw new ReconciliationError(message, code);
  }
  return data?.rows ?? [];
}
