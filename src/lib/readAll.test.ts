import { describe, expect, it } from "vitest";
import { PostgrestError } from "@supabase/supabase-js";
import { MAX_ROWS, readAllRows, type PageableQuery } from "./readAll";

interface Sent {
  order: string[];
  range: [number, number] | null;
  signal: AbortSignal | null;
}

/**
 * A stand-in for a supabase-js query over `total` rows that answers as PostgREST under max_rows: at most MAX_ROWS
 * per response whatever was asked. Records what each page sent.
 */
function fakeQuery(total: number, sent: Sent[], opts: { failAt?: number; count?: boolean; onSend?: () => void } = {}) {
  return (): PageableQuery<number> => {
    const request: Sent = { order: [], range: null, signal: null };
    const builder: PageableQuery<number> = {
      order(column, { ascending }) {
        request.order.push(`${column}.${ascending ? "asc" : "desc"}`);
        return builder;
      },
      range(from, to) {
        request.range = [from, to];
        return builder;
      },
      abortSignal(signal) {
        request.signal = signal;
        return builder;
      },
      then(onfulfilled, onrejected) {
        sent.push(request);
        opts.onSend?.();
        const [from, to] = request.range ?? [0, total - 1];
        const failure = new PostgrestError({ message: "boom", code: "XX000", details: "", hint: "" });
        const rows = Array.from({ length: Math.max(0, Math.min(to + 1, total, from + MAX_ROWS) - from) }, (_, i) => from + i);
        const response =
          opts.failAt === from
            ? { data: null, error: failure, count: null }
            : request.signal?.aborted
              ? { data: null, error: new PostgrestError({ message: "AbortError: aborted", code: "", details: "", hint: "" }), count: null }
              : { data: rows, error: null, count: opts.count ? total : null };
        return Promise.resolve(response).then(onfulfilled, onrejected);
      },
    };
    return builder;
  };
}

const ORDER = [
  { column: "created_at", ascending: false },
  { column: "id", ascending: true },
] as const;

describe("readAllRows", () => {
  it("reads 2,500 rows in pages of MAX_ROWS, each in the same total order, until a short page", async () => {
    const sent: Sent[] = [];
    const { data, error } = await readAllRows(fakeQuery(2500, sent), ORDER);
    expect(error).toBeNull();
    expect(data).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(sent.map((s) => s.range)).toEqual([
      [0, 999],
      [1000, 1999],
      [2000, 2999],
    ]);
    for (const s of sent) expect(s.order).toEqual(["created_at.desc", "id.asc"]);
  });

  it("a last page of exactly MAX_ROWS is followed by one empty page, and nothing is read twice", async () => {
    const sent: Sent[] = [];
    const { data } = await readAllRows(fakeQuery(2000, sent), ORDER);
    expect(data).toHaveLength(2000);
    expect(new Set(data).size).toBe(2000);
    expect(sent).toHaveLength(3);
  });

  it("reports progress after each page with the first page's count", async () => {
    const progress: [number, number | null][] = [];
    await readAllRows(fakeQuery(1500, [], { count: true }), ORDER, { onProgress: (n, total) => progress.push([n, total]) });
    expect(progress).toEqual([
      [1000, 1500],
      [1500, 1500],
    ]);
  });

  it("answers the first failing page's error, like supabase-js, without rows", async () => {
    const sent: Sent[] = [];
    const result = await readAllRows(fakeQuery(2500, sent, { failAt: 1000 }), ORDER);
    expect(result).toEqual({ data: null, error: expect.objectContaining({ message: "boom", code: "XX000" }) });
    expect(sent).toHaveLength(2);
  });

  it("an abort stops the read with an AbortError, also when it lands while a page is in flight", async () => {
    const controller = new AbortController();
    const sent: Sent[] = [];
    const reading = readAllRows(fakeQuery(5000, sent, { onSend: () => sent.length === 2 && controller.abort() }), ORDER, { signal: controller.signal });
    await expect(reading).rejects.toMatchObject({ name: "AbortError" });
    expect(sent).toHaveLength(2);
    expect(sent.every((s) => s.signal === controller.signal)).toBe(true);
  });
});
