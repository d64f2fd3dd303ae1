import { useState } from "react";
import { Alert, Button, Input, Modal, Table, Tag, Typography } from "antd";
import { useT } from "../../../i18n";
import { useFormatter } from "../../../i18n/format";
import { useDsarActions, useProcessorTasks } from "../data";
import type { DsarQueueRow, ErasureAction, ErasurePlanRow } from "../types";
import { ErrorLine, Panel, TextWithCode, usePanelAction } from "./Panel";
import { ProcessorChecklist } from "./ProcessorChecklist";

const ACTION_COLOURS: Record<ErasureAction, string> = { delete: "red", anonymise: "orange", keep: "blue", held: "purple" };

function PlanTable({ rows, label }: { rows: ErasurePlanRow[]; label: string }) {
  const t = useT();
  const format = useFormatter();
  return (
    <Table<ErasurePlanRow>
      size="small"
      aria-label={label}
      rowKey={(row) => `${row.category}-${row.action}-${row.reason ?? ""}`}
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t("dsar.fulfilment.erasure.columns.category"), dataIndex: "category" },
        {
          title: t("dsar.fulfilment.erasure.columns.action"),
          dataIndex: "action",
          render: (action: ErasureAction) => <Tag color={ACTION_COLOURS[action] ?? "default"}>{t(`dsar.fulfilment.erasure.actions.${action}`)}</Tag>,
        },
        { title: t("dsar.fulfilment.erasure.columns.rows"), dataIndex: "row_count", align: "right", render: (v: number | string) => format.number(Number(v)) },
        { title: t("dsar.fulfilment.erasure.columns.reason"), dataIndex: "reason", render: (v: string | null) => v ?? t("common.status.noValue") },
      ]}
    />
  );
}

/** Erasure: preview → confirm → execute → processor checklist → certificate. */
export function ErasurePanel({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const actions = useDsarActions();
  const [preview, setPreview] = useState<ErasurePlanRow[] | null>(null);
  const [executed, setExecuted] = useState<ErasurePlanRow[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [typedReference, setTypedReference] = useState("");
  const action = usePanelAction();
  const { pending, run } = action;
  const tasks = useProcessorTasks(request.id);
  const taskRows = tasks.result.data ?? [];
  const hasRun = taskRows.length > 0 || executed !== null;
  const working = request.status === "in_progress";
  // A legal hold keeps some rows: the database refuses the whole execution, so the button waits for the release.
  const held = preview?.some((row) => row.action === "held") ?? false;

  const execute = () =>
    run(
      async () => {
        setExecuted(await actions.executeErasure(request.id));
        setConfirming(false);
      },
      { success: t("dsar.fulfilment.erasure.executed") },
    );

  return (
    <Panel title={t("dsar.fulfilment.erasure.title")}>
      <ErrorLine error={action.error} />
      {!hasRun && working ? (
        <>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t("dsar.fulfilment.erasure.previewFirst")}
          </Typography.Paragraph>
          <Button disabled={pending} onClick={() => run(async () => setPreview(await actions.previewErasure(request.id)))}>
            {preview ? t("dsar.fulfilment.erasure.refreshPreview") : t("dsar.fulfilment.erasure.preview")}
          </Button>
          {preview ? (
            <>
              <PlanTable rows={preview} label={t("dsar.fulfilment.erasure.previewTable")} />
              {held ? <Alert type="warning" showIcon message={t("dsar.fulfilment.erasure.heldBlocks")} /> : null}
              <Button danger type="primary" disabled={held} onClick={() => setConfirming(true)}>
                {t("dsar.fulfilment.erasure.execute")}
              </Button>
            </>
          ) : null}
        </>
      ) : null}
      <Modal
        open={confirming && !held}
        title={t("dsar.fulfilment.erasure.confirmTitle", { email: request.customer_email ?? request.requester_email })}
        okText={t("dsar.fulfilment.erasure.confirm")}
        okButtonProps={{ danger: true, disabled: held || typedReference.trim().toUpperCase() !== request.reference || pending, loading: pending }}
        onCancel={() => setConfirming(false)}
        onOk={execute}
      >
        <Typography.Paragraph>
          {t("dsar.fulfilment.erasure.cannotBeUndone")}{" "}
          <TextWithCode message={(reference) => t("dsar.fulfilment.erasure.typeToConfirm", { reference })} code={request.reference} />
        </Typography.Paragraph>
        <Input aria-label={t("dsar.fulfilment.erasure.typeReference")} value={typedReference} onChange={(e) => setTypedReference(e.target.value)} />
      </Modal>
      {executed ? <PlanTable rows={executed} label={t("dsar.fulfilment.erasure.resultTable")} /> : null}
      {taskRows.length > 0 ? <ProcessorChecklist request={request} tasks={taskRows} action={action} /> : null}
    </Panel>
  );
}
