/**
 * /reconciliation — finance matches Stripe's records against the database: upload an itemized balance report or
 * a Dashboard payments export (read, validated and matched in a Web Worker, with progress and cancel), or pull
 * balance transactions for a date range from Stripe. Each finished run is saved (who, when, file name, SHA-256,
 * counts, totals, discrepancies) so reconciliations are auditable; the auditor reads the saved runs.
 */
import { CloudDownloadOutlined, InboxOutlined } from "@ant-design/icons";
import { useCan } from "@refinedev/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Progress, Space, Table, Tabs, Tag, Typography, Upload } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { formatBangkokDateTime } from "../../lib/format";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffNames } from "../../lib/staffNames";
import { fetchReconciliationRecords, getRun, listRuns, pullFromStripe, runPayload, saveRun, type SavedRun } from "./api";
import { reconcileFileInWorker, type ReconcileWorkerLike } from "./client";
import { CountCards, DiscrepanciesSection, downloadText, FILE_KIND_SHORT, TotalsTable } from "./components";
import { FILE_KIND_LABELS } from "./headers";
import { reconciliationKeys } from "./keys";
import { reconcile } from "./match";
import { balanceReportCsv, balanceRowsFromRecords, injectIntoBalanceRows, injectIntoPaymentsRows, paymentsExportCsv, paymentsRowsFromRecords } from "./stripeFiles";
import { DISCREPANCY_KINDS, type FileKind, type InvalidFile, type ParseProgress, type ReconciliationResult, type RunSource } from "./types";

type DemoVariant = "payments-clean" | "payments-discrepancies" | "balance-clean" | "balance-discrepancies";

/** The four demo files: static under /demo (the seed as of one day), or made from this database (DemoFromDatabase). */
const DEMO_FILES: { variant: DemoVariant; href: string; label: string }[] = [
  { variant: "payments-clean", href: "/demo/stripe-payments-export-clean.csv", label: "payments export, clean" },
  { variant: "payments-discrepancies", href: "/demo/stripe-payments-export-discrepancies.csv", label: "payments export, with discrepancies" },
  { variant: "balance-clean", href: "/demo/stripe-balance-report-clean.csv", label: "balance report, clean" },
  { variant: "balance-discrepancies", href: "/demo/stripe-balance-report-discrepancies.csv", label: "balance report, with discrepancies" },
];

type SaveState = { state: "saving" } | { state: "saved"; run: SavedRun } | { state: "failed"; message: string };

type RunState =
  | { status: "idle" }
  | {
      status: "running";
      label: string;
      fileKind: FileKind | null;
      progress: ParseProgress | null;
      /** What is being waited for when it is not the file being read (the pull, the database records). */
      step: string | null;
      cancel: () => void;
    }
  | { status: "invalid"; fileName: string; invalid: InvalidFile }
  | { status: "failed"; label: string; message: string }
  | {
      status: "done";
      source: RunSource;
      fileName: string | null;
      sha256: string | null;
      rows: number;
      result: ReconciliationResult;
      save: SaveState;
    };

function isAbort(err: unknown): boolean {
  return (err as { name?: string })?.name === "AbortError";
}

function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 12) : "—";
}

function totalDiscrepancies(counts: Record<string, number>): number {
  return DISCREPANCY_KINDS.reduce((n, k) => n + (counts[k] ?? 0), 0);
}

/** Test seam: jsdom has no Worker; the client falls back to an in-thread worker on its own. */
export interface ReconciliationPageProps {
  createWorker?: () => ReconcileWorkerLike;
}

export default function ReconciliationPage({ createWorker }: ReconciliationPageProps = {}) {
  const { data: canRun } = useCan({ resource: "reconciliation", action: "create" });
  const [params, setParams] = useSearchParams();
  const mayRun = canRun?.can === true;
  const asked = params.get("tab");
  const tab = asked === "runs" || (asked === "reconcile" && mayRun) ? asked : mayRun ? "reconcile" : "runs";
  const runId = params.get("run");
  const setParam = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };
  const items = [
    ...(mayRun ? [{ key: "reconcile", label: "Reconcile", children: <ReconcilePanel createWorker={createWorker} onOpenRun={(id) => setParam({ tab: "runs", run: id })} /> }] : []),
    {
      key: "runs",
      label: "Saved runs",
      children: runId ? <RunDetail id={runId} onBack={() => setParam({ run: null })} /> : <RunsList onOpen={(id) => setParam({ tab: "runs", run: id })} />,
    },
  ];
  return (
    <PageShell title="Stripe reconciliation">
      <Tabs activeKey={tab} onChange={(key) => setParam({ tab: key, run: null })} items={items} destroyOnHidden={false} />
    </PageShell>
  );
}

