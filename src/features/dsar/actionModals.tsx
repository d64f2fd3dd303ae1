/** The dialogs behind the request page's workflow buttons (actions.tsx): each owns what is typed into it. */
import { useState, type ChangeEvent, type ReactNode } from "react";
import { Alert, App, Form, Input, InputNumber, Modal, Select, Space } from "antd";
import { useT } from "../../i18n";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { requestIdByReference, type TransitionInput } from "./api";
import { dpoOptions, useActiveStaff, useDsarActions } from "./data";
import { ErrorLine } from "./fulfilment";
import { IDENTITY_METHOD_LABELS, IDENTITY_METHODS, STATUS_LABELS, type DsarQueueRow, type DsarStatus, type IdentityMethod } from "./types";
import { TRANSITION_LABELS } from "./workflow";

/**
 * A modal form for one workflow action. Submitting runs the database function once (the button is disabled
 * while it runs, so a double click cannot send it twice) and says the sentence `onSubmit` answers with; a refusal
 * is shown in the modal with the database's own message, and the modal stays open with what was typed.
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
  onSubmit: () => Promise<string>;
  danger?: boolean;
  children: ReactNode;
}) {
  const { message } = App.useApp();
  const { pending, error, setError, guard } = useGuardedAction();
  const submit = () =>
    guard(async () => {
      const done = await onSubmit();
      void message.success(done);
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
        <ErrorLine error={error} />
        {children}
      </Space>
    </Modal>
  );
}

interface RequestModalProps {
  request: DsarQueueRow;
  open: boolean;
  onClose: () => void;
}

/**
 * The texts typed into a dialog: kept while it is open (a refusal leaves them for another try), emptied when it
 * closes after a success or a cancel. `bind(name)` wires an input to one of them.
 */
function useDialogTexts<N extends string>(names: readonly N[], onClose: () => void) {
  const blank = () => Object.fromEntries(names.map((name) => [name, ""])) as Record<N, string>;
  const [texts, setTexts] = useState(blank);
  const bind = (name: N) => ({
    value: texts[name],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setTexts((current) => ({ ...current, [name]: e.target.value })),
  });
  const close = () => {
    setTexts(blank());
    onClose();
  };
  return { texts, bind, close };
}

/** Move the request to `to`: a rejection needs its ground, a duplicate the original's reference. */
export function TransitionModal({ request, to, onClose }: Omit<RequestModalProps, "open"> & { to: DsarStatus | null }) {
  const t = useT();
  const actions = useDsarActions();
  const getClient = useSupabaseClient();
  const { texts, bind, close } = useDialogTexts(["note", "refusalGround", "originalReference"], onClose);
  const { note, refusalGround, originalReference } = texts;
  const transition = async (to: DsarStatus) => {
    const input: TransitionInput = { requestId: request.id, to, note: note.trim() || null };
    if (to === "rejected") {
      if (!refusalGround.trim()) throw new Error(t("dsar.actions.transition.refusalGroundMissing"));
      input.refusalGround = refusalGround.trim();
    }
    if (to === "duplicate") {
      const reference = originalReference.trim().toUpperCase();
      if (!reference) throw new Error(t("dsar.actions.transition.originalMissing"));
      const original = await requestIdByReference(await getClient(), reference);
      if (!original) throw new Error(t("dsar.bulk.noSuchReference", { reference }));
      input.duplicateOf = original;
    }
    await actions.transition(input);
    return t("dsar.actions.transition.done", { reference: request.reference, status: STATUS_LABELS[to].toLowerCase() });
  };
  return (
    <ActionModal
      open={to !== null}
      title={to ? t("dsar.actions.transition.title", { action: TRANSITION_LABELS[to].replace("…", ""), reference: request.reference }) : ""}
      okText={t("dsar.actions.confirm")}
      danger={to === "rejected"}
      onClose={close}
      onSubmit={() => transition(to!)}
    >
      {to === "rejected" ? (
        <Form.Item label={t("dsar.actions.transition.refusalGroundLabel")} required>
          <Input.TextArea aria-label={t("dsar.actions.transition.refusalGround")} rows={3} {...bind("refusalGround")} placeholder={t("dsar.actions.transition.refusalGroundPlaceholder")} />
        </Form.Item>
      ) : null}
      {to === "duplicate" ? (
        <Form.Item label={t("dsar.actions.transition.originalLabel")} required>
          <Input aria-label={t("dsar.actions.transition.original")} {...bind("originalReference")} placeholder={t("dsar.actions.transition.originalExample")} />
        </Form.Item>
      ) : null}
      <Form.Item label={t("dsar.actions.transition.noteLabel")}>
        <Input.TextArea aria-label={t("dsar.actions.transition.note")} rows={2} {...bind("note")} />
      </Form.Item>
    </ActionModal>
  );
}

