import type { CrudFilters } from "@refinedev/core";
import type { SupabaseClient } from "@supabase/supabase-js";

/**
 * Refine CRUD filters applied to a supabase-js query the way @refinedev/supabase sends them for a table, so a
 * count (HEAD), a CSV export or any other direct read asks for exactly the rows the list shows.
 */

/** The filter methods applyFilters uses (supabase-js's filter builder has all of these). */
export interface FilterableQuery<Q> {
  eq(column: string, value: unknown): Q;
  neq(column: string, value: unknown): Q;
  in(column: string, values: readonly unknown[]): Q;
  gt(column: string, value: unknown): Q;
  gte(column: string, value: unknown): Q;
  lt(column: string, value: unknown): Q;
  lte(column: string, value: unknown): Q;
  is(column: string, value: null | boolean): Q;
  or(filters: string): Q;
}

export function applyFilters<Q extends FilterableQuery<Q>>(query: Q, filters: CrudFilters): Q {
  let q = query;
  for (const filter of filters) {
    if (!("field" in filter)) {
      if (filter.operator !== "or") throw new Error(`applyFilters: unsupported operator ${filter.operator}`);
      const parts = filter.value.map((item) => {
        if (!("field" in item) || item.operator !== "contains") throw new Error("applyFilters: only contains inside or");
        return `${item.field}.ilike."%${String(item.value)}%"`;
      });
      q = q.or(parts.join(","));
      continue;
    }
    const { field, operator, value } = filter;
    switch (operator) {
      case "eq": q = q.eq(field, value); break;
      case "ne": q = q.neq(field, value); break;
      case "in": q = q.in(field, value as unknown[]); break;
      case "gt": q = q.gt(field, value); break;
      case "gte": q = q.gte(field, value); break;
      case "lt": q = q.lt(field, value); break;
      case "lte": q = q.lte(field, value); break;
      case "null": q = q.is(field, null); break;
      default: throw new Error(`applyFilters: unsupported operator ${operator}`);
    }
  }
  return q;
}

type SelectQuery = ReturnType<ReturnType<SupabaseClient["from"]>["select"]>;
type LooseQuery = FilterableQuery<LooseQuery>;

/** applyFilters on `client.from(…).select(…)`: supabase-js's builder types are too deep for the generic, the object has every method. */
export function withFilters(query: SelectQuery, filters: CrudFilters): SelectQuery {
  return applyFilters(query as unknown as LooseQuery, filters) as unknown as SelectQuery;
}

/** Drops characters that would escape PostgREST's quoted or=(…) value or act as wildcards, and extra spaces. */
export function normaliseSearchText(raw: string): string {
  return raw.replace(/["\\%*(),]/g, "").replace(/\s+/g, " ").trim();
}
