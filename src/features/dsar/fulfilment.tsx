import { useEffect, useRef, useState, type ReactNode } from "react";
import { useList, useOne } from "@refinedev/core";
import { Alert, App, Button, Card, Checkbox, Descriptions, Input, Modal, Progress, Radio, Select, Space, Table, Tag, Typography } from "antd";
import { formatBangkokDateTime } from "../../lib/format";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useCustomerSearch, type CustomerConsentRow, type CustomerDirectoryRow } from "../customers";
import type { RecordExportInput } from "./api";
import { useDsarActions } from "./data";
import { buildSubjectExport, createSupabaseCategoryFetcher, exportEventDetails, type ExportProgress } from "./export";
import type { DsarQueueRow, ErasurePlanRow, ProcessorTaskRow } from "./types";
import type { FulfilmentKind } from "./workflow";
import { FIELD_LABELS, RECTIFIABLE_FIELDS, rectificationChanges, type RectifiableField } from "./rectification";
import { downloadBlob } from "../../lib/download";

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card title={title} size="small" role="region" aria-label={title}>
      <Space direction="vertical" style={{ width: "100%" }}>
        {children}
      </Space>
    </Card>
  );
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? <Alert type="error" showIcon message="Not done" description={error} /> : null;
}

/** Most rights act on a customer account: an unmatched request is matched first. */
export function MatchCustomer({ request }: { request: DsarQueueRow }) {
  const actions = useDsarActions();
  const customers = useCustomerSearch();
  const [customerId, setCustomerId] = useState<string | undefined>();
  const { pending, error, guard } = useGuardedAction();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <ErrorLine error={error} />
      <Space wrap>
        <Select
          aria-label="Customer to match"
          showSearch
          filterOption={false}
          style={{ width: 360 }}
          placeholder="Search by email or Clerk id"
          onSearch={customers.search}
          loading={customers.searching}
          value={customerId}
          onChange={setCustomerId}
          options={customers.options.map((c) => ({ value: c.id, label: `${c.email} (${c.clerk_user_id})` }))}
        />
        <Button
          disabled={!customerId || pending}
          onClick={() => void guard(async () => void (customerId && (await actions.matchCustomer(request.id, customerId))))}
        >
          Match customer
        </Button>
      </Space>
    </Space>
  );
}

function progressPercent(progress: ExportProgress): number {
  if (progress.phase === "done") return 100;
  if (progress.phase === "zipping") return 80 + Math.round(progress.zipPercent * 0.2);
  return Math.min(80, Math.round((progress.filesWritten / Math.max(1, progress.totalFiles)) * 80));
}

