import { STATUS_LABELS, isRefundStatus, type RefundAuditRow, type RefundRow, type WebhookEventRow } from "./types";

export interface TimelineEntry {
  at: string;
  title: string;
  detail?: string;
  colour: "green" | "red" | "blue" | "gray" | "orange";
}

const label = (status: unknown) => (typeof status === "string" && isRefundStatus(status) ? STATUS_LABELS[status] : String(status ?? "—"));

/**
 * A refund's history, oldest first: what its own columns record (requested, approvals, rejection, the latest
 * execution, the current Stripe status), plus Stripe's webhook events (finance, auditor) and the audit trail of
 * status changes (dpo, auditor) when the reader may see them.
 */
export function refundTimeline(
  refund: RefundRow,
  who: (id: string | null) => string,
  webhookEvents: readonly WebhookEventRow[] = [],
  audit: readonly RefundAuditRow[] = [],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  entries.push({ at: refund.requested_at, title: `Requested by ${who(refund.requested_by)}`, detail: refund.note, colour: "blue" });
  if (refund.first_approved_at) entries.push({ at: refund.first_approved_at, title: `Approved by ${who(refund.first_approved_by)}`, colour: "green" });
  if (refund.second_approved_at) entries.push({ at: refund.second_approved_at, title: `Second approval by ${who(refund.second_approved_by)}`, colour: "green" });
  if (refund.rejected_at) entries.push({ at: refund.rejected_at, title: `Rejected by ${who(refund.rejected_by)}`, detail: refund.rejection_note ?? undefined, colour: "red" });

  const auditStatusChanges = audit.filter((a) => a.action === "refunds.stripe_status" || a.action === "refunds.execution_started");
  if (refund.execution_started_at && !audit.some((a) => a.action === "refunds.execution_started")) {
    entries.push({
      at: refund.execution_started_at,
      title: `Sent to Stripe by ${who(refund.executed_by)}`,
      detail: refund.execution_attempts > 1 ? `attempt ${refund.execution_attempts}` : undefined,
      colour: "blue",
    });
  }
  for (const a of auditStatusChanges) {
    if (a.action === "refunds.execution_started") {
      entries.push({ at: a.occurred_at, title: `Sent to Stripe by ${who(a.actor_staff_id)}`, colour: "blue" });
    } else {
      const from = a.old_data?.status;
      const to = a.new_data?.status;
      entries.push({ at: a.occurred_at, title: `Stripe status ${label(from)} → ${label(to)}`, colour: to === "succeeded" ? "green" : to === "failed" || to === "canceled" ? "red" : "orange" });
    }
  }
  if (refund.stripe_status_at && !auditStatusChanges.some((a) => a.action === "refunds.stripe_status")) {
    entries.push({
      at: refund.stripe_status_at,
      title: `Stripe status: ${label(refund.status)}`,
      detail: refund.failure_reason ?? undefined,
      colour: refund.status === "succeeded" ? "green" : refund.status === "failed" || refund.status === "canceled" ? "red" : "orange",
    });
  } else if (refund.failure_reason && !refund.stripe_status_at) {
    entries.push({ at: refund.updated_at ?? refund.execution_started_at ?? refund.requested_at, title: "Stripe refused the refund", detail: refund.failure_reason, colour: "red" });
  }
  for (const e of webhookEvents) {
    entries.push({ at: e.stripe_created_at ?? e.received_at, title: `Webhook ${e.type}`, detail: `${e.id} · ${e.outcome}`, colour: "gray" });
  }
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
