/**
 * Streaming read of a Stripe CSV: the file is read in slices, decoded as strict UTF-8 (a bad byte is an error
 * naming its line), and fed to papaparse's parser chunk by chunk, so a 200,000-row file never sits in memory
 * as one string. Handles a BOM, CRLF/LF/CR, quoted commas and newlines, and a semicolon or tab delimiter
 * (detected from the header). Progress is bytes read over the file's size; an AbortSignal cancels between slices.
 */
import Papa from "papaparse";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/reconciliation"; // registers the words here too: this module runs in the worker
import { detectFileKind, fileKindLabel } from "./headers";
import { balanceRowValidator, paymentsRowValidator, type RowSink } from "./rows";
import type { BalanceReportRow, FileKind, InvalidFile, ParsedRows, ParseProgress, PaymentsExportRow, Period, ValidationIssue } from "./types";

/** At most this many issues are listed; the total is always counted. */
export const MAX_LISTED_ISSUES = 200;
const DEFAULT_CHUNK_BYTES = 1 << 20;
/** A row longer than this means an unterminated quote: stop instead of buffering the rest of the file. */
const MAX_ROW_CHARS = 4 << 20;

export type ReadOutcome = { ok: true; parsed: ParsedRows; period: Period; rows: number } | { ok: false; invalid: InvalidFile };

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ParseProgress) => void;
  chunkBytes?: number;
}

export function abortError(): Error {
  const message = t("reconciliation.file.cancelled");
  return typeof DOMException === "function" ? new DOMException(message, "AbortError") : Object.assign(new Error(message), { name: "AbortError" });
}

/** jsdom's Blob has no arrayBuffer(); browsers, workers and Node do. */
function readSlice(blob: Blob, start: number, end: number): Promise<ArrayBuffer> {
  const slice = blob.slice(start, end);
  if (typeof slice.arrayBuffer === "function") return slice.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error(t("reconciliation.file.unreadable")));
    reader.readAsArrayBuffer(slice);
  });
}

/** Index of the first byte that is not valid UTF-8 (an incomplete sequence at the very end counts as valid). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) {
      // Truncated at the end: only the bytes present can be checked.
      for (let k = 1; i + k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function countByte(bytes: Uint8Array, end: number, byte: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === byte) n++;
  return n;
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Before decoding: binary files (NUL bytes, ZIP/XLSX, PDF, GZIP) get a plain answer, not "not UTF-8". */
function sniffBinary(bytes: Uint8Array): string | null {
  if (startsWith(bytes, "PK\u0003\u0004")) return t("reconciliation.file.zip");
  if (startsWith(bytes, "%PDF")) return t("reconciliation.file.pdf");
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return t("reconciliation.file.gzip");
  const probe = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (probe.includes(0)) return t("reconciliation.file.binary");
  return null;
}

/** After decoding the first slice: HTML or JSON saved with a .csv name. */
function sniffText(text: string): string | null {
  const start = text.replace(/^\uFEFF/, "").trimStart().slice(0, 200).toLowerCase();
  if (start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<?xml") || start.startsWith("<")) {
    return t("reconciliation.file.html");
  }
  if (start.startsWith("{") || start.startsWith("[")) return t("reconciliation.file.json");
  return null;
}

function isBlank(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i] !== "") return false;
  return true;
}

function detectNewline(text: string): "\n" | "\r\n" | "\r" {
  const lf = text.indexOf("\n");
  if (lf > 0 && text[lf - 1] === "\r") return "\r\n";
  if (lf >= 0) return "\n";
  return text.includes("\r") ? "\r" : "\n";
}

