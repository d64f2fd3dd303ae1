import { useState } from "react";
import { Button, Space, Tooltip } from "antd";
import { useT } from "../../i18n";
import "../../i18n/messages/en/dsar";
import { AssignModal, ExtendModal, NoteModal, TransitionModal, VerifyModal } from "./actionModals";
import { useProcessorTasks } from "./data";
import type { DsarQueueRow, DsarStatus } from "./types";
import { allowedTransitions, canVerifyIdentity, fulfilBlocker, isOpenStatus, TRANSITION_LABELS, type StaffView } from "./workflow";

type OpenModal = { kind: "transition"; to: DsarStatus } | { kind: "verify" } | { kind: "assign" } | { kind: "extend" } | { kind: "note" } | null;

/** Workflow buttons for the request, by status and role: only legal transitions, only for the DPO. */
export function RequestActions({ request, view }: { request: DsarQueueRow; view: StaffView }) {
  const t = useT();
  const [modal, setModal] = useState<OpenModal>(null);
  const tasks = useProcessorTasks(request.id, view === "dpo" && request.type === "erasure" && request.status === "in_progress");
  const fulfilBlocked = fulfilBlocker(request, tasks.result.data ?? []);

  if (view !== "dpo") return null;
  const transitions = allowedTransitions(request, view);
  const open = isOpenStatus(request.status);
  const close = () => setModal(null);

  return (
    <Space wrap aria-label={t("dsar.actions.group")} role="group">
      {canVerifyIdentity(request, view) ? (
        <Button type="primary" onClick={() => setModal({ kind: "verify" })}>
          {t("dsar.actions.verifyIdentity")}
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
      {open ? <Button onClick={() => setModal({ kind: "assign" })}>{t("dsar.actions.assign")}</Button> : null}
      {open ? <Button onClick={() => setModal({ kind: "extend" })}>{t("dsar.actions.extend")}</Button> : null}
      <Button onClick={() => setModal({ kind: "note" })}>{t("dsar.actions.addNote")}</Button>

      <TransitionModal request={request} to={modal?.kind === "transition" ? modal.to : null} onClose={close} />
      <VerifyModal request={request} open={modal?.kind === "verify"} onClose={close} />
      <AssignModal request={request} open={modal?.kind === "assign"} onClose={close} />
      <ExtendModal request={request} open={modal?.kind === "extend"} onClose={close} />
      <NoteModal request={request} open={modal?.kind === "note"} onClose={close} />
    </Space>
  );
}
