import type { CrudFilter, CrudSort } from "@refinedev/core";
import { bangkokEndOfDayExclusiveIso, bangkokStartOfDayIso } from "../../lib/format";
import { isAdjustmentStatus, isLedgerReason, type AdjustmentStatus, type LedgerReason } from "./types";

/**
 * The credits page's whole state lives in the URL (`/credits?tab=pending&reason=goodwill&min=100&from=2026-11-01`),
 * so a filtered view can be shared and back/forward work. Pure functions: URL ⇄ state ⇄ PostgREST filters.
 */
export const CREDIT_TABS = ["ledger", "adjustments", "pending"] as const;
export type CreditTab = (typeof CREDIT_TABS)[number];
export const TAB_LABELS: Record<CreditTab, string> = { ledger: "Ledger", adjustments: "Adjustments", pending: "Pending approval" };
export const DEFAULT_TAB: CreditTab = "ledger";
export const CREDITS_PAGE_SIZE = 25;

export const SORTABLE_FIELDS = ["date", "amount", "reason"] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];
export const DEFAULT_SORT: { field: SortField; order: "asc" | "desc" } = { field: "date", order: "desc" };

export interface CreditFilterState {
  reasons: LedgerReason[];
  /** A staff id, "none" for entries no staff member made (the product's own), or "" for anyone. */
  actor: string;
  from: string; // YYYY-MM-DD Bangkok, inclusive
  to: string; // YYYY-MM-DD Bangkok, inclusive
  min: string; // integer credits, inclusive (signed)
  max: string;
  customer: string; // customer id
  statuses: AdjustmentStatus[]; // adjustments tab only
}

export interface CreditPageState {
  tab: CreditTab;
  filters: CreditFilterState;
  page: number;
  sort: { field: SortField; order: "asc" | "desc" };
}

export const EMPTY_FILTERS: CreditFilterState = { reasons: [], actor: "", from: "", to: "", min: "", max: "", customer: "", statuses: [] };

export class CreditInputError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^[+-]?\d{1,9}$/;

function isTab(value: string | null): value is CreditTab {
  return value !== null && (CREDIT_TABS as readonly string[]).includes(value);
}

function list<T extends string>(params: URLSearchParams, key: string, guard: (v: string) => v is T): T[] {
  return params.getAll(key).flatMap((v) => v.split(",")).filter(guard);
}

/** URL → state. Unknown or malformed values are dropped (a hand-edited link falls back to defaults). */
export function readCreditState(params: URLSearchParams): CreditPageState {
  const page = Number(params.get("page") ?? "1");
  const sortField = params.get("sort") ?? "";
  const order = params.get("order");
  const actor = params.get("actor") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const min = params.get("min") ?? "";
  const max = params.get("max") ?? "";
  const customer = params.get("customer") ?? "";
  const tab = params.get("tab");
  return {
    tab: isTab(tab) ? tab : DEFAULT_TAB,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    sort: {
      field: (SORTABLE_FIELDS as readonly string[]).includes(sortField) ? (sortField as SortField) : DEFAULT_SORT.field,
      order: order === "asc" ? "asc" : order === "desc" ? "desc" : DEFAULT_SORT.order,
    },
    filters: {
      reasons: list(params, "reason", isLedgerReason),
      actor: actor === "none" || UUID.test(actor) ? actor : "",
      from: DATE.test(from) ? from : "",
      to: DATE.test(to) ? to : "",
      min: INTEGER.test(min) ? min : "",
      max: INTEGER.test(max) ? max : "",
      customer: UUID.test(customer) ? customer : "",
      statuses: list(params, "status", isAdjustmentStatus),
    },
  };
}

