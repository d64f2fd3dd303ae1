import { useState, type ReactNode } from "react";
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Tooltip } from "antd";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { requestIdByReference, type TransitionInput } from "./api";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { dpoOptions, useActiveStaff, useDsarActions, useProcessorTasks } from "./data";
import { IDENTITY_METHOD_LABELS, IDENTITY_METHODS, STATUS_LABELS, type DsarQueueRow, type DsarStatus, type IdentityMethod } from "./types";
import { allowedTransitions, canVerifyIdentity, fulfilBlocker, isOpenStatus, TRANSITION_LABELS, type StaffView } from "./workflow";

/**
 * A modal form for one workflow action. Submitting runs the database function once (the button is disabled
 * while it runs, so a double click cannot send it twice); a refusal is shown in the modal with the database's
 * own message, and the modal stays open with what was typed.
 */
function ActionModal({
  title,
  okText,
  open,
  onClose,
  onSubmit,
  danger,
  children,
}: {
  title: string;
  okText: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => Promise<void>;
  danger?: boolean;
  children: ReactNode;
}) {
  const { pending, error, setError, guard } = useGuardedAction();
  const submit = () =>
    guard(async () => {
      await onSubmit();
      onClose();
    });
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ loading: pending, disabled: pending, danger: danger ?? false }}
      onOk={() => void submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        {error ? <Alert type="error" showIcon message="Not done" description={error} /> : null}
        {children}
      </Space>
    </Modal>
  );
}

type OpenModal = { kind: "transition"; to: DsarStatus } | { kind: "verify" } | { kind: "assign" } | { kind: "extend" } | { kind: "note" } | null;

