/**
 * Messages between the page and the export worker, and the worker-side handler as a plain function
 * (so it is tested without a real Worker). The page keeps the Supabase session: the worker asks it for
 * a fresh access token whenever supabase-js needs one, because Clerk tokens live about a minute and a
 * heavy export takes longer.
 */
import { oneJobWorkerHandler, type WorkerFailure } from "../../../lib/workerRunner";
import { t } from "../../../i18n/provider";
import "../../../i18n/messages/en/dsarExport";
import { buildSubjectExport } from "./buildSubjectExport";
import type { ExportManifest, ExportProgress, ExportRequestInfo, ExportSubject, FetchCategory } from "./types";

export interface StartExportMessage {
  kind: "start";
  supabaseUrl: string;
  supabaseAnonKey: string;
  subject: ExportSubject;
  request: ExportRequestInfo;
  /** ISO time the retention windows are measured from. */
  now?: string;
  pageSize?: number;
}

export type ToWorker = StartExportMessage | { kind: "cancel" } | { kind: "token"; id: number; token: string | null };

export type FromWorker =
  | { kind: "progress"; progress: ExportProgress }
  | { kind: "token-request"; id: number }
  | { kind: "done"; zip: Blob; manifest: ExportManifest; manifestSha256: string }
  | WorkerFailure;

/** Builds the fetcher inside the worker; `getAccessToken` asks the page. */
export type WorkerFetcherFactory = (start: StartExportMessage, getAccessToken: () => Promise<string | null>) => FetchCategory | Promise<FetchCategory>;

/** The worker's onmessage: one export per worker; `post` is the worker's postMessage. */
export function createExportWorkerHandler(post: (message: FromWorker) => void, makeFetcher: WorkerFetcherFactory): (message: ToWorker) => void {
  const pendingTokens = new Map<number, (token: string | null) => void>();
  let nextTokenId = 1;

  const getAccessToken = (): Promise<string | null> =>
    new Promise((resolve) => {
      const id = nextTokenId++;
      pendingTokens.set(id, resolve);
      post({ kind: "token-request", id });
    });

  return oneJobWorkerHandler<ToWorker, FromWorker>(post, {
    busy: t("dsarExport.errors.alreadyRunning"),
    onCancel: () => {
      for (const resolve of pendingTokens.values()) resolve(null);
      pendingTokens.clear();
    },
    onMessage: (message) => {
      pendingTokens.get(message.id)?.(message.token);
      pendingTokens.delete(message.id);
    },
    run: async (start, signal) => {
      const fetchCategory = await makeFetcher(start, getAccessToken);
      const result = await buildSubjectExport({
        fetchCategory,
        subject: start.subject,
        request: start.request,
        signal,
        output: "blob",
        ...(start.pageSize ? { pageSize: start.pageSize } : {}),
        onProgress: (progress) => post({ kind: "progress", progress }),
      });
      return { kind: "done", zip: result.zip, manifest: result.manifest, manifestSha256: result.manifestSha256 };
    },
  });
}
