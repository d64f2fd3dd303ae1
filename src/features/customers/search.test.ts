import { describe, expect, it } from "vitest";
import {
  EMPTY_FILTER_STATE,
  FilterInputError,
  buildCustomerFilters,
  buildSearchFilter,
  normaliseSearchTerm,
  readCustomerFilters,
} from "./search";

describe("buildSearchFilter", () => {
  it("searches email, display name and Clerk user id with contains for ordinary text", () => {
    expect(buildSearchFilter("  somchai ")).toEqual({
      key: "search",
      operator: "or",
      value: [
        { field: "email", operator: "contains", value: "somchai" },
        { field: "display_name", operator: "contains", value: "somchai" },
        { field: "clerk_user_id", operator: "contains", value: "somchai" },
      ],
    });
  });
  it("looks a cus_ term up exactly in stripe_customer_id", () => {
    expect(buildSearchFilter("cus_Q1w2E3")).toEqual({
      key: "search",
      operator: "or",
      value: [{ field: "stripe_customer_id", operator: "eq", value: "cus_Q1w2E3" }],
    });
  });
  it("returns no filter for an empty or wildcard-only term", () => {
    expect(buildSearchFilter("   ")).toBeNull();
    expect(buildSearchFilter('%*"')).toBeNull();
  });
  it("drops characters that would escape the quoted or-value or act as wildcards", () => {
    expect(normaliseSearchTerm('a"b\\c%d*e  f')).toBe("abcde f");
  });
});

describe("buildCustomerFilters", () => {
  it("builds nothing for the empty state", () => {
    expect(buildCustomerFilters(EMPTY_FILTER_STATE)).toEqual([]);
  });
  it("maps status, restriction, plan and country", () => {
    const filters = buildCustomerFilters({
      ...EMPTY_FILTER_STATE,
      status: "deleted",
      restriction: "restricted",
      plan: "pro",
      country: "th",
    });
    expect(filters).toEqual([
      { field: "deleted_at", operator: "nnull", value: "null" },
      { field: "processing_restricted", operator: "eq", value: true },
      { field: "subscription_plan", operator: "eq", value: "pro" },
      { field: "country", operator: "eq", value: "TH" },
    ]);
  });
  it("filters customers without a subscription by a null plan", () => {
    expect(buildCustomerFilters({ ...EMPTY_FILTER_STATE, plan: "none" })).toEqual([
      { field: "subscription_plan", operator: "null", value: "null" },
    ]);
  });
  it("turns the created range into Bangkok-day bounds (inclusive start, exclusive end)", () => {
    expect(buildCustomerFilters({ ...EMPTY_FILTER_STATE, createdFrom: "2026-11-01", createdTo: "2026-11-26" })).toEqual([
      { field: "created_at", operator: "gte", value: "2026-10-31T17:00:00.000Z" },
      { field: "created_at", operator: "lt", value: "2026-11-26T17:00:00.000Z" },
    ]);
  });
  it("rejects a bad country code and an inverted range with a clear error", () => {
    expect(() => buildCustomerFilters({ ...EMPTY_FILTER_STATE, country: "Thailand" })).toThrow(FilterInputError);
    expect(() => buildCustomerFilters({ ...EMPTY_FILTER_STATE, createdFrom: "2026-11-26", createdTo: "2026-11-01" })).toThrow(
      /start is after the end/,
    );
  });
});

describe("readCustomerFilters", () => {
  it("round-trips the filter bar through CRUD filters", () => {
    const state = {
      search: "nattaya",
      status: "active" as const,
      restriction: "unrestricted" as const,
      plan: "studio" as const,
      country: "TH",
      createdFrom: "2026-01-01",
      createdTo: "2026-01-31",
    };
    expect(readCustomerFilters(buildCustomerFilters(state))).toEqual(state);
  });
  it("reads string booleans as they come back from the URL", () => {
    expect(readCustomerFilters([{ field: "processing_restricted", operator: "eq", value: "true" }]).restriction).toBe("restricted");
  });
  it("reads the Stripe search term back", () => {
    expect(readCustomerFilters(buildCustomerFilters({ ...EMPTY_FILTER_STATE, search: "cus_ABC" })).search).toBe("cus_ABC");
  });
});
