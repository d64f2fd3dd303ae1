import { t } from "../../i18n/provider";
import "../../i18n/messages/en/retention";

/**
 * A PostgreSQL interval as PostgREST sends it (IntervalStyle postgres: "7 years", "1 year 2 mons 3 days",
 * "95 days 03:12:11.5", "00:00:00") in words, to the day ("12 months", "90 days"); under a day, in hours.
 */
export function describeInterval(value: string | null | undefined): string {
  if (!value) return t("common.status.noValue");
  const part = (unit: RegExp) => Number(unit.exec(value)?.[1] ?? 0);
  const years = part(/(-?\d+) years?/);
  const months = part(/(-?\d+) mons?/);
  const days = part(/(-?\d+) days?/);
  const hours = part(/(-?\d+):\d\d:\d\d/);
  const words: string[] = [];
  if (years) words.push(t("retention.interval.years", { count: years }));
  if (months) words.push(t("retention.interval.months", { count: months }));
  if (days) words.push(t("retention.interval.days", { count: days }));
  if (words.length === 0 && hours) words.push(t("retention.interval.hours", { count: hours }));
  return words.length ? words.join(" ") : t("retention.interval.zero");
}
