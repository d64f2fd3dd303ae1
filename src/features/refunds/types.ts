/**
 * Refund requests as the database keeps them (`refunds`, migration 20261126002100_refunds.sql; the shared
 * contract is docs/money.md and the session's money contract). Amounts are minor units, currencies lower-case ISO.
 */

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

export interface RefundRow {
  id: string;
  payment_id: string;
  customer_id: string;
  amount: number | string;
  currency: string;
  reason: RefundReason;
  note: string;
  status: RefundStatus;
  approvals_needed: number;
  requested_by: string;
  requested_at: string;
  idempotency_key: string;
  first_approved_by: string | null;
  first_approved_at: string | null;
  second_approved_by: string | null;
  second_approved_at: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  rejection_note: string | null;
  executed_by: string | null;
  execution_started_at: string | null;
  execution_attempts: number;
  stripe_status_at: string | null;
  failure_reason: string | null;
  clawback_credits: number;
  clawback_ledger_entry_id: number | string | null;
  updated_at: string | null;
}

export const REASON_LABELS: Record<RefundReason, string> = {
  duplicate: "Duplicate",
  fraudulent: "Fraudulent",
  requested_by_customer: "Requested by customer",
};

export const STATUS_LABELS: Record<RefundStatus, string> = {
  awaiting_approval: "Awaiting approval",
  approved: "Approved",
  rejected: "Rejected",
  processing: "Processing",
  pending: "Pending",
  requires_action: "Requires action",
  succeeded: "Succeeded",
  failed: "Failed",
  canceled: "Canceled",
};

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
export interface RefundablePayment {
  id: string;
  customer_id?: string;
  kind: string;
  amount: number | string;
  amount_refunded: number | string;
  currency: string;
  status: string;
  credits_granted: number | null;
  created_at: string;
  stripe_payment_intent_id?: string | null;
}

/** One row of `stripe_webhook_events` tied to a refund (finance and auditor read these). */
export interface WebhookEventRow {
  id: string;
  type: string;
  stripe_created_at: string | null;
  received_at: string;
  refund_id: string | null;
  outcome: string;
}

/** One row of `audit_log` about a refund (dpo, admin, auditor). */
export interface RefundAuditRow {
  id: number | string;
  occurred_at: string;
  actor_staff_id: string | null;
  action: string;
  record_id: string | null;
  old_data: Record<string, unknown> | null;
  new_data: Record<string, unknown> | null;
}
