/**
 * The page's side of the reconciliation worker: start, forward progress, fetch the database records for the
 * file's period when the worker asks, cancel. Without Worker support (jsdom tests) the same handler runs in
 * this thread behind the same interface.
 */
import { inThreadWorker, runProgressWorkerJob, type WorkerLike } from "../../lib/workerRunner";
import { abortError } from "./parse";
import type { FetchRecords, ReconcileFileOutcome } from "./pipeline";
import type { FileKind, ParseProgress, Period } from "./types";
import { createReconcileWorkerHandler, type FromWorker, type ToWorker } from "./workerProtocol";

export type ReconcileWorkerLike = WorkerLike<ToWorker, FromWorker>;

export interface ReconcileInWorkerOptions {
  file: Blob;
  fetchRecords: FetchRecords;
  signal?: AbortSignal;
  onProgress?: (progress: ParseProgress) => void;
  /** Called once the file is known valid, before the database is asked. */
  onParsed?: (info: { fileKind: FileKind; period: Period; rows: number; sha256: string }) => void;
  createWorker?: () => ReconcileWorkerLike;
  chunkBytes?: number;
}

const createModuleWorker = (): ReconcileWorkerLike =>
  typeof Worker === "undefined"
    ? inThreadWorker(createReconcileWorkerHandler, { kind: "cancel" })
    : (new Worker(new URL("./reconcile.worker.ts", import.meta.url), { type: "module" }) as unknown as ReconcileWorkerLike);

export function reconcileFileInWorker(options: ReconcileInWorkerOptions): Promise<ReconcileFileOutcome> {
  let sha256 = "";
  let parsed: { fileKind: FileKind; rows: number } | null = null;
  return runProgressWorkerJob<ToWorker, FromWorker, ReconcileFileOutcome>({
    name: "reconciliation",
    createWorker: options.createWorker ?? createModuleWorker,
    start: { kind: "start", file: options.file, ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}) },
    signal: options.signal,
    abortError,
    onProgress: options.onProgress,
    onMessage: (message, job) => {
      switch (message.kind) {
        case "parsed":
          sha256 = message.sha256;
          parsed = { fileKind: message.fileKind, rows: message.rows };
          options.onParsed?.(message);
          options.fetchRecords(message.period).then(
            (records) => job.post({ kind: "records", records }),
            (err: unknown) => job.fail(err instanceof Error ? err : new Error(String(err))),
          );
          return;
        case "invalid":
          job.done({ ok: false, invalid: message.invalid, sha256: message.sha256 });
          return;
        case "done":
          job.done({ ok: true, fileKind: parsed!.fileKind, rows: parsed!.rows, sha256, result: message.result });
          return;
      }
    },
  });
}
