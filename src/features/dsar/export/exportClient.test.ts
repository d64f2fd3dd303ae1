import { describe, expect, it } from "vitest";
import { EXPORT_CATEGORIES } from "./categories";
import { runExportInWorker, type ExportWorkerLike } from "./exportClient";
import { readExport } from "./readExport";
import type { ExportProgress, FetchCategory } from "./types";
import { createExportWorkerHandler, type FromWorker, type ToWorker, type WorkerFetcherFactory } from "./workerProtocol";

/** A Worker stand-in running the real worker handler in-process, with asynchronous message delivery both ways. */
function inProcessWorker(makeFetcher: WorkerFetcherFactory) {
  const seenByWorker: ToWorker[] = [];
  let terminated = false;
  const worker: ExportWorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(message) {
      seenByWorker.push(message);
      setTimeout(() => handle(message), 0);
    },
    terminate() {
      terminated = true;
    },
  };
  const handle = createExportWorkerHandler((message: FromWorker) => {
    setTimeout(() => {
      if (!terminated) worker.onmessage?.({ data: message } as MessageEvent<FromWorker>);
    }, 0);
  }, makeFetcher);
  return { worker, seenByWorker, isTerminated: () => terminated };
}

const BASE = {
  supabaseUrl: "http://127.0.0.1:54321",
  supabaseAnonKey: "anon",
  subject: { customerId: "7c1f3d7e-4a53-4f0e-9a61-0d9d7f0a1b2c", email: "pim@example.co.th" },
  request: { id: "0b6a2f1e-1111-4a4a-8b8b-222233334444", reference: "DSAR-2026-0042", type: "access" as const },
};

describe("runExportInWorker", () => {
  it("builds in the worker, forwards progress, asks the page for a token and resolves with a verifiable Blob", async () => {
    const tokensSeen: (string | null)[] = [];
    const fake = inProcessWorker(async (_start, getAccessToken) => {
      const fetcher: FetchCategory = async (category, page) => {
        tokensSeen.push(await getAccessToken());
        return category === "generations" && page.offset === 0 ? [{ id: "g1", prompt: "ภาพแมว" }] : [];
      };
      return fetcher;
    });
    let tokenCalls = 0;
    const progress: ExportProgress[] = [];
    const result = await runExportInWorker({
      ...BASE,
      getAccessToken: async () => `token-${++tokenCalls}`,
      onProgress: (p) => progress.push(p),
      createWorker: () => fake.worker,
    });
    expect(result.zip).toBeInstanceOf(Blob);
    expect((await readExport(result.zip)).rowCounts.generations).toBe(1);
    expect(tokensSeen).toHaveLength(EXPORT_CATEGORIES.length);
    expect(tokensSeen[0]).toBe("token-1");
    expect(tokensSeen.at(-1)).toBe(`token-${EXPORT_CATEGORIES.length}`);
    expect(progress.at(-1)).toMatchObject({ phase: "done" });
    expect(fake.isTerminated()).toBe(true);
  });

  it("cancelling tells the worker, terminates it and rejects with an AbortError", async () => {
    const controller = new AbortController();
    let pagesAfterCancel = 0;
    const fake = inProcessWorker(() => async () => {
      if (controller.signal.aborted) pagesAfterCancel += 1;
      await new Promise((r) => setTimeout(r, 5));
      return [];
    });
    const run = runExportInWorker({
      ...BASE,
      getAccessToken: async () => "t",
      signal: controller.signal,
      onProgress: (p) => {
        if (p.category === "assets") controller.abort();
      },
      createWorker: () => fake.worker,
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(fake.seenByWorker.map((m) => m.kind)).toContain("cancel");
    expect(fake.isTerminated()).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(pagesAfterCancel).toBeLessThanOrEqual(1);
  });

  it("a failing export in the worker rejects with its message", async () => {
    const fake = inProcessWorker(() => async () => {
      throw new Error("Could not read profile from customer_directory: JWT expired");
    });
    await expect(runExportInWorker({ ...BASE, getAccessToken: async () => "t", createWorker: () => fake.worker })).rejects.toThrow(
      "Could not read profile from customer_directory: JWT expired",
    );
    expect(fake.isTerminated()).toBe(true);
  });

  it("an already-cancelled signal starts no worker", async () => {
    let created = 0;
    const run = runExportInWorker({
      ...BASE,
      getAccessToken: async () => "t",
      signal: AbortSignal.abort(),
      createWorker: () => {
        created += 1;
        return inProcessWorker(() => async () => []).worker;
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(created).toBe(0);
  });

  it("the worker refuses a second start instead of mixing two exports", async () => {
    const posted: FromWorker[] = [];
    const handle = createExportWorkerHandler((m) => posted.push(m), () => new Promise<FetchCategory>(() => undefined));
    const start: ToWorker = { kind: "start", ...BASE };
    handle(start);
    handle(start);
    expect(posted).toEqual([{ kind: "error", name: "Error", message: "This export worker is already running an export" }]);
  });
});
