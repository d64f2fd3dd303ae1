/** Runs a list's streamed CSV export (lib/csvExport) into memory and reads the file back, for suites over HTTP. */
import Papa from "papaparse";
import { exportCsv, type CsvExportSource, type CsvSink, type ExportProgressListener } from "../../src/lib/csvExport.ts";

/** A sink that keeps the text (tests only: the point of the real sinks is not to). */
export function textSink(): CsvSink<string> & { parts: string[] } {
  const parts: string[] = [];
  return {
    parts,
    write: (text) => void parts.push(text),
    close: async () => parts.join(""),
    discard: () => void parts.splice(0),
  };
}

/** The exported file's text, and its lines as records by header (BOM removed). */
export async function exportToRecords<Row>(source: CsvExportSource<Row>, onProgress?: ExportProgressListener, signal?: AbortSignal) {
  const { rows, total, result: text } = await exportCsv({ source, sink: textSink(), onProgress, signal });
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`the exported CSV does not parse: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  return { rows, total, text, records: parsed.data };
}
