/**
 * Messages between the page and the reconciliation worker, and the worker-side handler as a plain function
 * (tested and used in-thread without a real Worker). The worker keeps the parsed rows; the page fetches the
 * database records for the file's period (it holds the session) and sends them back for matching.
 */
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/reconciliation";
import { oneJobWorkerHandler, type WorkerFailure } from "../../lib/workerRunner";
import { reconcileFile } from "./pipeline";
import type { DatabaseRecord, FileKind, InvalidFile, ParseProgress, Period, ReconciliationResult } from "./types";

export type ToWorker = { kind: "start"; file: Blob; chunkBytes?: number } | { kind: "records"; records: DatabaseRecord[] } | { kind: "cancel" };

export type FromWorker =
  | { kind: "progress"; progress: ParseProgress }
  | { kind: "parsed"; fileKind: FileKind; period: Period; rows: number; sha256: string }
  | { kind: "invalid"; invalid: InvalidFile; sha256: string }
  | { kind: "done"; result: ReconciliationResult }
  | WorkerFailure;

/** The worker's onmessage: one file per worker; `post` is the worker's postMessage. */
export function createReconcileWorkerHandler(post: (message: FromWorker) => void): (message: ToWorker) => void {
  let waiting: ((records: DatabaseRecord[]) => void) | null = null;
  return oneJobWorkerHandler<ToWorker, FromWorker>(post, {
    busy: t("reconciliation.errors.workerBusy"),
    onMessage: (message) => {
      waiting?.(message.records);
      waiting = null;
    },
    run: async (start, signal) => {
      const outcome = await reconcileFile(
        start.file,
        // The page holds the session: it reads the records for the period and sends them back.
        () => new Promise<DatabaseRecord[]>((resolve) => (waiting = resolve)),
        {
          signal,
          onProgress: (progress) => post({ kind: "progress", progress }),
          onParsed: (info) => post({ kind: "parsed", ...info }),
          ...(start.chunkBytes ? { chunkBytes: start.chunkBytes } : {}),
        },
      );
      return outcome.ok ? { kind: "done", result: outcome.result } : { kind: "invalid", invalid: outcome.invalid, sha256: outcome.sha256 };
    },
  });
}
