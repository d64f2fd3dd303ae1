/**
 * The page's side of the export worker: start, forward progress, answer token requests, cancel.
 * Resolves with the ZIP as a Blob; rejects with an AbortError when cancelled (the worker is terminated,
 * so everything it held is released) or with the worker's error.
 */
import { runProgressWorkerJob, type WorkerLike } from "../../../lib/workerRunner";
import { abortError } from "./buildSubjectExport";
import type { ExportProgress, ExportRequestInfo, ExportSubject, SubjectExport } from "./types";
import type { FromWorker, ToWorker } from "./workerProtocol";

export type ExportWorkerLike = WorkerLike<ToWorker, FromWorker>;

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
  return runProgressWorkerJob<ToWorker, FromWorker, SubjectExport<Blob>>({
    name: "export",
    createWorker: options.createWorker ?? createModuleWorker,
    start: {
      kind: "start",
      supabaseUrl: options.supabaseUrl,
      supabaseAnonKey: options.supabaseAnonKey,
      subject: options.subject,
      request: options.request,
    },
    signal: options.signal,
    abortError,
    onProgress: options.onProgress,
    onMessage: (message, job) => {
      switch (message.kind) {
        case "token-request":
          options.getAccessToken().then(
            (token) => job.post({ kind: "token", id: message.id, token }),
            () => job.post({ kind: "token", id: message.id, token: null }),
          );
          return;
        case "done":
          job.done({ zip: message.zip, manifest: message.manifest, manifestSha256: message.manifestSha256 });
          return;
      }
    },
  });
}
