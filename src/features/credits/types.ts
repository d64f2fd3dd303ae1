/** Rows the credits pages read (credit_ledger, credit_adjustments, credit_limits) and their labels. */
import { t } from "../../i18n/provider";
import type { Enums, Tables } from "../../lib/database";
import "../../i18n/messages/en/credits"; // the labels below travel with the desk

/** Reasons staff may give an adjustment (adjust_credits). */
export const ADJUSTMENT_REASONS = ["goodwill", "failed_generation", "correction", "promotion", "refund_clawback"] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** Every reason a ledger row may carry: the product's own plus the staff adjustments'. */
export const LEDGER_REASONS = ["purchase", "subscription_grant", "generation", ...ADJUSTMENT_REASONS] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

export const ADJUSTMENT_STATUSES = ["applied", "pending", "rejected"] as const;
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number];

/** The statuses' labels in the console's language (getters: they follow a change of locale). */
export const STATUS_LABELS: Readonly<Record<AdjustmentStatus, string>> = {
  get applied() {
    return t("credits.statuses.applied");
  },
  get pending() {
    return t("credits.statuses.pending");
  },
  get rejected() {
    return t("credits.statuses.rejected");
  },
};
export const STATUS_COLOURS: Record<AdjustmentStatus, string> = { applied: "green", pending: "gold", rejected: "red" };

export const PENDING_REASONS = ["over_per_adjustment_limit", "over_daily_limit", "negative_balance_correction"] as const;
export type PendingReason = (typeof PENDING_REASONS)[number];

/** A reason's label; a reason the console does not know yet shows as stored. */
export function reasonLabel(reason: string): string {
  return isLedgerReason(reason) ? t(`credits.reasons.${reason}`) : reason;
}

/** Why an adjustment waits, in words; an unknown code reads with spaces for underscores. */
export function pendingReasonLabel(reason: string | null): string {
  if (!reason) return "";
  return (PENDING_REASONS as readonly string[]).includes(reason) ? t(`credits.pendingReasons.${reason as PendingReason}`) : reason.replace(/_/g, " ");
}

export function isLedgerReason(value: string): value is LedgerReason {
  return (LEDGER_REASONS as readonly string[]).includes(value);
}

export function isAdjustmentStatus(value: string): value is AdjustmentStatus {
  return (ADJUSTMENT_STATUSES as readonly string[]).includes(value);
}

/** A name embedded from customers / staff_members; null when RLS hides the row from the caller. */
export type CustomerRef = Pick<Tables<"customers">, "display_name" | "email">;
/** Some selects embed the staff member's name only. */
export type StaffRef = Pick<Tables<"staff_members">, "display_name"> & Partial<Pick<Tables<"staff_members">, "email">>;

/** A `credit_ledger` row as LEDGER_SELECT reads it, with the customer and the acting staff member embedded. */
export type LedgerRow = Pick<Tables<"credit_ledger">, "id" | "customer_id" | "amount" | "reason" | "note" | "actor_staff_id" | "created_at"> & {
  customer: CustomerRef | null;
  actor: StaffRef | null;
};

/** A `credit_adjustments` row (its checked text columns typed as their values), with ADJUSTMENT_SELECT's embeds. */
export type AdjustmentRow = Omit<Tables<"credit_adjustments">, "reason" | "status" | "pending_reason"> & {
  reason: AdjustmentReason;
  status: AdjustmentStatus;
  pending_reason: PendingReason | null;
  customer?: CustomerRef | null;
  requester?: StaffRef | null;
  decider?: StaffRef | null;
};

/** Limits exist for the two roles that adjust credits (a check constraint on the staff_role column). */
export type CreditLimitRow = Pick<Tables<"credit_limits">, "per_adjustment_max" | "per_day_max"> & {
  role: Extract<Enums<"staff_role">, "support" | "finance">;
};

export const LEDGER_SELECT =
  "id,customer_id,amount,reason,note,actor_staff_id,created_at,customer:customers(display_name,email),actor:staff_members!actor_staff_id(display_name,email)";
export const ADJUSTMENT_SELECT =
  "id,customer_id,amount,reason,note,idempotency_key,requested_by,requested_at,status,pending_reason,decided_by,decided_at,decision_note,ledger_entry_id," +
  "customer:customers(display_name,email),requester:staff_members!requested_by(display_name),decider:staff_members!decided_by(display_name)";
