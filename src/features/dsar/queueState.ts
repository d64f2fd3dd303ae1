import type { CrudFilter, CrudFilters, CrudSort } from "@refinedev/core";
import { dayRangeFilters, FilterInputError, oneOfFilter } from "../../lib/list/filters";
import { defineListState, isUuid, param, type SortState } from "../../lib/list/urlState";
import "../../i18n/messages/en/dsar";
import { t } from "../../i18n/provider";
import { normaliseSearchText } from "../../lib/postgrestFilters";
import { isDsarChannel, isDsarStatus, isDsarType } from "./types";

/**
 * The queue's whole state lives in the URL (`/dsar?tab=overdue&type=erasure&q=somchai&page=2`), so a link to a
 * filtered queue can be shared and back/forward work. Pure functions: URL ⇄ state ⇄ PostgREST filters.
 */

export const QUEUE_TABS = ["mine", "due_soon", "overdue", "awaiting_identity", "open", "closed"] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

export const DEFAULT_TAB: QueueTab = "open";
export const QUEUE_PAGE_SIZE = 25;

export const SORTABLE_FIELDS = ["due_at", "received_at", "reference", "type", "status", "requester_email"] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];
export const DEFAULT_SORT: SortState<SortField> = { field: "due_at", order: "asc" };

/** The queue's URL: `tab`, the filter bar (`q`, `type`, `status`, `channel`, `assignee`, `from`, `to`, `overdue`), sort, page. */
export const queueCodec = defineListState({
  tabs: { values: QUEUE_TABS, default: DEFAULT_TAB },
  filters: {
    search: param.text("q"),
    types: param.listOf("type", isDsarType),
    statuses: param.listOf("status", isDsarStatus),
    channels: param.listOf("channel", isDsarChannel),
    /** A staff id, or "none" for unassigned requests. */
    assignee: param.uuid("assignee", ["none"]),
    /** Bangkok days, inclusive. */
    receivedFrom: param.date("from"),
    receivedTo: param.date("to"),
    overdueOnly: param.flag("overdue"),
  },
  sort: { fields: SORTABLE_FIELDS, default: DEFAULT_SORT },
});

export type QueueFilterState = typeof queueCodec.emptyFilters;

export interface QueueState {
  tab: QueueTab;
  filters: QueueFilterState;
  page: number;
  sort: SortState<SortField>;
}

export const EMPTY_QUEUE_FILTERS: QueueFilterState = queueCodec.emptyFilters;

/** Bad filter-bar input; the message names the field. */
export { FilterInputError as QueueInputError };

/** URL → state. Unknown or malformed values are ignored (a hand-edited link falls back to defaults). */
export function readQueueState(params: URLSearchParams): QueueState {
  const { tab, filters, page, sort } = queueCodec.read(params);
  return { tab, filters, page, sort };
}

/** State → URL; defaults are left out so the plain queue has a plain address. */
export function writeQueueState(state: QueueState): URLSearchParams {
  return queueCodec.write({ ...state, extras: {} });
}

/**
 * What a tab means. "My queue" is what is assigned to me (the DPO) or, for support, what I logged: support only
 * ever sees its own intakes (RLS), so for them the tab is the same list with the same words.
 */
export function tabFilters(tab: QueueTab, staffId: string | null, mineMeansCreatedBy = false): CrudFilter[] {
  const open: CrudFilter = { field: "is_open", operator: "eq", value: true };
  switch (tab) {
    case "mine":
      // Without an identity yet, ask for nothing rather than everything.
      return [open, { field: mineMeansCreatedBy ? "created_by" : "assignee_id", operator: "eq", value: staffId ?? "00000000-0000-0000-0000-000000000000" }];
    case "due_soon":
      return [open, { field: "days_left", operator: "gte", value: 0 }, { field: "days_left", operator: "lte", value: 7 }];
    case "overdue":
      return [open, { field: "is_overdue", operator: "eq", value: true }];
    case "awaiting_identity":
      return [{ field: "status", operator: "eq", value: "awaiting_verification" }];
    case "open":
      return [open];
    case "closed":
      return [{ field: "is_open", operator: "eq", value: false }];
  }
}

export const SEARCHED_FIELDS = ["reference", "requester_email", "customer_email", "customer_display_name"] as const;

/** The filter bar as CRUD filters; bad input raises a FilterInputError naming the field. */
export function buildBarFilters(f: QueueFilterState): CrudFilter[] {
  const filters: CrudFilter[] = [];
  const term = normaliseSearchText(f.search);
  if (term) {
    filters.push({ operator: "or", value: SEARCHED_FIELDS.map((field) => ({ field, operator: "contains" as const, value: term })) });
  }
  filters.push(...oneOfFilter("type", f.types), ...oneOfFilter("status", f.statuses), ...oneOfFilter("channel", f.channels));
  if (f.assignee === "none") filters.push({ field: "assignee_id", operator: "null", value: "null" });
  else if (f.assignee) {
    if (!isUuid(f.assignee)) throw new FilterInputError(t("dsar.filters.assigneeInvalid"));
    filters.push({ field: "assignee_id", operator: "eq", value: f.assignee });
  }
  filters.push(...dayRangeFilters("received_at", { from: f.receivedFrom, to: f.receivedTo }, t("dsar.filters.receivedDate")));
  if (f.overdueOnly) filters.push({ field: "is_overdue", operator: "eq", value: true });
  return filters;
}

export function buildQueueFilters(state: Pick<QueueState, "tab" | "filters">, staffId: string | null, mineMeansCreatedBy = false): CrudFilters {
  return [...tabFilters(state.tab, staffId, mineMeansCreatedBy), ...buildBarFilters(state.filters)];
}

/** Sort plus a unique tie-breaker, so paging through equal due dates never repeats or skips a row. */
export function queueSorters(sort: QueueState["sort"]): CrudSort[] {
  const sorters: CrudSort[] = [{ field: sort.field, order: sort.order }];
  if (sort.field !== "reference") sorters.push({ field: "reference", order: "asc" });
  return sorters;
}
