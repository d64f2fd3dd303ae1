/**
 * Reading every row of a query that may hold more rows than one API response carries.
 *
 * Hosted Supabase (PostgREST) answers at most `[api] max_rows` rows per request — tables, views and set-returning
 * rpc alike — and a cut answer looks like a complete one. A reader that needs every row asks page by page, in a
 * total order (the last sort key unique: without it a row can move across a page boundary between two requests
 * and be skipped or read twice), until a page comes back shorter than asked.
 */
import type { PostgrestError } from "@supabase/supabase-js";

/**
 * `[api] max_rows` of supabase/config.toml (tests/readers keeps the two equal). Pages are this size: a larger page
 * would come back cut to the cap, look short, and end the read early.
 */
export const MAX_ROWS = 1000;

export interface ReadAllOptions {
  /** Stops between pages (and, for supabase-js queries, the request in flight) with an AbortError. */
  signal?: AbortSignal;
  /** After each page: rows read so far, and the total when the first page carried one (`count: "exact"`). */
  onProgress?: (fetched: number, total: number | null) => void;
}

export interface Page<Row> {
  rows: readonly Row[];
  total?: number | null;
}

/**
 * Calls `readPage(from, to)` (inclusive row positions, MAX_ROWS at a time) until a short page. The caller's page
 * must apply a total order; `readAllRows` below does that for supabase-js queries.
 */
export async function readAllPages<Row>(readPage: (from: number, to: number) => Promise<Page<Row>>, options: ReadAllOptions = {}): Promise<Row[]> {
  const rows: Row[] = [];
  let total: number | null = null;
  for (let from = 0; ; from += MAX_ROWS) {
    stopIfAborted(options.signal);
    const page = await readPage(from, from + MAX_ROWS - 1);
    stopIfAborted(options.signal);
    total ??= page.total ?? null;
    for (const row of page.rows) rows.push(row);
    options.onProgress?.(rows.length, total);
    if (page.rows.length < MAX_ROWS) return rows;
  }
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  // not-ui-text: an AbortError is known by its name; callers show their own "cancelled" words, never this message.
  if (signal?.aborted) throw signal.reason ?? new DOMException("The read was aborted", "AbortError");
}

/** One key of the total order; the last key given must be unique among the rows read. */
export interface OrderKey {
  column: string;
  ascending: boolean;
}

type Response<Row> = { data: Row[] | null; error: PostgrestError | null; count?: number | null };

/** What paging needs of a supabase-js query builder (`client.from(…).select(…)…` or `client.rpc(…)` of a set-returning function). */
export interface PageableQuery<Row> extends PromiseLike<Response<Row>> {
  order(column: string, options: { ascending: boolean }): PageableQuery<Row>;
  range(from: number, to: number): PageableQuery<Row>;
  abortSignal(signal: AbortSignal): PageableQuery<Row>;
}

/**
 * Every row of a supabase-js query, answered like the query itself: `{ data, error }` (the first failing page's
 * error). `query(from)` builds the filtered query afresh for each page (a builder is spent once sent; `from` is 0
 * for the first page, e.g. to ask `count: "exact"` only there); `order` is applied to every page and must end in a
 * unique key.
 */
export async function readAllRows<Row>(
  query: (from: number) => PageableQuery<Row>,
  order: readonly [OrderKey, ...OrderKey[]],
  options: ReadAllOptions = {},
): Promise<{ data: Row[]; error: null } | { data: null; error: PostgrestError }> {
  const { signal } = options;
  try {
    const rows = await readAllPages<Row>(async (from, to) => {
      let page = query(from);
      for (const key of order) page = page.order(key.column, { ascending: key.ascending });
      page = page.range(from, to);
      if (signal) page = page.abortSignal(signal);
      const { data, error, count } = await page;
      // An aborted request comes back from supabase-js as an error object: report the abort, not a failure.
      stopIfAborted(signal);
      if (error) throw new PageFailed(error);
      return { rows: data ?? [], total: count ?? null };
    }, options);
    return { data: rows, error: null };
  } catch (cause) {
    if (cause instanceof PageFailed) return { data: null, error: cause.error };
    throw cause;
  }
}

class PageFailed {
  constructor(readonly error: PostgrestError) {}
}
