/**
 * Read + validate + match in one call (what the worker runs, and what tests and the bench call directly).
 * Nothing is saved here: an invalid file answers its issues and stops before the database is asked anything.
 */
import { reconcile } from "./match";
import { readStripeFile, type ReadOptions } from "./parse";
import { sha256OfBlob } from "./sha256";
import type { DatabaseRecord, FileKind, InvalidFile, ParsedRows, Period, ReconciliationResult } from "./types";

export type ReconcileFileOutcome =
  | { ok: true; fileKind: FileKind; rows: number; sha256: string; result: ReconciliationResult }
  | { ok: false; invalid: InvalidFile; sha256: string };

export type FetchRecords = (period: Period) => Promise<DatabaseRecord[]>;

export async function reconcileFile(file: Blob, fetchRecords: FetchRecords, options: ReadOptions = {}): Promise<ReconcileFileOutcome> {
  const [read, sha256] = await Promise.all([readStripeFile(file, options), sha256OfBlob(file)]);
  if (!read.ok) return { ok: false, invalid: read.invalid, sha256 };
  const records = await fetchRecords(read.period);
  return { ok: true, fileKind: read.parsed.kind, rows: read.rows, sha256, result: matchParsed(read.parsed, read.period, records) };
}

export function matchParsed(parsed: ParsedRows, period: Period, records: readonly DatabaseRecord[]): ReconciliationResult {
  return reconcile(parsed, records, { period, periodEndInclusive: true });
}
