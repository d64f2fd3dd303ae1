import type { CrudFilter, CrudFilters } from "@refinedev/core";
import { dayRangeFilters, FilterInputError } from "../../lib/list/filters";
import { normaliseSearchText } from "../../lib/postgrestFilters";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/customers";

/**
 * The customers list's search box and filter bar, as Refine CRUD filters (which @refinedev/supabase turns into
 * PostgREST query parameters and syncWithLocation keeps in the URL). Pure, so the query shape is unit-tested.
 */
export const SEARCH_FILTER_KEY = "search";
const SEARCHED_TEXT_FIELDS = ["email", "display_name", "clerk_user_id"] as const;

const STRIPE_CUSTOMER_ID = /^cus_[A-Za-z0-9]+$/;

/**
 * Characters that would break out of PostgREST's quoted `or=(…)` value (quote, backslash) or turn the term into
 * a pattern of its own (the % and * wildcards) are dropped: the box searches for text, not patterns.
 */
export function normaliseSearchTerm(raw: string): string {
  return raw.replace(/["\\%*]/g, "").replace(/\s+/g, " ").trim();
}

/** `cus_…` looks up the Stripe customer id exactly; anything else is a contains-search over contact fields. */
export function buildSearchFilter(raw: string): CrudFilter | null {
  const term = normaliseSearchTerm(raw);
  if (term === "") return null;
  if (STRIPE_CUSTOMER_ID.test(term)) {
    return { key: SEARCH_FILTER_KEY, operator: "or", value: [{ field: "stripe_customer_id", operator: "eq", value: term }] };
  }
  return {
    key: SEARCH_FILTER_KEY,
    operator: "or",
    value: SEARCHED_TEXT_FIELDS.map((field) => ({ field, operator: "contains" as const, value: term })),
  };
}

/**
 * The PostgREST `or` filter for matching a requester to a customer: a Clerk id (user_…) exactly, anything else
 * as part of the email or display name. Null for terms too short to search.
 */
export function customerMatchFilter(raw: string): string | null {
  const term = normaliseSearchText(raw);
  if (term.length < 2) return null;
  return /^user_[A-Za-z0-9]+$/.test(term) ? `clerk_user_id.eq.${term}` : `email.ilike."%${term}%",display_name.ilike."%${term}%"`;
}

function isSearchFilter(filter: CrudFilter): boolean {
  return "key" in filter && filter.key === SEARCH_FILTER_KEY;
}

export function readSearchTerm(filters: CrudFilters): string {
  const search = filters.find(isSearchFilter);
  if (!search || !Array.isArray(search.value)) return "";
  const first = search.value[0] as { value?: unknown } | undefined;
  return typeof first?.value === "string" ? first.value : "";
}

export type StatusFilter = "all" | "active" | "deleted";
export type RestrictionFilter = "all" | "restricted" | "unrestricted";
export type PlanFilter = "all" | "none" | "creator" | "pro" | "studio";

export interface CustomerFilterState {
  search: string;
  status: StatusFilter;
  restriction: RestrictionFilter;
  plan: PlanFilter;
  country: string;
  createdFrom: string; // YYYY-MM-DD, Bangkok calendar day, inclusive
  createdTo: string; // YYYY-MM-DD, inclusive
}

export const EMPTY_FILTER_STATE: CustomerFilterState = {
  search: "",
  status: "all",
  restriction: "all",
  plan: "all",
  country: "",
  createdFrom: "",
  createdTo: "",
};

const PLANS = new Set(["creator", "pro", "studio"]);

export { FilterInputError };

/** Whole filter bar → CRUD filters. Invalid input raises a FilterInputError naming the field. */
export function buildCustomerFilters(state: CustomerFilterState): CrudFilters {
  const filters: CrudFilter[] = [];
  const search = buildSearchFilter(state.search);
  if (search) filters.push(search);

  // @refinedev/supabase sends `null`/`nnull` as `is`/`not.is` with the given value; Refine drops filters whose
  // value is null, so the literal "null" is what reaches PostgREST as `deleted_at=not.is.null`.
  if (state.status === "active") filters.push({ field: "deleted_at", operator: "null", value: "null" });
  if (state.status === "deleted") filters.push({ field: "deleted_at", operator: "nnull", value: "null" });

  if (state.restriction !== "all") {
    filters.push({ field: "processing_restricted", operator: "eq", value: state.restriction === "restricted" });
  }

  if (state.plan === "none") filters.push({ field: "subscription_plan", operator: "null", value: "null" });
  else if (PLANS.has(state.plan)) filters.push({ field: "subscription_plan", operator: "eq", value: state.plan });

  const country = state.country.trim().toUpperCase();
  if (country !== "") {
    if (!/^[A-Z]{2}$/.test(country)) throw new FilterInputError(t("customers.list.countryInvalid"));
    filters.push({ field: "country", operator: "eq", value: country });
  }

  filters.push(...dayRangeFilters("created_at", { from: state.createdFrom, to: state.createdTo }, t("customers.list.createdDate")));
  return filters;
}

function findFilter(filters: CrudFilters, field: string, operator?: string) {
  return filters.find((f) => "field" in f && f.field === field && (!operator || f.operator === operator)) as
    | { field: string; operator: string; value: unknown }
    | undefined;
}

function toBangkokDay(iso: unknown, shiftBackOneDay: boolean): string {
  if (typeof iso !== "string") return "";
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  // Bangkok is UTC+7 all year (no DST), so a fixed offset is exact.
  const bangkok = new Date(ms + 7 * 3600_000 - (shiftBackOneDay ? 86_400_000 : 0));
  return bangkok.toISOString().slice(0, 10);
}

/** CRUD filters (e.g. parsed back from the URL) → filter bar state, the inverse of buildCustomerFilters. */
export function readCustomerFilters(filters: CrudFilters): CustomerFilterState {
  const deleted = findFilter(filters, "deleted_at");
  const restricted = findFilter(filters, "processing_restricted", "eq");
  const plan = findFilter(filters, "subscription_plan");
  const country = findFilter(filters, "country", "eq");
  const planValue = plan?.operator === "null" ? "none" : String(plan?.value ?? "all");
  return {
    search: readSearchTerm(filters),
    status: deleted?.operator === "null" ? "active" : deleted?.operator === "nnull" ? "deleted" : "all",
    // Values parsed from the URL come back as strings.
    restriction: restricted ? (String(restricted.value) === "true" ? "restricted" : "unrestricted") : "all",
    plan: (["none", "creator", "pro", "studio"].includes(planValue) ? planValue : "all") as PlanFilter,
    country: typeof country?.value === "string" ? country.value : "",
    createdFrom: toBangkokDay(findFilter(filters, "created_at", "gte")?.value, false),
    createdTo: toBangkokDay(findFilter(filters, "created_at", "lt")?.value, true),
  };
}
