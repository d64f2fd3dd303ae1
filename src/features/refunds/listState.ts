import type { CrudFilter } from "@refinedev/core";
import { t } from "../../i18n/provider";
// The kit's pure modules, not its index: node-side tests (tests/refunds-ui) read this file without JSX.
import { dayRangeFilters, oneOfFilter } from "../../lib/list/filters";
import { defineListState, param, type ValuesOf } from "../../lib/list/urlState";
import { isRefundReason, type RefundStatus } from "./types";
import "../../i18n/messages/en/refunds"; // the refund desk's words load with the desk

/**
 * The refunds list keeps its whole state in the URL (`/refunds?tab=awaiting&reason=duplicate&currency=thb&open=<id>`)
 * so a filtered list or an open refund can be shared, and back/forward work. The parameters are declared once here;
 * the tabs and the filter bar turn into PostgREST filters below.
 */

export const REFUND_TABS = ["awaiting", "approved", "in_progress", "succeeded", "failed", "rejected", "all"] as const;
export type RefundTab = (typeof REFUND_TABS)[number];

export const TAB_STATUSES: Record<RefundTab, readonly RefundStatus[] | null> = {
  awaiting: ["awaiting_approval"],
  approved: ["approved"],
  in_progress: ["processing", "pending", "requires_action"],
  succeeded: ["succeeded"],
  failed: ["failed", "canceled"],
  rejected: ["rejected"],
  all: null,
};

export const DEFAULT_TAB: RefundTab = "awaiting";
export const REFUND_PAGE_SIZE = 25;

const filterParams = {
  reasons: param.listOf("reason", isRefundReason),
  currency: param.currency("currency"),
  /** A staff id. */
  requester: param.uuid("requester"),
  /** Bangkok days, both inclusive (requested_at). */
  from: param.date("from"),
  to: param.date("to"),
};

/** `tab`, `reason`, `currency`, `requester`, `from`, `to`, `page`, and `open` (the refund in the detail drawer). */
export const refundListState = defineListState({
  tabs: { values: REFUND_TABS, default: DEFAULT_TAB },
  filters: filterParams,
  extras: { open: param.uuid("open") },
});

export type RefundFilterState = ValuesOf<typeof filterParams>;
export type RefundListState = ReturnType<typeof refundListState.read>;
export const EMPTY_FILTERS: RefundFilterState = refundListState.emptyFilters;

export function tabFilters(tab: RefundTab): CrudFilter[] {
  const statuses = TAB_STATUSES[tab];
  if (!statuses) return [];
  return statuses.length === 1 ? [{ field: "status", operator: "eq", value: statuses[0] }] : [{ field: "status", operator: "in", value: [...statuses] }];
}

const equalTo = (field: string, value: string): CrudFilter[] => (value ? [{ field, operator: "eq", value }] : []);

/** The filter bar as CRUD filters; an impossible date range raises the kit's FilterInputError. */
export function barFilters(f: RefundFilterState): CrudFilter[] {
  return [
    ...oneOfFilter("reason", f.reasons),
    ...equalTo("currency", f.currency),
    ...equalTo("requested_by", f.requester),
    ...dayRangeFilters("requested_at", f, t("refunds.filters.requestedDate")),
  ];
}