export function VerifyModal({ request, open, onClose }: RequestModalProps) {
  const t = useT();
  const actions = useDsarActions();
  const [method, setMethod] = useState<IdentityMethod | undefined>();
  const { texts, bind, close } = useDialogTexts(["note"], onClose);
  const verify = async () => {
    if (!method) throw new Error(t("dsar.actions.verify.methodMissing"));
    await actions.verifyIdentity({ requestId: request.id, method, note: texts.note.trim() || null });
    return t("dsar.actions.verify.done", { reference: request.reference });
  };
  return (
    <ActionModal open={open} title={t("dsar.actions.verify.title", { reference: request.reference })} okText={t("dsar.actions.verify.submit")} onClose={close} onSubmit={verify}>
      <Form.Item label={t("dsar.actions.verify.methodLabel")} required>
        <Select
          aria-label={t("dsar.actions.verify.method")}
          value={method}
          onChange={setMethod}
          options={IDENTITY_METHODS.map((value) => ({ value, label: IDENTITY_METHOD_LABELS[value] }))}
        />
      </Form.Item>
      <Form.Item label={t("dsar.actions.verify.noteLabel")}>
        <Input.TextArea aria-label={t("dsar.actions.verify.note")} rows={2} {...bind("note")} placeholder={t("dsar.actions.verify.notePlaceholder")} />
      </Form.Item>
    </ActionModal>
  );
}

export function AssignModal({ request, open, onClose }: RequestModalProps) {
  const t = useT();
  const actions = useDsarActions();
  const staff = useActiveStaff(true);
  const assignees = dpoOptions(staff.result.data ?? []);
  const [assignee, setAssignee] = useState<string | undefined>(request.assignee_id ?? undefined);
  const assign = async () => {
    if (!assignee) throw new Error(t("dsar.actions.assignTo.missing"));
    const result = await actions.assign([request.id], assignee);
    const refused = (result ?? []).find((row) => !row.ok);
    if (refused) throw new Error(refused.error ?? t("dsar.actions.assignTo.refused"));
    return t("dsar.actions.assignTo.done", { reference: request.reference });
  };
  return (
    <ActionModal open={open} title={t("dsar.actions.assignTo.title", { reference: request.reference })} okText={t("dsar.actions.assign")} onClose={onClose} onSubmit={assign}>
      <Select
        aria-label={t("dsar.actions.assignTo.assignee")}
        style={{ width: "100%" }}
        value={assignee}
        onChange={setAssignee}
        options={assignees.map((s) => ({ value: s.id, label: s.display_name }))}
      />
    </ActionModal>
  );
}

export function ExtendModal({ request, open, onClose }: RequestModalProps) {
  const t = useT();
  const actions = useDsarActions();
  const [days, setDays] = useState<number | null>(14);
  const { texts, bind, close } = useDialogTexts(["reason"], onClose);
  const reason = texts.reason;
  const extend = async () => {
    if (!days || !Number.isInteger(days) || days < 1) throw new Error(t("dsar.actions.extension.daysInvalid"));
    if (!reason.trim()) throw new Error(t("dsar.actions.extension.reasonMissing"));
    await actions.extend({ requestId: request.id, days, reason: reason.trim() });
    return t("dsar.actions.extension.done", { reference: request.reference, days });
  };
  return (
    <ActionModal open={open} title={t("dsar.actions.extension.title", { reference: request.reference })} okText={t("dsar.actions.extend")} onClose={close} onSubmit={extend}>
      <Alert type="info" showIcon message={t("dsar.actions.extension.statutoryStays")} />
      <Form.Item label={t("dsar.actions.extension.daysLabel")} required>
        <InputNumber aria-label={t("dsar.actions.extension.days")} min={1} max={60} precision={0} value={days} onChange={(v) => setDays(v)} />
      </Form.Item>
      <Form.Item label={t("dsar.actions.extension.reasonLabel")} required>
        <Input.TextArea aria-label={t("dsar.actions.extension.reason")} rows={2} {...bind("reason")} />
      </Form.Item>
    </ActionModal>
  );
}

export function NoteModal({ request, open, onClose }: RequestModalProps) {
  const t = useT();
  const actions = useDsarActions();
  const { texts, bind, close } = useDialogTexts(["note"], onClose);
  const note = texts.note;
  const add = async () => {
    if (!note.trim()) throw new Error(t("dsar.actions.note.empty"));
    await actions.addNote(request.id, note.trim());
    return t("dsar.actions.note.done");
  };
  return (
    <ActionModal open={open} title={t("dsar.actions.note.title", { reference: request.reference })} okText={t("dsar.actions.addNote")} onClose={close} onSubmit={add}>
      <Input.TextArea aria-label={t("dsar.actions.note.note")} rows={4} {...bind("note")} />
    </ActionModal>
  );
}
