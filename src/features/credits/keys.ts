import type { CrudFilters } from "@refinedev/core";

/** react-query keys of the credits pages' own queries (Refine keys its list hooks by resource itself). */
export const creditsKeys = {
  /** Refreshed after every adjustment or decision (useCreditsRefresh), the money dashboard's figures included. */
  all: ["credits"] as const,
  pendingCount: (filters: CrudFilters) => [...creditsKeys.all, "pending-count", JSON.stringify(filters)] as const,
};
