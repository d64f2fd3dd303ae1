import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { Unparse } from "./csv";
import { blobSink, csvFormat, CsvExportFailed, exportCsv, keysetAfter, keysetPages, logicValue, offsetPages, type CsvSink, type PagedQuery } from "./csvExport";
import type { OrderKey } from "./readAll";

interface Event {
  id: number;
  occurred_at: string;
  purpose: string;
  note: string;
}

const ORDER: [OrderKey, OrderKey] = [
  { column: "occurred_at", ascending: false },
  { column: "id", ascending: false },
];
const COLUMNS = ["id", "occurred_at", "note"];
const FORMAT = csvFormat<Event>(Papa.unparse as Unparse, COLUMNS, (rows) => rows.map((r) => ({ id: r.id, occurred_at: r.occurred_at, note: r.note })));

/** 10 events, many at the same instant, so pages of 3 cut through runs of equal timestamps. */
function events(): Event[] {
  const at = ["2026-05-01T10:00:00.5+00:00", "2026-05-01T10:00:00.5+00:00", "2026-05-01T10:00:00.5+00:00", "2026-05-01T10:00:00.5+00:00", "2026-05-01T09:00:00+00:00"];
  return Array.from({ length: 10 }, (_, i) => ({ id: i + 1, occurred_at: at[i % at.length]!, purpose: "analytics", note: i === 4 ? '=HYPERLINK("x")' : `n${i + 1}` }));
}

/** Compares as the database would for these columns: numbers as numbers, these ISO texts as instants. */
function compare(a: unknown, b: string): number {
  if (typeof a === "number") return a - Number(b);
  return Date.parse(String(a)) - Date.parse(b);
}

/** Evaluates the PostgREST logic tree keysetPages sends (atoms `col.op."v"`, groups `and(…)`), as the server does. */
function matchesLogic(row: Record<string, unknown>, tree: string): boolean {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < tree.length; i++) {
    const ch = tree[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(tree.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(tree.slice(start));
  return parts.some((part) => {
    if (part.startsWith("and(")) return part.slice(4, -1).split(/,(?=[a-z_]+\.)/).every((atom) => matchesLogic(row, atom));
    const m = /^([a-z_]+)\.(eq|gt|lt)\."((?:[^"\\]|\\.)*)"$/.exec(part);
    if (!m) throw new Error(`unexpected logic atom ${part}`);
    const c = compare(row[m[1]!], m[3]!.replace(/\\(.)/g, "$1"));
    return m[2] === "eq" ? c === 0 : m[2] === "gt" ? c > 0 : c < 0;
  });
}

/** A table behind a fake supabase-js query: filters, order and limit/range applied as PostgREST would. */
function fakeTable(rows: Event[], hooks: { onSend?: (sent: number) => void; failAt?: number } = {}) {
  const sent: { bound: string | null; or: string | null }[] = [];
  const query = (first: boolean): PagedQuery<Event> => {
    const state = { bound: null as string | null, or: null as string | null, filters: [] as ((r: Event) => boolean)[], from: 0, count: Infinity };
    const bound = (op: string, test: (c: number) => boolean) => (column: string, value: string) => {
      state.bound = `${column}=${op}.${value}`;
      state.filters.push((r) => test(compare(r[column as keyof Event], value)));
      return q;
    };
    const q: PagedQuery<Event> = {
      order: () => q,
      abortSignal: () => q,
      range: (from, to) => ((state.from = from), (state.count = to - from + 1), q),
      limit: (n) => ((state.count = n), q),
      gt: bound("gt", (c) => c > 0),
      lt: bound("lt", (c) => c < 0),
      gte: bound("gte", (c) => c >= 0),
      lte: bound("lte", (c) => c <= 0),
      or: (tree) => {
        state.or = tree;
        state.filters.push((r) => matchesLogic(r as unknown as Record<string, unknown>, tree));
        return q;
      },
      then(resolve, reject) {
        sent.push({ bound: state.bound, or: state.or });
        if (hooks.failAt === sent.length) return Promise.resolve({ data: null, error: { message: "JWT expired", code: "PGRST301", details: "", hint: "", name: "PostgrestError" } as never }).then(resolve, reject);
        const sorted = [...rows].sort((a, b) => compare(b.occurred_at, a.occurred_at) || b.id - a.id);
        const matching = sorted.filter((r) => state.filters.every((f) => f(r)));
        const answer = { data: matching.slice(state.from, state.from + state.count), error: null, count: first ? matching.length : null };
        hooks.onSend?.(sent.length); // e.g. a row inserted once this page has been read
        return Promise.resolve(answer).then(resolve, reject);
      },
    };
    return q;
  };
  return { query, sent };
}

