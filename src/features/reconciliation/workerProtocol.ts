/**
 * Messages between the page and the reconciliation worker, and the worker-side handler as a plain function
 * (tested and used in-thread without a real Worker). The worker keeps the parsed rows; the page fetches the
 * database records for the file's period (it holds the session) and sends them back for matching.
 */
import { matchParsed } from "./pipeline";
import { abortError, readStripeFile } from "./parse";
import { sha256OfBlob } from "./sha256";
import type { DatabaseRecord, FileKind, InvalidFile, ParseProgress, Period, ReconciliationResult } from "./types";

export type ToWorker = { kind: "start"; file: Blob; chunkBytes?: number } | { kind: "records"; records: DatabaseRecord[] } | { kind: "cancel" };

export type FromWorker =
  | { kind: "progress"; progress: ParseProgress }
  | { kind: "parsed"; fileKind: FileKind; period: Period; rows: number; sha256: string }
  | { kind: "invalid"; invalid: InvalidFile; sha256: string }
  | { kind: "done"; result: ReconciliationResult }
  | { kind: "error"; name: string; message: string };

/** The worker's onmessage: one file per worker; `post` is the worker's postMessage. */
export function createReconcileWorkerHandler(post: (message: FromWorker) => void): (message: ToWorker) => void {
  const controller = new AbortController();
  let started = false;
  let waiting: ((records: DatabaseRecord[]) => void) | null = null;
  const fail = (err: unknown) => {
    const error = err as { name?: string; message?: string };
    post({ kind: "error", name: error.name ?? "Error", message: error.message ?? String(err) });
  };
  return (message) => {
    if (message.kind === "cancel") {
      controller.abort();
      return;
    }
    if (message.kind === "records") {
      waiting?.(message.records);
      waiting = null;
      return;
    }
    if (started) {
      post({ kind: "error", name: "Error", message: "This reconciliation worker is already reading a file" });
      return;
    }
    started = true;
    void (async () => {
      try {
        const { signal } = controller;
        const [read, sha256] = await Promise.all([
          readStripeFile(message.file, { signal, onProgress: (progress) => post({ kind: "progress", progress }), ...(message.chunkBytes ? { chunkBytes: message.chunkBytes } : {}) }),
          sha256OfBlob(message.file),
        ]);
        if (!read.ok) {
          post({ kind: "invalid", invalid: read.invalid, sha256 });
          return;
        }
        const records = await new Promise<DatabaseRecord[]>((resolve) => {
          waiting = resolve;
          post({ kind: "parsed", fileKind: read.parsed.kind, period: read.period, rows: read.rows, sha256 });
        });
        if (signal.aborted) throw abortError();
        post({ kind: "progress", progress: { bytesRead: message.file.size, totalBytes: message.file.size, rows: read.rows, phase: "matching" } });
        post({ kind: "done", result: matchParsed(read.parsed, read.period, records) });
      } catch (err) {
        fail(err);
      }
    })();
  };
}
