/**
 * The page's side of the export worker: start, forward progress, answer token requests, cancel.
 * Resolves with the ZIP as a Blob; rejects with an AbortError when cancelled (the worker is terminated,
 * so everything it held is released) or with the worker's error.
 */
import { abortError } from "./buildSubjectExport";
import type { ExportProgress, ExportRequestInfo, ExportSubject, SubjectExport } from "./types";
import type { FromWorker, ToWorker } from "./workerProtocol";

export interface ExportWorkerLike {
  postMessage(message: ToWorker): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface RunExportInWorkerOptions {
  supabaseUrl: string;
  supabaseAnonKey: string;
  /** The page's current session token (Clerk or embedded), asked for again whenever the worker needs one. */
  getAccessToken: () => Promise<string | null>;
  subject: ExportSubject;
  request: ExportRequestInfo;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /** Tests pass a fake; the default is the real module worker. */
  createWorker?: () => ExportWorkerLike;
}

const createModuleWorker = (): ExportWorkerLike =>
  new Worker(new URL("./exportWorker.ts", import.meta.url), { type: "module" }) as unknown as ExportWorkerLike;

export function runExportInWorker(options: RunExportInWorkerOptions): Promise<SubjectExport<Blob>> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortError());
  const worker = (options.createWorker ?? createModuleWorker)();
  return new Promise((resolve, reject) => {
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
      reject(new Error(`The export worker failed: ${event.message || "unknown error"}`));
    };
    worker.onmessage = ({ data }) => {
      switch (data.kind) {
        case "progress":
          options.onProgress?.(data.progress);
          return;
        case "token-request":
          options.getAccessToken().then(
            (token) => worker.postMessage({ kind: "token", id: data.id, token }),
            () => worker.postMessage({ kind: "token", id: data.id, token: null }),
          );
          return;
        case "done":
          finish();
          resolve({ zip: data.zip, manifest: data.manifest, manifestSha256: data.manifestSha256 });
          return;
        case "error": {
          finish();
          const error = data.name === "AbortError" ? abortError() : new Error(data.message);
          reject(error);
          return;
        }
      }
    };
    worker.postMessage({
      kind: "start",
      supabaseUrl: options.supabaseUrl,
      supabaseAnonKey: options.supabaseAnonKey,
      subject: options.subject,
      request: options.request,
    });
  });
}
