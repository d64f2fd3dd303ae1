import { useState } from "react";
import { Alert, Button, Space } from "antd";
import { useT } from "../../i18n";
import { formatMoney } from "../../lib/format";
import type { ExecuteResult } from "./api";
import { RefundStatusTag } from "./components";
import type { RefundRow } from "./types";
import { useSendRefund } from "./useSendRefund";
import "../../i18n/messages/en/refunds";

/** What the submit did: approved and ready to send, or waiting for approvals. */
export function RefundOutcome({ refund, mayExecute }: { refund: RefundRow; mayExecute: boolean }) {
  const t = useT();
  const { send, sending: running, error } = useSendRefund(refund.id);
  const [result, setResult] = useState<ExecuteResult | null>(null);
  const amount = formatMoney(refund.amount, refund.currency);

  if (result) {
    return (
      <Alert
        type={result.refund.status === "failed" || result.refund.status === "canceled" ? "error" : "success"}
        showIcon
        message={
          <Space>
            {t("refunds.outcome.sent")}
            <RefundStatusTag status={result.refund.status} />
          </Space>
        }
        description={result.stripe_refund_id ? t("refunds.outcome.stripeRefund", { id: result.stripe_refund_id }) : undefined}
      />
    );
  }
  if (refund.status === "approved") {
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        <Alert
          type="success"
          showIcon
          message={t("refunds.outcome.approved")}
          description={t(mayExecute ? "refunds.outcome.approvedSend" : "refunds.outcome.approvedFinanceSends", { amount })}
          action={
            mayExecute ? (
              <Button type="primary" loading={running} onClick={() => void send(setResult)}>
                {error ? t("common.actions.retry") : t("refunds.outcome.refundNow")}
              </Button>
            ) : undefined
          }
        />
        {error ? <Alert type="error" showIcon message={t("refunds.outcome.notSent")} description={error} role="alert" /> : null}
      </Space>
    );
  }
  if (refund.status === "awaiting_approval") {
    const n = Number(refund.approvals_needed);
    return (
      <Alert
        type="info"
        showIcon
        message={t("refunds.outcome.waiting", { count: n })}
        description={t(n === 2 ? "refunds.outcome.requestedTwo" : "refunds.outcome.requestedOne", { amount })}
      />
    );
  }
  return (
    <Alert
      type="info"
      showIcon
      message={
        <Space>
          {t("refunds.outcome.alreadyRecorded")}
          <RefundStatusTag status={refund.status} />
        </Space>
      }
    />
  );
}
