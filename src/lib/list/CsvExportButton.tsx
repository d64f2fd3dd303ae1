/**
 * CSV export of what a list shows, every row of its filter, with a progress bar and a Cancel. A list gives a
 * `source` (lib/csvExport: its pages in the list's order, keyset where the order allows, and its CSV columns): each
 * page is written as CSV into a Blob part as it arrives, so neither all rows nor one big string are ever held; the
 * file downloads only when the last page is in. A failure part-way says how far it got and downloads nothing.
 * `fetchRows` + `toCsv` (all rows in one array, then one string) remain for small lists not yet moved over.
 */
import { useRef, useState } from "react";
import { Button, Modal, Progress, Typography } from "antd";
import { useT } from "../../i18n";
import { blobSink, CsvExportFailed, exportCsv, isAbortError, type CsvExportSource } from "../csvExport";
import { downloadBlob } from "../download";
import "../../i18n/messages/en/list"; // the kit's words load with the lists, not the first page

export type ExportProgress = (fetched: number, total: number | null) => void;

interface CommonProps {
  fileName: () => string;
  /** The list's total, shown until the first page says otherwise. */
  total: number;
  /** What is being exported, for the dialog title ("the filtered queue"). */
  what: string;
}

/** Streamed: the list's pages and CSV columns (built when the export starts, e.g. with a fresh client). */
interface StreamedProps<Row> extends CommonProps {
  source: () => Promise<CsvExportSource<Row>>;
  fetchRows?: never;
  toCsv?: never;
}

/** All rows at once (small lists only). */
interface AllAtOnceProps<Row> extends CommonProps {
  /** The rows in the list's filters and order; reports progress and stops when `signal` aborts. */
  fetchRows: (onProgress: ExportProgress, signal: AbortSignal) => Promise<Row[]>;
  toCsv: (rows: Row[]) => string | Promise<string>;
  source?: never;
}

export type CsvExportButtonProps<Row> = StreamedProps<Row> | AllAtOnceProps<Row>;

type Failure = { reason: string; fetched: number; total: number | null };

export function CsvExportButton<Row>(props: CsvExportButtonProps<Row>) {
  const { fileName, total, what } = props;
  const t = useT();
  const [progress, setProgress] = useState<{ fetched: number; total: number | null } | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const abort = useRef<AbortController | null>(null);

  const build = async (signal: AbortSignal): Promise<Blob> => {
    const onProgress: ExportProgress = (fetched, all) => setProgress({ fetched, total: all });
    if (props.source) {
      const { result } = await exportCsv({ source: await props.source(), sink: blobSink(), signal, onProgress });
      return result;
    }
    const rows = await props.fetchRows(onProgress, signal);
    return new Blob([await props.toCsv(rows)], { type: "text/csv;charset=utf-8" });
  };

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setFailure(null);
    setProgress({ fetched: 0, total });
    try {
      downloadBlob(await build(controller.signal), fileName());
      setProgress(null);
    } catch (cause) {
      setProgress(null);
      if (isAbortError(cause)) return;
      setFailure(cause instanceof CsvExportFailed ? { reason: cause.reason, fetched: cause.rows, total: cause.total } : { reason: (cause as Error).message, fetched: 0, total: null });
    }
  };

  const shown = progress?.total ? Math.min(100, Math.round((progress.fetched / progress.total) * 100)) : 0;
  return (
    <>
      <Button onClick={() => void start()} disabled={progress !== null}>
        {t("list.exportCsv")}
      </Button>
      {failure ? (
        <Typography.Text type="danger">
          {failure.fetched > 0
            ? t("list.exportFailedPartway", { reason: failure.reason, fetched: failure.fetched, total: failure.total ?? t("list.countLoading") })
            : t("list.exportFailed", { reason: failure.reason })}
        </Typography.Text>
      ) : null}
      <Modal
        open={progress !== null}
        title={t("list.exportTitle", { what })}
        closable={false}
        maskClosable={false}
        okButtonProps={{ style: { display: "none" } }}
        cancelText={t("common.actions.cancel")}
        onCancel={() => abort.current?.abort()}
      >
        <Progress percent={shown} status="active" aria-label={t("list.exportProgressLabel")} />
        <Typography.Text>{t("list.exportProgress", { fetched: progress?.fetched ?? 0, total: progress?.total ?? t("list.countLoading") })}</Typography.Text>
      </Modal>
    </>
  );
}
