/**
 * Web Worker entry: reads, validates and matches a Stripe file off the main thread, so a 200,000-row file
 * never freezes the page. Started by reconcileFileInWorker (client.ts); papaparse loads only here and in the page's chunk.
 */
import { createReconcileWorkerHandler, type FromWorker, type ToWorker } from "./workerProtocol";

// The project's lib is DOM; only postMessage/onmessage of the worker scope are used.
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const handle = createReconcileWorkerHandler((message) => scope.postMessage(message));
scope.onmessage = (event) => handle(event.data);