function ReconcilePanel({ createWorker, onOpenRun }: { createWorker: (() => ReconcileWorkerLike) | undefined; onOpenRun: (id: string) => void }) {
  const getClient = useSupabaseClient();
  const queryClient = useQueryClient();
  const [run, setRun] = useState<RunState>({ status: "idle" });
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  useEffect(() => () => controllerRef.current?.abort(), []);

  const save = async (done: Extract<RunState, { status: "done" }>) => {
    setRun({ ...done, save: { state: "saving" } });
    try {
      const client = await getClient();
      const saved = await saveRun(client, runPayload(done.result, { source: done.source, name: done.fileName, sha256: done.sha256, rows: done.rows }), done.result.discrepancies);
      setRun({ ...done, save: { state: "saved", run: saved } });
      // The saved-runs list may have been read already (it is the first tab until the role is known).
      void queryClient.invalidateQueries({ queryKey: reconciliationKeys.runs() });
    } catch (err) {
      setRun({ ...done, save: { state: "failed", message: (err as Error).message } });
    }
  };

  const startFile = async (file: File) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    const cancel = () => controller.abort();
    setRun({ status: "running", label: file.name, fileKind: null, progress: null, step: null, cancel });
    try {
      const client = await getClient();
      const outcome = await reconcileFileInWorker({
        file,
        signal: controller.signal,
        fetchRecords: (period) => fetchReconciliationRecords(client, period, true),
        onProgress: (progress) => setRun((r) => (r.status === "running" ? { ...r, progress, step: null } : r)),
        onParsed: ({ fileKind, rows }) =>
          setRun((r) => (r.status === "running" ? { ...r, fileKind, step: `Read ${rows.toLocaleString("en-US")} rows · reading the database records for this period…` } : r)),
        ...(createWorker ? { createWorker } : {}),
      });
      if (controller.signal.aborted) return;
      if (!outcome.ok) {
        setRun({ status: "invalid", fileName: file.name, invalid: outcome.invalid });
        return;
      }
      await save({ status: "done", source: "upload", fileName: file.name, sha256: outcome.sha256, rows: outcome.rows, result: outcome.result, save: { state: "saving" } });
    } catch (err) {
      if (isAbort(err)) setRun({ status: "idle" });
      else setRun({ status: "failed", label: file.name, message: (err as Error).message });
    }
  };

  const startPull = async () => {
    if (!range?.[0] || !range[1]) return;
    const from = `${range[0].format("YYYY-MM-DD")}T00:00:00.000Z`;
    const to = new Date(Date.parse(`${range[1].format("YYYY-MM-DD")}T00:00:00.000Z`) + 86_400_000).toISOString();
    const label = `Stripe balance transactions ${range[0].format("YYYY-MM-DD")} – ${range[1].format("YYYY-MM-DD")} (UTC)`;
    const controller = new AbortController();
    controllerRef.current?.abort();
    controllerRef.current = controller;
    // Cancel answers at once: the request to Stripe is aborted, and whatever is still on its way is ignored.
    const cancel = () => {
      controller.abort();
      setRun({ status: "idle" });
    };
    const step = (text: string) => setRun((r) => (r.status === "running" ? { ...r, step: text } : r));
    setRun({ status: "running", label, fileKind: null, progress: null, step: "Pulling balance transactions from Stripe…", cancel });
    try {
      const client = await getClient();
      const rows = await pullFromStripe(client, from, to, controller.signal);
      if (controller.signal.aborted) return;
      step(`Pulled ${rows.length.toLocaleString("en-US")} rows · reading the database records for this period…`);
      const period = { from, to };
      const records = await fetchReconciliationRecords(client, period, false);
      if (controller.signal.aborted) return;
      const result = reconcile({ kind: "stripe_api", rows }, records, { period, periodEndInclusive: false });
      await save({ status: "done", source: "pull", fileName: null, sha256: null, rows: rows.length, result, save: { state: "saving" } });
    } catch (err) {
      // Aborted by Cancel (already idle), by a newer run or by leaving the page: nothing to show.
      if (controller.signal.aborted || isAbort(err)) return;
      setRun({ status: "failed", label, message: (err as Error).message });
    }
  };

  const running = run.status === "running";
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Card size="small" title="Upload a Stripe export">
        <Upload.Dragger
          accept=".csv,text/csv"
          multiple={false}
          showUploadList={false}
          disabled={running}
          beforeUpload={(file) => {
            void startFile(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">Drop a Stripe CSV here, or click to choose one</p>
          <p className="ant-upload-hint">
            The itemized “balance change from activity” report or the Dashboard payments export. The file is read in your browser; nothing is imported
            unless every row is valid.
          </p>
        </Upload.Dragger>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          Try it with the demo files (the demo seed as of 2026-11-20; they match a database reset with{" "}
          <Typography.Text code>npm run db:reset -- --now 2026-11-20</Typography.Text>):{" "}
          {DEMO_FILES.map((f, i) => (
            <span key={f.href}>
              {i > 0 ? " · " : ""}
              <a href={f.href} download>
                {f.label}
              </a>
            </span>
          ))}
        </Typography.Paragraph>
        <DemoFromDatabase />
      </Card>
      <Card size="small" title="Pull from Stripe">
        <Space wrap>
          <DatePicker.RangePicker
            aria-label="Pull period (UTC days)"
            value={range}
            onChange={(value) => setRange(value as [Dayjs | null, Dayjs | null] | null)}
          />
          <Button icon={<CloudDownloadOutlined />} onClick={() => void startPull()} disabled={running || !range?.[0] || !range[1]}>
            Pull from Stripe
          </Button>
          <Typography.Text type="secondary">Balance transactions created in these UTC days, matched like a balance report (at most 400 days).</Typography.Text>
        </Space>
      </Card>
      <RunView run={run} onOpenRun={onOpenRun} onRetrySave={(done) => void save(done)} />
    </Space>
  );
}

/**
 * Demo files made from the database this console runs against (the last 365 days): the static files match the demo
 * seed as of one day, while a local database is seeded as of its first start.
 */
function DemoFromDatabase() {
  const getClient = useSupabaseClient();
  const [busy, setBusy] = useState<DemoVariant | null>(null);
  const [error, setError] = useState<string | null>(null);
  const make = async (variant: DemoVariant) => {
    setBusy(variant);
    setError(null);
    try {
      const to = new Date();
      const from = new Date(to.getTime() - 365 * 86_400_000);
      const records = await fetchReconciliationRecords(await getClient(), { from: from.toISOString(), to: to.toISOString() }, false);
      let text: string;
      if (variant.startsWith("payments")) {
        const rows = paymentsRowsFromRecords(records);
        text = paymentsExportCsv(variant === "payments-clean" ? rows : injectIntoPaymentsRows(rows).rows);
      } else {
        const rows = balanceRowsFromRecords(records);
        text = balanceReportCsv(variant === "balance-clean" ? rows : injectIntoBalanceRows(rows, records).rows, { newline: "\r\n" });
      }
      downloadText(text, `stripe-${variant}-from-this-database.csv`);
    } catch (err) {
      setError(`The demo file could not be made: ${(err as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      <Space wrap size={4}>
        <Typography.Text type="secondary">Or made from this database (last 365 days):</Typography.Text>
        {DEMO_FILES.map(({ variant, label }) => (
          <Button key={variant} size="small" type="link" loading={busy === variant} disabled={busy !== null && busy !== variant} onClick={() => void make(variant)}>
            {label}
          </Button>
        ))}
      </Space>
      {error ? <Alert type="error" showIcon message={error} /> : null}
    </Space>
  );
}

function RunView({ run, onOpenRun, onRetrySave }: { run: RunState; onOpenRun: (id: string) => void; onRetrySave: (done: Extract<RunState, { status: "done" }>) => void }) {
  if (run.status === "idle") return null;
  if (run.status === "running") {
    const p = run.progress;
    const percent = p && p.totalBytes > 0 ? Math.floor((p.bytesRead / p.totalBytes) * 100) : 0;
    return (
      <Card size="small" title={`Reconciling ${run.label}`} aria-busy="true">
        <Space direction="vertical" style={{ width: "100%" }}>
          {run.fileKind ? <Tag color="blue">{FILE_KIND_LABELS[run.fileKind]}</Tag> : null}
          <Progress percent={percent} status="active" aria-label="Reconciliation progress" />
          <Typography.Text type="secondary">
            {run.step ??
              (!p
                ? "Starting…"
                : p.phase === "matching"
                  ? `Matching ${p.rows.toLocaleString("en-US")} rows against the database…`
                  : `Read ${(p.bytesRead / 1048576).toFixed(1)} of ${(p.totalBytes / 1048576).toFixed(1)} MB · ${p.rows.toLocaleString("en-US")} rows`)}
          </Typography.Text>
          <Button onClick={run.cancel}>Cancel</Button>
        </Space>
      </Card>
    );
  }
  if (run.status === "failed") {
    return <Alert type="error" showIcon message={`Reconciling ${run.label} failed`} description={run.message} />;
  }
  if (run.status === "invalid") {
    const { invalid } = run;
    return (
      <Card size="small" title={`${run.fileName}: not imported`}>
        <Space direction="vertical" style={{ width: "100%" }}>
          <Alert
            type="error"
            showIcon
            message={`This file cannot be reconciled: ${invalid.totalIssues.toLocaleString("en-US")} problem${invalid.totalIssues === 1 ? "" : "s"}. Nothing was imported or saved.`}
            description={
              <>
                {invalid.kind ? `Detected: ${FILE_KIND_LABELS[invalid.kind]}. ` : ""}
                {invalid.rows > 0 ? `${invalid.rows.toLocaleString("en-US")} rows read. ` : ""}
                {invalid.issues.length < invalid.totalIssues ? `The first ${invalid.issues.length} are listed.` : ""}
              </>
            }
          />
          <Table
            size="small"
            aria-label="Validation errors"
            rowKey="key"
            dataSource={invalid.issues.map((issue, i) => ({ ...issue, key: i }))}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            columns={[
              { title: "Line", dataIndex: "line", width: 80, render: (v: number | null) => v ?? "—" },
              { title: "Column", dataIndex: "column", width: 200, render: (v: string | null) => v ?? "—" },
              { title: "Problem", dataIndex: "message" },
            ]}
          />
        </Space>
      </Card>
    );
  }
  const { result } = run;
  return (
    <Card size="small" title={run.source === "upload" ? `Result: ${run.fileName}` : "Result: pull from Stripe"}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <SaveLine save={run.save} onOpenRun={onOpenRun} onRetry={() => onRetrySave(run)} />
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label="Kind">
            <Tag color="blue">{run.result.fileKind === "stripe_api" ? "Stripe API pull" : FILE_KIND_LABELS[run.result.fileKind]}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="Rows">{run.rows.toLocaleString("en-US")}</Descriptions.Item>
          <Descriptions.Item label="Period">
            {formatBangkokDateTime(result.period.from)} – {formatBangkokDateTime(result.period.to)}
          </Descriptions.Item>
          <Descriptions.Item label="SHA-256">{run.sha256 ? <Typography.Text code copyable={{ text: run.sha256 }}>{shortSha(run.sha256)}</Typography.Text> : "—"}</Descriptions.Item>
        </Descriptions>
        <CountCards counts={result.counts} />
        <Typography.Title level={5} style={{ margin: 0 }}>
          Totals per currency and category
        </Typography.Title>
        <TotalsTable totals={result.totals} />
        <Typography.Title level={5} style={{ margin: 0 }}>
          Discrepancies
        </Typography.Title>
        <DiscrepanciesSection discrepancies={result.discrepancies} fileBase={(run.fileName ?? "stripe-pull").replace(/\.csv$/i, "")} />
      </Space>
    </Card>
  );
}

function SaveLine({ save, onOpenRun, onRetry }: { save: SaveState; onOpenRun: (id: string) => void; onRetry: () => void }) {
  if (save.state === "saving") return <Alert type="info" showIcon message="Saving the run…" />;
  if (save.state === "failed") {
    return (
      <Alert
        type="error"
        showIcon
        message="The run could not be saved"
        description={save.message}
        action={
          <Button size="small" onClick={onRetry}>
            Retry save
          </Button>
        }
      />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      message="Run saved"
      action={
        <Button size="small" onClick={() => onOpenRun(save.run.id)}>
          Open saved run
        </Button>
      }
    />
  );
}

function RunsList({ onOpen }: { onOpen: (id: string) => void }) {
  const getClient = useSupabaseClient();
  const runs = useQuery({ queryKey: reconciliationKeys.runs(), queryFn: async () => listRuns(await getClient()) });
  const names = useStaffNames((runs.data ?? []).map((r) => r.created_by));
  if (runs.error) return <Alert type="error" showIcon message="The saved runs could not be read" description={(runs.error as Error).message} />;
  return (
    <Table<SavedRun>
      size="small"
      aria-label="Saved runs"
      loading={runs.isLoading}
      rowKey="id"
      dataSource={runs.data ?? []}
      pagination={{ pageSize: 25, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No reconciliation has been saved yet." /> }}
      onRow={(r) => ({ onClick: () => onOpen(r.id) })}
      columns={[
        {
          title: "When",
          dataIndex: "created_at",
          render: (v: string, r) => (
            <a
              href={`?tab=runs&run=${r.id}`}
              onClick={(e) => {
                e.preventDefault();
                onOpen(r.id);
              }}
            >
              {formatBangkokDateTime(v)}
            </a>
          ),
        },
        { title: "Who", dataIndex: "created_by", render: (v: string) => names.get(v) ?? <Typography.Text type="secondary">{v.slice(0, 8)}</Typography.Text> },
        { title: "Source", key: "source", render: (_: unknown, r) => <Tag>{FILE_KIND_SHORT[r.file_kind]}</Tag> },
        { title: "File", dataIndex: "file_name", render: (v: string | null) => v ?? "—" },
        { title: "SHA-256", dataIndex: "file_sha256", render: (v: string | null) => (v ? <Typography.Text code title={v}>{shortSha(v)}</Typography.Text> : "—") },
        { title: "Rows", dataIndex: "file_rows", align: "right" },
        { title: "Matched", key: "matched", align: "right", render: (_: unknown, r) => r.counts.matched ?? 0 },
        {
          title: "Discrepancies",
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

function RunDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const getClient = useSupabaseClient();
  const detail = useQuery({ queryKey: reconciliationKeys.run(id), queryFn: async () => getRun(await getClient(), id) });
  const names = useStaffNames(detail.data ? [detail.data.run.created_by] : []);
  const back = <Button onClick={onBack}>Back to saved runs</Button>;
  if (detail.error) {
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        {back}
        <Alert type="error" showIcon message="This run could not be read" description={(detail.error as Error).message} />
      </Space>
    );
  }
  if (!detail.data) return <Card loading />;
  const { run, discrepancies } = detail.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {back}
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered title={`Run of ${formatBangkokDateTime(run.created_at)}`}>
        <Descriptions.Item label="By">{names.get(run.created_by) ?? run.created_by}</Descriptions.Item>
        <Descriptions.Item label="Source">{FILE_KIND_SHORT[run.file_kind]}</Descriptions.Item>
        <Descriptions.Item label="File">{run.file_name ?? "—"}</Descriptions.Item>
        <Descriptions.Item label="SHA-256">{run.file_sha256 ? <Typography.Text code copyable>{run.file_sha256}</Typography.Text> : "—"}</Descriptions.Item>
        <Descriptions.Item label="Rows">{run.file_rows.toLocaleString("en-US")}</Descriptions.Item>
        <Descriptions.Item label="Period">
          {run.period_from ? formatBangkokDateTime(run.period_from) : "—"} – {run.period_to ? formatBangkokDateTime(run.period_to) : "—"}
        </Descriptions.Item>
      </Descriptions>
      <CountCards counts={run.counts} />
      <TotalsTable totals={run.totals} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        Discrepancies ({discrepancies.length})
      </Typography.Title>
      <DiscrepanciesSection discrepancies={discrepancies} fileBase={`reconciliation-${run.created_at.slice(0, 10)}-${run.id.slice(0, 8)}`} />
    </Space>
  );
}

