import type { BaseRecord, CrudSort, DataProvider, GetListParams } from "@refinedev/core";
import { dataProvider as supabaseDataProvider } from "@refinedev/supabase";
import type { ConsoleClient } from "../lib/database";
import { MAX_ROWS, readAllPages } from "../lib/readAll";

/**
 * Refine CRUD over PostgREST: every row comes through RLS as the signed-in staff member.
 *
 * A list without server pagination (`pagination: { mode: "off" }`, or "client") means "every row". Refine's
 * provider asks for that in one request, which the API cuts at max_rows; here it is read page by page instead,
 * ordered by the list's sorters and then by the resource's unique key: `meta.uniqueOrder` (columns), else `id`.
 */
export function createDataProvider(client: ConsoleClient): DataProvider {
  const base = supabaseDataProvider(client);
  return {
    ...base,
    getList: async <TData extends BaseRecord = BaseRecord>(params: GetListParams) => {
      if ((params.pagination?.mode ?? "server") === "server") return base.getList<TData>(params);
      const sorters = withUniqueOrder(params.sorters ?? [], (params.meta?.uniqueOrder as string[] | undefined) ?? ["id"]);
      const rows = await readAllPages<TData>(
        async (from) => {
          const page = await base.getList<TData>({ ...params, sorters, pagination: { mode: "server", currentPage: from / MAX_ROWS + 1, pageSize: MAX_ROWS } });
          return { rows: page.data, total: page.total };
        },
        { signal: params.meta?.signal as AbortSignal | undefined },
      );
      return { data: rows, total: rows.length };
    },
  };
}

function withUniqueOrder(sorters: readonly CrudSort[], unique: readonly string[]): CrudSort[] {
  const sorted = new Set(sorters.map((s) => s.field));
  return [...sorters, ...unique.filter((field) => !sorted.has(field)).map((field) => ({ field, order: "asc" as const }))];
}
