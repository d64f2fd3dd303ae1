import type { CrudFilter } from "@refinedev/core";
import { bangkokEndOfDayExclusiveIso, bangkokStartOfDayIso } from "../../lib/format";
import { isRefundReason, type RefundReason, type RefundStatus } from "./types";

/**
 * The refunds list keeps its whole state in the URL (`/refunds?tab=awaiting&reason=duplicate&currency=thb&open=<id>`)
 * so a filtered list or an open refund can be shared, and back/forward work. Pure functions: URL ⇄ state ⇄ filters.
 */

export const REFUND_TABS = ["awaiting", "approved", "in_progress", "succeeded", "failed", "rejected", "all"] as const;
export type RefundTab = (typeof REFUND_TABS)[number];

export const TAB_LABELS: Record<RefundTab, string> = {
  awaiting: "Awaiting approval",
  approved: "Ready to send",
  in_progress: "In progress",
  succeeded: "Succeeded",
  failed: "Failed / canceled",
  rejected: "Rejected",
  all: "All",
};

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

export interface RefundFilterState {
  reasons: RefundReason[];
  currency: string;
  /** A staff id. */
  requester: string;
  from: string; // YYYY-MM-DD Bangkok, inclusive (requested_at)
  to: string; // YYYY-MM-DD Bangkok, inclusive
}

export interface RefundListState {
  tab: RefundTab;
  filters: RefundFilterState;
  page: number;
  /** The refund shown in the detail drawer. */
  open: string;
}

export const EMPTY_FILTERS: RefundFilterState = { reasons: [], currency: "", requester: "", from: "", to: "" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[a-z]{3}$/;

function isTab(value: string | null): value is RefundTab {
  return value !== null && (REFUND_TABS as readonly string[]).includes(value);
}

/** URL → state; unknown or malformed values fall back to the defaults. */
export function readListState(params: URLSearchParams): RefundListState {
  const tab = params.get("tab");
  const page = Number(params.get("page") ?? "1");
  const currency = (params.get("currency") ?? "").toLowerCase();
  const requester = params.get("requester") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const open = params.get("open") ?? "";
  return {
    tab: isTab(tab) ? tab : DEFAULT_TAB,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    open: UUID.test(open) ? open : "",
    filters: {
      reasons: params.getAll("reason").flatMap((v) => v.split(",")).filter(isRefundReason),
      currency: CURRENCY.test(currency) ? currency : "",
      requester: UUID.test(requester) ? requester : "",
      from: DATE.test(from) ? from : "",
      to: DATE.test(to) ? to : "",
    },
  };
}

/** State → URL; defaults left out. */
export function writeListState(state: RefundListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.tab !== DEFAULT_TAB) params.set("tab", state.tab);
  const f = state.filters;
  if (f.reasons.length) params.set("reason", f.reasons.join(","));
  if (f.currency) params.set("currency", f.currency);
  if (f.requester) params.set("requester", f.requester);
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  if (state.page > 1) params.set("page", String(state.page));
  if (state.open) params.set("open", state.open);
  return params;
}

export function tabFilters(tab: RefundTab): CrudFilter[] {
  const statuses = TAB_STATUSES[tab];
  if (!statuses) return [];
  return statuses.length === 1 ? [{ field: "status", operator: "eq", value: statuses[0] }] : [{ field: "status", operator: "in", value: [...statuses] }];
}

export class FilterInputError extends Error {}

/** The filter bar as CRUD filters; an impossible date range raises a FilterInputError. */
export function barFilters(f: RefundFilterState): CrudFilter[] {
  const filters: CrudFilter[] = [];
  if (f.reasons.length) filters.push({ field: "reason", operator: "in", value: [...f.reasons] });
  if (f.currency) filters.push({ field: "currency", operator: "eq", value: f.currency });
  if (f.requester) filters.push({ field: "requested_by", operator: "eq", value: f.requester });
  const from = f.from ? bangkokStartOfDayIso(f.from) : undefined;
  const to = f.to ? bangkokEndOfDayExclusiveIso(f.to) : undefined;
  if (from && to && from >= to) throw new FilterInputError("Requested date: the start is after the end.");
  if (from) filters.push({ field: "requested_at", operator: "gte", value: from });
  if (to) filters.push({ field: "requested_at", operator: "lt", value: to });
  return filters;
}
