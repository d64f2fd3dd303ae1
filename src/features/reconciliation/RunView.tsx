/** The Reconcile tab's run: its progress, why the file was refused, its failure, or its result and save. */
import { Alert, Button, Card, Descriptions, Progress, Space, Table, Tag, Typography } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import "../../i18n/messages/en/reconciliation";
import { CountCards, DiscrepanciesSection, sourceLabel, TotalsTable } from "./components";
import { fileKindLabel } from "./headers";
import { shortSha, type DoneRun, type RunState, type SaveState } from "./runState";

const MB = 1048576;

export function RunView({ run, onOpenRun, onRetrySave }: { run: RunState; onOpenRun: (id: string) => void; onRetrySave: (done: DoneRun) => void }) {
  const t = useT();
  if (run.status === "idle") return null;
  if (run.status === "running") return <RunProgress run={run} />;
  if (run.status === "failed") {
    return <Alert type="error" showIcon message={t("reconciliation.progress.failed", { label: run.label })} description={run.message} />;
  }
  if (run.status === "invalid") return <InvalidFileCard fileName={run.fileName} invalid={run.invalid} />;
  return <RunResult run={run} onOpenRun={onOpenRun} onRetrySave={onRetrySave} />;
}

function RunProgress({ run }: { run: Extract<RunState, { status: "running" }> }) {
  const t = useT();
  const p = run.progress;
  const percent = p && p.totalBytes > 0 ? Math.floor((p.bytesRead / p.totalBytes) * 100) : 0;
  return (
    <Card size="small" title={t("reconciliation.progress.title", { label: run.label })} aria-busy="true">
      <Space direction="vertical" style={{ width: "100%" }}>
        {run.fileKind ? <Tag color="blue">{fileKindLabel(run.fileKind)}</Tag> : null}
        <Progress percent={percent} status="active" aria-label={t("reconciliation.progress.label")} />
        <Typography.Text type="secondary">
          {run.step ??
            (!p
              ? t("reconciliation.progress.starting")
              : p.phase === "matching"
                ? t("reconciliation.progress.matching", { rows: p.rows })
                : t("reconciliation.progress.reading", { read: (p.bytesRead / MB).toFixed(1), total: (p.totalBytes / MB).toFixed(1), rows: p.rows }))}
        </Typography.Text>
        <Button onClick={run.cancel}>{t("reconciliation.progress.cancel")}</Button>
      </Space>
    </Card>
  );
}

function InvalidFileCard({ fileName, invalid }: Pick<Extract<RunState, { status: "invalid" }>, "fileName" | "invalid">) {
  const t = useT();
  return (
    <Card size="small" title={t("reconciliation.invalid.title", { file: fileName })}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <Alert
          type="error"
          showIcon
          message={t("reconciliation.invalid.summary", { count: invalid.totalIssues })}
          description={
            <>
              {invalid.kind ? t("reconciliation.invalid.detected", { kind: fileKindLabel(invalid.kind) }) : ""}
              {invalid.rows > 0 ? t("reconciliation.invalid.rowsRead", { rows: invalid.rows }) : ""}
              {invalid.issues.length < invalid.totalIssues ? t("reconciliation.invalid.firstListed", { count: String(invalid.issues.length) }) : ""}
            </>
          }
        />
        <Table
          size="small"
          aria-label={t("reconciliation.invalid.tableLabel")}
          rowKey="key"
          dataSource={invalid.issues.map((issue, i) => ({ ...issue, key: i }))}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          columns={[
            { title: t("reconciliation.invalid.line"), dataIndex: "line", width: 80, render: (v: number | null) => v ?? "—" },
            { title: t("reconciliation.invalid.column"), dataIndex: "column", width: 200, render: (v: string | null) => v ?? "—" },
            { title: t("reconciliation.invalid.problem"), dataIndex: "message" },
          ]}
        />
      </Space>
    </Card>
  );
}

function RunResult({ run, onOpenRun, onRetrySave }: { run: DoneRun; onOpenRun: (id: string) => void; onRetrySave: (done: DoneRun) => void }) {
  const t = useT();
  const format = useFormatter();
  const { result } = run;
  return (
    <Card size="small" title={run.source === "upload" ? t("reconciliation.result.ofFile", { file: String(run.fileName) }) : t("reconciliation.result.ofPull")}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <SaveLine save={run.save} onOpenRun={onOpenRun} onRetry={() => onRetrySave(run)} />
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label={t("reconciliation.result.kind")}>
            <Tag color="blue">{result.fileKind === "stripe_api" ? sourceLabel("stripe_api") : fileKindLabel(result.fileKind)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("reconciliation.result.rows")}>{format.number(run.rows)}</Descriptions.Item>
          <Descriptions.Item label={t("reconciliation.result.period")}>
            {format.dateTime(result.period.from)} – {format.dateTime(result.period.to)}
          </Descriptions.Item>
          <Descriptions.Item label={t("reconciliation.result.sha256")}>
            {run.sha256 ? <Typography.Text code copyable={{ text: run.sha256 }}>{shortSha(run.sha256)}</Typography.Text> : "—"}
          </Descriptions.Item>
        </Descriptions>
        <CountCards counts={result.counts} />
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t("reconciliation.result.totals")}
        </Typography.Title>
        <TotalsTable totals={result.totals} />
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t("reconciliation.result.discrepancies")}
        </Typography.Title>
        <DiscrepanciesSection discrepancies={result.discrepancies} fileBase={(run.fileName ?? "stripe-pull").replace(/\.csv$/i, "")} />
      </Space>
    </Card>
  );
}

function SaveLine({ save, onOpenRun, onRetry }: { save: SaveState; onOpenRun: (id: string) => void; onRetry: () => void }) {
  const t = useT();
  if (save.state === "saving") return <Alert type="info" showIcon message={t("reconciliation.save.saving")} />;
  if (save.state === "failed") {
    return (
      <Alert
        type="error"
        showIcon
        message={t("reconciliation.save.failed")}
        description={save.message}
        action={
          <Button size="small" onClick={onRetry}>
            {t("reconciliation.save.retry")}
          </Button>
        }
      />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      message={t("reconciliation.save.saved")}
      action={
        <Button size="small" onClick={() => onOpenRun(save.run.id)}>
          {t("reconciliation.save.open")}
        </Button>
      }
    />
  );
}
