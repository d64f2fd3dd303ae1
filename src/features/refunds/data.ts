import { useList, useOne, type CrudFilters } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { withFilters } from "../../lib/postgrestFilters";
import { useRefresh, type RefreshTargets } from "../../lib/refresh";
import { toRpcError } from "../../lib/rpc";
import { REFUND_WORDING } from "./api";
import { refundsKeys } from "./keys";
import { REFUND_TABS, tabFilters, type RefundTab } from "./listState";
import { IN_FLIGHT_STATUSES, type RefundablePayment, type RefundAuditRow, type RefundRow, type WebhookEventRow } from "./types";

/** One typed hook per thing the refund screens read; each is bounded and keyed so an action can refresh it. */
export const REFUNDS = "refunds";

/** How often in-flight refunds are re-read while one is on screen (tests shorten it). */
export const REFUND_POLLING = { intervalMs: 4000 };

/** react-query refetchInterval for a list of refunds: poll while any is in flight at Stripe, else stop. */
export function pollWhileInFlight(query: { state: { data?: unknown } }): number | false {
  const rows = (query.state.data as { data?: RefundRow[] } | undefined)?.data ?? [];
  return rows.some((r) => IN_FLIGHT_STATUSES.includes(r.status)) ? REFUND_POLLING.intervalMs : false;
}

/** Every refund-related query, read again after an action. */
const REFUNDS_REFRESH: RefreshTargets = {
  resources: [
    { resource: REFUNDS, invalidates: ["resourceAll"] },
    { resource: "payment_details", invalidates: ["resourceAll"] },
    { resource: "refund_stripe_ids", invalidates: ["resourceAll"] },
  ],
  queryKey: refundsKeys.all,
};

export const useRefreshRefunds = () => useRefresh(REFUNDS_REFRESH);

