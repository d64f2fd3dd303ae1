/** The Saved runs tab: the list of saved reconciliations, and one run with its discrepancies. */
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Descriptions, Empty, Space, Table, Tag, Typography } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import "../../i18n/messages/en/reconciliation";
import { useStaffNames } from "../../lib/staffNames";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { getRun, listRuns, type SavedRun } from "./api";
import { CountCards, DiscrepanciesSection, sourceLabel, TotalsTable } from "./components";
import { reconciliationKeys } from "./keys";
import { shortSha, totalDiscrepancies } from "./runState";

export function RunsList({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const format = useFormatter();
  const getClient = useSupabaseClient();
  const runs = useQuery({ queryKey: reconciliationKeys.runs(), queryFn: async () => listRuns(await getClient()) });
  const names = useStaffNames((runs.data ?? []).map((r) => r.created_by));
  if (runs.error) return <Alert type="error" showIcon message={t("reconciliation.runs.readFailed")} description={(runs.error as Error).message} />;
  return (
    <Table<SavedRun>
      size="small"
      aria-label={t("reconciliation.runs.tableLabel")}
      loading={runs.isLoading}
      rowKey="id"
      dataSource={runs.data ?? []}
      pagination={{ pageSize: 25, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("reconciliation.runs.empty")} /> }}
      onRow={(r) => ({ onClick: () => onOpen(r.id) })}
      columns={[
        {
          title: t("reconciliation.runs.when"),
          dataIndex: "created_at",
          render: (v: string, r) => (
            <a
              href={`?tab=runs&run=${r.id}`}
              onClick={(e) => {
                e.preventDefault();
                onOpen(r.id);
              }}
            >
              {format.dateTime(v)}
            </a>
          ),
        },
        { title: t("reconciliation.runs.who"), dataIndex: "created_by", render: (v: string) => names.get(v) ?? <Typography.Text type="secondary">{v.slice(0, 8)}</Typography.Text> },
        { title: t("reconciliation.runs.source"), key: "source", render: (_: unknown, r) => <Tag>{sourceLabel(r.file_kind)}</Tag> },
        { title: t("reconciliation.runs.file"), dataIndex: "file_name", render: (v: string | null) => v ?? "—" },
        { title: t("reconciliation.runs.sha256"), dataIndex: "file_sha256", render: (v: string | null) => (v ? <Typography.Text code title={v}>{shortSha(v)}</Typography.Text> : "—") },
        { title: t("reconciliation.runs.rows"), dataIndex: "file_rows", align: "right" },
        { title: t("reconciliation.runs.matched"), key: "matched", align: "right", render: (_: unknown, r) => r.counts.matched ?? 0 },
        {
          title: t("reconciliation.runs.discrepancies"),
          key: "disc",
          align: "right",
          render: (_: unknown, r) => {
            const n = totalDiscrepancies(r.counts);
            return n === 0 ? <Tag color="green">0</Tag> : <Tag color="red">{n}</Tag>;
          },
        },
      ]}
    />
  );
}

export function RunDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const t = useT();
  const format = useFormatter();
  const getClient = useSupabaseClient();
  const detail = useQuery({ queryKey: reconciliationKeys.run(id), queryFn: async () => getRun(await getClient(), id) });
  const names = useStaffNames(detail.data ? [detail.data.run.created_by] : []);
  const back = <Button onClick={onBack}>{t("reconciliation.run.back")}</Button>;
  if (detail.error) {
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        {back}
        <Alert type="error" showIcon message={t("reconciliation.run.readFailed")} description={(detail.error as Error).message} />
      </Space>
    );
  }
  if (!detail.data) return <Card loading />;
  const { run, discrepancies } = detail.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {back}
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered title={t("reconciliation.run.title", { at: format.dateTime(run.created_at) })}>
        <Descriptions.Item label={t("reconciliation.run.by")}>{names.get(run.created_by) ?? run.created_by}</Descriptions.Item>
        <Descriptions.Item label={t("reconciliation.run.source")}>{sourceLabel(run.file_kind)}</Descriptions.Item>
        <Descriptions.Item label={t("reconciliation.run.file")}>{run.file_name ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("reconciliation.run.sha256")}>{run.file_sha256 ? <Typography.Text code copyable>{run.file_sha256}</Typography.Text> : "—"}</Descriptions.Item>
        <Descriptions.Item label={t("reconciliation.run.rows")}>{format.number(run.file_rows)}</Descriptions.Item>
        <Descriptions.Item label={t("reconciliation.run.period")}>
          {run.period_from ? format.dateTime(run.period_from) : "—"} – {run.period_to ? format.dateTime(run.period_to) : "—"}
        </Descriptions.Item>
      </Descriptions>
      <CountCards counts={run.counts} />
      <TotalsTable totals={run.totals} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t("reconciliation.run.discrepancies", { count: String(discrepancies.length) })}
      </Typography.Title>
      <DiscrepanciesSection discrepancies={discrepancies} fileBase={`reconciliation-${run.created_at.slice(0, 10)}-${run.id.slice(0, 8)}`} />
    </Space>
  );
}
