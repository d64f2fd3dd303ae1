/**
 * Builds the access/portability ZIP for one data subject: every category in categories.ts as JSON and
 * CSV, README.txt (English + Thai), and manifest.json with each file's SHA-256 and row count.
 *
 * Memory: rows are pulled a page at a time and turned into encoded bytes straight away, so at most one
 * page of row objects is alive; what accumulates is the files' bytes, which the ZIP needs anyway.
 * Responsiveness: the builder yields to the event loop after every page and jszip streams the archive
 * in chunks. jszip and papaparse are imported lazily so importing this module costs the first load nothing.
 */
import { MAX_ROWS } from "../../../lib/readAll";
import { t } from "../../../i18n/provider";
import "../../../i18n/messages/en/dsarExport";
import { EXPORT_CATEGORIES, EXPORT_POLICY_VERSION, categoryFilePath, type ExportCategory, type ExportCategoryId } from "./categories";
import { rowsToCsv, type Unparse } from "../../../lib/csv";
import { README_PATH, buildReadme } from "./readme";
import { sha256Hex } from "../../../lib/sha256";
import type {
  CategoryRow,
  ExportManifest,
  ExportProgress,
  ExportRequestInfo,
  ExportSubject,
  FetchCategory,
  ManifestCategory,
  ManifestFile,
  SubjectExport,
} from "./types";

export const MANIFEST_PATH = "manifest.json";
/** One API response's worth (max_rows): the Supabase fetcher refuses larger pages, which the API would cut short. */
export const DEFAULT_PAGE_SIZE = MAX_ROWS;
/** Two files per category, the README and the manifest. */
export const EXPORT_FILE_COUNT = EXPORT_CATEGORIES.length * 2 + 2;

export interface BuildSubjectExportOptions {
  fetchCategory: FetchCategory;
  subject: ExportSubject;
  request: ExportRequestInfo;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ExportProgress) => void) | undefined;
  /** Rows per fetchCategory call. */
  pageSize?: number;
  /** Clock for generatedAt (tests). */
  now?: () => Date;
}