/** Access / portability: build the ZIP in the browser, offer it for download, record its manifest hash. */
function ExportPanel({ request }: { request: DsarQueueRow }) {
  const getClient = useSupabaseClient();
  const actions = useDsarActions();
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [download, setDownload] = useState<{ url: string; name: string; sha256: string; recorded: boolean } | null>(null);
  const [recordArgs, setRecordArgs] = useState<RecordExportInput | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  // Leaving the page stops a running export; a replaced or abandoned download releases its memory.
  useEffect(() => () => abort.current?.abort(), []);
  // Keyed on the URL: marking the download recorded replaces the object but must not revoke the link's blob.
  const downloadUrl = download?.url;
  useEffect(() => () => {
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  }, [downloadUrl]);

  const record = async (args: RecordExportInput) => {
    try {
      await actions.recordExport(args);
      setRecordArgs(null);
      setDownload((d) => (d ? { ...d, recorded: true } : d));
    } catch (cause) {
      setRecordArgs(args);
      setError(`The export was built but not recorded: ${(cause as Error).message}`);
    }
  };

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setDownload(null);
    setProgress({ phase: "fetching", category: null, rowsFetched: 0, filesWritten: 0, totalFiles: 1, zipPercent: 0 });
    try {
      const client = await getClient();
      const built = await buildSubjectExport({
        output: "blob",
        fetchCategory: createSupabaseCategoryFetcher(client, request.customer_id),
        subject: { customerId: request.customer_id, email: request.customer_email ?? request.requester_email, displayName: request.customer_display_name },
        request: { id: request.id, reference: request.reference, type: request.type === "portability" ? "portability" : "access", receivedAt: request.received_at },
        signal: controller.signal,
        onProgress: setProgress,
      });
      const url = URL.createObjectURL(built.zip);
      setDownload({ url, name: `${request.reference}-${request.type}.zip`, sha256: built.manifestSha256, recorded: false });
      setProgress(null);
      await record({ requestId: request.id, manifestSha256: built.manifestSha256, details: exportEventDetails(built.manifest, built.zip.size) });
    } catch (cause) {
      setProgress(null);
      setError((cause as Error).name === "AbortError" ? "Export cancelled; nothing was recorded." : (cause as Error).message);
    }
  };

  return (
    <Panel title={request.type === "portability" ? "Portability export" : "Access export"}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        A ZIP of everything held about the subject: each category as JSON and CSV, a README in Thai and English, and a
        manifest with every file's SHA-256. The manifest hash is recorded in the timeline.
      </Typography.Paragraph>
      {error ? <Alert type={error.startsWith("Export cancelled") ? "info" : "error"} showIcon message={error} /> : null}
      {progress ? (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Progress percent={progressPercent(progress)} status="active" aria-label="Export progress" />
          <Typography.Text type="secondary">
            {progress.phase === "zipping" ? "Compressing…" : `Fetching ${progress.category ?? "…"} · ${progress.rowsFetched} rows`}
          </Typography.Text>
          <Button onClick={() => abort.current?.abort()}>Cancel</Button>
        </Space>
      ) : (
        <Space wrap>
          <Button type="primary" onClick={() => void start()}>
            {download ? "Build again" : "Build export"}
          </Button>
          {download ? (
            <Button href={download.url} download={download.name}>
              Download {download.name}
            </Button>
          ) : null}
          {recordArgs ? <Button onClick={() => void record(recordArgs)}>Record the export again</Button> : null}
        </Space>
      )}
      {download ? (
        <Typography.Text type="secondary">
          manifest SHA-256 <Typography.Text code>{download.sha256}</Typography.Text> {download.recorded ? <Tag color="green">recorded</Tag> : null}
        </Typography.Text>
      ) : null}
    </Panel>
  );
}

const ACTION_COLOURS: Record<string, string> = { delete: "red", anonymise: "orange", keep: "blue" };

function PlanTable({ rows, label }: { rows: ErasurePlanRow[]; label: string }) {
  return (
    <Table<ErasurePlanRow>
      size="small"
      aria-label={label}
      rowKey={(row) => `${row.category}-${row.action}`}
      pagination={false}
      dataSource={rows}
      columns={[
        { title: "Category", dataIndex: "category" },
        { title: "Action", dataIndex: "action", render: (action: string) => <Tag color={ACTION_COLOURS[action] ?? "default"}>{action}</Tag> },
        { title: "Rows", dataIndex: "row_count", align: "right", render: (v: number | string) => Number(v).toLocaleString("en-US") },
        { title: "Legal reason", dataIndex: "reason", render: (v: string | null) => v ?? "—" },
      ]}
    />
  );
}

