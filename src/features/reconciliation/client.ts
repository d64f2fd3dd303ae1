/**
 * The page's side of the reconciliation worker: start, forward progress, fetch the database records for the
 * file's period when the worker asks, cancel. Without Worker support (jsdom tests) the same handler runs in
 * this thread behind the same interface.
 */
import { abortError } from "./parse";
import type { FetchRecords, ReconcileFileOutcome } from "./pipeline";
import type { FileKind, ParseProgress, Period } from "./types";
import { createReconcileWorkerHandler, type FromWorker, type ToWorker } from "./workerProtocol";

export interface ReconcileWorkerLike {
  postMessage(message: ToWorker): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

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

/** The handler in this thread, shaped like a Worker (messages delivered asynchronously, as a worker would). */
function createInThreadWorker(): ReconcileWorkerLike {
  let terminated = false;
  const worker: ReconcileWorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => {
      setTimeout(() => {
        if (!terminated) handle(message);
      }, 0);
    },
    terminate: () => {
      if (!terminated) handle({ kind: "cancel" });
      terminated = true;
    },
  };
  const handle = createReconcileWorkerHandler((data) => {
    setTimeout(() => {
      if (!terminated) worker.onmessage?.({ data } as MessageEvent<FromWorker>);
    }, 0);
  });
  return worker;
}

const createModuleWorker = (): ReconcileWorkerLike =>
  typeof Worker === "undefined"
    ? createInThreadWorker()
    : (new Worker(new URL("./reconcile.worker.ts", import.meta.url), { type: "module" }) as unknown as ReconcileWorkerLike);

export function reconcileFileInWorker(options: ReconcileInWorkerOptions): Promise<ReconcileFileOutcome> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortError());
  const worker = (options.createWorker ?? createModuleWorker)();
  return new Promise((resolve, reject) => {
    let sha256 = "";
    let parsed: { fileKind: FileKind; rows: number } | null = null;
    const finish = (): void => {
      signal?.removeEventListener("abort", onAbort);
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
    };
    const onAbort = (): void => {
      worker.postMessage({ kind: "cancel" });
      finish();
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onerror = (event) => {
      finish();
      reject(new Error(`The reconciliation worker failed: ${event.message || "unknown error"}`));
    };
    worker.onmessage = ({ data }) => {
      switch (data.kind) {
        case "progress":
          options.onProgress?.(data.progress);
          return;
        case "parsed":
          sha256 = data.sha256;
          parsed = { fileKind: data.fileKind, rows: data.rows };
          options.onParsed?.(data);
          options.fetchRecords(data.period).then(
            (records) => worker.postMessage({ kind: "records", records }),
            (err: unknown) => {
              finish();
              reject(err instanceof Error ? err : new Error(String(err)));
            },
          );
          return;
        case "invalid":
          finish();
          resolve({ ok: false, invalid: data.invalid, sha256: data.sha256 });
          return;
        case "done":
          finish();
          resolve({ ok: true, fileKind: parsed!.fileKind, rows: parsed!.rows, sha256, result: data.result });
          return;
        case "error":
          finish();
          reject(data.name === "AbortError" ? abortError() : new Error(data.message));
          return;
      }
    };
    worker.postMessage({ kind: "start", file: options.file, ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}) });
  });
}
