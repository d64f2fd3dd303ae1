import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/dsar";
import { DISPLAY_TIME_ZONE } from "../../lib/format";

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * What the queue and the request page show about the clock. The database computes the deadlines (dsar_queue);
 * these functions only turn them into words and colours, plus a client-side mirror of the rule for the intake
 * form's preview ("if received now, due on …") so the DPO sees the consequence of back-dating before saving.
 *
 * Rule (docs/dsar.md): due = end of the Bangkok calendar day `received (Bangkok date) + N days`; overdue once
 * the Bangkok date is after that day, i.e. now ≥ the start of the following Bangkok day.
 */

export type SlaColour = "red" | "orange" | "green" | "default";

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(value: string | Date, what: string) {
  const parsed = dayjs(value);
  if (!parsed.isValid()) throw new Error(`${what}: invalid timestamp "${String(value)}"`);
  return parsed;
}

function assertWholeDays(days: number, what: string) {
  if (!Number.isInteger(days) || days < 0) throw new Error(`${what} must be a whole number of days ≥ 0, got ${days}`);
}

/** The Bangkok calendar date (YYYY-MM-DD) of an instant. */
export function bangkokDate(value: string | Date): string {
  return parseInstant(value, "bangkokDate").tz(DISPLAY_TIME_ZONE).format("YYYY-MM-DD");
}

/** Bangkok date of receipt + `days` calendar days (the last day on which the answer is on time). */
export function dueOn(receivedAt: string | Date, days: number): string {
  assertWholeDays(days, "days");
  const received = dayjs.tz(bangkokDate(receivedAt), "YYYY-MM-DD", DISPLAY_TIME_ZONE);
  return received.add(days, "day").format("YYYY-MM-DD");
}

/** The instant a due date ends: 00:00 Bangkok of the following day (exclusive). */
export function dueAtExclusive(dueDate: string): Date {
  if (!DATE_PATTERN.test(dueDate)) throw new Error(`invalid due date "${dueDate}" (expected YYYY-MM-DD)`);
  return dayjs.tz(dueDate, "YYYY-MM-DD", DISPLAY_TIME_ZONE).add(1, "day").toDate();
}

/** Whole Bangkok calendar days from today to the due date: 0 = due today, negative = overdue. */
export function daysLeft(dueDate: string, now: string | Date = new Date()): number {
  if (!DATE_PATTERN.test(dueDate)) throw new Error(`invalid due date "${dueDate}" (expected YYYY-MM-DD)`);
  const today = dayjs.tz(bangkokDate(now), "YYYY-MM-DD", DISPLAY_TIME_ZONE);
  const due = dayjs.tz(dueDate, "YYYY-MM-DD", DISPLAY_TIME_ZONE);
  return Math.round(due.diff(today, "day", true));
}

export interface DeadlinePreview {
  promiseDueOn: string;
  statutoryDueOn: string;
  /** The earlier of the two: what drives the colour and "overdue". */
  dueOn: string;
}

/** Mirror of the SQL rule for the intake preview: the extension moves the promise only, never the statutory date. */
export function previewDeadlines(receivedAt: string | Date, promiseDays: number, statutoryDays: number, extensionDays = 0): DeadlinePreview {
  assertWholeDays(extensionDays, "extension");
  const promiseDueOn = dueOn(receivedAt, promiseDays + extensionDays);
  const statutoryDueOn = dueOn(receivedAt, statutoryDays);
  return { promiseDueOn, statutoryDueOn, dueOn: promiseDueOn <= statutoryDueOn ? promiseDueOn : statutoryDueOn };
}

/** "12 days left", "due today", "1 day overdue". */
export function daysLeftLabel(days: number): string {
  if (!Number.isInteger(days)) throw new Error(`daysLeftLabel: days must be an integer, got ${days}`);
  if (days === 0) return t("dsar.clock.dueToday");
  if (days > 0) return t("dsar.clock.daysLeft", { count: days });
  return t("dsar.clock.daysOverdue", { count: -days });
}

/** Red when overdue, orange within a week (today included), green otherwise; closed requests are neutral. */
export function daysLeftColour(days: number, isOpen = true): SlaColour {
  if (!isOpen) return "default";
  if (days < 0) return "red";
  if (days <= 7) return "orange";
  return "green";
}

/** "2026-12-26 (Sat)": a due date as the Bangkok calendar day it is. */
export function formatDueDate(dueDate: string | null | undefined): string {
  if (!dueDate) return "—";
  if (!DATE_PATTERN.test(dueDate)) throw new Error(`invalid due date "${dueDate}" (expected YYYY-MM-DD)`);
  return dayjs.tz(dueDate, "YYYY-MM-DD", DISPLAY_TIME_ZONE).format("YYYY-MM-DD (ddd)");
}

/** Tooltip text for the days-left tag: both dates, and which one is binding. */
export function dueDescription(promiseDueOn: string, statutoryDueOn: string, extensionDays: number): string {
  const promise = formatDueDate(promiseDueOn);
  const target = extensionDays > 0 ? t("dsar.clock.companyTargetExtended", { date: promise, days: extensionDays }) : t("dsar.clock.companyTarget", { date: promise });
  return [target, t("dsar.clock.statutoryLimit", { date: formatDueDate(statutoryDueOn) })].join(" · ");
}

/**
 * The Bangkok due date of a deadline instant. The instant marks the end of the due day; reading it one second
 * earlier gives the same day whether the database writes 23:59:59.999 or the next 00:00 (exclusive end).
 */
export function dueDateOfDeadline(deadline: string | Date): string {
  return bangkokDate(parseInstant(deadline, "dueDateOfDeadline").subtract(1, "second").toDate());
}