/** Erasure: preview → confirm → execute → processor checklist → certificate. */
function ErasurePanel({ request }: { request: DsarQueueRow }) {
  const actions = useDsarActions();
  const { message } = App.useApp();
  const [preview, setPreview] = useState<ErasurePlanRow[] | null>(null);
  const [executed, setExecuted] = useState<ErasurePlanRow[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [typedReference, setTypedReference] = useState("");
  const [taskNotes, setTaskNotes] = useState<Record<string, string>>({});
  const [certificate, setCertificate] = useState<unknown>(null);
  const { pending, error, guard } = useGuardedAction();
  const tasks = useList<ProcessorTaskRow>({
    resource: "dsar_processor_tasks",
    filters: [{ field: "request_id", operator: "eq", value: request.id }],
    sorters: [{ field: "processor", order: "asc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const taskRows = tasks.result.data ?? [];
  const hasRun = taskRows.length > 0 || executed !== null;
  const openTasks = taskRows.filter((t) => t.status === "open").length;
  const working = request.status === "in_progress";

  const downloadCertificate = () => {
    downloadBlob(new Blob([JSON.stringify(certificate, null, 2)], { type: "application/json" }), `${request.reference}-erasure-certificate.json`);
  };

  return (
    <Panel title="Erasure">
      <ErrorLine error={error} />
      {!hasRun && working ? (
        <>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            First see, per category, what will be deleted, anonymised or kept (and the legal reason for keeping).
          </Typography.Paragraph>
          <Button disabled={pending} onClick={() => void guard(async () => setPreview(await actions.previewErasure(request.id)))}>
            {preview ? "Refresh preview" : "Preview erasure"}
          </Button>
          {preview ? (
            <>
              <PlanTable rows={preview} label="Erasure preview" />
              <Button danger type="primary" onClick={() => setConfirming(true)}>
                Execute erasure…
              </Button>
            </>
          ) : null}
        </>
      ) : null}
      <Modal
        open={confirming}
        title={`Erase the data of ${request.customer_email ?? request.requester_email}?`}
        okText="Execute erasure"
        okButtonProps={{ danger: true, disabled: typedReference.trim().toUpperCase() !== request.reference || pending, loading: pending }}
        onCancel={() => setConfirming(false)}
        onOk={() =>
          void guard(async () => {
            const done = await actions.executeErasure(request.id);
            setExecuted(done);
            setConfirming(false);
            void message.success("Erasure executed; processor tasks opened.");
          })
        }
      >
        <Typography.Paragraph>
          This cannot be undone. The customer is marked deleted and restricted; retained categories stay as the preview shows. Type{" "}
          <Typography.Text code>{request.reference}</Typography.Text> to confirm.
        </Typography.Paragraph>
        <Input aria-label="Type the reference to confirm" value={typedReference} onChange={(e) => setTypedReference(e.target.value)} />
      </Modal>
      {executed ? <PlanTable rows={executed} label="Erasure result" /> : null}
      {taskRows.length > 0 ? (
        <>
          <Typography.Text strong>
            Processor checklist ({taskRows.length - openTasks} of {taskRows.length} done)
          </Typography.Text>
          <Table<ProcessorTaskRow>
            size="small"
            aria-label="Processor checklist"
            rowKey={(row) => String(row.id)}
            pagination={false}
            dataSource={taskRows}
            columns={[
              { title: "Processor", dataIndex: "processor" },
              { title: "What to do", dataIndex: "action" },
              {
                title: "Status",
                key: "status",
                render: (_: unknown, task) =>
                  task.status === "done" ? (
                    <Space direction="vertical" size={0}>
                      <Tag color="green">done</Tag>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatBangkokDateTime(task.done_at)}
                        {task.note ? ` · ${task.note}` : ""}
                      </Typography.Text>
                    </Space>
                  ) : (
                    <Space>
                      <Input
                        size="small"
                        aria-label={`Note for ${task.processor}`}
                        placeholder="Note (ticket, confirmation)"
                        value={taskNotes[String(task.id)] ?? ""}
                        onChange={(e) => setTaskNotes({ ...taskNotes, [String(task.id)]: e.target.value })}
                      />
                      <Button
                        size="small"
                        disabled={pending}
                        onClick={() =>
                          void guard(async () => {
                            await actions.completeProcessorTask(task.id, taskNotes[String(task.id)]?.trim() || null);
                          })
                        }
                      >
                        Mark done
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
          <Space wrap>
            <Button
              disabled={openTasks > 0 || pending}
              onClick={() => void guard(async () => setCertificate(await actions.erasureCertificate(request.id)))}
            >
              {certificate ? "Reload certificate" : "View certificate"}
            </Button>
            {certificate ? <Button onClick={downloadCertificate}>Download certificate (JSON)</Button> : null}
            {openTasks > 0 ? <Typography.Text type="secondary">The certificate is issued once every processor task is done.</Typography.Text> : null}
          </Space>
          {certificate ? (
            <pre aria-label="Erasure certificate" style={{ maxHeight: 320, overflow: "auto", background: "#fafafa", padding: 12 }}>
              {JSON.stringify(certificate, null, 2)}
            </pre>
          ) : null}
        </>
      ) : null}
    </Panel>
  );
}

function RectifyPanel({ request }: { request: DsarQueueRow }) {
  const actions = useDsarActions();
  const { message } = App.useApp();
  const { result: customer, query } = useOne<CustomerDirectoryRow>({ resource: "customer_directory", id: request.customer_id ?? "", errorNotification: false });
  const [edited, setEdited] = useState<Partial<Record<RectifiableField, string>>>({});
  const { pending, error, guard } = useGuardedAction();
  if (query.isLoading) return <Panel title="Rectification">Loading the profile…</Panel>;
  if (!customer) return <Panel title="Rectification"><Alert type="error" showIcon message="The customer's profile could not be loaded." description={query.error?.message} /></Panel>;
  const before: Partial<Record<RectifiableField, string | null>> = {
    email: customer.email,
    display_name: customer.display_name,
    locale: customer.locale,
    country: customer.country,
    profile_image_url: customer.profile_image_url,
  };
  const changes = rectificationChanges(before, edited);
  const changed = Object.keys(changes) as RectifiableField[];
  return (
    <Panel title="Rectification">
      <ErrorLine error={error} />
      <Descriptions size="small" column={1} bordered>
        {RECTIFIABLE_FIELDS.map((field) => (
          <Descriptions.Item key={field} label={FIELD_LABELS[field]}>
            <Input aria-label={FIELD_LABELS[field]} value={edited[field] ?? before[field] ?? ""} onChange={(e) => setEdited({ ...edited, [field]: e.target.value })} />
          </Descriptions.Item>
        ))}
      </Descriptions>
      {changed.length > 0 ? (
        <Table
          size="small"
          aria-label="Before and after"
          pagination={false}
          rowKey="field"
          dataSource={changed.map((field) => ({ field: FIELD_LABELS[field], before: before[field] ?? "—", after: changes[field] ?? "—" }))}
          columns={[
            { title: "Field", dataIndex: "field" },
            { title: "Before", dataIndex: "before" },
            { title: "After", dataIndex: "after" },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">Edit a field to see the correction before and after.</Typography.Text>
      )}
      <Button
        type="primary"
        disabled={changed.length === 0 || pending}
        onClick={() =>
          void guard(async () => {
            await actions.rectifyCustomer(request.id, changes);
            setEdited({});
            void message.success("Profile corrected; before and after are in the timeline.");
          })
        }
      >
        Apply correction
      </Button>
    </Panel>
  );
}

function RestrictionPanel({ request }: { request: DsarQueueRow }) {
  const actions = useDsarActions();
  const { message } = App.useApp();
  const current = Boolean(request.customer_processing_restricted);
  const [target, setTarget] = useState<boolean>(!current);
  const [reason, setReason] = useState("");
  const { pending, error, setError, guard } = useGuardedAction();
  return (
    <Panel title="Processing restriction">
      <Typography.Text>
        Currently: {current ? <Tag color="red">processing restricted</Tag> : <Tag color="green">not restricted</Tag>}
      </Typography.Text>
      <ErrorLine error={error} />
      <Radio.Group
        aria-label="Restriction"
        value={target}
        onChange={(e) => setTarget(e.target.value as boolean)}
        options={[
          { value: true, label: "Restrict processing" },
          { value: false, label: "Lift the restriction" },
        ]}
      />
      <Input.TextArea aria-label="Restriction reason" rows={2} placeholder="Reason (required, shown on every customer view)" value={reason} onChange={(e) => setReason(e.target.value)} />
      <Button
        type="primary"
        disabled={pending}
        onClick={() => {
          if (!reason.trim()) {
            setError("Give the reason for the change.");
            return;
          }
          void guard(async () => {
            await actions.setRestriction({ requestId: request.id, restricted: target, reason: reason.trim() });
            setReason("");
            void message.success(target ? "Processing restricted." : "Restriction lifted.");
          });
        }}
      >
        Save
      </Button>
    </Panel>
  );
}

/** Only consent-based purposes can be withdrawn; terms and privacy policy end with the account (erasure). */
export const WITHDRAWABLE_PURPOSES = ["analytics", "marketing_email"] as const;

function ConsentPanel({ request }: { request: DsarQueueRow }) {
  const actions = useDsarActions();
  const { message } = App.useApp();
  const consents = useList<CustomerConsentRow>({
    resource: "customer_consents",
    filters: [{ field: "customer_id", operator: "eq", value: request.customer_id }],
    pagination: { mode: "off" },
    meta: { uniqueOrder: ["customer_id", "purpose"] },
    errorNotification: false,
  });
  const state = new Map((consents.result.data ?? []).map((c) => [c.purpose, c.granted]));
  const [purposes, setPurposes] = useState<string[]>([]);
  const { pending, error, setError, guard } = useGuardedAction();
  return (
    <Panel title="Objection / consent withdrawal">
      <ErrorLine error={error} />
      <Checkbox.Group
        aria-label="Purposes to withdraw"
        value={purposes}
        onChange={(values) => setPurposes(values as string[])}
        options={WITHDRAWABLE_PURPOSES.map((purpose) => ({
          value: purpose,
          label: `${purpose} (${state.has(purpose) ? (state.get(purpose) ? "granted" : "already withdrawn") : "never given"})`,
        }))}
      />
      <Button
        type="primary"
        disabled={pending}
        onClick={() => {
          if (purposes.length === 0) {
            setError("Choose at least one purpose.");
            return;
          }
          void guard(async () => {
            await actions.withdrawConsent(request.id, purposes);
            setPurposes([]);
            void message.success("Withdrawal recorded in the consent history.");
          });
        }}
      >
        Record withdrawal
      </Button>
    </Panel>
  );
}

function ComplaintPanel({ request }: { request: DsarQueueRow }) {
  const actions = useDsarActions();
  const [finding, setFinding] = useState("");
  const { pending, error, setError, guard } = useGuardedAction();
  return (
    <Panel title="Complaint">
      <Alert
        type="info"
        showIcon
        message="The subject may also complain to the PDPC"
        description="Every reply to a complaint states the right to complain to the Personal Data Protection Committee (www.pdpc.or.th); the reply templates include it."
      />
      <ErrorLine error={error} />
      <Input.TextArea aria-label="Finding" rows={3} placeholder="What was found and what was done" value={finding} onChange={(e) => setFinding(e.target.value)} />
      <Button
        disabled={pending}
        onClick={() => {
          if (!finding.trim()) {
            setError("Write the finding first.");
            return;
          }
          void guard(async () => {
            await actions.addNote(request.id, `Complaint finding: ${finding.trim()}`);
            setFinding("");
          });
        }}
      >
        Record finding
      </Button>
    </Panel>
  );
}

export function FulfilmentPanel({ kind, request }: { kind: FulfilmentKind; request: DsarQueueRow }) {
  if (kind === "complaint") return <ComplaintPanel request={request} />;
  if (kind === "export") return <ExportPanel request={request} />;
  if (!request.customer_id) {
    return (
      <Panel title="Fulfilment">
        <Alert type="warning" showIcon message={`Match ${request.reference} to a customer (in the Subject panel above) before fulfilling it.`} />
      </Panel>
    );
  }
  switch (kind) {
    case "erasure":
      return <ErasurePanel request={request} />;
    case "rectification":
      return <RectifyPanel request={request} />;
    case "restriction":
      return <RestrictionPanel request={request} />;
    case "consent":
      return <ConsentPanel request={request} />;
  }
}