function recordingSink(): CsvSink<string> & { writes: string[]; discarded: boolean; closed: boolean } {
  const sink = {
    writes: [] as string[],
    discarded: false,
    closed: false,
    write: (text: string) => void sink.writes.push(text),
    close: async () => ((sink.closed = true), sink.writes.join("")),
    discard: () => {
      sink.discarded = true;
      sink.writes = [];
    },
  };
  return sink;
}

const idsOf = (csv: string) => Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data.map((r) => Number(r.id));

describe("keysetAfter", () => {
  it("is the row's successor in the order, values quoted for PostgREST's logic trees, with a plain bound on the first key", () => {
    expect(keysetAfter(ORDER, { occurred_at: "2026-05-01T10:00:00.123456+00:00", id: 42 })).toEqual({
      bound: { column: "occurred_at", operator: "lte", value: "2026-05-01T10:00:00.123456+00:00" },
      or: 'occurred_at.lt."2026-05-01T10:00:00.123456+00:00",and(occurred_at.eq."2026-05-01T10:00:00.123456+00:00",id.lt."42")',
    });
    expect(keysetAfter([{ column: "purpose", ascending: true }, ...ORDER], { purpose: "terms", occurred_at: "T", id: 7 }).or).toBe(
      'purpose.gt."terms",and(purpose.eq."terms",occurred_at.lt."T"),and(purpose.eq."terms",occurred_at.eq."T",id.lt."7")',
    );
    expect(keysetAfter([{ column: "customer_id", ascending: true }], { customer_id: "c0ffee00-0000-4000-8000-000000000001" })).toEqual({
      bound: { column: "customer_id", operator: "gt", value: "c0ffee00-0000-4000-8000-000000000001" },
      or: null,
    });
    expect(logicValue('a "b", c\\d')).toBe('"a \\"b\\", c\\\\d"');
  });

  it("refuses a null or missing key (keyset cannot follow nulls)", () => {
    expect(() => keysetAfter(ORDER, { occurred_at: null, id: 1 })).toThrow(/occurred_at is null/);
    expect(() => keysetAfter(ORDER, { occurred_at: "T" })).toThrow(/id is undefined/);
  });
});

