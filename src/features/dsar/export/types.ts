import type { ExportCategoryId } from "./categories";

export type CategoryRow = Record<string, unknown>;

export interface CategoryPage {
  offset: number;
  limit: number;
  signal?: AbortSignal | undefined;
}

/**
 * Pulls one page of a category's rows for the subject, in a stable order (a unique sort key), so that
 * consecutive offsets never skip or repeat a row. A page shorter than `limit` ends the category.
 */
export type FetchCategory = (category: ExportCategoryId, page: CategoryPage) => Promise<CategoryRow[]>;

export interface ExportSubject {
  customerId: string | null;
  email: string;
  displayName?: string | null;
}

export interface ExportRequestInfo {
  id: string;
  reference: string;
  type: "access" | "portability";
  receivedAt?: string;
}

export type ExportPhase = "fetching" | "zipping" | "done";

export interface ExportProgress {
  phase: ExportPhase;
  /** The category being fetched (phase "fetching"). */
  category: ExportCategoryId | null;
  /** Rows fetched so far, all categories. */
  rowsFetched: number;
  filesWritten: number;
  totalFiles: number;
  /** 0–100 while zipping; 100 when done. */
  zipPercent: number;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  /** Data rows in the file (JSON and CSV of a category); absent for the README. */
  rowCount?: number;
  category?: ExportCategoryId;
}

export interface ManifestCategory {
  id: ExportCategoryId;
  title: string;
  rowCount: number;
  noDataHeld: boolean;
  files: string[];
}

export interface ExportManifest {
  format: "m-factory-dsar-export";
  formatVersion: 1;
  generatedAt: string;
  policyVersion: string;
  request: ExportRequestInfo;
  subject: ExportSubject;
  categories: ManifestCategory[];
  /** Every file in the ZIP except manifest.json itself. */
  files: ManifestFile[];
}

export interface SubjectExport<Zip> {
  zip: Zip;
  manifest: ExportManifest;
  /** SHA-256 of manifest.json as stored in the ZIP: what dsar_record_export keeps. */
  manifestSha256: string;
}
