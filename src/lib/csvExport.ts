/**
 * Streamed CSV export of a list, every row of its filter, at any size: pages are read one after another in the
 * list's total order, each page is turned into CSV text at once and handed to a sink, and the page's row objects
 * are then dropped. Nothing here needs React or a DOM: the console's button writes into a Blob (one part per page,
 * `blobSink`), the bench and scripts into a file (`scripts/bench/exportCsvToFile.ts`).
 *
 * Paging: `keysetPages` asks for the rows after the last row read ("seek"): each request is as cheap as the first
 * one, and a row inserted while the export runs cannot shift a page boundary, so no row is read twice or skipped.
 * OFFSET paging (`offsetPages`) re-reads and throws away every earlier row on each request (slower page by page) and
 * moves under concurrent inserts; it stays for lists whose order is not keyset-friendly (a nullable sort key).
 */
import type { PostgrestError } from "@supabase/supabase-js";
import { rowsToCsv, type Unparse } from "./csv";
import { MAX_ROWS, type OrderKey } from "./readAll";

/** One page as read: its rows, and the filter's exact total when the request asked for it (the first one does). */
export interface ExportPage<Row> {
  rows: readonly Row[];
  total?: number | null;
}

/** Where the rows come from, a page at a time; a page shorter than `pageSize` is the last. */
export interface PageSource<Row> {
  pageSize: number;
  /** `after`: the last row of the previous page (null for the first); `page`: 0, 1, 2… */
  read(after: Row | null, page: number, signal?: AbortSignal): Promise<ExportPage<Row>>;
}

/** How rows become CSV text: the file's first text (BOM and header line), then the lines of each page. */
export interface CsvFormat<Row> {
  header: string;
  lines(rows: readonly Row[]): string;
}

/** Where the CSV text goes. `close` gives what was written; `discard` drops a failed or cancelled export's text. */
export interface CsvSink<Result> {
  write(text: string): void | Promise<void>;
  close(): Promise<Result>;
  discard(): void | Promise<void>;
}

/** What a list hands the export: its pages (filter and order applied) and its CSV columns. */
export interface CsvExportSource<Row> {
  pages: PageSource<Row>;
  format: CsvFormat<Row>;
}

export type ExportProgressListener = (rows: number, total: number | null) => void;

/** The export stopped part-way for a reason other than Cancel; whatever was written is discarded. */
export class CsvExportFailed extends Error {
  constructor(
    /** Rows written before the failure (all discarded). */
    readonly rows: number,
    readonly total: number | null,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    // not-ui-text: a developer-facing summary; the screens word it from `rows`, `total` and `reason`.
    super(`CSV export failed after ${rows} rows: ${reason}`, options);
    this.name = "CsvExportFailed";
  }
}

export function isAbortError(cause: unknown): boolean {
  return typeof cause === "object" && cause !== null && (cause as { name?: unknown }).name === "AbortError";
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  // not-ui-text: an AbortError is known by its name; callers show their own "cancelled" words, never this message.
  if (signal?.aborted) throw signal.reason ?? new DOMException("The export was aborted", "AbortError");
}

/**
 * Reads every page of `pages` and writes it as CSV into `sink`: the header once (also for no rows), then each page's
 * lines as soon as the page arrives. Progress after each page (rows so far, the total of the first page's count).
 * Cancel (`signal`) rethrows the AbortError; any other failure is a CsvExportFailed; in both cases the sink's text is
 * discarded, so nothing partial is ever handed on.
 */
