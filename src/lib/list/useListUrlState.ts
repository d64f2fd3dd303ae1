/** A list page's state, read from and written to the URL through its codec (see urlState.ts). */
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { ListState, ListStateCodec, ParamCodec, SortState, ValuesOf } from "./urlState";

type Codecs = Record<string, ParamCodec<unknown>>;

export interface ListUrlState<Tab extends string, F extends Codecs, S extends string, E extends Codecs> {
  state: ListState<Tab, F, S, E>;
  /** Replaces the whole state (history entry replaced: filtering is not navigation). */
  setState(next: ListState<Tab, F, S, E>): void;
  /** A new tab, filter or sort starts at the first page; a page change keeps the rest. */
  setTab(tab: Tab): void;
  setFilters(filters: ValuesOf<F>): void;
  setSort(sort: SortState<S>): void;
  setPage(page: number): void;
  setExtras(extras: Partial<ValuesOf<E>>): void;
}

export function useListUrlState<Tab extends string, F extends Codecs, S extends string, E extends Codecs>(
  codec: ListStateCodec<Tab, F, S, E>,
): ListUrlState<Tab, F, S, E> {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => codec.read(params), [codec, params]);
  const setState = useCallback((next: ListState<Tab, F, S, E>) => setParams(codec.write(next), { replace: true }), [codec, setParams]);
  return {
    state,
    setState,
    setTab: (tab) => setState({ ...state, tab, page: 1 }),
    setFilters: (filters) => setState({ ...state, filters, page: 1 }),
    setSort: (sort) => setState({ ...state, sort, page: 1 }),
    setPage: (page) => setState({ ...state, page }),
    setExtras: (extras) => setState({ ...state, extras: { ...state.extras, ...extras } }),
  };
}
