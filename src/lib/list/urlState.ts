/**
 * A list page keeps its whole state in the URL (`/refunds?tab=failed&reason=duplicate&page=2`) so a filtered list
 * can be shared and back/forward work. A page declares its parameters once, as codecs; reading and writing follow.
 * Reading is forgiving: an unknown or malformed value (a hand-edited link) falls back to its default. Writing leaves
 * defaults out, so the plain list has a plain address.
 */

/** One URL parameter: how to read it, how to write it, and its default. */
export interface ParamCodec<T> {
  readonly key: string;
  readonly empty: T;
  read(params: URLSearchParams): T;
  /** The text to put in the URL, or null to leave the parameter out. */
  write(value: T): string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^[+-]?\d{1,9}$/;

export const isUuid = (value: string): boolean => UUID.test(value);

export function isCalendarDay(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Every value given for `key`, comma-separated or repeated (`?type=a,b&type=c`), the valid ones kept. */
function listOf<T extends string>(key: string, guard: (value: string) => value is T): ParamCodec<T[]> {
  return {
    key,
    empty: [],
    read: (params) => params.getAll(key).flatMap((v) => v.split(",")).filter(guard),
    write: (values) => (values.length > 0 ? values.join(",") : null),
  };
}

/** A text matching `pattern` (after `normalise`), or `alsoAllowed` words such as "none"; anything else reads as "". */
function textMatching(key: string, pattern: Pick<RegExp, "test">, options: { alsoAllowed?: readonly string[]; normalise?: (raw: string) => string } = {}): ParamCodec<string> {
  const normalise = options.normalise ?? ((raw: string) => raw);
  return {
    key,
    empty: "",
    read: (params) => {
      const value = normalise(params.get(key) ?? "");
      return pattern.test(value) || options.alsoAllowed?.includes(value) ? value : "";
    },
    write: (value) => (value.trim() ? value.trim() : null),
  };
}

export const param = {
  listOf,
  /** A staff, customer or row id; `alsoAllowed` adds words such as "none" (unassigned). */
  uuid: (key: string, alsoAllowed: readonly string[] = []) => textMatching(key, UUID, { alsoAllowed }),
  /** A Bangkok calendar day, YYYY-MM-DD, that exists (2026-02-30 reads as no date). */
  date: (key: string) => textMatching(key, { test: isCalendarDay }),
  /** A whole number kept as typed ("-500"), so the filter bar can show exactly what is in the URL. */
  integer: (key: string) => textMatching(key, INTEGER),
  /** A three-letter currency code, lower case as Stripe stores it. */
  currency: (key: string) => textMatching(key, /^[a-z]{3}$/, { normalise: (raw) => raw.toLowerCase() }),
  /** Free text (a search); written trimmed. */
  text: (key: string): ParamCodec<string> => ({
    key,
    empty: "",
    read: (params) => params.get(key) ?? "",
    write: (value) => (value.trim() ? value.trim() : null),
  }),
  /** A switch, `?key=1` when on. */
  flag: (key: string): ParamCodec<boolean> => ({
    key,
    empty: false,
    read: (params) => params.get(key) === "1",
    write: (on) => (on ? "1" : null),
  }),
};

export type SortOrder = "asc" | "desc";
export interface SortState<F extends string> {
  field: F;
  order: SortOrder;
}

type Codecs = Record<string, ParamCodec<unknown>>;
export type ValuesOf<C extends Codecs> = { [K in keyof C]: C[K] extends ParamCodec<infer T> ? T : never };

export interface ListStateSpec<Tab extends string, F extends Codecs, S extends string, E extends Codecs> {
  tabs?: { values: readonly Tab[]; default: Tab };
  /** What the filter bar edits. */
  filters: F;
  /** Sortable fields and the default sort; `sort` and `order` in the URL. */
  sort?: { fields: readonly S[]; default: SortState<S> };
  /** Other kept state that is not a filter (e.g. the row open in a drawer). */
  extras?: E;
}

export interface ListState<Tab extends string, F extends Codecs, S extends string, E extends Codecs> {
  tab: Tab;
  filters: ValuesOf<F>;
  page: number;
  sort: SortState<S>;
  extras: ValuesOf<E>;
}

export interface ListStateCodec<Tab extends string, F extends Codecs, S extends string, E extends Codecs> {
  readonly emptyFilters: ValuesOf<F>;
  readonly defaults: ListState<Tab, F, S, E>;
  read(params: URLSearchParams): ListState<Tab, F, S, E>;
  write(state: ListState<Tab, F, S, E>): URLSearchParams;
  /** Filters as a round trip through the URL returns them (for useFilterDraft's `normalise`). */
  normaliseFilters(filters: ValuesOf<F>): ValuesOf<F>;
}

function emptyOf<C extends Codecs>(codecs: C): ValuesOf<C> {
  return Object.fromEntries(Object.entries(codecs).map(([name, codec]) => [name, codec.empty])) as ValuesOf<C>;
}

function readAll<C extends Codecs>(codecs: C, params: URLSearchParams): ValuesOf<C> {
  return Object.fromEntries(Object.entries(codecs).map(([name, codec]) => [name, codec.read(params)])) as ValuesOf<C>;
}

function writeAll<C extends Codecs>(codecs: C, values: ValuesOf<C>, into: URLSearchParams): void {
  for (const [name, codec] of Object.entries(codecs)) {
    const text = codec.write(values[name as keyof C]);
    if (text !== null) into.set(codec.key, text);
  }
}

/** The URL codec of a list page. Parameters: `tab`, the filters' keys, `sort`+`order`, `page`, the extras' keys. */
export function defineListState<Tab extends string = never, F extends Codecs = Codecs, S extends string = never, E extends Codecs = Record<never, never>>(
  spec: ListStateSpec<Tab, F, S, E>,
): ListStateCodec<Tab, F, S, E> {
  const extras = (spec.extras ?? {}) as E;
  const keys = [...Object.values(spec.filters), ...Object.values(extras)].map((codec) => codec.key);
  const reserved = ["tab", "page", "sort", "order"].filter((key) => keys.includes(key));
  if (reserved.length > 0 || new Set(keys).size !== keys.length) {
    throw new Error(`defineListState: parameter keys must be unique and not ${["tab", "page", "sort", "order"].join("/")}: ${keys.join(", ")}`);
  }
  const defaultSort = (spec.sort?.default ?? { field: "" as S, order: "asc" }) as SortState<S>;
  const defaults: ListState<Tab, F, S, E> = {
    tab: (spec.tabs?.default ?? "") as Tab,
    filters: emptyOf(spec.filters),
    page: 1,
    sort: defaultSort,
    extras: emptyOf(extras),
  };
  return {
    emptyFilters: defaults.filters,
    defaults,
    read(params) {
      const tab = params.get("tab");
      const page = Number(params.get("page") ?? "1");
      const field = params.get("sort") ?? "";
      const order = params.get("order");
      return {
        tab: spec.tabs && tab !== null && (spec.tabs.values as readonly string[]).includes(tab) ? (tab as Tab) : defaults.tab,
        filters: readAll(spec.filters, params),
        page: Number.isInteger(page) && page >= 1 ? page : 1,
        sort: {
          field: spec.sort && (spec.sort.fields as readonly string[]).includes(field) ? (field as S) : defaultSort.field,
          order: order === "asc" || order === "desc" ? order : defaultSort.order,
        },
        extras: readAll(extras, params),
      };
    },
    normaliseFilters(filters) {
      const params = new URLSearchParams();
      writeAll(spec.filters, filters, params);
      return readAll(spec.filters, params);
    },
    write(state) {
      const params = new URLSearchParams();
      if (spec.tabs && state.tab !== defaults.tab) params.set("tab", state.tab);
      writeAll(spec.filters, state.filters, params);
      if (spec.sort && (state.sort.field !== defaultSort.field || state.sort.order !== defaultSort.order)) {
        params.set("sort", state.sort.field);
        params.set("order", state.sort.order);
      }
      if (state.page > 1) params.set("page", String(state.page));
      writeAll(extras, state.extras, params);
      return params;
    },
  };
}