export async function exportCsv<Row, Result>(options: {
  source: CsvExportSource<Row>;
  sink: CsvSink<Result>;
  signal?: AbortSignal;
  onProgress?: ExportProgressListener;
}): Promise<{ rows: number; total: number | null; result: Result }> {
  const { source, sink, signal, onProgress } = options;
  const { pages, format } = source;
  let rows = 0;
  let total: number | null = null;
  try {
    let after: Row | null = null;
    for (let page = 0; ; page++) {
      stopIfAborted(signal);
      const read = await pages.read(after, page, signal);
      stopIfAborted(signal);
      if (page === 0) {
        total = read.total ?? null;
        await sink.write(format.header);
      }
      if (read.rows.length > 0) await sink.write(format.lines(read.rows));
      rows += read.rows.length;
      onProgress?.(rows, total);
      if (read.rows.length < pages.pageSize) break;
      after = read.rows[read.rows.length - 1]!;
    }
    return { rows, total, result: await sink.close() };
  } catch (cause) {
    await sink.discard();
    if (isAbortError(cause)) throw cause;
    throw new CsvExportFailed(rows, total, cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** The browser's sink: each page's text becomes a Blob part at once, joined into one Blob (no big string). */
export function blobSink(type = "text/csv;charset=utf-8"): CsvSink<Blob> {
  let parts: Blob[] = [];
  return {
    write(text) {
      parts.push(new Blob([text]));
    },
    async close() {
      const blob = new Blob(parts, { type });
      parts = [];
      return blob;
    },
    discard() {
      parts = [];
    },
  };
}

/**
 * CSV columns as the kit writes them: a BOM (Excel reads the UTF-8 correctly), the header once, each cell through
 * the formula guard (lib/csv `csvCell`). `toRecords` turns a page of rows into records keyed by the columns.
 */
export function csvFormat<Row>(unparse: Unparse, columns: readonly string[], toRecords: (rows: readonly Row[]) => readonly Record<string, unknown>[]): CsvFormat<Row> {
  return {
    header: `\uFEFF${rowsToCsv(unparse, columns, [], true)}`,
    lines: (rows) => rowsToCsv(unparse, columns, toRecords(rows), false),
  };
}

/** csvFormat with papaparse loaded now (only when someone exports, never with the first page). */
export async function loadCsvFormat<Row>(columns: readonly string[], toRecords: (rows: readonly Row[]) => readonly Record<string, unknown>[]): Promise<CsvFormat<Row>> {
  // `default`: papaparse is CommonJS, and Node's ESM (the bench) puts it there; bundlers do too.
  const { default: Papa } = await import("papaparse");
  return csvFormat(Papa.unparse as Unparse, columns, toRecords);
}

// ---------------------------------------------------------------------------------------------- supabase-js pages

type Response<Row> = { data: Row[] | null; error: PostgrestError | null; count?: number | null };

/** What paging needs of a supabase-js query builder (`client.from(…).select(…)` with the list's filters applied). */
export interface PagedQuery<Row> extends PromiseLike<Response<Row>> {
  order(column: string, options: { ascending: boolean }): PagedQuery<Row>;
  range(from: number, to: number): PagedQuery<Row>;
  limit(count: number): PagedQuery<Row>;
  or(filters: string): PagedQuery<Row>;
  gt(column: string, value: string): PagedQuery<Row>;
  lt(column: string, value: string): PagedQuery<Row>;
  gte(column: string, value: string): PagedQuery<Row>;
  lte(column: string, value: string): PagedQuery<Row>;
  abortSignal(signal: AbortSignal): PagedQuery<Row>;
}

export interface PagesOptions {
  /** Rows per request: `[api] max_rows` (a larger page would come back cut and look like the last). */
  pageSize?: number;
  /** A failed page's error in the feature's words (default: PostgREST's message). */
  failure?: (error: PostgrestError) => Error;
}

/** The order's key value as PostgREST takes it back: timestamps and uuids exactly as the API sent them. */
function keyText(column: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  // not-ui-text: a programming error (a nullable or missing sort key), named for the developer
  throw new Error(`keyset paging: the last row's ${column} is ${value === null ? "null" : typeof value}; keyset keys must be non-null columns in the select`);
}

/** A value inside PostgREST's or=(…): always double-quoted (`,` `.` `:` `(` `)` are reserved there), `"` and `\` escaped. */
export function logicValue(text: string): string {
  return `"${text.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * "After this row" in the order `order` (the last key unique), as PostgREST filters:
 * `occurred_at desc, id desc` after (X, Y) → `occurred_at=lte.X` and `or=(occurred_at.lt."X",and(occurred_at.eq."X",id.lt."Y"))`.
 * The plain bound on the first key says the same as the or's branches together; it is there so the database can
 * start an index scan at X rather than filter its way there (an OR alone is not an index condition).
 */
export function keysetAfter(order: readonly [OrderKey, ...OrderKey[]], after: Record<string, unknown>): { bound: { column: string; operator: "gt" | "lt" | "gte" | "lte"; value: string }; or: string | null } {
  const values = order.map((key) => keyText(key.column, after[key.column]));
  const [first] = order;
  if (order.length === 1) return { bound: { column: first.column, operator: first.ascending ? "gt" : "lt", value: values[0]! }, or: null };
  const branches = order.map((key, i) => {
    const equal = order.slice(0, i).map((prior, j) => `${prior.column}.eq.${logicValue(values[j]!)}`);
    const beyond = `${key.column}.${key.ascending ? "gt" : "lt"}.${logicValue(values[i]!)}`;
    return equal.length === 0 ? beyond : `and(${[...equal, beyond].join(",")})`;
  });
  return { bound: { column: first.column, operator: first.ascending ? "gte" : "lte", value: values[0]! }, or: branches.join(",") };
}

function applyOrder<Row>(query: PagedQuery<Row>, order: readonly OrderKey[]): PagedQuery<Row> {
  let q = query;
  for (const key of order) q = q.order(key.column, { ascending: key.ascending });
  return q;
}

async function send<Row>(query: PagedQuery<Row>, signal: AbortSignal | undefined, failure: PagesOptions["failure"]): Promise<ExportPage<Row>> {
  const { data, error, count } = await (signal ? query.abortSignal(signal) : query);
  // An aborted request comes back from supabase-js as an error object: report the abort, not a failure.
  stopIfAborted(signal);
  if (error) throw failure ? failure(error) : new Error(error.message);
  return { rows: data ?? [], total: count ?? null };
}

/**
 * Keyset pages of a supabase-js query: `query(first)` builds the filtered query afresh for each page (ask
 * `count: "exact"` when `first`); `order` must end in a unique key and its keys must be non-null columns of the
 * select. Each page is "the first pageSize rows after the previous page's last row".
 */
export function keysetPages<Row>(query: (first: boolean) => PagedQuery<Row>, order: readonly [OrderKey, ...OrderKey[]], options: PagesOptions = {}): PageSource<Row> {
  const pageSize = options.pageSize ?? MAX_ROWS;
  return {
    pageSize,
    read(after, page, signal) {
      let q = query(page === 0);
      if (after !== null) {
        const { bound, or } = keysetAfter(order, after as Record<string, unknown>);
        q = q[bound.operator](bound.column, bound.value);
        if (or) q = q.or(or);
      }
      return send(applyOrder(q, order).limit(pageSize), signal, options.failure);
    },
  };
}

/** OFFSET pages (rows `page × pageSize` on), for orders keyset cannot follow; `order` must still end in a unique key. */
export function offsetPages<Row>(query: (first: boolean) => PagedQuery<Row>, order: readonly [OrderKey, ...OrderKey[]], options: PagesOptions = {}): PageSource<Row> {
  const pageSize = options.pageSize ?? MAX_ROWS;
  return {
    pageSize,
    read(_after, page, signal) {
      const from = page * pageSize;
      return send(applyOrder(query(page === 0), order).range(from, from + pageSize - 1), signal, options.failure);
    },
  };
}
