import { useState } from "react";
import { Alert, Button, Descriptions, Empty, Modal, Space, Table, Typography } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { downloadBlob } from "../../lib/download";
import { LoadError } from "../../lib/list";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { retentionDryRun, retentionPurge } from "./api";
import { usePurgeRuns, useRetentionRefresh, useRunCategories } from "./data";
import { categoryLabel, type PurgeRunCategoryRow, type PurgeRunRow } from "./types";

/** The certificate as a JSON file named after its run. */
export function downloadCertificate(run: PurgeRunRow): void {
  const body = JSON.stringify({ certificate: run.certificate, certificate_sha256: run.certificate_sha256 }, null, 2);
  downloadBlob(new Blob([body], { type: "application/json" }), `purge-certificate-${run.id}.json`); // not-ui-text: file name
}

function CountsTable({ label, rows, loading, purged }: { label: string; rows: PurgeRunCategoryRow[]; loading: boolean; purged: boolean }) {
  const t = useT();
  const format = useFormatter();
  const n = (v: number) => format.number(Number(v));
  return (
    <Table<PurgeRunCategoryRow>
      aria-label={label}
      size="small"
      loading={loading}
      rowKey="category"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t("retention.purges.columns.category"), dataIndex: "category", render: (c: string) => categoryLabel(c) },
        { title: t("retention.purges.columns.pastPeriod"), dataIndex: "rows_past_period", align: "right", render: n },
        { title: t("retention.purges.columns.onHold"), dataIndex: "rows_on_hold", align: "right", render: n },
        { title: t(purged ? "retention.purges.columns.purged" : "retention.purges.columns.toPurge"), dataIndex: "rows_purged", align: "right", render: n },
        { title: t("retention.purges.columns.idsHash"), dataIndex: "ids_sha256", render: (h: string) => <Typography.Text code>{h.slice(0, 16)}…</Typography.Text> },
      ]}
    />
  );
}

function PastRuns() {
  const t = useT();
  const format = useFormatter();
  const runs = usePurgeRuns();
  if (runs.error) return <LoadError title={t("retention.loadFailed")} error={runs.error} onRetry={() => void runs.refetch()} />;
  return (
    <Table<PurgeRunRow>
      aria-label={t("retention.purges.history")}
      title={() => <Typography.Text strong>{t("retention.purges.history")}</Typography.Text>}
      size="small"
      loading={runs.isLoading}
      rowKey="id"
      dataSource={runs.data ?? []}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("retention.purges.historyEmpty")} /> }}
      columns={[
        { title: t("retention.purges.historyColumns.cutoff"), dataIndex: "cutoff", render: (v: string) => format.dateTime(v) },
        { title: t("retention.purges.historyColumns.mode"), dataIndex: "mode", render: (m: string) => (m === "execute" || m === "dry_run" ? t(`retention.purges.modes.${m}`) : m) },
        {
          title: t("retention.purges.historyColumns.via"),
          dataIndex: "started_via",
          render: (v: string) => (v === "console" || v === "schedule" || v === "seed" ? t(`retention.purges.via.${v}`) : v),
        },
        {
          title: t("retention.purges.historyColumns.rows"),
          key: "rows",
          align: "right",
          render: (_, run) => (run.status !== "done" ? t("retention.purges.running") : run.mode === "execute" ? format.number(Number(run.rows_purged ?? 0)) : t("common.status.noValue")),
        },
        {
          title: t("retention.purges.historyColumns.certificate"),
          key: "certificate",
          render: (_, run) => (run.certificate ? <Button size="small" onClick={() => downloadCertificate(run)}>{t("retention.purges.download")}</Button> : null),
        },
      ]}
    />
  );
}

