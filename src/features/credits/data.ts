import { useList, type CrudFilters } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { withFilters } from "../../lib/postgrestFilters";
import { useRefresh, type RefreshTargets } from "../../lib/refresh";
import { toRpcError } from "../../lib/rpc";
import { MONEY_WORDING } from "./api";
import { creditsKeys } from "./keys";
import { ADJUSTMENT_SELECT, type AdjustmentRow, type CreditLimitRow } from "./types";

export const CREDIT_ADJUSTMENTS = "credit_adjustments";
export const CREDIT_LEDGER = "credit_ledger";

/** The per-role limits (data in credit_limits, readable by every staff member). */
export function useCreditLimits() {
  return useList<CreditLimitRow>({ resource: "credit_limits", pagination: { mode: "off" }, meta: { uniqueOrder: ["role"] }, errorNotification: false });
}

/** After an adjustment or a decision: every place that shows a balance, a ledger row or a request. */
const CREDITS_REFRESH: RefreshTargets = {
  resources: [
    { resource: CREDIT_LEDGER, invalidates: ["resourceAll"] },
    { resource: CREDIT_ADJUSTMENTS, invalidates: ["resourceAll"] },
    // The customer page's profile (balance) is keyed by the directory's identifier (providers/resources.tsx).
    { resource: "customers", invalidates: ["resourceAll"] },
  ],
  queryKey: creditsKeys.all,
};

export const useCreditsRefresh = () => useRefresh(CREDITS_REFRESH);

/** How many adjustments wait for approval under the current filters: a count=exact HEAD request, no rows. */
export function usePendingCount(filters: CrudFilters) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: creditsKeys.pendingCount(filters),
    queryFn: async () => {
      const client = await getClient();
      const { count, error, status } = await withFilters(client.from(CREDIT_ADJUSTMENTS).select("id", { count: "exact", head: true }), filters);
      if (error) throw toRpcError(CREDIT_ADJUSTMENTS, { error, status }, MONEY_WORDING);
      return count ?? 0;
    },
  });
}

/** The staff directory (every staff member reads it: names for the actor filter and the requester/approver columns). */
export function useVisibleStaff() {
  return useList<{ id: string; display_name: string; email: string }>({
    resource: "staff_members",
    sorters: [{ field: "display_name", order: "asc" }],
    pagination: { mode: "off" },
    meta: { select: "id,display_name,email" },
    errorNotification: false,
  });
}

/** A customer's adjustments still waiting for a finance decision (customer page). */
export function useCustomerPendingAdjustments(customerId: string) {
  return useList<AdjustmentRow>({
    resource: CREDIT_ADJUSTMENTS,
    filters: [
      { field: "customer_id", operator: "eq", value: customerId },
      { field: "status", operator: "eq", value: "pending" },
    ],
    sorters: [{ field: "requested_at", order: "desc" }, { field: "id", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 20, mode: "server" },
    meta: { select: ADJUSTMENT_SELECT },
    errorNotification: false,
  });
}
