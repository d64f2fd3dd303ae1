import { useState } from "react";
import { Alert, Button, Form, Input, Modal, Space, Tooltip, Typography } from "antd";
import { useT, type TFunction } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { credits } from "../../i18n/messages/en/credits";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { messageOf } from "../../lib/rpc";
import { approveAdjustment, rejectAdjustment } from "./api";
import { useCreditsRefresh } from "./data";
import { reasonLabel, type AdjustmentRow } from "./types";

/** What the disabled buttons on one's own request say (English; for tests). */
export const OWN_REQUEST_HINT = credits.decisions.ownRequestHint;

export type DecisionKind = "approve" | "reject";
export interface DecisionOutcome {
  ok: boolean;
  text: string;
}

function customerLabel(row: AdjustmentRow): string {
  return row.customer?.display_name ?? row.customer?.email ?? row.customer_id.slice(0, 8);
}

/**
 * Approve / reject for finance, with one result message per row (the database's refusal mapped to clear text).
 * The page decides who sees the buttons; the database decides who may use them.
 */
export function useAdjustmentDecisions() {
  const t = useT();
  const format = useFormatter();
  const getClient = useSupabaseClient();
  const refresh = useCreditsRefresh();
  const [outcomes, setOutcomes] = useState<Record<string, DecisionOutcome & { label: string }>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ row: AdjustmentRow; kind: DecisionKind } | null>(null);

  const decide = async (row: AdjustmentRow, kind: DecisionKind, note: string | null): Promise<boolean> => {
    setBusy(row.id);
    const label = t("credits.decisions.rowLabel", { amount: format.signedCredits(row.amount), customer: customerLabel(row), reason: reasonLabel(row.reason) });
    try {
      const client = await getClient();
      if (kind === "approve") await approveAdjustment(client, row.id, note);
      else await rejectAdjustment(client, row.id, note ?? "");
      setOutcomes((all) => ({ ...all, [row.id]: { ok: true, label, text: kind === "approve" ? t("credits.decisions.approved") : t("credits.decisions.rejected") } }));
      await refresh();
      return true;
    } catch (cause) {
      setOutcomes((all) => ({ ...all, [row.id]: { ok: false, label, text: messageOf(cause) } }));
      // A refusal often means the row changed (decided by someone else): show what the database holds now.
      await refresh();
      return false;
    } finally {
      setBusy(null);
    }
  };

  const dismiss = (id: string) =>
    setOutcomes((all) => {
      const next = { ...all };
      delete next[id];
      return next;
    });

  return { outcomes, busy, dialog, open: (row: AdjustmentRow, kind: DecisionKind) => setDialog({ row, kind }), close: () => setDialog(null), decide, dismiss };
}

export type Decisions = ReturnType<typeof useAdjustmentDecisions>;

/** The row's buttons: hidden for roles that cannot approve, disabled (with the reason) on the caller's own requests. */
export function DecisionButtons({ row, decisions, mayDecide, staffId }: { row: AdjustmentRow; decisions: Decisions; mayDecide: boolean; staffId: string | null }) {
  const t = useT();
  const format = useFormatter();
  if (!mayDecide || row.status !== "pending") return null;
  const amount = format.signedCredits(row.amount);
  const own = staffId !== null && row.requested_by === staffId;
  const busy = decisions.busy === row.id;
  const buttons = (
    <Space size="small">
      <Button size="small" type="primary" disabled={own || busy} loading={busy} onClick={() => decisions.open(row, "approve")} aria-label={t("credits.decisions.approveLabel", { amount, customer: customerLabel(row) })}>
        {t("credits.decisions.approve")}
      </Button>
      <Button size="small" danger disabled={own || busy} onClick={() => decisions.open(row, "reject")} aria-label={t("credits.decisions.rejectLabel", { amount, customer: customerLabel(row) })}>
        {t("credits.decisions.reject")}
      </Button>
    </Space>
  );
  const outcome = decisions.outcomes[row.id];
  return (
    <Space direction="vertical" size={2}>
      {own ? (
        <Tooltip title={t("credits.decisions.ownRequestHint")}>
          {/* A disabled button swallows pointer events: the wrapper carries the tooltip and names the reason. */}
          <span tabIndex={0} aria-label={t("credits.decisions.ownRequestHint")} style={{ display: "inline-block" }}>
            {buttons}
          </span>
        </Tooltip>
      ) : (
        buttons
      )}
      {outcome ? <Typography.Text type={outcome.ok ? "success" : "danger"}>{outcome.text}</Typography.Text> : null}
    </Space>
  );
}

/** Results of this session's decisions, kept above the table: a decided row leaves the pending list at once. */
export function DecisionResults({ decisions }: { decisions: Decisions }) {
  const t = useT();
  const entries = Object.entries(decisions.outcomes);
  if (entries.length === 0) return null;
  return (
    <Space direction="vertical" style={{ width: "100%" }} aria-label={t("credits.decisions.resultsLabel")}>
      {entries.map(([id, outcome]) => (
        <Alert
          key={id}
          type={outcome.ok ? "success" : "error"}
          showIcon
          closable
          onClose={() => decisions.dismiss(id)}
          message={t("credits.decisions.result", { label: outcome.label, text: outcome.text })}
        />
      ))}
    </Space>
  );
}

const MAX_NOTE = 2000;

function noteRules(t: TFunction, kind: DecisionKind) {
  const notTooLong = { max: MAX_NOTE, message: t("credits.decisions.noteTooLong", { max: MAX_NOTE }) };
  return kind === "reject" ? [{ required: true, whitespace: true, message: t("credits.decisions.noteRequired") }, notTooLong] : [notTooLong];
}

/** Asks for the note: optional to approve, required to reject. */
export function DecisionDialog({ decisions }: { decisions: Decisions }) {
  const t = useT();
  const format = useFormatter();
  const [form] = Form.useForm<{ note?: string }>();
  const dialog = decisions.dialog;
  const [sending, setSending] = useState(false);
  if (!dialog) return null;
  const { row, kind } = dialog;
  const finish = async ({ note }: { note?: string }) => {
    if (sending) return;
    setSending(true);
    const text = note?.trim() ? note.trim() : null;
    await decisions.decide(row, kind, text);
    setSending(false);
    decisions.close();
  };
  return (
    <Modal
      open
      destroyOnHidden
      title={t(`credits.decisions.dialogTitle.${kind}`, { amount: format.signedCredits(row.amount), customer: customerLabel(row) })}
      okText={t(`credits.decisions.${kind}`)}
      okButtonProps={{ danger: kind === "reject", loading: sending }}
      onOk={() => form.submit()}
      onCancel={decisions.close}
    >
      <Typography.Paragraph>{t("credits.decisions.reasonAndNote", { reason: reasonLabel(row.reason), note: row.note })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => void finish(values)}>
        <Form.Item
          name="note"
          label={t(`credits.decisions.noteLabel.${kind}`)}
          rules={noteRules(t, kind)}
        >
          <Input.TextArea aria-label={t(`credits.decisions.noteAria.${kind}`)} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