/** State → URL; defaults are left out so the plain page has a plain address. */
export function writeCreditState(state: CreditPageState): URLSearchParams {
  const params = new URLSearchParams();
  const f = state.filters;
  if (state.tab !== DEFAULT_TAB) params.set("tab", state.tab);
  if (f.reasons.length) params.set("reason", f.reasons.join(","));
  if (f.actor) params.set("actor", f.actor);
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  if (f.min.trim()) params.set("min", f.min.trim());
  if (f.max.trim()) params.set("max", f.max.trim());
  if (f.customer) params.set("customer", f.customer);
  if (f.statuses.length) params.set("status", f.statuses.join(","));
  if (state.sort.field !== DEFAULT_SORT.field || state.sort.order !== DEFAULT_SORT.order) {
    params.set("sort", state.sort.field);
    params.set("order", state.sort.order);
  }
  if (state.page > 1) params.set("page", String(state.page));
  return params;
}

/** The ledger and the adjustments name the same ideas with different columns. */
const COLUMNS = {
  ledger: { date: "created_at", actor: "actor_staff_id", id: "id" },
  adjustments: { date: "requested_at", actor: "requested_by", id: "id" },
} as const;

export function sourceOf(tab: CreditTab): keyof typeof COLUMNS {
  return tab === "ledger" ? "ledger" : "adjustments";
}

function parseInteger(raw: string, label: string): number | null {
  const text = raw.trim();
  if (text === "") return null;
  if (!INTEGER.test(text)) throw new CreditInputError(`${label}: a whole number of credits, e.g. -500 or 1000.`);
  return Number(text);
}

/** The filter bar as CRUD filters for one tab; bad input raises a CreditInputError naming the field. */
export function buildCreditFilters(f: CreditFilterState, tab: CreditTab): CrudFilter[] {
  const cols = COLUMNS[sourceOf(tab)];
  const filters: CrudFilter[] = [];
  if (tab === "pending") filters.push({ field: "status", operator: "eq", value: "pending" });
  else if (tab === "adjustments" && f.statuses.length) filters.push({ field: "status", operator: "in", value: [...f.statuses] });
  if (f.reasons.length) filters.push({ field: "reason", operator: "in", value: [...f.reasons] });
  if (f.actor === "none") {
    // Only ledger rows can lack a staff member (the product's purchases and generations); every adjustment has one.
    filters.push({ field: cols.actor, operator: "null", value: true });
  } else if (f.actor) {
    if (!UUID.test(f.actor)) throw new CreditInputError("Staff member: not a staff member id.");
    filters.push({ field: cols.actor, operator: "eq", value: f.actor });
  }
  if (f.customer) {
    if (!UUID.test(f.customer)) throw new CreditInputError("Customer: not a customer id.");
    filters.push({ field: "customer_id", operator: "eq", value: f.customer });
  }
  let from: string | undefined;
  let to: string | undefined;
  try {
    if (f.from) from = bangkokStartOfDayIso(f.from);
    if (f.to) to = bangkokEndOfDayExclusiveIso(f.to);
  } catch (cause) {
    throw new CreditInputError(`Date: ${(cause as Error).message}`);
  }
  if (from && to && from >= to) throw new CreditInputError("Date: the start is after the end.");
  if (from) filters.push({ field: cols.date, operator: "gte", value: from });
  if (to) filters.push({ field: cols.date, operator: "lt", value: to });
  const min = parseInteger(f.min, "Minimum amount");
  const max = parseInteger(f.max, "Maximum amount");
  if (min !== null && max !== null && min > max) throw new CreditInputError("Amount: the minimum is above the maximum.");
  if (min !== null) filters.push({ field: "amount", operator: "gte", value: min });
  if (max !== null) filters.push({ field: "amount", operator: "lte", value: max });
  return filters;
}

/** Sort plus the id as a unique tie-breaker, so paging through equal dates never repeats or skips a row. */
export function creditSorters(sort: CreditPageState["sort"], tab: CreditTab): CrudSort[] {
  const cols = COLUMNS[sourceOf(tab)];
  const field = sort.field === "date" ? cols.date : sort.field;
  const sorters: CrudSort[] = [{ field, order: sort.order }];
  if (sort.field !== "date") sorters.push({ field: cols.date, order: "desc" });
  sorters.push({ field: cols.id, order: "desc" });
  return sorters;
}
