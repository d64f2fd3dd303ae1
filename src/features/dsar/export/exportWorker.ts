/**
 * Web Worker entry: builds the export off the main thread so a heavy subject never freezes the page.
 * Started by runExportInWorker (exportClient.ts); supabase-js, jszip and papaparse load only here.
 */
import { createClient } from "@supabase/supabase-js";
import { createSupabaseCategoryFetcher } from "./supabaseFetcher";
import { createExportWorkerHandler, type FromWorker, type ToWorker } from "./workerProtocol";

// The project's lib is DOM; only postMessage/onmessage of the worker scope are used.
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const handle = createExportWorkerHandler(
  (message) => scope.postMessage(message),
  (start, getAccessToken) => {
    const client = createClient(start.supabaseUrl, start.supabaseAnonKey, {
      accessToken: async () => (await getAccessToken()) ?? "",
      auth: { persistSession: false, autoRefreshToken: false },
    });
    return createSupabaseCategoryFetcher(client, start.subject.customerId, start.now ? { now: new Date(start.now) } : {});
  },
);

scope.onmessage = (event) => handle(event.data);
