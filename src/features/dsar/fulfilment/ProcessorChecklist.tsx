import { useState } from "react";
import { Button, Input, Space, Table, Tag, Typography } from "antd";
import { useT } from "../../../i18n";
import { useFormatter } from "../../../i18n/format";
import { downloadBlob } from "../../../lib/download";
import { useDsarActions } from "../data";
import type { DsarQueueRow, ProcessorTaskRow } from "../types";
import type { PanelAction } from "./Panel";

/**
 * After an erasure ran: one task per processor to tick off with a note, then the certificate (issued by the database
 * once every task is done). Shares the erasure panel's action, so one refusal line and one "busy" serve both.
 */
export function ProcessorChecklist({ request, tasks, action }: { request: DsarQueueRow; tasks: ProcessorTaskRow[]; action: PanelAction }) {
  const t = useT();
  const format = useFormatter();
  const actions = useDsarActions();
  const [taskNotes, setTaskNotes] = useState<Record<string, string>>({});
  const [certificate, setCertificate] = useState<unknown>(null);
  const { pending, run } = action;
  const openTasks = tasks.filter((task) => task.status === "open").length;

  const downloadCertificate = () => {
    downloadBlob(new Blob([JSON.stringify(certificate, null, 2)], { type: "application/json" }), `${request.reference}-erasure-certificate.json`);
  };

  return (
    <>
      <Typography.Text strong>{t("dsar.fulfilment.checklist.progress", { done: tasks.length - openTasks, total: tasks.length })}</Typography.Text>
      <Table<ProcessorTaskRow>
        size="small"
        aria-label={t("dsar.fulfilment.checklist.title")}
        rowKey={(row) => String(row.id)}
        pagination={false}
        dataSource={tasks}
        columns={[
          { title: t("dsar.fulfilment.checklist.columns.processor"), dataIndex: "processor" },
          { title: t("dsar.fulfilment.checklist.columns.action"), dataIndex: "action" },
          {
            title: t("dsar.fulfilment.checklist.columns.status"),
            key: "status",
            render: (_: unknown, task) =>
              task.status === "done" ? (
                <Space direction="vertical" size={0}>
                  <Tag color="green">{t("dsar.fulfilment.checklist.done")}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {task.note ? t("dsar.fulfilment.checklist.doneNote", { at: format.dateTime(task.done_at), note: task.note }) : format.dateTime(task.done_at)}
                  </Typography.Text>
                </Space>
              ) : (
                <Space>
                  <Input
                    size="small"
                    aria-label={t("dsar.fulfilment.checklist.noteFor", { processor: task.processor })}
                    placeholder={t("dsar.fulfilment.checklist.notePlaceholder")}
                    value={taskNotes[String(task.id)] ?? ""}
                    onChange={(e) => setTaskNotes({ ...taskNotes, [String(task.id)]: e.target.value })}
                  />
                  <Button size="small" disabled={pending} onClick={() => run(() => actions.completeProcessorTask(task.id, taskNotes[String(task.id)]?.trim() || null))}>
                    {t("dsar.fulfilment.checklist.markDone")}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Space wrap>
        <Button disabled={openTasks > 0 || pending} onClick={() => run(async () => setCertificate(await actions.erasureCertificate(request.id)))}>
          {certificate ? t("dsar.fulfilment.checklist.reloadCertificate") : t("dsar.fulfilment.checklist.viewCertificate")}
        </Button>
        {certificate ? <Button onClick={downloadCertificate}>{t("dsar.fulfilment.checklist.downloadCertificate")}</Button> : null}
        {openTasks > 0 ? <Typography.Text type="secondary">{t("dsar.fulfilment.checklist.certificateWaits")}</Typography.Text> : null}
      </Space>
      {certificate ? (
        <pre aria-label={t("dsar.fulfilment.checklist.certificate")} style={{ maxHeight: 320, overflow: "auto", background: "#fafafa", padding: 12 }}>
          {JSON.stringify(certificate, null, 2)}
        </pre>
      ) : null}
    </>
  );
}