/** Workflow buttons for the request, by status and role: only legal transitions, only for the DPO. */
export function RequestActions({ request, view }: { request: DsarQueueRow; view: StaffView }) {
  const actions = useDsarActions();
  const getClient = useSupabaseClient();
  const { message } = App.useApp();
  const [modal, setModal] = useState<OpenModal>(null);
  const [note, setNote] = useState("");
  const [refusalGround, setRefusalGround] = useState("");
  const [originalReference, setOriginalReference] = useState("");
  const [method, setMethod] = useState<IdentityMethod | undefined>();
  const [assignee, setAssignee] = useState<string | undefined>(request.assignee_id ?? undefined);
  const [days, setDays] = useState<number | null>(14);
  const [reason, setReason] = useState("");
  const staff = useActiveStaff(view === "dpo");
  const assignees = dpoOptions(staff.result.data ?? []);
  const tasks = useProcessorTasks(request.id, view === "dpo" && request.type === "erasure" && request.status === "in_progress");
  const fulfilBlocked = fulfilBlocker(request, tasks.result.data ?? []);

  if (view !== "dpo") return null;
  const transitions = allowedTransitions(request, view);
  const open = isOpenStatus(request.status);
  const close = () => {
    setModal(null);
    setNote("");
    setRefusalGround("");
    setOriginalReference("");
    setReason("");
  };
  const done = (text: string) => void message.success(text);

  const transition = async (to: DsarStatus) => {
    const input: TransitionInput = { requestId: request.id, to, note: note.trim() || null };
    if (to === "rejected") {
      if (!refusalGround.trim()) throw new Error("Give the refusal ground: it is kept for the PDPA s.39 record and told to the subject.");
      input.refusalGround = refusalGround.trim();
    }
    if (to === "duplicate") {
      const reference = originalReference.trim().toUpperCase();
      if (!reference) throw new Error("Give the reference of the original request.");
      const original = await requestIdByReference(await getClient(), reference);
      if (!original) throw new Error(`No request with reference ${reference}.`);
      input.duplicateOf = original;
    }
    await actions.transition(input);
    done(`${request.reference} is now ${STATUS_LABELS[to].toLowerCase()}.`);
  };

  const transitionModal = modal?.kind === "transition" ? modal.to : null;

  return (
    <Space wrap aria-label="Request actions" role="group">
      {canVerifyIdentity(request, view) ? (
        <Button type="primary" onClick={() => setModal({ kind: "verify" })}>
          Verify identity
        </Button>
      ) : null}
      {transitions.map((to) => {
        const blocked = to === "fulfilled" ? fulfilBlocked : null;
        const button = (
          <Button
            key={to}
            danger={to === "rejected"}
            type={to === "fulfilled" || to === "in_progress" ? "primary" : "default"}
            disabled={blocked !== null}
            title={blocked ?? undefined}
            onClick={() => setModal({ kind: "transition", to })}
          >
            {TRANSITION_LABELS[to]}
          </Button>
        );
        return blocked ? (
          <Tooltip key={to} title={blocked}>
            <span>{button}</span>
          </Tooltip>
        ) : (
          button
        );
      })}
      {open ? <Button onClick={() => setModal({ kind: "assign" })}>Assign</Button> : null}
      {open ? <Button onClick={() => setModal({ kind: "extend" })}>Extend</Button> : null}
      <Button onClick={() => setModal({ kind: "note" })}>Add note</Button>

      <ActionModal
        open={transitionModal !== null}
        title={transitionModal ? `${TRANSITION_LABELS[transitionModal].replace("…", "")}: ${request.reference}` : ""}
        okText="Confirm"
        danger={transitionModal === "rejected"}
        onClose={close}
        onSubmit={() => transition(transitionModal!)}
      >
        {transitionModal === "rejected" ? (
          <Form.Item label="Refusal ground (required)" required>
            <Input.TextArea
              aria-label="Refusal ground"
              rows={3}
              value={refusalGround}
              onChange={(e) => setRefusalGround(e.target.value)}
              placeholder="e.g. identity could not be verified; manifestly unfounded or excessive (PDPA s.30)"
            />
          </Form.Item>
        ) : null}
        {transitionModal === "duplicate" ? (
          <Form.Item label="Original request reference (required)" required>
            <Input aria-label="Original request reference" value={originalReference} onChange={(e) => setOriginalReference(e.target.value)} placeholder="DSAR-2026-0001" />
          </Form.Item>
        ) : null}
        <Form.Item label="Note (optional)">
          <Input.TextArea aria-label="Transition note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        </Form.Item>
      </ActionModal>

      <ActionModal
        open={modal?.kind === "verify"}
        title={`Verify identity: ${request.reference}`}
        okText="Record verification"
        onClose={close}
        onSubmit={async () => {
          if (!method) throw new Error("Choose how the identity was verified.");
          await actions.verifyIdentity({ requestId: request.id, method, note: note.trim() || null });
          done(`Identity verified; ${request.reference} is in progress.`);
        }}
      >
        <Form.Item label="Method" required>
          <Select
            aria-label="Verification method"
            value={method}
            onChange={setMethod}
            options={IDENTITY_METHODS.map((value) => ({ value, label: IDENTITY_METHOD_LABELS[value] }))}
          />
        </Form.Item>
        <Form.Item label="Note">
          <Input.TextArea aria-label="Verification note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What was checked (no ID numbers)" />
        </Form.Item>
      </ActionModal>

      <ActionModal
        open={modal?.kind === "assign"}
        title={`Assign ${request.reference}`}
        okText="Assign"
        onClose={close}
        onSubmit={async () => {
          if (!assignee) throw new Error("Choose a DPO staff member.");
          const result = await actions.assign([request.id], assignee);
          const refused = (result ?? []).find((row) => !row.ok);
          if (refused) throw new Error(refused.error ?? "The assignment was refused.");
          done(`${request.reference} assigned.`);
        }}
      >
        <Select
          aria-label="Assignee"
          style={{ width: "100%" }}
          value={assignee}
          onChange={setAssignee}
          options={assignees.map((s) => ({ value: s.id, label: s.display_name }))}
        />
      </ActionModal>

      <ActionModal
        open={modal?.kind === "extend"}
        title={`Extend the company target of ${request.reference}`}
        okText="Extend"
        onClose={close}
        onSubmit={async () => {
          if (!days || !Number.isInteger(days) || days < 1) throw new Error("Extend by a whole number of days (1 or more).");
          if (!reason.trim()) throw new Error("An extension needs a reason: it is told to the subject and audited.");
          await actions.extend({ requestId: request.id, days, reason: reason.trim() });
          done(`${request.reference} extended by ${days} days.`);
        }}
      >
        <Alert type="info" showIcon message="The statutory date does not move: it stays visible and still drives “overdue”." />
        <Form.Item label="Days" required>
          <InputNumber aria-label="Extension days" min={1} max={60} precision={0} value={days} onChange={(v) => setDays(v)} />
        </Form.Item>
        <Form.Item label="Reason" required>
          <Input.TextArea aria-label="Extension reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Form.Item>
      </ActionModal>

      <ActionModal
        open={modal?.kind === "note"}
        title={`Note on ${request.reference}`}
        okText="Add note"
        onClose={close}
        onSubmit={async () => {
          if (!note.trim()) throw new Error("The note is empty.");
          await actions.addNote(request.id, note.trim());
          done("Note added to the timeline.");
        }}
      >
        <Input.TextArea aria-label="Note" rows={4} value={note} onChange={(e) => setNote(e.target.value)} />
      </ActionModal>
    </Space>
  );
}
