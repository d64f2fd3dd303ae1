import { describe, expect, it } from "vitest";
import { dayRangeFilters, FilterInputError, oneOfFilter, wholeNumberRangeFilters } from "./filters";

describe("dayRangeFilters", () => {
  it("takes Bangkok calendar days, both ends inclusive (UTC+7: a day starts at 17:00Z the day before)", () => {
    expect(dayRangeFilters("received_at", { from: "2026-11-01", to: "2026-11-30" }, "Received date")).toEqual([
      { field: "received_at", operator: "gte", value: "2026-10-31T17:00:00.000Z" },
      { field: "received_at", operator: "lt", value: "2026-11-30T17:00:00.000Z" },
    ]);
    expect(dayRangeFilters("received_at", { from: "", to: "2026-11-30" }, "Received date")).toHaveLength(1);
    expect(dayRangeFilters("received_at", { from: "", to: "" }, "Received date")).toEqual([]);
  });
  it("names the field when the start is after the end or a day is not a date", () => {
    expect(() => dayRangeFilters("d", { from: "2026-11-02", to: "2026-11-01" }, "Requested date")).toThrow(new FilterInputError("Requested date: the start is after the end."));
    expect(() => dayRangeFilters("d", { from: "2026-13-45", to: "" }, "Date")).toThrow(/^Date: invalid date "2026-13-45"/);
  });
  it("a one-day range (from = to) is that whole day, not an error", () => {
    expect(dayRangeFilters("d", { from: "2026-11-01", to: "2026-11-01" }, "Date")).toHaveLength(2);
  });
});

describe("wholeNumberRangeFilters", () => {
  const labels = { min: "Minimum amount", max: "Maximum amount", range: "Amount", unit: "credits", example: "-500 or 1000" };
  it("keeps signed whole numbers, either end optional", () => {
    expect(wholeNumberRangeFilters("amount", { min: " -500 ", max: "" }, labels)).toEqual([{ field: "amount", operator: "gte", value: -500 }]);
    expect(wholeNumberRangeFilters("amount", { min: "10", max: "10" }, labels)).toHaveLength(2);
  });
  it("names the field for a fraction, a word or a number too large, and an inverted range", () => {
    for (const bad of ["1.5", "ten", "1e3", "9999999999"]) {
      expect(() => wholeNumberRangeFilters("amount", { min: bad, max: "" }, labels)).toThrow("Minimum amount: a whole number of credits, e.g. -500 or 1000.");
    }
    expect(() => wholeNumberRangeFilters("amount", { min: "5", max: "1" }, labels)).toThrow("Amount: the minimum is above the maximum.");
  });
});

describe("oneOfFilter", () => {
  it("filters by the chosen values, or not at all when none is chosen", () => {
    expect(oneOfFilter("type", ["access", "erasure"])).toEqual([{ field: "type", operator: "in", value: ["access", "erasure"] }]);
    expect(oneOfFilter("type", [])).toEqual([]);
  });
});
