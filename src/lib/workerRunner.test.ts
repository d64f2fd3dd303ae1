import { describe, expect, it } from "vitest";
import { inThreadWorker, runWorkerJob, workerFailure, type WorkerFailure, type WorkerLike } from "./workerRunner";

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