/** The delimiter the header line uses most, outside quotes: comma, semicolon or tab. */
function detectDelimiter(text: string, newline: string): "," | ";" | "\t" {
  const end = text.indexOf(newline);
  const line = end >= 0 ? text.slice(0, end) : text;
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts[ch]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

interface PapaError {
  code: string;
  message: string;
  row?: number;
}

interface PapaChunk {
  data: string[][];
  errors: PapaError[];
  meta: { cursor: number };
}

/** Reads, validates and normalises a Stripe export. Rejects only with an AbortError; every other problem is an InvalidFile. */
export async function readStripeFile(blob: Blob, options: ReadOptions = {}): Promise<ReadOutcome> {
  const { signal } = options;
  const size = blob.size;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const issues: ValidationIssue[] = [];
  let totalIssues = 0;
  let kind: FileKind | null = null;
  let dataRows = 0;
  const sink: RowSink = {
    issue(issue) {
      totalIssues++;
      if (issues.length < MAX_LISTED_ISSUES) issues.push(issue);
    },
  };
  const fail = (message: string, line: number | null = null): ReadOutcome => {
    sink.issue({ line, column: null, message });
    return { ok: false, invalid: { kind, issues, totalIssues, rows: dataRows } };
  };
  if (signal?.aborted) throw abortError();
  if (size === 0) return fail(t("reconciliation.file.empty"));

  const decoder = new TextDecoder("utf-8", { fatal: true });
  let newline: "\n" | "\r\n" | "\r" = "\n";
  let parser: Papa.Parser | null = null;
  let pending = "";
  /** File line where `pending` starts. */
  let line = 1;
  let header: string[] | null = null;
  let accept: ((cells: readonly string[], line: number) => void) | null = null;
  const balanceRows: BalanceReportRow[] = [];
  const paymentRows: PaymentsExportRow[] = [];
  const lines: number[] = [];
  let minIso: string | null = null;
  let maxIso: string | null = null;
  let fatal: string | null = null;
  let fatalLine: number | null = null;

  let delimiter: "," | ";" | "\t" = ",";
  const newlineChar = (): string => (newline === "\r" ? "\r" : "\n");

  /** One parsed row; `lineSpan` is how many file lines it covers (quoted newlines included). */
  const onRow = (cells: string[], lineSpan: number, errors: PapaError[] | null) => {
    const rowLine = line;
    line += lineSpan;
    if (fatal !== null) return;
    if (isBlank(cells)) return;
    if (header === null) {
      header = cells;
      const detection = detectFileKind(cells);
      kind = detection.kind;
      if (!detection.ok) {
        fatal = detection.message;
        fatalLine = rowLine;
        return;
      }
      const decimalComma = delimiter === ";";
      accept =
        detection.kind === "balance_report"
          ? keepValid(balanceRowValidator(detection.columns, decimalComma), "balance_transaction_id", (row) => row.balance_transaction_id, balanceRows)
          : keepValid(paymentsRowValidator(detection.columns, decimalComma), "id", (row) => row.id, paymentRows);
      return;
    }
    dataRows++;
    if (errors) for (const error of errors) sink.issue({ line: rowLine, column: null, message: error.code === "MissingQuotes" ? t("reconciliation.file.unclosedQuote") : error.message });
    const width = header.length;
    if (cells.length !== width && !(cells.length > width && cells.slice(width).every((c) => c === ""))) {
      sink.issue({ line: rowLine, column: null, message: t("reconciliation.file.fieldCount", { cells: String(cells.length), width: String(width) }) });
      return;
    }
    accept!(cells, rowLine);
  };
  // A row listed twice would be counted twice in the totals: the id appears once per file.
  const idLines = new Map<string, number>();
  const firstSeen = (id: string, l: number, column: string): boolean => {
    const first = idLines.get(id);
    if (first === undefined) {
      idLines.set(id, l);
      return true;
    }
    sink.issue({ line: l, column, message: t("reconciliation.file.duplicateId", { id, line: String(first) }) });
    return false;
  };
  /** Validates a row, refuses an id seen before, and keeps the row while the file has no issue at all. */
  const keepValid =
    <Row extends { created_utc: string }>(
      validate: (cells: readonly string[], line: number, sink: RowSink) => Row | null,
      idColumn: string,
      idOf: (row: Row) => string,
      into: Row[],
    ) =>
    (cells: readonly string[], l: number) => {
      const value = validate(cells, l, sink);
      if (value && !firstSeen(idOf(value), l, idColumn)) return;
      if (value && totalIssues === 0) {
        into.push(value);
        lines.push(l);
        trackTime(value.created_utc);
      }
    };
  // Normalised times are all "YYYY-MM-DDTHH:MM:SS.sssZ": as text they sort as times.
  const trackTime = (iso: string) => {
    if (minIso === null || iso < minIso) minIso = iso;
    if (maxIso === null || iso > maxIso) maxIso = iso;
  };
  for (let offset = 0; offset < size; ) {
    if (signal?.aborted) throw abortError();
    const end = Math.min(size, offset + chunkBytes);
    const bytes = new Uint8Array(await readSlice(blob, offset, end));
    if (signal?.aborted) throw abortError();
    const last = end >= size;
    if (offset === 0) {
      const binary = sniffBinary(bytes);
      if (binary) return fail(binary);
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: !last });
    } catch {
      const bad = Math.max(0, firstInvalidUtf8(bytes));
      const nl = newline === "\r" ? 0x0d : 0x0a;
      const badLine = line + (pending.split(newlineChar()).length - 1) + countByte(bytes, bad, nl);
      const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, "0");
      return fail(t("reconciliation.file.notUtf8", { line: String(badLine), byte, offset: String(offset + bad + 1) }), badLine);
    }
    if (offset === 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const notCsv = sniffText(text);
      if (notCsv) return fail(notCsv);
      newline = detectNewline(text);
      delimiter = detectDelimiter(text, newline);
      parser = new Papa.Parser({ delimiter, newline });
    }
    const aggregate = pending + text;
    // Whole slices at a time (no per-row step callback: it allocates per row). Without a quote in the slice,
    // every row is exactly one line; with quotes, a row spans one line plus the newlines inside its cells.
    const result = parser!.parse(aggregate, 0, !last) as PapaChunk;
    const nl = newlineChar();
    // Newlines in what this parse consumed: one per row means no quoted field holds one (the common case).
    const consumed = last ? aggregate.length : result.meta.cursor;
    let newlines = 0;
    for (let at = aggregate.indexOf(nl); at >= 0 && at < consumed; at = aggregate.indexOf(nl, at + 1)) newlines++;
    // Every row ends with a newline, except the file's last one (a row without it, or the empty piece after it).
    const quoted = newlines > (last ? result.data.length - 1 : result.data.length);
    let errorsByRow: Map<number, PapaError[]> | null = null;
    for (const error of result.errors) {
      errorsByRow ??= new Map();
      const list = errorsByRow.get(error.row ?? 0) ?? [];
      list.push(error);
      errorsByRow.set(error.row ?? 0, list);
    }
    const data = result.data;
    for (let r = 0; r < data.length; r++) {
      const cells = data[r]!;
      let span = 1;
      if (quoted) for (const value of cells) if (value.includes(nl)) span += value.split(nl).length - 1;
      onRow(cells, span, errorsByRow?.get(r) ?? null);
    }
    pending = last ? "" : aggregate.slice(result.meta.cursor);
    if (fatal !== null) return fail(fatal, fatalLine);
    if (pending.length > MAX_ROW_CHARS) return fail(t("reconciliation.file.rowTooLong", { line: String(line), megabytes: String(MAX_ROW_CHARS / (1 << 20)) }), line);
    offset = end;
    options.onProgress?.({ bytesRead: end, totalBytes: size, rows: dataRows, phase: "reading" });
  }
  if (header === null) return fail(t("reconciliation.file.noHeader"));
  if (totalIssues > 0) return { ok: false, invalid: { kind, issues, totalIssues, rows: dataRows } };
  if (dataRows === 0) return fail(t("reconciliation.file.noRows", { kind: fileKindLabel(kind!) }));
  const period = { from: minIso!, to: maxIso! };
  const parsed: ParsedRows = kind === "balance_report" ? { kind, rows: balanceRows, lines } : { kind: "payments_export", rows: paymentRows, lines };
  return { ok: true, parsed, period, rows: dataRows };
}
