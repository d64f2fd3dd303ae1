import { t } from "../../i18n/provider";
import { STATUS_LABELS, isRefundStatus, type RefundAuditRow, type RefundRow, type WebhookEventRow } from "./types";
import "../../i18n/messages/en/refunds";

export interface TimelineEntry {
  at: string;
  title: string;
  detail?: string;
  colour: "green" | "red" | "blue" | "gray" | "orange";
}

const label = (status: unknown) => (typeof status === "string" && isRefundStatus(status) ? STATUS_LABELS[status] : (status === null || status === undefined ? t("common.status.noValue") : String(status)));

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
  entries.push({ at: refund.requested_at, title: t("refunds.timeline.requested", { who: who(refund.requested_by) }), detail: refund.note, colour: "blue" });
  if (refund.first_approved_at) entries.push({ at: refund.first_approved_at, title: t("refunds.timeline.approved", { who: who(refund.first_approved_by) }), colour: "green" });
  if (refund.second_approved_at) entries.push({ at: refund.second_approved_at, title: t("refunds.timeline.secondApproval", { who: who(refund.second_approved_by) }), colour: "green" });
  if (refund.rejected_at) entries.push({ at: refund.rejected_at, title: t("refunds.timeline.rejected", { who: who(refund.rejected_by) }), detail: refund.rejection_note ?? undefined, colour: "red" });

  const auditStatusChanges = audit.filter((a) => a.action === "refunds.stripe_status" || a.action === "refunds.execution_started");
  if (refund.execution_started_at && !audit.some((a) => a.action === "refunds.execution_started")) {
    entries.push({
      at: refund.execution_started_at,
      title: t("refunds.timeline.sent", { who: who(refund.executed_by) }),
      detail: refund.execution_attempts > 1 ? t("refunds.timeline.attempt", { n: refund.execution_attempts }) : undefined,
      colour: "blue",
    });
  }
  for (const a of auditStatusChanges) {
    if (a.action === "refunds.execution_started") {
      entries.push({ at: a.occurred_at, title: t("refunds.timeline.sent", { who: who(a.actor_staff_id) }), colour: "blue" });
    } else {
      const from = a.old_data?.status;
      const to = a.new_data?.status;
      entries.push({ at: a.occurred_at, title: t("refunds.timeline.statusChange", { from: label(from), to: label(to) }), colour: to === "succeeded" ? "green" : to === "failed" || to === "canceled" ? "red" : "orange" });
    }
  }
  if (refund.stripe_status_at && !auditStatusChanges.some((a) => a.action === "refunds.stripe_status")) {
    entries.push({
      at: refund.stripe_status_at,
      title: t("refunds.timeline.status", { status: label(refund.status) }),
      detail: refund.failure_reason ?? undefined,
      colour: refund.status === "succeeded" ? "green" : refund.status === "failed" || refund.status === "canceled" ? "red" : "orange",
    });
  } else if (refund.failure_reason && !refund.stripe_status_at) {
    entries.push({ at: refund.updated_at ?? refund.execution_started_at ?? refund.requested_at, title: t("refunds.timeline.refused"), detail: refund.failure_reason, colour: "red" });
  }
  for (const e of webhookEvents) {
    entries.push({ at: e.stripe_created_at ?? e.received_at, title: t("refunds.timeline.webhook", { type: String(e.type) }), detail: t("refunds.timeline.webhookDetail", { id: e.id, outcome: String(e.outcome) }), colour: "gray" });
  }
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