/** Every refund of a customer (the customer page groups them per payment). */
export function useCustomerRefunds(customerId: string, enabled: boolean) {
  return useList<RefundRow>({
    resource: REFUNDS,
    filters: [{ field: "customer_id", operator: "eq", value: customerId }],
    sorters: [{ field: "requested_at", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 200, mode: "server" },
    queryOptions: { enabled: enabled && customerId !== "", refetchInterval: pollWhileInFlight },
    errorNotification: false,
  });
}

/** The refunds of one payment, read fresh when the refund form opens. */
export function usePaymentRefunds(paymentId: string) {
  return useList<RefundRow>({
    resource: REFUNDS,
    filters: [{ field: "payment_id", operator: "eq", value: paymentId }],
    sorters: [{ field: "requested_at", order: "asc" }],
    pagination: { mode: "off" },
    queryOptions: { enabled: paymentId !== "" },
    errorNotification: false,
  });
}

export function usePayment(paymentId: string) {
  return useOne<RefundablePayment>({ resource: "payment_details", id: paymentId, queryOptions: { enabled: paymentId !== "" }, errorNotification: false });
}

/** The customer's current credit balance (the checkpoint the ledger keeps). */
export function useCreditBalance(customerId: string, enabled: boolean) {
  const { query, result } = useList<{ customer_id: string; balance: number | string }>({
    resource: "credit_balances",
    filters: [{ field: "customer_id", operator: "eq", value: customerId }],
    pagination: { currentPage: 1, pageSize: 1, mode: "server" },
    meta: { select: "customer_id,balance" },
    queryOptions: { enabled: enabled && customerId !== "" },
    errorNotification: false,
  });
  const row = result.data?.[0];
  return { query, balance: query.isSuccess ? Number(row?.balance ?? 0) : null };
}

/** One refund; while Stripe has not settled it (processing/pending/requires_action) it is re-read every `pollMs`. */
export function useRefund(id: string, pollMs: number) {
  return useOne<RefundRow>({
    resource: REFUNDS,
    id,
    queryOptions: {
      enabled: id !== "",
      refetchInterval: (query) => {
        const status = (query.state.data as { data?: RefundRow } | undefined)?.data?.status;
        return status && IN_FLIGHT_STATUSES.includes(status) ? pollMs : false;
      },
    },
    errorNotification: false,
  });
}

/** The Stripe refund id (re_…): the table answers only dpo, finance and auditor. */
export function useStripeRefundId(refundId: string, enabled: boolean) {
  const { query, result } = useList<{ refund_id: string; stripe_refund_id: string }>({
    resource: "refund_stripe_ids",
    filters: [{ field: "refund_id", operator: "eq", value: refundId }],
    pagination: { currentPage: 1, pageSize: 1, mode: "server" },
    queryOptions: { enabled: enabled && refundId !== "" },
    errorNotification: false,
  });
  return { query, stripeRefundId: result.data?.[0]?.stripe_refund_id ?? null };
}

export function useRefundWebhookEvents(refundId: string, enabled: boolean) {
  return useList<WebhookEventRow>({
    resource: "stripe_webhook_events",
    filters: [{ field: "refund_id", operator: "eq", value: refundId }],
    sorters: [{ field: "received_at", order: "asc" }],
    pagination: { currentPage: 1, pageSize: 100, mode: "server" },
    queryOptions: { enabled: enabled && refundId !== "" },
    errorNotification: false,
  });
}

export function useRefundAudit(refundId: string, enabled: boolean) {
  return useList<RefundAuditRow>({
    resource: "audit_log",
    filters: [
      { field: "table_name", operator: "eq", value: "refunds" },
      { field: "record_id", operator: "eq", value: refundId },
    ],
    sorters: [{ field: "id", order: "asc" }],
    pagination: { currentPage: 1, pageSize: 100, mode: "server" },
    meta: { select: "id,occurred_at,actor_staff_id,action,record_id,old_data,new_data" },
    queryOptions: { enabled: enabled && refundId !== "" },
    errorNotification: false,
  });
}

/** Customers by id, for the list's customer column (auditors do not read customers: the id is shown instead). */
export function useCustomerNames(ids: readonly string[], enabled: boolean) {
  const unique = [...new Set(ids.filter(Boolean))].sort();
  const { result } = useList<{ id: string; email: string; display_name: string | null }>({
    resource: "customer_directory",
    filters: [{ field: "id", operator: "in", value: unique }],
    pagination: { mode: "off" },
    meta: { select: "id,email,display_name" },
    queryOptions: { enabled: enabled && unique.length > 0 },
    errorNotification: false,
  });
  return new Map((result.data ?? []).map((row) => [row.id, row]));
}

/** Tab counts as `count=exact` HEAD requests: only the Content-Range total travels. */
export function useRefundTabCounts(bar: CrudFilters, pollMs: number | false = false) {
  const getClient = useSupabaseClient();
  return useQuery({
    // Counts move with the statuses: re-counted as often as the list re-reads in-flight refunds.
    refetchInterval: pollMs,
    queryKey: refundsKeys.tabCounts(bar),
    queryFn: async () => {
      const client = await getClient();
      // The status tabs partition every status (listState.test.ts checks it), so "All" is their sum, not a query.
      const entries = await Promise.all(
        REFUND_TABS.filter((tab) => tab !== "all").map(async (tab) => {
          const { count, error, status } = await withFilters(client.from(REFUNDS).select("id", { count: "exact", head: true }), [...tabFilters(tab), ...bar]);
          if (error) throw toRpcError(REFUNDS, { error, status }, REFUND_WORDING);
          return [tab, count ?? 0] as const;
        }),
      );
      const all = entries.reduce((sum, [, n]) => sum + n, 0);
      return Object.fromEntries([...entries, ["all", all]]) as Record<RefundTab, number>;
    },
  });
}

/** Currencies with an approval threshold (every staff member reads the table): the currency filter's options. */
export function useRefundThresholds() {
  return useList<{ currency: string; second_approval_above: number | string }>({
    resource: "refund_approval_thresholds",
    sorters: [{ field: "currency", order: "asc" }],
    pagination: { mode: "off" },
    meta: { uniqueOrder: ["currency"] },
    errorNotification: false,
  });
}
