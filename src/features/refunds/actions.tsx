import { useState } from "react";
import { Alert, App, Button, Input, Modal, Space, Tooltip } from "antd";
import { t as translate, useT } from "../../i18n";
import { formatMoney } from "../../lib/format";
import { can } from "../../providers/accessControl";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { approveRefund, rejectRefund } from "./api";
import { useRefreshRefunds } from "./data";
import { STATUS_LABELS, type RefundRow } from "./types";
import { useSendRefund } from "./useSendRefund";
import "../../i18n/messages/en/refunds";

/** Why this person may not approve this refund, or null when they may (the database checks the same). */
export function approveBlocker(refund: RefundRow, me: string | null): string | null {
  if (refund.status !== "awaiting_approval") return translate("refunds.actions.onlyAwaitingApprovable", { status: STATUS_LABELS[refund.status].toLowerCase() });
  if (me && refund.requested_by === me) return translate("refunds.actions.ownRequestApprove");
  if (me && (refund.first_approved_by === me || refund.second_approved_by === me)) return translate("refunds.actions.alreadyApproved");
  return null;
}

export function rejectBlocker(refund: RefundRow, me: string | null): string | null {
  if (refund.status !== "awaiting_approval" && refund.status !== "approved") return translate("refunds.actions.onlyUnsentRejectable");
  if (me && refund.requested_by === me) return translate("refunds.actions.ownRequestDecide");
  return null;
}

function Guarded({ blocker, children }: { blocker: string | null; children: React.ReactElement }) {
  return blocker ? (
    <Tooltip title={blocker}>
      <span>{children}</span>
    </Tooltip>
  ) : (
    children
  );
}

/**
 * Finance's actions on one refund: approve / reject (never one's own request, never twice), send an approved
 * refund to Stripe, retry one left processing. Other roles get nothing (the list and drawer are read-only).
 */
export function RefundActions({ refund, me, roles }: { refund: RefundRow; me: string | null; roles: readonly string[] }) {
  const t = useT();
  const getClient = useSupabaseClient();
  const refresh = useRefreshRefunds();
  const { message } = App.useApp();
  const [decision, setDecision] = useState<"approve" | "reject" | null>(null);
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Deciding and sending share one guard: neither starts while the other runs.
  const { send: sendRefund, sending, error: sendError, inFlightRef } = useSendRefund(refund.id);

  const mayDecide = can(roles, "refund_approvals", "write");
  const mayExecute = can(roles, "refund_execution", "write");
  if (!mayDecide && !mayExecute) return null;
  const amount = formatMoney(refund.amount, refund.currency);

  const decide = async () => {
    if (inFlightRef.current || !decision) return;
    if (decision === "reject" && note.trim() === "") {
      setError(t("refunds.actions.noteRequired"));
      return;
    }
    inFlightRef.current = true;
    setPending(true);
    setError(null);
    try {
      const client = await getClient();
      const row = decision === "approve" ? await approveRefund(client, refund.id, note.trim() || null) : await rejectRefund(client, refund.id, note.trim());
      void message.success(
        decision === "reject"
          ? t("refunds.actions.rejected", { amount })
          : row.status === "approved"
            ? t("refunds.actions.approvedReady", { amount })
            : t("refunds.actions.approvedMoreNeeded", { needed: row.approvals_needed }),
      );
      setDecision(null);
      setNote("");
      await refresh();
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      inFlightRef.current = false;
      setPending(false);
    }
  };

  const send = () =>
    sendRefund((result) => {
      const status = STATUS_LABELS[result.refund.status] ?? result.refund.status;
      void message.success(result.stripe_refund_id ? t("refunds.actions.stripeStatusWithId", { status, id: result.stripe_refund_id }) : t("refunds.actions.stripeStatus", { status }));
    });

  const approveWhy = approveBlocker(refund, me);
  const rejectWhy = rejectBlocker(refund, me);
  const showDecide = mayDecide && (refund.status === "awaiting_approval" || refund.status === "approved");
  const showSend = mayExecute && (refund.status === "approved" || refund.status === "processing");

  return (
    <Space direction="vertical" size={4} onClick={(e) => e.stopPropagation()}>
      <Space wrap size={4} role="group" aria-label={t("refunds.actions.groupLabel", { amount })}>
        {showDecide && refund.status === "awaiting_approval" ? (
          <Guarded blocker={approveWhy}>
            <Button size="small" type="primary" disabled={approveWhy !== null} onClick={() => setDecision("approve")}>
              {t("refunds.actions.approve")}
            </Button>
          </Guarded>
        ) : null}
        {showDecide ? (
          <Guarded blocker={rejectWhy}>
            <Button size="small" danger disabled={rejectWhy !== null} onClick={() => setDecision("reject")}>
              {t("refunds.actions.reject")}
            </Button>
          </Guarded>
        ) : null}
        {showSend ? (
          <Button size="small" type={refund.status === "approved" ? "primary" : "default"} loading={sending} onClick={() => void send()}>
            {refund.status === "approved" ? t("refunds.actions.send") : t("common.actions.retry")}
          </Button>
        ) : null}
      </Space>
      {sendError ? <Alert type="error" showIcon message={sendError} role="alert" style={{ maxWidth: 360 }} /> : null}
      <Modal
        open={decision !== null}
        title={t(decision === "approve" ? "refunds.actions.approveTitle" : "refunds.actions.rejectTitle", { amount })}
        okText={decision === "approve" ? t("refunds.actions.approve") : t("refunds.actions.reject")}
        okButtonProps={{ loading: pending, danger: decision === "reject" }}
        onOk={() => void decide()}
        onCancel={() => {
          setDecision(null);
          setError(null);
          setNote("");
        }}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: "100%" }}>
          {error ? <Alert type="error" showIcon message={t("refunds.actions.notDone")} description={error} role="alert" /> : null}
          <Input.TextArea
            aria-label={decision === "reject" ? t("refunds.actions.whyRejected") : t("refunds.actions.approvalNote")}
            placeholder={decision === "reject" ? t("refunds.actions.whyRejectedPlaceholder") : t("refunds.actions.approvalNotePlaceholder")}
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </Space>
      </Modal>
    </Space>
  );
}
