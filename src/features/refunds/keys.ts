import type { CrudFilters } from "@refinedev/core";

/** react-query keys of the refund screens' own queries (Refine keys its list/one hooks by resource itself). */
export const refundsKeys = {
  /** Refreshed after every refund action (useRefreshRefunds). */
  all: ["refunds"] as const,
  tabCounts: (bar: CrudFilters) => [...refundsKeys.all, "tab-counts", JSON.stringify(bar)] as const,
  // Outside `all` on purpose: the server's Stripe mode does not change with a refund, so an action does not re-ask it.
  stripeMode: () => ["stripe-mode"] as const,
};
