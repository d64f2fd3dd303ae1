import { describe, expect, it } from "vitest";
import { bangkokToday, periodRange } from "./period";

describe("the overview's periods", () => {
  it("today is the Bangkok day (UTC+7)", () => {
    expect(bangkokToday(new Date("2026-12-31T16:59:59Z"))).toBe("2026-12-31");
    expect(bangkokToday(new Date("2026-12-31T17:00:00Z"))).toBe("2027-01-01");
  });

  it("30 days by day, 12 weeks from a Monday, 12 calendar months — each ending today", () => {
    expect(periodRange("30d", "2026-03-01")).toEqual({ from: "2026-01-31", to: "2026-03-01", bucket: "day" });
    // 2026-03-01 is a Sunday: its week began on Monday 23 February.
    expect(periodRange("12w", "2026-03-01")).toEqual({ from: "2025-12-08", to: "2026-03-01", bucket: "week" });
    expect(periodRange("12w", "2026-03-02")).toEqual({ from: "2025-12-15", to: "2026-03-02", bucket: "week" });
    expect(periodRange("12m", "2026-01-31")).toEqual({ from: "2025-02-01", to: "2026-01-31", bucket: "month" });
  });
});
