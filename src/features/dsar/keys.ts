import type { CrudFilters } from "@refinedev/core";

/**
 * react-query keys of the DSAR pages' own queries (Refine keys its list/one hooks by resource itself). Everything
 * sits under `all`, so an action refreshes every one of them with one invalidation.
 */
export const dsarKeys = {
  all: ["dsar"] as const,
  stats: () => [...dsarKeys.all, "stats"] as const,
  tabCounts: (barFilters: CrudFilters, staffId: string | null, mineMeansCreatedBy: boolean, tabs: readonly string[]) =>
    [...dsarKeys.all, "tab-counts", JSON.stringify(barFilters), staffId, mineMeansCreatedBy, tabs.join(",")] as const,
};
