import { describe, expect, it } from "vitest";
import { FilterInputError } from "../../lib/list/filters";
import { barFilters, REFUND_TABS, refundListState, TAB_STATUSES, tabFilters } from "./listState";
import { REFUND_STATUSES } from "./types";

const ID = "00000000-0000-4000-8000-000000000002";

describe("refund list state in the URL", () => {
  it("round-trips and leaves defaults out", () => {
    const params = new URLSearchParams(`tab=failed&reason=duplicate,fraudulent&currency=USD&requester=${ID}&from=2026-11-01&to=2026-11-30&page=2&open=${ID}`);
    const state = refundListState.read(params);
    expect(state).toEqual({
      ...refundListState.defaults,
      tab: "failed",
      page: 2,
      extras: { open: ID },
      filters: { reasons: ["duplicate", "fraudulent"], currency: "usd", requester: ID, from: "2026-11-01", to: "2026-11-30" },
    });
    expect(refundListState.write(state).toString()).toBe(`tab=failed&reason=duplicate%2Cfraudulent&currency=usd&requester=${ID}&from=2026-11-01&to=2026-11-30&page=2&open=${ID}`);
    expect(refundListState.write(refundListState.read(new URLSearchParams())).toString()).toBe("");
  });

  it("ignores hand-edited junk", () => {
    const state = refundListState.read(new URLSearchParams("tab=nope&reason=whim&currency=dollars&requester=bob&from=yesterday&page=-1&open=x"));
    expect(state).toEqual(refundListState.read(new URLSearchParams()));
  });

  it("tabs map to statuses", () => {
    expect(tabFilters("awaiting")).toEqual([{ field: "status", operator: "eq", value: "awaiting_approval" }]);
    expect(tabFilters("in_progress")).toEqual([{ field: "status", operator: "in", value: ["processing", "pending", "requires_action"] }]);
    expect(tabFilters("failed")).toEqual([{ field: "status", operator: "in", value: ["failed", "canceled"] }]);
    expect(tabFilters("all")).toEqual([]);
  });

  it("dates are Bangkok days, the end inclusive", () => {
    expect(barFilters({ reasons: [], currency: "", requester: "", from: "2026-11-01", to: "2026-11-01" })).toEqual([
      { field: "requested_at", operator: "gte", value: "2026-10-31T17:00:00.000Z" },
      { field: "requested_at", operator: "lt", value: "2026-11-01T17:00:00.000Z" },
    ]);
    expect(() => barFilters({ reasons: [], currency: "", requester: "", from: "2026-11-02", to: "2026-11-01" })).toThrow(FilterInputError);
    expect(() => barFilters({ reasons: [], currency: "", requester: "", from: "2026-11-02", to: "2026-11-01" })).toThrow("Requested date: the start is after the end.");
  });
});

describe("status tabs", () => {
  it("partition the statuses: every status in exactly one tab, so 'All' is the sum of the others", () => {
    const listed = REFUND_TABS.filter((tab) => tab !== "all").flatMap((tab) => TAB_STATUSES[tab] ?? []);
    expect([...listed].sort()).toEqual([...REFUND_STATUSES].sort());
  });
});
