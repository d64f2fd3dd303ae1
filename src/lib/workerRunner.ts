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

/** Both console workers (DSAR export, reconciliation) stop on `{ kind: "cancel" }` and report `{ kind: "progress" }`. */
type CancelMessage = { kind: "cancel" };
type ProgressMessage = { kind: "progress"; progress: unknown };
type ProgressOf<Out> = Extract<Out, ProgressMessage> extends { progress: infer P } ? P : never;

export interface ProgressWorkerJob<In, Out, R> extends Omit<WorkerJob<In, Out, R>, "cancel" | "signal" | "onMessage"> {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ProgressOf<Out>) => void) | undefined;
  /** Every message but a failure or progress. */
  onMessage(message: Exclude<Out, WorkerFailure | ProgressMessage>, control: WorkerJobControl<In, R>): void;
}

/** runWorkerJob for a worker that follows the console's convention: cancelled by `{ kind: "cancel" }`, progress passed to `onProgress`. */
export function runProgressWorkerJob<In extends { kind: string }, Out extends { kind: string }, R>(job: ProgressWorkerJob<In, Out, R>): Promise<R> {
  const { signal, onProgress, onMessage, ...rest } = job;
  return runWorkerJob<In, Out, R>({
    ...rest,
    cancel: { kind: "cancel" } as Extract<In, CancelMessage>,
    ...(signal ? { signal } : {}),
    onMessage: (message, control) => {
      if (message.kind === "progress") onProgress?.((message as unknown as ProgressMessage).progress as ProgressOf<Out>);
      else onMessage(message as Exclude<Out, WorkerFailure | ProgressMessage>, control);
    },
  });
}

/** The worker's side of a one-job worker: how it runs its job, and what else it answers. */
export interface OneJobWorker<In extends { kind: string }, Out> {
  /** Runs the job; resolves with the last message to post. Whatever it throws is posted as a WorkerFailure. */
  run(start: Extract<In, { kind: "start" }>, signal: AbortSignal): Promise<Out>;
  /** Messages other than `start` and `cancel` (answers to the worker's questions). */
  onMessage?(message: Exclude<In, { kind: "start" } | CancelMessage>): void;
  /** After the job's signal is aborted: release whatever waits on the page. */
  onCancel?(): void;
  /** The failure a second `start` gets (one job per worker). */
  busy: string;
}

/** A worker's onmessage for one job per worker: `cancel` aborts the job, a second `start` is refused, failures are posted. */
export function oneJobWorkerHandler<In extends { kind: string }, Out>(post: (message: Out | WorkerFailure) => void, worker: OneJobWorker<In, Out>): (message: In) => void {
  const controller = new AbortController();
  let started = false;
  return (message) => {
    if (message.kind === "cancel") {
      controller.abort();
      worker.onCancel?.();
      return;
    }
    if (message.kind !== "start") {
      worker.onMessage?.(message as Exclude<In, { kind: "start" } | CancelMessage>);
      return;
    }
    if (started) {
      post({ kind: "error", name: "Error", message: worker.busy });
      return;
    }
    started = true;
    void (async () => {
      try {
        post(await worker.run(message as Extract<In, { kind: "start" }>, controller.signal));
      } catch (err) {
        post(workerFailure(err));
      }
    })();
  };
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
