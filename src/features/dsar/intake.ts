import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";
import { DISPLAY_TIME_ZONE } from "../../lib/format";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/dsarIntake";
import { isDsarChannel, isDsarType, type DsarChannel, type DsarType } from "./types";

dayjs.extend(utc);
dayjs.extend(timezone);

/** What the intake form collects; received time is Bangkok wall-clock text ("2026-11-20 09:30"). */
export interface IntakeValues {
  type: string;
  channel: string;
  requesterEmail: string;
  receivedBangkok: string;
  customerId: string | null;
  summary: string;
}

export interface IntakeArgs {
  p_type: DsarType;
  p_channel: DsarChannel;
  p_requester_email: string;
  p_received_at: string;
  p_customer_id: string | null;
  p_summary: string | null;
}

export type IntakeErrors = Partial<Record<keyof IntakeValues, string>>;

/** Staff log email and other requests; self-service rows are written by the M-Factory app itself. */
export const INTAKE_CHANNELS: readonly DsarChannel[] = ["email", "other"];

/** The form's wall-clock text, as dayjs reads and writes it. */
export const WALL_CLOCK_FORMAT = "YYYY-MM-DD HH:mm"; // not-ui-text: a dayjs format pattern

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

/** Bangkok wall-clock text → the instant, or null if it is not a real time. */
export function bangkokWallClockToIso(text: string): string | null {
  if (!WALL_CLOCK.test(text)) return null;
  const parsed = dayjs.tz(text, WALL_CLOCK_FORMAT, DISPLAY_TIME_ZONE);
  if (!parsed.isValid() || parsed.format(WALL_CLOCK_FORMAT) !== text) return null;
  return parsed.toISOString();
}

export function nowAsBangkokWallClock(now: Date = new Date()): string {
  return dayjs(now).tz(DISPLAY_TIME_ZONE).format(WALL_CLOCK_FORMAT);
}

/** Back-dated by more than an hour: the form says it will be audited (the database records it either way). */
export function isBackDated(receivedIso: string, now: Date = new Date()): boolean {
  return now.getTime() - Date.parse(receivedIso) > 3_600_000;
}

/**
 * The received time the form would send, once type, channel and time are valid (null before): the deadline
 * preview shows while the rest of the form is still being filled in.
 */
export function receivedAtForPreview(type: string, channel: string, receivedBangkok: string, now: Date = new Date()): string | null {
  const { args } = validateIntake({ type, channel, requesterEmail: "x@y.z", receivedBangkok, customerId: null, summary: "" }, now);
  return args?.p_received_at ?? null;
}

/** Checks the form and builds the RPC arguments; every problem is named per field. */
export function validateIntake(values: IntakeValues, now: Date = new Date()): { args: IntakeArgs | null; errors: IntakeErrors } {
  const errors: IntakeErrors = {};
  if (!isDsarType(values.type)) errors.type = t("dsarIntake.errors.type");
  if (!isDsarChannel(values.channel) || !INTAKE_CHANNELS.includes(values.channel)) errors.channel = t("dsarIntake.errors.channel");
  const email = values.requesterEmail.trim().toLowerCase();
  if (email === "") errors.requesterEmail = t("dsarIntake.errors.emailRequired");
  else if (!EMAIL.test(email)) errors.requesterEmail = t("dsarIntake.errors.emailInvalid", { email: values.requesterEmail.trim() });
  const receivedIso = bangkokWallClockToIso(values.receivedBangkok.trim());
  if (!receivedIso) errors.receivedBangkok = t("dsarIntake.errors.received");
  // One minute of slack: "now" typed on the form is a few seconds behind the clock by the time it is sent.
  else if (Date.parse(receivedIso) > now.getTime() + 60_000) errors.receivedBangkok = t("dsarIntake.errors.receivedInFuture");
  const summary = values.summary.trim();
  if (summary.length > 4000) errors.summary = t("dsarIntake.errors.summaryTooLong");
  if (Object.keys(errors).length > 0) return { args: null, errors };
  return {
    errors,
    args: {
      p_type: values.type as DsarType,
      p_channel: values.channel as DsarChannel,
      p_requester_email: email,
      p_received_at: receivedIso!,
      p_customer_id: values.customerId || null,
      p_summary: summary === "" ? null : summary,
    },
  };
}
