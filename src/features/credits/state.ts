import type { CrudFilter, CrudSort } from "@refinedev/core";
import { t } from "../../i18n/provider";
import {
  dayRangeFilters, defineListState, FilterInputError, filtersOrNone, isUuid, oneOfFilter, param, wholeNumberRangeFilters, type SortState,
} from "../../lib/list";
import { isAdjustmentStatus, isLedgerReason } from "./types";
import "../../i18n/messages/en/credits"; // the filter bar's sentences travel with the desk

/**
 * The credits page's whole state lives in the URL (`/credits?tab=pending&reason=goodwill&min=100&from=2026-11-01`),
 * so a filtered view can be shared and back/forward work. Declared once here; the list kit reads and writes it.
 */
export const CREDIT_TABS = ["ledger", "adjustments", "pending"] as const;
export type CreditTab = (typeof CREDIT_TABS)[number];
export const CREDITS_PAGE_SIZE = 25;

export const SORTABLE_FIELDS = ["date", "amount", "reason"] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];

/** The parameters in the order they appear in the URL: tab, filters, sort and order, page. */
export const creditListState = defineListState({
  tabs: { values: CREDIT_TABS, default: "ledger" },
  filters: {
    reasons: param.listOf("reason", isLedgerReason),
    /** A staff id, "none" for entries no staff member made (the product's own), or "" for anyone. */
    actor: param.uuid("actor", ["none"]),
    from: param.date("from"), // YYYY-MM-DD Bangkok, inclusive
    to: param.date("to"),
    min: param.integer("min"), // integer credits, inclusive (signed)
    max: param.integer("max"),
    customer: param.uuid("customer"),
    statuses: param.listOf("status", isAdjustmentStatus), // adjustments tab only
  },
  sort: { fields: SORTABLE_FIELDS, default: { field: "date", order: "desc" } },
});

export type CreditFilterState = typeof creditListState.emptyFilters;
export type CreditPageState = ReturnType<typeof creditListState.read>;
export type CreditSort = SortState<SortField>;

/** The ledger and the adjustments name the same ideas with different columns. */
const COLUMNS = {
  ledger: { date: "created_at", actor: "actor_staff_id", id: "id" },
  adjustments: { date: "requested_at", actor: "requested_by", id: "id" },
} as const;

export function sourceOf(tab: CreditTab): keyof typeof COLUMNS {
  return tab === "ledger" ? "ledger" : "adjustments";
}

const PENDING_ONLY: CrudFilter = { field: "status", operator: "eq", value: "pending" };

/** The filter bar as CRUD filters for one tab; bad input raises the kit's FilterInputError naming the field. */
export function buildCreditFilters(f: CreditFilterState, tab: CreditTab): CrudFilter[] {
  const cols = COLUMNS[sourceOf(tab)];
  const filters: CrudFilter[] = [];
  if (tab === "pending") filters.push(PENDING_ONLY);
  else if (tab === "adjustments") filters.push(...oneOfFilter("status", f.statuses));
  filters.push(...oneOfFilter("reason", f.reasons));
  if (f.actor === "none") {
    // Only ledger rows can lack a staff member (the product's purchases and generations); every adjustment has one.
    filters.push({ field: cols.actor, operator: "null", value: true });
  } else if (f.actor) {
    if (!isUuid(f.actor)) throw new FilterInputError(t("credits.filters.notStaffId"));
    filters.push({ field: cols.actor, operator: "eq", value: f.actor });
  }
  if (f.customer) {
    if (!isUuid(f.customer)) throw new FilterInputError(t("credits.filters.notCustomerId"));
    filters.push({ field: "customer_id", operator: "eq", value: f.customer });
  }
  filters.push(...dayRangeFilters(cols.date, f, t("credits.filters.fields.date")));
  filters.push(
    ...wholeNumberRangeFilters("amount", f, {
      min: t("credits.filters.minimum"),
      max: t("credits.filters.maximum"),
      range: t("credits.filters.fields.amount"),
      unit: t("credits.filters.fields.unit"),
      example: t("credits.filters.fields.example"),
    }),
  );
  return filters;
}

/**
 * What a tab queries: the bar's filters, or none of them when a link holds a combination the bar refuses (an
 * inverted date range); the pending tab still asks for pending requests only.
 */
export function creditQueryFilters(f: CreditFilterState, tab: CreditTab): CrudFilter[] {
  const built = filtersOrNone((filters: CreditFilterState) => buildCreditFilters(filters, tab), f);
  return tab === "pending" && built.length === 0 ? [PENDING_ONLY] : built;
}

/** Sort plus the id as a unique tie-breaker, so paging through equal dates never repeats or skips a row. */
export function creditSorters(sort: CreditSort, tab: CreditTab): CrudSort[] {
  const cols = COLUMNS[sourceOf(tab)];
  const field = sort.field === "date" ? cols.date : sort.field;
  const sorters: CrudSort[] = [{ field, order: sort.order }];
  if (sort.field !== "date") sorters.push({ field: cols.date, order: "desc" });
  sorters.push({ field: cols.id, order: "desc" });
  return sorters;
}
