import { useEffect, useRef, useState } from "react";
import { Alert, Button, Progress, Space, Tag, Typography } from "antd";
import { useT } from "../../../i18n";
import { useSupabaseClient } from "../../../providers/supabaseContext";
import type { RecordExportInput } from "../api";
import { useDsarActions } from "../data";
import { buildSubjectExport, createSupabaseCategoryFetcher, exportEventDetails, type ExportProgress } from "../export";
import type { DsarQueueRow } from "../types";
import { Panel, TextWithCode } from "./Panel";

function progressPercent(progress: ExportProgress): number {
  if (progress.phase === "done") return 100;
  if (progress.phase === "zipping") return 80 + Math.round(progress.zipPercent * 0.2);
  return Math.min(80, Math.round((progress.filesWritten / Math.max(1, progress.totalFiles)) * 80));
}

/** What the panel says after a try: a cancel is news, anything else a failure. */
type Outcome = { kind: "cancelled" | "failed"; text: string };

/** Access / portability: build the ZIP in the browser, offer it for download, record its manifest hash. */
export function ExportPanel({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const getClient = useSupabaseClient();
  const actions = useDsarActions();
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [download, setDownload] = useState<{ url: string; name: string; sha256: string; recorded: boolean } | null>(null);
  const [recordArgs, setRecordArgs] = useState<RecordExportInput | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
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
      setOutcome({ kind: "failed", text: t("dsar.fulfilment.export.notRecorded", { reason: (cause as Error).message }) });
    }
  };

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setOutcome(null);
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
      const cancelled = (cause as Error).name === "AbortError";
      setOutcome(cancelled ? { kind: "cancelled", text: t("dsar.fulfilment.export.cancelled") } : { kind: "failed", text: (cause as Error).message });
    }
  };

  return (
    <Panel title={request.type === "portability" ? t("dsar.fulfilment.export.portabilityTitle") : t("dsar.fulfilment.export.accessTitle")}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t("dsar.fulfilment.export.explanation")}
      </Typography.Paragraph>
      {outcome ? <Alert type={outcome.kind === "cancelled" ? "info" : "error"} showIcon message={outcome.text} /> : null}
      {progress ? (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Progress percent={progressPercent(progress)} status="active" aria-label={t("dsar.fulfilment.export.progress")} />
          <Typography.Text type="secondary">
            {progress.phase === "zipping"
              ? t("dsar.fulfilment.export.compressing")
              : t("dsar.fulfilment.export.fetching", { category: progress.category ?? "…", rows: progress.rowsFetched })}
          </Typography.Text>
          <Button onClick={() => abort.current?.abort()}>{t("common.actions.cancel")}</Button>
        </Space>
      ) : (
        <Space wrap>
          <Button type="primary" onClick={() => void start()}>
            {download ? t("dsar.fulfilment.export.buildAgain") : t("dsar.fulfilment.export.build")}
          </Button>
          {download ? (
            <Button href={download.url} download={download.name}>
              {t("dsar.fulfilment.export.download", { name: download.name })}
            </Button>
          ) : null}
          {recordArgs ? <Button onClick={() => void record(recordArgs)}>{t("dsar.fulfilment.export.recordAgain")}</Button> : null}
        </Space>
      )}
      {download ? (
        <Typography.Text type="secondary">
          <TextWithCode message={(sha256) => t("dsar.fulfilment.export.manifest", { sha256 })} code={download.sha256} />{" "}
          {download.recorded ? <Tag color="green">{t("dsar.fulfilment.export.recorded")}</Tag> : null}
        </Typography.Text>
      ) : null}
    </Panel>
  );
}
