import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import {
  bangkokEndOfDayExclusiveIso,
  bangkokStartOfDayIso,
  formatBangkokDateTime,
  formatBytes,
  formatCredits,
  formatMoney,
  formatSignedCredits,
} from "./format";

describe("formatMoney", () => {
  it("formats baht minor units (satang) with the baht sign and two decimals", () => {
    expect(formatMoney(123400, "thb")).toBe("฿1,234.00");
    expect(formatMoney(5, "THB")).toBe("฿0.05");
  });
  it("keeps zero-decimal currencies whole", () => {
    expect(formatMoney(1500, "jpy")).toBe("¥1,500");
  });
  it("puts the sign before the symbol for negative amounts", () => {
    expect(formatMoney(-2550, "usd")).toBe("-$25.50");
  });
  it("falls back to the ISO code for currencies without a known symbol", () => {
    expect(formatMoney(99900, "sgd")).toBe("999.00 SGD");
  });
  it("accepts bigint-as-string amounts as PostgREST sends them", () => {
    expect(formatMoney("100000000", "thb")).toBe("฿1,000,000.00");
  });
  it("shows a dash for a missing amount", () => {
    expect(formatMoney(null, "thb")).toBe("—");
  });
  it("rejects fractional minor units and bad currency codes", () => {
    expect(() => formatMoney(12.5, "thb")).toThrow(/integer/);
    expect(() => formatMoney(100, "baht")).toThrow(/currency/);
  });
});

describe("formatBytes", () => {
  it("uses binary units with one decimal", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(formatBytes("3221225472")).toBe("3.0 GB");
  });
  it("rejects negative sizes", () => {
    expect(() => formatBytes(-1)).toThrow(/invalid size/);
  });
});

describe("Bangkok dates", () => {
  it("shows UTC instants in Bangkok time (UTC+7)", () => {
    expect(formatBangkokDateTime("2026-11-26T18:30:00Z")).toBe("2026-11-27 01:30");
    expect(formatBangkokDateTime("2026-01-01T00:00:05+00:00", true)).toBe("2026-01-01 07:00:05");
  });
  it("agrees with the time-zone database at every instant: fixed +07:00 since April 1920, local mean time before", () => {
    const zoned = (iso: string) => dayjs(iso).tz("Asia/Bangkok").format("YYYY-MM-DD HH:mm:ss");
    const instants = ["1920-03-31T17:17:55Z", "1920-03-31T17:17:56Z", "1919-06-01T00:00:00Z", "1970-01-01T00:00:00Z", "1999-12-31T16:59:59.999Z", "2026-06-01T10:00:00.123456+00:00", "2026-12-31T23:59:59+07:00", "2099-02-28T17:00:00Z"];
    for (const iso of instants) expect(formatBangkokDateTime(iso, true), iso).toBe(zoned(iso));
    for (let ms = Date.UTC(1920, 0, 1); ms < Date.UTC(2100, 0, 1); ms += 86_399_937 * 53) {
      const iso = new Date(ms).toISOString();
      expect(formatBangkokDateTime(iso, true), iso).toBe(zoned(iso));
    }
    expect(formatBangkokDateTime(new Date("2026-11-26T18:30:00Z"))).toBe("2026-11-27 01:30");
  });
  it("shows a dash for null and rejects garbage", () => {
    expect(formatBangkokDateTime(null)).toBe("—");
    expect(() => formatBangkokDateTime("not a date")).toThrow(/invalid timestamp/);
  });
  it("turns a Bangkok calendar day into a UTC range", () => {
    expect(bangkokStartOfDayIso("2026-11-27")).toBe("2026-11-26T17:00:00.000Z");
    expect(bangkokEndOfDayExclusiveIso("2026-11-27")).toBe("2026-11-27T17:00:00.000Z");
    expect(() => bangkokStartOfDayIso("27/11/2026")).toThrow(/expected YYYY-MM-DD/);
    // Days that do not exist are refused rather than rolled over into the next month.
    expect(() => bangkokStartOfDayIso("2026-02-30")).toThrow(/invalid date "2026-02-30"/);
    expect(() => bangkokStartOfDayIso("2026-13-45")).toThrow(/invalid date/);
  });
});

describe("formatCredits", () => {
  it("groups thousands", () => {
    expect(formatCredits(12500)).toBe("12,500");
    expect(formatCredits(-40)).toBe("-40");
  });
});

describe("formatSignedCredits", () => {
  it("marks additions with a plus and leaves zero and removals as they are", () => {
    expect(formatSignedCredits(1500)).toBe("+1,500");
    expect(formatSignedCredits(-1200)).toBe("-1,200");
    expect(formatSignedCredits(0)).toBe("0");
  });
});
