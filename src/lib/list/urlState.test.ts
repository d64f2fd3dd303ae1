import { describe, expect, it } from "vitest";
import { defineListState, param } from "./urlState";

const REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;
const isReason = (v: string): v is (typeof REASONS)[number] => (REASONS as readonly string[]).includes(v);

const refunds = defineListState({
  tabs: { values: ["awaiting", "failed", "all"] as const, default: "awaiting" },
  filters: {
    reasons: param.listOf("reason", isReason),
    currency: param.currency("currency"),
    requester: param.uuid("requester", ["none"]),
    from: param.date("from"),
    min: param.integer("min"),
    search: param.text("q"),
    overdueOnly: param.flag("overdue"),
  },
  sort: { fields: ["requested_at", "amount"] as const, default: { field: "requested_at", order: "desc" } },
  extras: { open: param.uuid("open") },
});

const ID = "0b7c2d0e-8f5a-4c1e-9d2b-3a4f5e6d7c8b";

describe("defineListState", () => {
  it("reads every kind of parameter from a shared link", () => {
    const state = refunds.read(
      new URLSearchParams(`tab=failed&reason=duplicate,fraudulent&reason=requested_by_customer&currency=THB&requester=${ID}&from=2026-11-01&min=-500&q=somchai&overdue=1&sort=amount&order=asc&page=3&open=${ID}`),
    );
    expect(state).toEqual({
      tab: "failed",
      filters: { reasons: ["duplicate", "fraudulent", "requested_by_customer"], currency: "thb", requester: ID, from: "2026-11-01", min: "-500", search: "somchai", overdueOnly: true },
      sort: { field: "amount", order: "asc" },
      page: 3,
      extras: { open: ID },
    });
  });

  it("falls back to the default for every unknown or malformed value of a hand-edited link", () => {
    const state = refunds.read(new URLSearchParams("tab=nope&reason=bogus&currency=baht&requester=42&from=1-2-3&min=1.5&overdue=yes&sort=password&order=sideways&page=-2&open=x"));
    expect(state).toEqual(refunds.defaults);
    expect(refunds.read(new URLSearchParams("page=2.5")).page).toBe(1);
    expect(refunds.read(new URLSearchParams("from=2026-02-30")).filters.from).toBe("");
    expect(refunds.read(new URLSearchParams("from=2028-02-29")).filters.from).toBe("2028-02-29");
    expect(refunds.read(new URLSearchParams("requester=none")).filters.requester).toBe("none");
  });

  it("writes defaults out, so the plain list has a plain address, and round-trips everything else", () => {
    expect(refunds.write(refunds.defaults).toString()).toBe("");
    const state = { ...refunds.defaults, tab: "all" as const, page: 2, filters: { ...refunds.emptyFilters, reasons: ["duplicate" as const], search: "  a b  ", min: "100" }, sort: { field: "amount" as const, order: "desc" as const }, extras: { open: ID } };
    const written = refunds.write(state);
    expect(written.toString()).toBe(`tab=all&reason=duplicate&min=100&q=a+b&sort=amount&order=desc&page=2&open=${ID}`);
    expect(refunds.read(written)).toEqual({ ...state, filters: { ...state.filters, search: "a b" } });
  });

  it("a changed sort order alone is written with its field", () => {
    expect(refunds.write({ ...refunds.defaults, sort: { field: "requested_at", order: "asc" } }).toString()).toBe("sort=requested_at&order=asc");
  });

  it("refuses two parameters with one key, or a key the list itself uses", () => {
    expect(() => defineListState({ filters: { a: param.text("q"), b: param.flag("q") } })).toThrow(/unique/);
    expect(() => defineListState({ filters: { a: param.text("page") } })).toThrow(/tab\/page\/sort\/order/);
  });
});
