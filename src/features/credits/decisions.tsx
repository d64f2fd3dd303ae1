import { useState } from "react";
import { Alert, Button, Form, Input, Modal, Space, Tooltip, Typography } from "antd";
import { formatSignedCredits } from "../../lib/format";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { messageOf } from "../../lib/rpc";
import { approveAdjustment, rejectAdjustment } from "./api";
import { useCreditsRefresh } from "./data";
import { reasonLabel, type AdjustmentRow } from "./types";

export const OWN_REQUEST_HINT = "A different finance user must approve";

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
  const getClient = useSupabaseClient();
  const refresh = useCreditsRefresh();
  const [outcomes, setOutcomes] = useState<Record<string, DecisionOutcome & { label: string }>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ row: AdjustmentRow; kind: DecisionKind } | null>(null);

  const decide = async (row: AdjustmentRow, kind: DecisionKind, note: string | null): Promise<boolean> => {
    setBusy(row.id);
    const label = `${formatSignedCredits(row.amount)} credits for ${customerLabel(row)} (${reasonLabel(row.reason)})`;
    try {
      const client = await getClient();
      if (kind === "approve") await approveAdjustment(client, row.id, note);
      else await rejectAdjustment(client, row.id, note ?? "");
      setOutcomes((all) => ({ ...all, [row.id]: { ok: true, label, text: kind === "approve" ? "Approved: the credits are on the balance." : "Rejected." } }));
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
  if (!mayDecide || row.status !== "pending") return null;
  const own = staffId !== null && row.requested_by === staffId;
  const busy = decisions.busy === row.id;
  const buttons = (
    <Space size="small">
      <Button size="small" type="primary" disabled={own || busy} loading={busy} onClick={() => decisions.open(row, "approve")} aria-label={`Approve ${formatSignedCredits(row.amount)} for ${customerLabel(row)}`}>
        Approve
      </Button>
      <Button size="small" danger disabled={own || busy} onClick={() => decisions.open(row, "reject")} aria-label={`Reject ${formatSignedCredits(row.amount)} for ${customerLabel(row)}`}>
        Reject
      </Button>
    </Space>
  );
  const outcome = decisions.outcomes[row.id];
  return (
    <Space direction="vertical" size={2}>
      {own ? (
        <Tooltip title={OWN_REQUEST_HINT}>
          {/* A disabled button swallows pointer events: the wrapper carries the tooltip and names the reason. */}
          <span tabIndex={0} aria-label={OWN_REQUEST_HINT} style={{ display: "inline-block" }}>
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
  const entries = Object.entries(decisions.outcomes);
  if (entries.length === 0) return null;
  return (
    <Space direction="vertical" style={{ width: "100%" }} aria-label="Decision results">
      {entries.map(([id, outcome]) => (
        <Alert
          key={id}
          type={outcome.ok ? "success" : "error"}
          showIcon
          closable
          onClose={() => decisions.dismiss(id)}
          message={`${outcome.label}: ${outcome.text}`}
        />
      ))}
    </Space>
  );
}

/** Asks for the note: optional to approve, required to reject. */
export function DecisionDialog({ decisions }: { decisions: Decisions }) {
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
      title={`${kind === "approve" ? "Approve" : "Reject"} ${formatSignedCredits(row.amount)} credits for ${customerLabel(row)}`}
      okText={kind === "approve" ? "Approve" : "Reject"}
      okButtonProps={{ danger: kind === "reject", loading: sending }}
      onOk={() => form.submit()}
      onCancel={decisions.close}
    >
      <Typography.Paragraph>
        {reasonLabel(row.reason)} — “{row.note}”
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => void finish(values)}>
        <Form.Item
          name="note"
          label={kind === "approve" ? "Note (optional)" : "Why is it rejected?"}
          rules={
            kind === "reject"
              ? [{ required: true, whitespace: true, message: "A rejection needs a note saying why." }, { max: 2000, message: "At most 2,000 characters." }]
              : [{ max: 2000, message: "At most 2,000 characters." }]
          }
        >
          <Input.TextArea aria-label={kind === "approve" ? "Approval note" : "Rejection note"} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