export function buildSubjectExport(options: BuildSubjectExportOptions & { output: "blob" }): Promise<SubjectExport<Blob>>;
export function buildSubjectExport(options: BuildSubjectExportOptions & { output?: "uint8array" }): Promise<SubjectExport<Uint8Array>>;
export async function buildSubjectExport(
  options: BuildSubjectExportOptions & { output?: "blob" | "uint8array" },
): Promise<SubjectExport<Blob | Uint8Array>> {
  const { fetchCategory, subject, request, signal, onProgress, output = "uint8array" } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  validateInput(subject, request, pageSize);
  throwIfAborted(signal);

  try {
    const [{ default: JSZip }, { default: Papa }] = await Promise.all([import("jszip"), import("papaparse")]);
    const unparse: Unparse = Papa.unparse;
    const zip = new JSZip();
    const encoder = new TextEncoder();
    const generatedAt = (options.now ?? (() => new Date()))().toISOString();
    const files: ManifestFile[] = [];
    const categories: ManifestCategory[] = [];
    const progress: ExportProgress = {
      phase: "fetching",
      category: null,
      rowsFetched: 0,
      filesWritten: 0,
      totalFiles: EXPORT_FILE_COUNT,
      zipPercent: 0,
    };
    const report = (change: Partial<ExportProgress>): void => {
      Object.assign(progress, change);
      onProgress?.({ ...progress });
    };

    const addFile = async (path: string, bytes: Uint8Array, extra: Pick<ManifestFile, "rowCount" | "category"> = {}): Promise<void> => {
      const sha256 = await sha256Hex(bytes);
      throwIfAborted(signal);
      zip.file(path, bytes, { binary: true, date: new Date(generatedAt) });
      files.push({ path, sha256, bytes: bytes.byteLength, ...extra });
      report({ filesWritten: progress.filesWritten + 1 });
    };

    const rowCounts = {} as Record<ExportCategoryId, number>;
    for (const category of EXPORT_CATEGORIES) {
      report({ phase: "fetching", category: category.id });
      const written = await fetchCategoryFiles(category, {
        fetchCategory,
        pageSize,
        signal,
        unparse,
        encoder,
        onRows: (count) => report({ rowsFetched: progress.rowsFetched + count }),
      });
      rowCounts[category.id] = written.rowCount;
      await addFile(categoryFilePath(category.id, "json"), written.json, { rowCount: written.rowCount, category: category.id });
      await addFile(categoryFilePath(category.id, "csv"), written.csv, { rowCount: written.rowCount, category: category.id });
      categories.push({
        id: category.id,
        title: category.title.en,
        rowCount: written.rowCount,
        noDataHeld: written.rowCount === 0,
        files: [categoryFilePath(category.id, "json"), categoryFilePath(category.id, "csv")],
      });
    }

    report({ category: null });
    await addFile(README_PATH, encoder.encode(buildReadme({ request, subject, generatedAt, rowCounts })));

    const manifest: ExportManifest = {
      format: "m-factory-dsar-export",
      formatVersion: 1,
      generatedAt,
      policyVersion: EXPORT_POLICY_VERSION,
      request: { ...request },
      subject: { ...subject },
      categories,
      files,
    };
    const manifestBytes = encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`);
    const manifestSha256 = await sha256Hex(manifestBytes);
    zip.file(MANIFEST_PATH, manifestBytes, { binary: true, date: new Date(generatedAt) });
    report({ phase: "zipping", filesWritten: progress.filesWritten + 1 });

    const chunks = await streamZip(zip, signal, (percent) => report({ zipPercent: percent }));
    const result = output === "blob" ? new Blob(chunks as BlobPart[], { type: "application/zip" }) : concatBytes(chunks);
    report({ phase: "done", zipPercent: 100 });
    return { zip: result, manifest, manifestSha256 };
  } catch (err) {
    // Whatever a fetcher threw while being cancelled, the caller sees one kind of cancellation.
    if (signal?.aborted) throw abortError();
    throw err;
  }
}

interface CategoryFiles {
  json: Uint8Array;
  csv: Uint8Array;
  rowCount: number;
}

interface FetchContext {
  fetchCategory: FetchCategory;
  pageSize: number;
  signal: AbortSignal | undefined;
  unparse: Unparse;
  encoder: TextEncoder;
  onRows: (count: number) => void;
}

/** Pages through one category, encoding each page to JSON and CSV bytes before asking for the next. */
async function fetchCategoryFiles(category: ExportCategory, ctx: FetchContext): Promise<CategoryFiles> {
  const jsonParts: Uint8Array[] = [ctx.encoder.encode("[")];
  // UTF-8 BOM: spreadsheet apps then read Thai text as UTF-8.
  const csvParts: Uint8Array[] = [ctx.encoder.encode(`\ufeff${rowsToCsv(ctx.unparse, category.columns, [], true)}`)];
  let rowCount = 0;
  for (let offset = 0; ; offset += ctx.pageSize) {
    throwIfAborted(ctx.signal);
    const page = await raceAbort(ctx.fetchCategory(category.id, { offset, limit: ctx.pageSize, signal: ctx.signal }), ctx.signal);
    throwIfAborted(ctx.signal);
    const rows = checkPage(category, page, ctx.pageSize);
    if (rows.length > 0) {
      const json = rows.map((row) => JSON.stringify(row)).join(",\n");
      jsonParts.push(ctx.encoder.encode(`${rowCount === 0 ? "\n" : ",\n"}${json}`));
      csvParts.push(ctx.encoder.encode(rowsToCsv(ctx.unparse, category.columns, rows, false)));
      rowCount += rows.length;
      ctx.onRows(rows.length);
    }
    if (rows.length < ctx.pageSize) break;
    await yieldToEventLoop();
  }
  jsonParts.push(ctx.encoder.encode(rowCount === 0 ? "]\n" : "\n]\n"));
  return { json: concatBytes(jsonParts), csv: concatBytes(csvParts), rowCount };
}

/** Rows in the category's column order; refuses anything that would make the files disagree or lose data. */
function checkPage(category: ExportCategory, page: unknown, pageSize: number): CategoryRow[] {
  if (!Array.isArray(page)) {
    throw new Error(`fetchCategory("${category.id}") returned ${page === null ? "null" : typeof page}, expected an array of rows`);
  }
  if (page.length > pageSize) {
    throw new Error(`fetchCategory("${category.id}") returned ${page.length} rows for a page of ${pageSize}`);
  }
  const known = new Set(category.columns);
  return page.map((row: unknown, index) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new Error(`fetchCategory("${category.id}") returned a row that is not an object (row ${index})`);
    }
    const source = row as CategoryRow;
    for (const key of Object.keys(source)) {
      if (!known.has(key)) throw new Error(`fetchCategory("${category.id}") returned an unknown column "${key}"`);
    }
    const ordered: CategoryRow = {};
    for (const column of category.columns) ordered[column] = source[column] ?? null;
    return ordered;
  });
}

function streamZip(zip: import("jszip"), signal: AbortSignal | undefined, onPercent: (percent: number) => void): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    let chunks: Uint8Array[] = [];
    let lastPercent = -1;
    const stream = zip.generateInternalStream({ type: "uint8array", streamFiles: true, compression: "DEFLATE", compressionOptions: { level: 6 } });
    const onAbort = (): void => {
      stream.pause();
      chunks = [];
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    stream
      .on("data", (chunk, metadata) => {
        chunks.push(chunk);
        const percent = Math.floor(metadata.percent);
        if (percent !== lastPercent) {
          lastPercent = percent;
          onPercent(percent);
        }
      })
      .on("error", (err) => {
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      })
      .on("end", () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(chunks);
      })
      .resume();
  });
}

function validateInput(subject: ExportSubject, request: ExportRequestInfo, pageSize: number): void {
  if (!request || typeof request.reference !== "string" || request.reference.trim() === "") {
    throw new Error("buildSubjectExport: request.reference is required (e.g. DSAR-2026-0042)");
  }
  if (request.type !== "access" && request.type !== "portability") {
    throw new Error(`buildSubjectExport: request type must be access or portability, got ${String(request.type)}`);
  }
  if (!subject || typeof subject.email !== "string" || !subject.email.includes("@")) {
    throw new Error("buildSubjectExport: subject.email is required");
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    throw new Error(`buildSubjectExport: pageSize must be an integer from 1 to 10000, got ${pageSize}`);
  }
}

export function abortError(): DOMException {
  return new DOMException(t("dsarExport.errors.cancelled"), "AbortError");
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

/** Settles with the promise, or rejects as soon as the signal fires (a fetcher that ignores its signal). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
