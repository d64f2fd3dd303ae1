/** The consent overview's periods, kept in the URL (`?tab=overview&period=30d`), and the days each covers. */
import dayjs from "dayjs";
import { DISPLAY_TIME_ZONE } from "../../lib/format";

export const PERIODS = ["30d", "12w", "12m"] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = "12w";
export const isPeriod = (value: string): value is Period => (PERIODS as readonly string[]).includes(value);

export type Bucket = "day" | "week" | "month";
export interface PeriodRange {
  from: string;
  to: string;
  bucket: Bucket;
}

/** Today in Bangkok, YYYY-MM-DD: the database refuses a period ending after it. */
export function bangkokToday(now: Date = new Date()): string {
  return dayjs(now).tz(DISPLAY_TIME_ZONE).format("YYYY-MM-DD");
}

/** The days a period covers, up to `today`: 30 days by day, 12 ISO weeks (from a Monday), 12 calendar months. */
export function periodRange(period: Period, today: string): PeriodRange {
  const day = dayjs(today); // a calendar day, read as local midnight: only its date is used
  if (period === "30d") return { from: day.subtract(29, "day").format("YYYY-MM-DD"), to: today, bucket: "day" };
  if (period === "12w") {
    const monday = day.subtract((day.day() + 6) % 7, "day");
    return { from: monday.subtract(11, "week").format("YYYY-MM-DD"), to: today, bucket: "week" };
  }
  return { from: day.startOf("month").subtract(11, "month").format("YYYY-MM-DD"), to: today, bucket: "month" };
}

