import { describe, expect, it } from "vitest";
import { inThreadWorker, oneJobWorkerHandler, runProgressWorkerJob, runWorkerJob, workerFailure, type WorkerFailure, type WorkerLike } from "./workerRunner";

type In = { kind: "start"; n: number } | { kind: "more" } | { kind: "cancel" };
type Out = { kind: "half"; n: number } | { kind: "done"; n: number } | WorkerFailure;

class JobAborted extends Error {
  override name = "AbortError";
  constructor() {
    super("The sum was cancelled.");
  }
}

/** A worker that halves, asks for more, then answers the double; it records what it was sent and whether it ended. */
function halvingWorker(options: { failWith?: Error } = {}) {
  const seen: In["kind"][] = [];
  let terminated = false;
  const worker = inThreadWorker<In, Out>((post) => {
    let n = 0;
    return (message) => {
      seen.push(message.kind);
      if (message.kind === "start") {
        if (options.failWith) return post(workerFailure(options.failWith));
        n = message.n;
        post({ kind: "half", n: n / 2 });
      } else if (message.kind === "more") post({ kind: "done", n: n * 2 });
    };
  }, { kind: "cancel" });
  const posted: In["kind"][] = [];
  const postMessage = worker.postMessage;
  worker.postMessage = (message) => {
    posted.push(message.kind);
    postMessage(message);
  };
  const terminate = worker.terminate;
  worker.terminate = () => {
    terminated = true;
    terminate();
  };
  return { worker, seen, posted, ended: () => terminated };
}

function sum(worker: WorkerLike<In, Out>, signal?: AbortSignal, halves: number[] = []) {
  return runWorkerJob<In, Out, number>({
    name: "sum",
    createWorker: () => worker,
    start: { kind: "start", n: 8 },
    cancel: { kind: "cancel" },
    ...(signal ? { signal } : {}),
    abortError: () => new JobAborted(),
    onMessage: (message, job) => {
      if (message.kind === "half") {
        halves.push(message.n);
        job.post({ kind: "more" });
      } else job.done(message.n);
    },
  });
}

describe("runWorkerJob", () => {
  it("starts the worker, passes its messages on, settles with the job's result and terminates the worker", async () => {
    const { worker, seen, ended } = halvingWorker();
    const halves: number[] = [];
    await expect(sum(worker, undefined, halves)).resolves.toBe(16);
    expect(halves).toEqual([4]);
    // The in-thread stand-in hands `cancel` to its handler on terminate, so whatever it held is released.
    expect(seen).toEqual(["start", "more", "cancel"]);
    expect(ended()).toBe(true);
  });

  it("a failure the worker reports rejects with its message; a reported AbortError is the job's own", async () => {
    await expect(sum(halvingWorker({ failWith: new Error("disk full") }).worker)).rejects.toThrow("disk full");
    await expect(sum(halvingWorker({ failWith: new JobAborted() }).worker)).rejects.toBeInstanceOf(JobAborted);
  });

  it("a worker that crashes rejects naming the job", async () => {
    const worker: WorkerLike<In, Out> = { onmessage: null, onerror: null, postMessage: () => setTimeout(() => worker.onerror?.({ message: "" } as ErrorEvent), 0), terminate: () => {} };
    await expect(sum(worker)).rejects.toThrow("The sum worker failed: unknown error");
  });

  it("cancelling tells the worker, terminates it and rejects with the job's AbortError; an aborted signal starts nothing", async () => {
    const controller = new AbortController();
    const { worker, posted, ended } = halvingWorker();
    const running = sum(worker, controller.signal);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(JobAborted);
    // Sent before terminating: a real worker stops at once (terminate alone would not tell its handler).
    expect(posted).toEqual(["start", "cancel"]);
    expect(ended()).toBe(true);

    let created = false;
    const never = runWorkerJob<In, Out, number>({
      name: "sum",
      createWorker: () => {
        created = true;
        return halvingWorker().worker;
      },
      start: { kind: "start", n: 1 },
      cancel: { kind: "cancel" },
      signal: controller.signal,
      abortError: () => new JobAborted(),
      onMessage: () => {},
    });
    await expect(never).rejects.toBeInstanceOf(JobAborted);
    expect(created).toBe(false);
  });
});

type TaskIn = { kind: "start"; n: number } | { kind: "answer"; n: number } | { kind: "cancel" };
type TaskOut = { kind: "progress"; progress: number } | { kind: "question" } | { kind: "done"; n: number } | WorkerFailure;

/** A one-job worker: reports progress, asks the page for a number, answers start + answer; `hold` keeps it waiting. */
function askingWorker(options: { hold?: boolean; cancelled?: string[] } = {}) {
  const posted: TaskOut[] = [];
  const worker = inThreadWorker<TaskIn, TaskOut>((post) => {
    let answer: ((n: number) => void) | null = null;
    return oneJobWorkerHandler<TaskIn, TaskOut>(
      (message) => {
        posted.push(message);
        post(message);
      },
      {
        busy: "This worker is already busy",
        onMessage: (message) => answer?.(message.n),
        onCancel: () => options.cancelled?.push("released"),
        run: async (start, signal) => {
          post({ kind: "progress", progress: 50 });
          post({ kind: "question" });
          const n = await new Promise<number>((resolve) => (answer = resolve));
          if (options.hold) await new Promise((_, reject) => signal.addEventListener("abort", () => reject(new JobAborted())));
          if (start.n < 0) throw new Error("negative start");
          return { kind: "done", n: start.n + n };
        },
      },
    );
  }, { kind: "cancel" });
  return { worker, posted };
}

function ask(worker: WorkerLike<TaskIn, TaskOut>, n: number, progress: number[], signal?: AbortSignal) {
  return runProgressWorkerJob<TaskIn, TaskOut, number>({
    name: "task",
    createWorker: () => worker,
    start: { kind: "start", n },
    signal,
    abortError: () => new JobAborted(),
    onProgress: (p) => progress.push(p),
    onMessage: (message, job) => {
      if (message.kind === "question") job.post({ kind: "answer", n: 10 });
      else job.done(message.n);
    },
  });
}

describe("runProgressWorkerJob and oneJobWorkerHandler", () => {
  it("progress goes to onProgress, other messages to onMessage; the job's result is the last message", async () => {
    const progress: number[] = [];
    await expect(ask(askingWorker().worker, 5, progress)).resolves.toBe(15);
    expect(progress).toEqual([50]);
  });

  it("what the job throws reaches the page as its error", async () => {
    await expect(ask(askingWorker().worker, -1, [])).rejects.toThrow("negative start");
  });

  it("cancel aborts the job's signal and lets the worker release what waits", async () => {
    const cancelled: string[] = [];
    const controller = new AbortController();
    const progress: number[] = [];
    const running = ask(askingWorker({ hold: true, cancelled }).worker, 1, progress, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(JobAborted);
    expect(cancelled).toEqual(["released"]);
  });

  it("a second start on the same worker is refused with the worker's words", () => {
    const posted: TaskOut[] = [];
    const handle = oneJobWorkerHandler<TaskIn, TaskOut>((message) => posted.push(message), {
      busy: "This worker is already busy",
      run: () => new Promise(() => {}),
    });
    handle({ kind: "start", n: 1 });
    handle({ kind: "start", n: 2 });
    expect(posted).toEqual([{ kind: "error", name: "Error", message: "This worker is already busy" }]);
  });
});
