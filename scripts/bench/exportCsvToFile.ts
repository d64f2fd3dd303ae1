/**
 * The streamed CSV export (src/lib/csvExport) into a file, for Node: the bench, scripts, and tests that check what a
 * user would download. Pages are written as they arrive (waiting when the disk is slower than the API), into
 * `<path>.part`, renamed to `path` only once the last page is in; a failure or Cancel removes the part file, so a
 * file at `path` is always a whole export.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { exportCsv, type CsvExportSource, type CsvSink, type ExportProgressListener } from "../../src/lib/csvExport.ts";

/** A sink writing into `path` (UTF-8), counting bytes; `close` ends the stream, `discard` removes the file. */
export function fileSink(path: string): CsvSink<{ bytes: number }> {
  const stream = createWriteStream(path, { encoding: "utf8" });
  let bytes = 0;
  let failed: Error | null = null;
  stream.on("error", (err) => (failed = err));
  return {
    async write(text) {
      if (failed) throw failed;
      bytes += Buffer.byteLength(text, "utf8");
      if (!stream.write(text)) await once(stream, "drain");
    },
    async close() {
      if (failed) throw failed;
      stream.end();
      await once(stream, "finish");
      return { bytes };
    },
    async discard() {
      stream.destroy();
      await rm(path, { force: true });
    },
  };
}

export interface FileExportResult {
  rows: number;
  /** The filter's total as the first page counted it. */
  total: number | null;
  bytes: number;
  ms: number;
}

/** Exports `source` into `path`; resolves with rows, bytes and wall time, or rejects having left no file behind. */
export async function exportCsvToFile<Row>(options: { source: CsvExportSource<Row>; path: string; onProgress?: ExportProgressListener; signal?: AbortSignal }): Promise<FileExportResult> {
  const started = performance.now();
  const part = `${options.path}.part`;
  const { rows, total, result } = await exportCsv({ source: options.source, sink: fileSink(part), onProgress: options.onProgress, signal: options.signal });
  await rename(part, options.path);
  return { rows, total, bytes: result.bytes, ms: performance.now() - started };
}
