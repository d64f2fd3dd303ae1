/**
 * Messages between the page and the reconciliation worker, and the worker-side handler as a plain function
 * (tested and used in-thread without a real Worker). The worker keeps the parsed rows; the page fetches the
 * database records for the file's period (it holds the session) and sends them back for matching.
 */
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/reconciliation";
import { workerFailure, type WorkerFailure } from "../../lib/workerRunner";
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
  const controller = new AbortController();
  let started = false;
  let waiting: ((records: DatabaseRecord[]) => void) | null = null;
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
      post({ kind: "error", name: "Error", message: t("reconciliation.errors.workerBusy") });
      return;
    }
    started = true;
    void (async () => {
      try {
        const outcome = await reconcileFile(
          message.file,
          // The page holds the session: it reads the records for the period and sends them back.
          () => new Promise<DatabaseRecord[]>((resolve) => (waiting = resolve)),
          {
            signal: controller.signal,
            onProgress: (progress) => post({ kind: "progress", progress }),
            onParsed: (info) => post({ kind: "parsed", ...info }),
            ...(message.chunkBytes ? { chunkBytes: message.chunkBytes } : {}),
          },
        );
        post(outcome.ok ? { kind: "done", result: outcome.result } : { kind: "invalid", invalid: outcome.invalid, sha256: outcome.sha256 });
      } catch (err) {
        post(workerFailure(err));
      }
    })();
  };
}
