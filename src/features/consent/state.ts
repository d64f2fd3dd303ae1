import type { CrudFilter, CrudSort } from "@refinedev/core";
import { t } from "../../i18n/provider";
// The kit's modules one by one, not its index (which holds the components): the CSV export reads this file from Node too.
import { dayRangeFilters, FilterInputError, oneOfFilter } from "../../lib/list/filters";
import { defineListState, isUuid, param, type ParamCodec, type SortState } from "../../lib/list/urlState";
import { filtersOrNone } from "../../lib/list/useFilterDraft";
import { DEFAULT_PERIOD, isPeriod, type Period } from "./period";
import { isAction, isPurpose, isSource } from "./types";
import "../../i18n/messages/en/consent";

/**
 * The explorer's whole state lives in the URL (`/consent?purpose=marketing_email&action=withdrawn&from=2026-05-01`),
 * so a filtered view of the log can be shared and handed over as it is.
 */
export const CONSENT_PAGE_SIZE = 25;
export const SORTABLE_FIELDS = ["date", "purpose", "action", "source"] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];

/** The overview's period (`?tab=overview&period=30d`); the default (12 weeks) stays out of the URL. */
const periodParam: ParamCodec<Period> = {
  key: "period",
  empty: DEFAULT_PERIOD,
  read: (params) => {
    const value = params.get("period") ?? "";
    return isPeriod(value) ? value : DEFAULT_PERIOD;
  },
  write: (value) => (value === DEFAULT_PERIOD ? null : value),
};

export const consentListState = defineListState({
  tabs: { values: ["log", "overview"] as const, default: "log" },
  extras: { period: periodParam },
  filters: {
    customer: param.text("customer"), // a customer id (UUID); typed by hand or chosen in the picker
    purposes: param.listOf("purpose", isPurpose),
    actions: param.listOf("action", isAction),
    version: param.uuid("version"), // a policy version's id, chosen by its label
    sources: param.listOf("source", isSource),
    from: param.date("from"), // YYYY-MM-DD Bangkok, inclusive
    to: param.date("to"),
  },
  sort: { fields: SORTABLE_FIELDS, default: { field: "date", order: "desc" } },
});

export type ConsentFilterState = typeof consentListState.emptyFilters;
export type ConsentSort = SortState<SortField>;

/** The filter bar as CRUD filters; bad input raises the kit's FilterInputError naming the field. */
export function buildConsentFilters(f: ConsentFilterState): CrudFilter[] {
  const filters: CrudFilter[] = [];
  const customer = f.customer.trim();
  if (customer) {
    if (!isUuid(customer)) throw new FilterInputError(t("consent.filters.notCustomerId"));
    filters.push({ field: "customer_id", operator: "eq", value: customer.toLowerCase() });
  }
  filters.push(...oneOfFilter("purpose", f.purposes));
  filters.push(...oneOfFilter("action", f.actions));
  if (f.version) filters.push({ field: "policy_version_id", operator: "eq", value: f.version });
  filters.push(...oneOfFilter("source", f.sources));
  filters.push(...dayRangeFilters("occurred_at", f, t("consent.filters.dateField")));
  return filters;
}

/** What the list queries: the bar's filters, or none when a link holds a combination the bar refuses. */
export function consentQueryFilters(f: ConsentFilterState): CrudFilter[] {
  return filtersOrNone(buildConsentFilters, f);
}

/** The sort, then time and id as tie-breakers (latest event wins: occurred_at, then id), so pages never overlap. */
export function consentSorters(sort: ConsentSort): CrudSort[] {
  const sorters: CrudSort[] = [];
  if (sort.field !== "date") sorters.push({ field: sort.field, order: sort.order });
  const order = sort.field === "date" ? sort.order : "desc";
  sorters.push({ field: "occurred_at", order }, { field: "id", order });
  return sorters;
}
