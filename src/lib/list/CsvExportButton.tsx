/**
 * CSV export of what a list shows, every page of it: the rows are read in pages (max_rows) with a progress bar and a
 * Cancel, then written with the spreadsheet formula guard (lib/csv) and downloaded.
 */
import { useRef, useState } from "react";
import { Button, Modal, Progress, Typography } from "antd";
import { useT } from "../../i18n";
import { downloadBlob } from "../download";
import "../../i18n/messages/en/list"; // the kit's words load with the lists, not the first page

export type ExportProgress = (fetched: number, total: number | null) => void;

export interface CsvExportButtonProps<Row> {
  /** The rows in the list's filters and order; reports progress and stops when `signal` aborts. */
  fetchRows: (onProgress: ExportProgress, signal: AbortSignal) => Promise<Row[]>;
  toCsv: (rows: Row[]) => string | Promise<string>;
  fileName: () => string;
  /** The list's total, shown until the first page says otherwise. */
  total: number;
  /** What is being exported, for the dialog title ("the filtered queue"). */
  what: string;
}

export function CsvExportButton<Row>({ fetchRows, toCsv, fileName, total, what }: CsvExportButtonProps<Row>) {
  const t = useT();
  const [progress, setProgress] = useState<{ fetched: number; total: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setProgress({ fetched: 0, total });
    try {
      const rows = await fetchRows((fetched, all) => setProgress({ fetched, total: all }), controller.signal);
      const csv = await toCsv(rows);
      downloadBlob(new Blob([csv], { type: "text/csv;charset=utf-8" }), fileName());
      setProgress(null);
    } catch (cause) {
      setProgress(null);
      if ((cause as Error).name !== "AbortError") setError((cause as Error).message);
    }
  };

  return (
    <>
      <Button onClick={() => void start()} disabled={progress !== null}>
        {t("list.exportCsv")}
      </Button>
      {error ? <Typography.Text type="danger">{t("list.exportFailed", { reason: error })}</Typography.Text> : null}
      <Modal
        open={progress !== null}
        title={t("list.exportTitle", { what })}
        closable={false}
        maskClosable={false}
        okButtonProps={{ style: { display: "none" } }}
        cancelText={t("common.actions.cancel")}
        onCancel={() => abort.current?.abort()}
      >
        <Progress percent={progress?.total ? Math.round((progress.fetched / progress.total) * 100) : 0} status="active" aria-label={t("list.exportProgressLabel")} />
        <Typography.Text>{t("list.exportProgress", { fetched: progress?.fetched ?? 0, total: progress?.total ?? t("list.countLoading") })}</Typography.Text>
      </Modal>
    </>
  );
}
