import type { CrudFilter, CrudFilters, CrudSort } from "@refinedev/core";
import { bangkokEndOfDayExclusiveIso, bangkokStartOfDayIso } from "../../lib/format";
import { normaliseSearchText } from "../../lib/postgrestFilters";
import { isDsarChannel, isDsarStatus, isDsarType, type DsarChannel, type DsarStatus, type DsarType } from "./types";

/**
 * The queue's whole state lives in the URL (`/dsar?tab=overdue&type=erasure&q=somchai&page=2`), so a link to a
 * filtered queue can be shared and back/forward work. Pure functions: URL ⇄ state ⇄ PostgREST filters.
 */

export const QUEUE_TABS = ["mine", "due_soon", "overdue", "awaiting_identity", "open", "closed"] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

export const TAB_LABELS: Record<QueueTab, string> = {
  mine: "My queue",
  due_soon: "Due ≤ 7 days",
  overdue: "Overdue",
  awaiting_identity: "Awaiting identity",
  open: "All open",
  closed: "Closed",
};

export const DEFAULT_TAB: QueueTab = "open";
export const QUEUE_PAGE_SIZE = 25;

export const SORTABLE_FIELDS = ["due_at", "received_at", "reference", "type", "status", "requester_email"] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];
export const DEFAULT_SORT: { field: SortField; order: "asc" | "desc" } = { field: "due_at", order: "asc" };

export interface QueueFilterState {
  search: string;
  types: DsarType[];
  statuses: DsarStatus[];
  channels: DsarChannel[];
  /** A staff id, or "none" for unassigned requests. */
  assignee: string;
  receivedFrom: string; // YYYY-MM-DD Bangkok, inclusive
  receivedTo: string; // YYYY-MM-DD Bangkok, inclusive
  overdueOnly: boolean;
}

export interface QueueState {
  tab: QueueTab;
  filters: QueueFilterState;
  page: number;
  sort: { field: SortField; order: "asc" | "desc" };
}

export const EMPTY_QUEUE_FILTERS: QueueFilterState = {
  search: "",
  types: [],
  statuses: [],
  channels: [],
  assignee: "",
  receivedFrom: "",
  receivedTo: "",
  overdueOnly: false,
};

export class QueueInputError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isTab(value: string | null): value is QueueTab {
  return value !== null && (QUEUE_TABS as readonly string[]).includes(value);
}

function listParam<T extends string>(params: URLSearchParams, key: string, guard: (v: string) => v is T): T[] {
  return params.getAll(key).flatMap((v) => v.split(",")).filter(guard);
}

/** URL → state. Unknown or malformed values are ignored (a hand-edited link falls back to defaults). */
export function readQueueState(params: URLSearchParams): QueueState {
  const tab = params.get("tab");
  const page = Number(params.get("page") ?? "1");
  const sortField = params.get("sort");
  const order = params.get("order");
  const assignee = params.get("assignee") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  return {
    tab: isTab(tab) ? tab : DEFAULT_TAB,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    sort: {
      field: (SORTABLE_FIELDS as readonly string[]).includes(sortField ?? "") ? (sortField as SortField) : DEFAULT_SORT.field,
      order: order === "desc" ? "desc" : order === "asc" ? "asc" : DEFAULT_SORT.order,
    },
    filters: {
      search: params.get("q") ?? "",
      types: listParam(params, "type", isDsarType),
      statuses: listParam(params, "status", isDsarStatus),
      channels: listParam(params, "channel", isDsarChannel),
      assignee: assignee === "none" || UUID.test(assignee) ? assignee : "",
      receivedFrom: DATE.test(from) ? from : "",
      receivedTo: DATE.test(to) ? to : "",
      overdueOnly: params.get("overdue") === "1",
    },
  };
}

/** State → URL; defaults are left out so the plain queue has a plain address. */
export function writeQueueState(state: QueueState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.tab !== DEFAULT_TAB) params.set("tab", state.tab);
  const f = state.filters;
  if (f.search.trim()) params.set("q", f.search.trim());
  if (f.types.length) params.set("type", f.types.join(","));
  if (f.statuses.length) params.set("status", f.statuses.join(","));
  if (f.channels.length) params.set("channel", f.channels.join(","));
  if (f.assignee) params.set("assignee", f.assignee);
  if (f.receivedFrom) params.set("from", f.receivedFrom);
  if (f.receivedTo) params.set("to", f.receivedTo);
  if (f.overdueOnly) params.set("overdue", "1");
  if (state.sort.field !== DEFAULT_SORT.field || state.sort.order !== DEFAULT_SORT.order) {
    params.set("sort", state.sort.field);
    params.set("order", state.sort.order);
  }
  if (state.page > 1) params.set("page", String(state.page));
  return params;
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

/** The filter bar as CRUD filters; bad input raises a QueueInputError naming the field. */
export function buildBarFilters(f: QueueFilterState): CrudFilter[] {
  const filters: CrudFilter[] = [];
  const term = normaliseSearchText(f.search);
  if (term) {
    filters.push({ operator: "or", value: SEARCHED_FIELDS.map((field) => ({ field, operator: "contains" as const, value: term })) });
  }
  if (f.types.length) filters.push({ field: "type", operator: "in", value: [...f.types] });
  if (f.statuses.length) filters.push({ field: "status", operator: "in", value: [...f.statuses] });
  if (f.channels.length) filters.push({ field: "channel", operator: "in", value: [...f.channels] });
  if (f.assignee === "none") filters.push({ field: "assignee_id", operator: "null", value: "null" });
  else if (f.assignee) {
    if (!UUID.test(f.assignee)) throw new QueueInputError("Assignee: not a staff member id.");
    filters.push({ field: "assignee_id", operator: "eq", value: f.assignee });
  }
  let from: string | undefined;
  let to: string | undefined;
  try {
    if (f.receivedFrom) from = bangkokStartOfDayIso(f.receivedFrom);
    if (f.receivedTo) to = bangkokEndOfDayExclusiveIso(f.receivedTo);
  } catch (cause) {
    throw new QueueInputError(`Received date: ${(cause as Error).message}`);
  }
  if (from && to && from >= to) throw new QueueInputError("Received date: the start is after the end.");
  if (from) filters.push({ field: "received_at", operator: "gte", value: from });
  if (to) filters.push({ field: "received_at", operator: "lt", value: to });
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