describe("exportCsv with keyset pages", () => {
  it("reads every row exactly once when equal timestamps straddle page boundaries; header once; the count of the first page", async () => {
    const table = fakeTable(events());
    const progress: [number, number | null][] = [];
    const sink = recordingSink();
    const { rows, total, result } = await exportCsv({ source: { pages: keysetPages(table.query, ORDER, { pageSize: 3 }), format: FORMAT }, sink, onProgress: (n, t) => progress.push([n, t]) });
    const expected = [...events()].sort((a, b) => compare(b.occurred_at, a.occurred_at) || b.id - a.id).map((e) => e.id);
    expect(idsOf(result)).toEqual(expected);
    expect([rows, total]).toEqual([10, 10]);
    expect(progress).toEqual([[3, 10], [6, 10], [9, 10], [10, 10]]);
    expect(result.match(/id,occurred_at,note/g)).toHaveLength(1);
    expect(result.startsWith("\uFEFFid,occurred_at,note\r\n")).toBe(true);
    // Page 2 starts after page 1's last row (id 7 at 10:00:00.5, with ids 6, 4, 3, 2, 1 at the same instant still to come).
    expect(table.sent[1]).toEqual({ bound: "occurred_at=lte.2026-05-01T10:00:00.5+00:00", or: 'occurred_at.lt."2026-05-01T10:00:00.5+00:00",and(occurred_at.eq."2026-05-01T10:00:00.5+00:00",id.lt."7")' });
    expect(sink.writes).toHaveLength(5); // the header, then one write per page: rows are not gathered
  });

  it("rows inserted while exporting are not read twice (OFFSET paging would repeat one)", async () => {
    const run = async (paging: typeof keysetPages) => {
      const rows = events();
      const table = fakeTable(rows, { onSend: (n) => n === 1 && rows.push({ id: 99, occurred_at: "2026-05-02T00:00:00+00:00", purpose: "analytics", note: "new" }) });
      const { result } = await exportCsv({ source: { pages: paging(table.query, ORDER, { pageSize: 3 }), format: FORMAT }, sink: recordingSink() });
      return idsOf(result);
    };
    const keyset = await run(keysetPages);
    expect(keyset).toHaveLength(10);
    expect(new Set(keyset).size).toBe(10);
    const offset = await run(offsetPages);
    expect(offset.length - new Set(offset).size).toBe(1);
  });

  it("cells that a spreadsheet would run are guarded; no rows is the header alone", async () => {
    const { result } = await exportCsv({ source: { pages: keysetPages(fakeTable(events()).query, ORDER, { pageSize: 3 }), format: FORMAT }, sink: recordingSink() });
    expect(result).toContain(`5,2026-05-01T09:00:00+00:00,"'=HYPERLINK(""x"")"\r\n`);
    const empty = await exportCsv({ source: { pages: keysetPages(fakeTable([]).query, ORDER), format: FORMAT }, sink: recordingSink() });
    expect([empty.result, empty.rows, empty.total]).toEqual(["\uFEFFid,occurred_at,note\r\n", 0, 0]);
  });

  it("a failure part-way says how far it got and discards what was written", async () => {
    const sink = recordingSink();
    const failing = exportCsv({ source: { pages: keysetPages(fakeTable(events(), { failAt: 3 }).query, ORDER, { pageSize: 3, failure: (e) => new Error(`Not allowed: ${e.message}`) }), format: FORMAT }, sink });
    await expect(failing).rejects.toBeInstanceOf(CsvExportFailed);
    await expect(failing).rejects.toMatchObject({ rows: 6, total: 10, reason: "Not allowed: JWT expired" });
    expect([sink.discarded, sink.closed, sink.writes]).toEqual([true, false, []]);
  });

  it("Cancel stops between pages with an AbortError and discards what was written", async () => {
    const controller = new AbortController();
    const table = fakeTable(events());
    const sink = recordingSink();
    const exporting = exportCsv({ source: { pages: keysetPages(table.query, ORDER, { pageSize: 3 }), format: FORMAT }, sink, signal: controller.signal, onProgress: (n) => n === 3 && controller.abort() });
    await expect(exporting).rejects.toMatchObject({ name: "AbortError" });
    expect(table.sent).toHaveLength(1);
    expect([sink.discarded, sink.closed]).toEqual([true, false]);
  });
});

describe("blobSink", () => {
  it("joins the pages' parts into one CSV Blob, and keeps nothing once discarded", async () => {
    const sink = blobSink();
    sink.write("a\r\n");
    sink.write("ข\r\n");
    const blob = await sink.close();
    expect(blob.type).toBe("text/csv;charset=utf-8");
    expect(await blob.text()).toBe("a\r\nข\r\n");
    const dropped = blobSink();
    dropped.write("x");
    dropped.discard();
    expect(await (await dropped.close()).text()).toBe("");
  });
});
