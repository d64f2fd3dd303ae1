import { describe, expect, it } from "vitest";
import { messageOf, toRpcError } from "../../lib/rpc";
import { MONEY_WORDING } from "./api";
import { FilterInputError } from "../../lib/list";
import { buildCreditFilters, creditListState, creditQueryFilters, creditSorters } from "./state";

const EMPTY_FILTERS = creditListState.emptyFilters;

const STAFF = "00000000-0000-4000-8000-000000000001";

describe("credits URL state", () => {
  it("round-trips every filter, the tab, the sort and the page", () => {
    const url = `tab=adjustments&reason=goodwill,correction&actor=${STAFF}&from=2026-11-01&to=2026-11-30&min=-500&max=1000&status=pending,rejected&sort=amount&order=asc&page=3`;
    const state = creditListState.read(new URLSearchParams(url));
    expect(state.tab).toBe("adjustments");
    expect(state.filters).toEqual({ reasons: ["goodwill", "correction"], actor: STAFF, from: "2026-11-01", to: "2026-11-30", min: "-500", max: "1000", customer: "", statuses: ["pending", "rejected"] });
    expect(creditListState.write(state).toString()).toBe(new URLSearchParams(url).toString());
  });
  it("drops what a hand-edited link gets wrong and leaves defaults out", () => {
    const state = creditListState.read(new URLSearchParams("tab=nope&reason=goodwill,bogus&actor=bob&from=1st&min=1e9&status=lost&sort=id&page=-2"));
    expect(state).toEqual({ tab: "ledger", page: 1, sort: { field: "date", order: "desc" }, filters: { ...EMPTY_FILTERS, reasons: ["goodwill"] }, extras: {} });
    expect(creditListState.write({ ...state, filters: EMPTY_FILTERS }).toString()).toBe("");
  });
});

describe("credits filters", () => {
  it("the adjustment tabs filter on the request's columns; pending always asks for pending", () => {
    const f = { ...EMPTY_FILTERS, actor: STAFF, from: "2026-11-01", statuses: ["applied" as const] };
    expect(buildCreditFilters(f, "adjustments")).toEqual([
      { field: "status", operator: "in", value: ["applied"] },
      { field: "requested_by", operator: "eq", value: STAFF },
      { field: "requested_at", operator: "gte", value: "2026-10-31T17:00:00.000Z" },
    ]);
    expect(buildCreditFilters(f, "pending")[0]).toEqual({ field: "status", operator: "eq", value: "pending" });
    expect(buildCreditFilters(f, "ledger")).toEqual([
      { field: "actor_staff_id", operator: "eq", value: STAFF },
      { field: "created_at", operator: "gte", value: "2026-10-31T17:00:00.000Z" },
    ]);
  });
  it("names bad input", () => {
    expect(() => buildCreditFilters({ ...EMPTY_FILTERS, min: "5", max: "-5" }, "ledger")).toThrow(new FilterInputError("Amount: the minimum is above the maximum."));
    expect(() => buildCreditFilters({ ...EMPTY_FILTERS, from: "2026-11-30", to: "2026-11-01" }, "ledger")).toThrow(/start is after the end/);
    expect(() => buildCreditFilters({ ...EMPTY_FILTERS, max: "1.5" }, "ledger")).toThrow(/Maximum amount/);
  });
  it("a link the bar refuses queries the tab unfiltered; the pending tab still asks for pending requests only", () => {
    const inverted = { ...EMPTY_FILTERS, reasons: ["goodwill" as const], from: "2026-11-30", to: "2026-11-01" };
    expect(creditQueryFilters(inverted, "ledger")).toEqual([]);
    expect(creditQueryFilters(inverted, "pending")).toEqual([{ field: "status", operator: "eq", value: "pending" }]);
    expect(creditQueryFilters({ ...EMPTY_FILTERS, reasons: ["goodwill"] }, "pending")).toEqual([
      { field: "status", operator: "eq", value: "pending" },
      { field: "reason", operator: "in", value: ["goodwill"] },
    ]);
  });
  it("sorts with a unique tie-breaker", () => {
    expect(creditSorters({ field: "date", order: "desc" }, "ledger")).toEqual([
      { field: "created_at", order: "desc" },
      { field: "id", order: "desc" },
    ]);
    expect(creditSorters({ field: "amount", order: "asc" }, "pending").map((s) => s.field)).toEqual(["amount", "requested_at", "id"]);
  });
});

/** A refusal as the money functions answer it (code and message), worded as the screens show it. */
const refused = (message: string, code: string) => toRpcError(message.split(":")[0]!, { error: { code, message } }, MONEY_WORDING);

describe("database refusals in clear words", () => {
  it("maps each SQLSTATE", () => {
    expect(messageOf(refused("adjust_credits: only support or finance may adjust credits", "42501"))).toBe("Not allowed for your role. Only support or finance may adjust credits");
    expect(messageOf(refused("approve_credit_adjustment: nobody decides their own credit adjustment (four eyes)", "42501"))).toMatch(/A different finance user must approve/);
    expect(messageOf(refused("adjust_credits: a note (1-2000 characters) is required", "22023"))).toBe("Check the input: A note (1-2000 characters) is required");
    expect(messageOf(refused("adjust_credits: customer x does not exist", "PT404"))).toBe("Not found: Customer x does not exist");
    expect(messageOf(refused("adjust_credits: idempotency key k was already used for a different adjustment", "23505"))).toMatch(/idempotency key is taken/);
    expect(messageOf(refused("reject_credit_adjustment: credit adjustment a is already rejected", "PT409"))).toBe("Not possible now: Credit adjustment a is already rejected");
    expect(messageOf(new Error("Failed to fetch"))).toBe("Failed to fetch");
  });
});
