import { useEffect, useRef } from "react";
import { Alert, Descriptions, Drawer, Spin, Timeline, Typography } from "antd";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { formatBangkokDateTime, formatCredits, formatMoney } from "../../lib/format";
import { can } from "../../providers/accessControl";
import { approvalsText, RefundStatusTag, shortId, staffLabel } from "./components";
import { RefundActions } from "./actions";
import { useStaffNames } from "../../lib/staffNames";
import { useRefund, useRefundAudit, useRefundWebhookEvents, useStripeRefundId } from "./data";
import { refundTimeline } from "./timeline";
import { REASON_LABELS, IN_FLIGHT_STATUSES } from "./types";
import "../../i18n/messages/en/refunds";

/** One refund in full: where it stands, who did what when, and what Stripe said. */
export function RefundDrawer({ id, me, roles, pollMs, onClose }: { id: string; me: string | null; roles: readonly string[]; pollMs: number; onClose: () => void }) {
  const t = useT();
  const { query, result: refund } = useRefund(id, pollMs);
  const showStripe = can(roles, "stripe_ids", "read");
  const readsWebhooks = roles.includes("finance") || roles.includes("auditor");
  const readsAudit = can(roles, "audit_log", "read");
  const stripe = useStripeRefundId(id, showStripe);
  const webhooks = useRefundWebhookEvents(id, readsWebhooks);
  const audit = useRefundAudit(id, readsAudit);
  const inFlight = refund ? IN_FLIGHT_STATUSES.includes(refund.status) : false;
  // The refund is re-read while in flight (and after an action); when it has moved on, so have its webhook
  // events, audit rows and Stripe id: re-read those too, or the timeline keeps the status it opened with.
  const version = refund ? [refund.status, refund.updated_at, refund.stripe_status_at, refund.execution_attempts].join("|") : "";
  const seenVersion = useRef(version);
  const { refetch: refetchWebhooks } = webhooks.query;
  const { refetch: refetchAudit } = audit.query;
  const { refetch: refetchStripeId } = stripe.query;
  useEffect(() => {
    if (seenVersion.current !== "" && version !== seenVersion.current) {
      if (readsWebhooks) void refetchWebhooks();
      if (readsAudit) void refetchAudit();
      if (showStripe) void refetchStripeId();
    }
    seenVersion.current = version;
  }, [version, readsWebhooks, readsAudit, showStripe, refetchWebhooks, refetchAudit, refetchStripeId]);
  const names = useStaffNames(
    refund ? [refund.requested_by, refund.first_approved_by, refund.second_approved_by, refund.rejected_by, refund.executed_by].filter((v): v is string => Boolean(v)) : [],
  );
  const who = (staffId: string | null) => staffLabel(staffId, me, names);

  return (
    <Drawer open title={refund ? t("refunds.drawer.title", { amount: formatMoney(refund.amount, refund.currency) }) : t("refunds.drawer.titleLoading")} width={560} onClose={onClose} destroyOnHidden>
      {query.isLoading ? <Spin tip={t("refunds.drawer.loading")}><div style={{ height: 48 }} /></Spin> : null}
      {query.isError ? <Alert type="error" showIcon message={t("refunds.drawer.loadFailed")} description={query.error?.message} /> : null}
      {!query.isLoading && !query.isError && !refund ? <Alert type="warning" showIcon message={t("refunds.drawer.notVisible")} /> : null}
      {refund ? (
        <>
          <Descriptions size="small" column={1} bordered aria-label={t("refunds.drawer.detailsLabel")}>
            <Descriptions.Item label={t("refunds.drawer.status")}>
              <RefundStatusTag status={refund.status} />
              {inFlight ? <Typography.Text type="secondary"> {t("refunds.drawer.updating")}</Typography.Text> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t("refunds.drawer.amount")}>{formatMoney(refund.amount, refund.currency)}</Descriptions.Item>
            <Descriptions.Item label={t("refunds.drawer.reason")}>{REASON_LABELS[refund.reason] ?? refund.reason}</Descriptions.Item>
            <Descriptions.Item label={t("refunds.drawer.note")}>{refund.note}</Descriptions.Item>
            <Descriptions.Item label={t("refunds.drawer.customer")}>
              {can(roles, "customers", "show") ? <Link to={`/customers/${refund.customer_id}`}>{t("refunds.drawer.openCustomer")}</Link> : <Typography.Text code>{shortId(refund.customer_id)}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t("refunds.drawer.payment")}>
              <Typography.Text code>{refund.payment_id}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t("refunds.drawer.approvals")}>{approvalsText(refund)}</Descriptions.Item>
            <Descriptions.Item label={t("refunds.drawer.requested")}>
              {t("refunds.drawer.requestedBy", { at: formatBangkokDateTime(refund.requested_at), who: who(refund.requested_by) })}
            </Descriptions.Item>
            {refund.execution_attempts > 0 ? <Descriptions.Item label={t("refunds.drawer.attempts")}>{refund.execution_attempts}</Descriptions.Item> : null}
            {showStripe ? (
              <Descriptions.Item label={t("refunds.drawer.stripeRefundId")}>{stripe.stripeRefundId ? <Typography.Text code copyable>{stripe.stripeRefundId}</Typography.Text> : t("common.status.noValue")}</Descriptions.Item>
            ) : null}
            {refund.failure_reason ? (
              <Descriptions.Item label={t("refunds.drawer.failureReason")}>
                <Typography.Text type="danger">{refund.failure_reason}</Typography.Text>
              </Descriptions.Item>
            ) : null}
            {refund.clawback_credits > 0 ? (
              <Descriptions.Item label={t("refunds.drawer.clawback")}>
                {refund.clawback_ledger_entry_id
                  ? t("refunds.drawer.clawbackTaken", { credits: formatCredits(refund.clawback_credits), entry: String(refund.clawback_ledger_entry_id) })
                  : t(refund.status === "succeeded" ? "refunds.drawer.clawbackNothingLeft" : "refunds.drawer.clawbackPending", { credits: formatCredits(refund.clawback_credits) })}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <div style={{ marginTop: 16 }}>
            <RefundActions refund={refund} me={me} roles={roles} />
          </div>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("refunds.drawer.timeline")}
          </Typography.Title>
          <Timeline
            aria-label={t("refunds.drawer.timelineLabel")}
            items={refundTimeline(refund, who, webhooks.result.data ?? [], audit.result.data ?? []).map((entry) => ({
              color: entry.colour,
              children: (
                <>
                  <div>
                    <strong>{entry.title}</strong> <Typography.Text type="secondary">{formatBangkokDateTime(entry.at, true)}</Typography.Text>
                  </div>
                  {entry.detail ? <Typography.Text type="secondary">{entry.detail}</Typography.Text> : null}
                </>
              ),
            }))}
          />
        </>
      ) : null}
    </Drawer>
  );
}
