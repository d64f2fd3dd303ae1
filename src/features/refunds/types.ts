/**
 * Refund requests as the database keeps them (`refunds`, migration 20261126002100_refunds.sql; the shared
 * contract is docs/money.md and the session's money contract). Amounts are minor units, currencies lower-case ISO.
 */
import { t } from "../../i18n/provider";
import { catalogueLabels } from "../../i18n/labels";
import type { Tables } from "../../lib/database";
import "../../i18n/messages/en/refunds"; // the labels below travel with the desk

export const REFUND_STATUSES = [
  "awaiting_approval",
  "approved",
  "rejected",
  "processing",
  "pending",
  "requires_action",
  "succeeded",
  "failed",
  "canceled",
] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/** A `refunds` row: reason and status are text under check constraints, typed as their values. */
export type RefundRow = Omit<Tables<"refunds">, "reason" | "status"> & { reason: RefundReason; status: RefundStatus };

/** The reasons' and statuses' labels in the console's language (read when used: they follow a change of locale). */
export const REASON_LABELS = catalogueLabels(REFUND_REASONS, (reason) => t(`refunds.reasons.${reason}`));
export const STATUS_LABELS = catalogueLabels(REFUND_STATUSES, (status) => t(`refunds.statuses.${status}`));

/**
 * Tag colours. Stripe's own statuses follow the Stripe Dashboard (succeeded green, pending grey-blue,
 * requires action orange, failed red, canceled grey); the console's approval states get their own hues.
 */
export const STATUS_COLOURS: Record<RefundStatus, string> = {
  awaiting_approval: "purple",
  approved: "cyan",
  rejected: "volcano",
  processing: "processing",
  pending: "blue",
  requires_action: "orange",
  succeeded: "green",
  failed: "red",
  canceled: "default",
};

/** Statuses whose amount no longer counts against the payment (the request ended without money moving). */
export const RELEASED_STATUSES: readonly RefundStatus[] = ["rejected", "failed", "canceled"];
/** Statuses Stripe counts in charge.amount_refunded (and the database in payments.amount_refunded). */
export const REFUNDED_STATUSES: readonly RefundStatus[] = ["pending", "requires_action", "succeeded"];
/** Requested but not yet at Stripe: these reserve their amount. */
export const RESERVED_STATUSES: readonly RefundStatus[] = ["awaiting_approval", "approved", "processing"];
/** In flight at Stripe (or between the console and Stripe): the list polls while one is visible. */
export const IN_FLIGHT_STATUSES: readonly RefundStatus[] = ["processing", "pending", "requires_action"];

export function isRefundStatus(value: string): value is RefundStatus {
  return (REFUND_STATUSES as readonly string[]).includes(value);
}
export function isRefundReason(value: string): value is RefundReason {
  return (REFUND_REASONS as readonly string[]).includes(value);
}

/** The payment fields a refund needs (a `payment_details` row). */
export type RefundablePayment = Pick<Tables<"payments">, "id" | "kind" | "amount" | "amount_refunded" | "currency" | "status" | "credits_granted" | "created_at"> &
  Partial<Pick<Tables<"payment_details">, "customer_id" | "stripe_payment_intent_id">>;

/** One row of `stripe_webhook_events` tied to a refund (finance and auditor read these). */
export type WebhookEventRow = Pick<Tables<"stripe_webhook_events">, "id" | "type" | "stripe_created_at" | "received_at" | "refund_id" | "outcome">;

/** One row of `audit_log` about a refund (dpo, admin, auditor). */
export type RefundAuditRow = Pick<Tables<"audit_log">, "id" | "occurred_at" | "actor_staff_id" | "action" | "record_id"> & {
  old_data: Record<string, unknown> | null;
  new_data: Record<string, unknown> | null;
};
