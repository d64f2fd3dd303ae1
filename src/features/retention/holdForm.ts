import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";
import { bangkokEndOfDayExclusiveIso, bangkokStartOfDayIso, DISPLAY_TIME_ZONE } from "../../lib/format";
import type { PlaceHoldInput } from "./api";

dayjs.extend(utc);
dayjs.extend(timezone);

/** The place-a-hold form as typed: days as YYYY-MM-DD (Bangkok), empty when not set. */
export interface HoldDraft {
  customerId: string | undefined;
  category: string | undefined;
  from: string;
  until: string;
  reason: string;
  reviewOn: string;
}

export const EMPTY_HOLD_DRAFT: HoldDraft = { customerId: undefined, category: undefined, from: "", until: "", reason: "", reviewOn: "" };

export type HoldRefusal = "reason" | "review" | "reviewPast" | "scope" | "range";

export const bangkokToday = (now: Date = new Date()): string => dayjs(now).tz(DISPLAY_TIME_ZONE).format("YYYY-MM-DD");

/**
 * The draft as legal_hold_place's arguments, or why it would be refused (the same checks as the database, so
 * nothing is sent that it would refuse). The range covers whole Bangkok days: from the start of `from` to the end
 * of `until`.
 */
export function holdInput(draft: HoldDraft, today: string = bangkokToday()): { input: PlaceHoldInput } | { refusal: HoldRefusal } {
  if (!draft.reason.trim()) return { refusal: "reason" };
  if (!draft.reviewOn) return { refusal: "review" };
  if (draft.reviewOn < today) return { refusal: "reviewPast" };
  if (!draft.customerId && !draft.category && !draft.from && !draft.until) return { refusal: "scope" };
  if (draft.from && draft.until && draft.until < draft.from) return { refusal: "range" };
  return {
    input: {
      reason: draft.reason.trim(),
      reviewOn: draft.reviewOn,
      customerId: draft.customerId,
      category: draft.category,
      heldFrom: draft.from ? bangkokStartOfDayIso(draft.from) : undefined,
      heldUntil: draft.until ? bangkokEndOfDayExclusiveIso(draft.until) : undefined,
    },
  };
}
