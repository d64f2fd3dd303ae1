/**
 * Read + validate + match in one call (what the worker runs, and what tests and the bench call directly).
 * Nothing is saved here: an invalid file answers its issues and stops before the database is asked anything.
 */
import { reconcile } from "./match";
import { abortError, readStripeFile, type ReadOptions } from "./parse";
import { sha256OfBlob } from "../../lib/sha256";
import type { DatabaseRecord, FileKind, InvalidFile, ParsedRows, Period, ReconciliationResult } from "./types";

export type ReconcileFileOutcome =
  | { ok: true; fileKind: FileKind; rows: number; sha256: string; result: ReconciliationResult }
  | { ok: false; invalid: InvalidFile; sha256: string };

export type FetchRecords = (period: Period) => Promise<DatabaseRecord[]>;

export interface ReconcileFileOptions extends ReadOptions {
  /** Called once the file is known valid, before the database is asked. */
  onParsed?: (info: { fileKind: FileKind; period: Period; rows: number; sha256: string }) => void;
}

export async function reconcileFile(file: Blob, fetchRecords: FetchRecords, options: ReconcileFileOptions = {}): Promise<ReconcileFileOutcome> {
  const { onParsed, ...readOptions } = options;
  const [read, sha256] = await Promise.all([readStripeFile(file, readOptions), sha256OfBlob(file)]);
  if (!read.ok) return { ok: false, invalid: read.invalid, sha256 };
  onParsed?.({ fileKind: read.parsed.kind, period: read.period, rows: read.rows, sha256 });
  const records = await fetchRecords(read.period);
  if (options.signal?.aborted) throw abortError();
  options.onProgress?.({ bytesRead: file.size, totalBytes: file.size, rows: read.rows, phase: "matching" });
  return { ok: true, fileKind: read.parsed.kind, rows: read.rows, sha256, result: matchParsed(read.parsed, read.period, records) };
}

export function matchParsed(parsed: ParsedRows, period: Period, records: readonly DatabaseRecord[]): ReconciliationResult {
  return reconcile(parsed, records, { period, periodEndInclusive: true });
}
