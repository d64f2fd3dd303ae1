/**
 * The page's side of a Web Worker job, for every worker the console runs (DSAR export, reconciliation): start it,
 * pass its messages on, cancel it with the page's AbortSignal, and settle once. Whatever way the job ends, the
 * worker is terminated, so everything it held is released.
 */
import { t } from "../i18n/provider";

/** What the page needs of a Worker: a real module worker, the in-thread stand-in below, or a test's fake. */
export interface WorkerLike<In, Out> {
  postMessage(message: In): void;
  onmessage: ((event: MessageEvent<Out>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** A worker's report that its job failed: an Error's name and message (an Error itself does not cross threads). */
export interface WorkerFailure {
  kind: "error";
  name: string;
  message: string;
}

/** The failure message a worker posts for anything its job threw. */
export function workerFailure(err: unknown): WorkerFailure {
  const error = err as { name?: string; message?: string } | null;
  return { kind: "error", name: error?.name ?? "Error", message: error?.message ?? String(err) };
}

/** How a job answers the worker and ends. */
export interface WorkerJobControl<In, R> {
  post(message: In): void;
  done(result: R): void;
  fail(error: Error): void;
}

export interface WorkerJob<In, Out, R> {
  /** Names the job in "The <name> worker failed: …". */
  name: string;
  createWorker: () => WorkerLike<In, Out>;
  start: In;
  /** Sent before the worker is terminated on abort, so it stops at once. */
  cancel: In;
  signal?: AbortSignal;
  /** The job's own AbortError (its message says what was cancelled). */
  abortError: () => Error;
  /** Every message but a failure (which rejects the job by itself). */
  onMessage(message: Exclude<Out, WorkerFailure>, control: WorkerJobControl<In, R>): void;
}

const isFailure = (message: { kind: string }): message is WorkerFailure => message.kind === "error";

export function runWorkerJob<In, Out extends { kind: string }, R>(job: WorkerJob<In, Out, R>): Promise<R> {
  const { signal } = job;
  if (signal?.aborted) return Promise.reject(job.abortError());
  const worker = job.createWorker();
  return new Promise<R>((resolve, reject) => {
    const finish = (): void => {
      signal?.removeEventListener("abort", onAbort);
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
    };
    const onAbort = (): void => {
      worker.postMessage(job.cancel);
      finish();
      reject(job.abortError());
    };
    const control: WorkerJobControl<In, R> = {
      post: (message) => worker.postMessage(message),
      done: (result) => {
        finish();
        resolve(result);
      },
      fail: (error) => {
        finish();
        reject(error);
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onerror = (event) => control.fail(new Error(t("common.errors.workerFailed", { name: job.name, reason: event.message || t("common.errors.unknownError") })));
    worker.onmessage = ({ data }) => {
      if (isFailure(data)) control.fail(data.name === "AbortError" ? job.abortError() : new Error(data.message));
      else job.onMessage(data as Exclude<Out, WorkerFailure>, control);
    };
    worker.postMessage(job.start);
  });
}

/**
 * A worker's handler run in this thread behind the same interface (jsdom has no Worker): messages are delivered
 * asynchronously both ways, as a worker's would be, and terminating sends `cancel` to the handler first.
 */
export function inThreadWorker<In, Out>(createHandler: (post: (message: Out) => void) => (message: In) => void, cancel: In): WorkerLike<In, Out> {
  let terminated = false;
  const worker: WorkerLike<In, Out> = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => {
      setTimeout(() => {
        if (!terminated) handle(message);
      }, 0);
    },
    terminate: () => {
      if (!terminated) handle(cancel);
      terminated = true;
    },
  };
  const handle = createHandler((data) => {
    setTimeout(() => {
      if (!terminated) worker.onmessage?.({ data } as MessageEvent<Out>);
    }, 0);
  });
  return worker;
}