/** Dry run → confirmation stating its counts → purge → certificate; and the past runs. */
export function PurgesTab({ mayRun }: { mayRun: boolean }) {
  const t = useT();
  const format = useFormatter();
  const getClient = useSupabaseClient();
  const refresh = useRetentionRefresh();
  const { pending, error, guard } = useGuardedAction();
  const [dryRun, setDryRun] = useState<PurgeRunRow | null>(null);
  const [purge, setPurge] = useState<PurgeRunRow | null>(null);
  const [confirming, setConfirming] = useState(false);
  const dryCounts = useRunCategories(dryRun?.id ?? null);
  const purgeCounts = useRunCategories(purge?.id ?? null);
  const counts = dryCounts.data ?? [];
  const toPurge = counts.reduce((sum, c) => sum + Number(c.rows_purged), 0);

  const runDry = () =>
    guard(async () => {
      setPurge(null);
      setDryRun(await retentionDryRun(await getClient()));
      await refresh();
    });
  const runPurge = async () => {
    if (!dryRun) return;
    const ok = await guard(async () => {
      setPurge(await retentionPurge(await getClient(), dryRun.cutoff));
      setDryRun(null);
      await refresh();
    });
    if (ok) setConfirming(false);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {mayRun ? (
        <>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t("retention.purges.intro")}
          </Typography.Paragraph>
          {error && !confirming ? <Alert type="error" showIcon message={error} /> : null}
          <Space wrap>
            <Button onClick={() => void runDry()} loading={pending && !confirming} disabled={pending}>
              {t("retention.purges.dryRun")}
            </Button>
            <Button danger type="primary" disabled={!dryRun || dryCounts.isLoading || pending} title={dryRun ? undefined : t("retention.purges.dryRunFirst")} onClick={() => setConfirming(true)}>
              {t("retention.purges.purgeNow")}
            </Button>
          </Space>
          {dryRun ? <CountsTable label={t("retention.purges.dryRunTable")} rows={counts} loading={dryCounts.isLoading} purged={false} /> : null}
          <Modal
            open={confirming && dryRun !== null}
            title={t("retention.purges.confirmTitle", { count: toPurge })}
            okText={t("retention.purges.confirm")}
            okButtonProps={{ danger: true, loading: pending, disabled: pending }}
            onOk={() => void runPurge()}
            onCancel={() => setConfirming(false)}
          >
            <Typography.Paragraph>{t("retention.purges.confirmIntro", { at: format.dateTime(dryRun?.cutoff, true) })}</Typography.Paragraph>
            <ul aria-label={t("retention.purges.dryRunTable")}>
              {counts.map((c) => (
                <li key={c.category}>
                  {t("retention.purges.confirmLine", { category: categoryLabel(c.category), count: Number(c.rows_purged) })}
                  {Number(c.rows_on_hold) > 0 ? ` ${t("retention.purges.confirmOnHold", { count: Number(c.rows_on_hold) })}` : null}
                </li>
              ))}
            </ul>
            <Typography.Paragraph type="warning">{t("retention.purges.cannotBeUndone")}</Typography.Paragraph>
            {error ? <Alert type="error" showIcon message={error} /> : null}
          </Modal>
          {purge ? (
            <Space direction="vertical" style={{ width: "100%" }} aria-label={t("retention.purges.result")} role="region">
              <Alert type="success" showIcon message={t("retention.purges.done", { count: Number(purge.rows_purged ?? 0) })} />
              <CountsTable label={t("retention.purges.result")} rows={purgeCounts.data ?? []} loading={purgeCounts.isLoading} purged />
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t("retention.purges.certificate")}>
                  <Typography.Text code>{t("retention.purges.certificateSha", { sha: purge.certificate_sha256 ?? "" })}</Typography.Text>
                </Descriptions.Item>
              </Descriptions>
              <pre aria-label={t("retention.purges.certificate")} style={{ maxHeight: 240, overflow: "auto", fontSize: 12 }}>
                {JSON.stringify(purge.certificate, null, 2)}
              </pre>
              <Button onClick={() => downloadCertificate(purge)}>{t("retention.purges.download")}</Button>
            </Space>
          ) : null}
        </>
      ) : null}
      <PastRuns />
    </Space>
  );
}
