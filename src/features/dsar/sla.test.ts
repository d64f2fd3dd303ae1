import { describe, expect, it } from "vitest";
import {
  bangkokDate,
  daysLeft,
  daysLeftColour,
  daysLeftLabel,
  dueAtExclusive,
  dueDateOfDeadline,
  dueDescription,
  dueOn,
  formatDueDate,
  previewDeadlines,
} from "./sla";

// 23:59 in Bangkok (UTC+7) on 1 November is 16:59 UTC; one minute later it is already 2 November there.
const LAST_MINUTE_OF_NOV_1_BKK = "2026-11-01T16:59:00Z";
const FIRST_MINUTE_OF_NOV_2_BKK = "2026-11-01T17:00:00Z";

describe("due dates from the received time", () => {
  it("a request received at 23:59 Bangkok counts from that Bangkok day", () => {
    expect(bangkokDate(LAST_MINUTE_OF_NOV_1_BKK)).toBe("2026-11-01");
    expect(dueOn(LAST_MINUTE_OF_NOV_1_BKK, 30)).toBe("2026-12-01");
  });

  it("a request received one minute later (00:00 Bangkok) is due one day later", () => {
    expect(bangkokDate(FIRST_MINUTE_OF_NOV_2_BKK)).toBe("2026-11-02");
    expect(dueOn(FIRST_MINUTE_OF_NOV_2_BKK, 30)).toBe("2026-12-02");
  });

  it("the due day ends at midnight Bangkok, 17:00 UTC", () => {
    expect(dueAtExclusive("2026-12-01").toISOString()).toBe("2026-12-01T17:00:00.000Z");
  });

  it("an extension moves the company target but never the statutory date", () => {
    const plain = previewDeadlines(LAST_MINUTE_OF_NOV_1_BKK, 30, 30);
    const extended = previewDeadlines(LAST_MINUTE_OF_NOV_1_BKK, 30, 30, 14);
    expect(plain).toEqual({ promiseDueOn: "2026-12-01", statutoryDueOn: "2026-12-01", dueOn: "2026-12-01" });
    expect(extended.promiseDueOn).toBe("2026-12-15");
    expect(extended.statutoryDueOn).toBe("2026-12-01");
    // The statutory limit still drives "overdue".
    expect(extended.dueOn).toBe("2026-12-01");
  });

  it("for erasure (30-day promise, 90-day statutory limit) the promise is the binding date", () => {
    const erasure = previewDeadlines("2026-11-10T03:00:00Z", 30, 90);
    expect(erasure).toEqual({ promiseDueOn: "2026-12-10", statutoryDueOn: "2027-02-08", dueOn: "2026-12-10" });
  });

  it("refuses negative or fractional day counts and bad timestamps", () => {
    expect(() => dueOn(LAST_MINUTE_OF_NOV_1_BKK, -1)).toThrow(/whole number of days/);
    expect(() => previewDeadlines(LAST_MINUTE_OF_NOV_1_BKK, 30, 30, 1.5)).toThrow(/extension/);
    expect(() => dueOn("not a date", 30)).toThrow(/invalid timestamp/);
    expect(() => dueAtExclusive("01/12/2026")).toThrow(/expected YYYY-MM-DD/);
  });
});

describe("days left, counted in Bangkok calendar days", () => {
  it("exactly day 30 (the due day itself) is 'due today' until 23:59:59 Bangkok", () => {
    expect(daysLeft("2026-12-01", "2026-12-01T00:00:00Z")).toBe(0); // 07:00 Bangkok
    expect(daysLeft("2026-12-01", "2026-12-01T16:59:59Z")).toBe(0); // 23:59:59 Bangkok
    expect(daysLeftLabel(0)).toBe("due today");
  });

  it("at 00:00 Bangkok the next day it is overdue by 1", () => {
    expect(daysLeft("2026-12-01", "2026-12-01T17:00:00Z")).toBe(-1);
    expect(daysLeftLabel(-1)).toBe("1 day overdue");
    expect(daysLeftColour(-1)).toBe("red");
  });

  it("counts across the UTC date line the Bangkok way", () => {
    // 30 Nov 18:00 UTC is already 1 Dec in Bangkok: due today, not tomorrow.
    expect(daysLeft("2026-12-01", "2026-11-30T18:00:00Z")).toBe(0);
    expect(daysLeft("2026-12-01", "2026-11-30T16:59:00Z")).toBe(1);
  });

  it("labels singular and plural", () => {
    expect(daysLeftLabel(1)).toBe("1 day left");
    expect(daysLeftLabel(12)).toBe("12 days left");
    expect(daysLeftLabel(-3)).toBe("3 days overdue");
    expect(() => daysLeftLabel(1.5)).toThrow(/integer/);
  });
});

describe("colour of the days-left tag", () => {
  it("is orange from 7 days left down to the due day, green above", () => {
    expect(daysLeftColour(8)).toBe("green");
    expect(daysLeftColour(7)).toBe("orange");
    expect(daysLeftColour(0)).toBe("orange");
  });

  it("is neutral for closed requests whatever the date", () => {
    expect(daysLeftColour(-20, false)).toBe("default");
    expect(daysLeftColour(3, false)).toBe("default");
  });
});

describe("due date display", () => {
  it("shows the Bangkok calendar day with its weekday", () => {
    expect(formatDueDate("2026-12-01")).toBe("2026-12-01 (Tue)");
    expect(formatDueDate(null)).toBe("—");
  });

  it("the tag's tooltip names both dates, and the extension when there is one", () => {
    expect(dueDescription("2026-12-01", "2026-12-10", 0)).toBe(
      "Company target: 2026-12-01 (Tue) end of day, Bangkok · Statutory limit: 2026-12-10 (Thu) end of day, Bangkok",
    );
    expect(dueDescription("2026-12-15", "2026-12-10", 14)).toBe(
      "Company target: 2026-12-15 (Tue) end of day, Bangkok (extended by 14 days) · Statutory limit: 2026-12-10 (Thu) end of day, Bangkok",
    );
  });
});

describe("due date of a deadline instant", () => {
  it("is the same Bangkok day whether the end of day is written inclusively or exclusively", () => {
    expect(dueDateOfDeadline("2026-12-01T16:59:59.999Z")).toBe("2026-12-01");
    expect(dueDateOfDeadline("2026-12-01T17:00:00Z")).toBe("2026-12-01");
    expect(dueDateOfDeadline("2026-12-01T23:59:59.999+07:00")).toBe("2026-12-01");
  });
});
