/**
 * Reads an export back and proves it intact: every file the manifest lists is present with the stated
 * SHA-256 and size, no unlisted file was slipped in, and each category's JSON holds the stated number of
 * rows. Throws ExportIntegrityError listing every problem; on success returns the row counts.
 */
import { t } from "../../../i18n/provider";
import "../../../i18n/messages/en/dsarExport";
import { EXPORT_CATEGORIES, type ExportCategoryId } from "./categories";
import { MANIFEST_PATH } from "./buildSubjectExport";
import { sha256Hex } from "../../../lib/sha256";
import type { ExportManifest } from "./types";

export class ExportIntegrityError extends Error {
  constructor(readonly problems: string[]) {
    super(t("dsarExport.errors.verificationFailed", { problems: problems.join("; ") }));
    this.name = "ExportIntegrityError";
  }
}

export interface VerifiedExport {
  manifest: ExportManifest;
  /** SHA-256 of manifest.json: compare with the hash recorded on the request's timeline. */
  manifestSha256: string;
  rowCounts: Record<ExportCategoryId, number>;
  filesVerified: number;
}

export async function readExport(zipData: Uint8Array | ArrayBuffer | Blob): Promise<VerifiedExport> {
  const { default: JSZip } = await import("jszip");
  const bytes = zipData instanceof Blob ? new Uint8Array(await zipData.arrayBuffer()) : zipData;
  let zip: import("jszip");
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw new ExportIntegrityError([t("dsarExport.problems.notAZip", { error: (err as Error).message })]);
  }
  const manifestEntry = zip.file(MANIFEST_PATH);
  if (!manifestEntry) throw new ExportIntegrityError([t("dsarExport.problems.manifestMissing", { manifest: MANIFEST_PATH })]);
  const manifestBytes = await manifestEntry.async("uint8array");
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as ExportManifest;
  } catch {
    throw new ExportIntegrityError([t("dsarExport.problems.manifestNotJson", { manifest: MANIFEST_PATH })]);
  }
  if (manifest?.format !== "m-factory-dsar-export" || !Array.isArray(manifest.files) || !Array.isArray(manifest.categories)) {
    throw new ExportIntegrityError([t("dsarExport.problems.notOurManifest", { manifest: MANIFEST_PATH })]);
  }

  const problems: string[] = [];
  const listed = new Set<string>();
  const jsonRowCounts = new Map<string, number>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const file = zip.file(entry.path);
    if (!file) {
      problems.push(t("dsarExport.problems.fileMissing", { path: entry.path }));
      continue;
    }
    const content = await file.async("uint8array");
    if (content.byteLength !== entry.bytes) {
      problems.push(t("dsarExport.problems.wrongSize", { path: entry.path, actual: String(content.byteLength), stated: String(entry.bytes) }));
    }
    if ((await sha256Hex(content)) !== entry.sha256) problems.push(t("dsarExport.problems.wrongHash", { path: entry.path }));
    if (entry.path.endsWith(".json") && entry.category) {
      try {
        const rows: unknown = JSON.parse(new TextDecoder().decode(content));
        if (!Array.isArray(rows)) problems.push(t("dsarExport.problems.notAnArray", { path: entry.path }));
        else jsonRowCounts.set(entry.path, rows.length);
      } catch {
        problems.push(t("dsarExport.problems.notJson", { path: entry.path }));
      }
    }
  }
  zip.forEach((path, file) => {
    if (!file.dir && path !== MANIFEST_PATH && !listed.has(path)) problems.push(t("dsarExport.problems.unlisted", { path }));
  });

  const rowCounts = {} as Record<ExportCategoryId, number>;
  for (const category of EXPORT_CATEGORIES) {
    const stated = manifest.categories.find((c) => c.id === category.id);
    if (!stated) {
      problems.push(t("dsarExport.problems.categoryMissing", { category: category.id }));
      continue;
    }
    rowCounts[category.id] = stated.rowCount;
    for (const path of stated.files) {
      const actual = jsonRowCounts.get(path);
      if (path.endsWith(".json") && actual !== undefined && actual !== stated.rowCount) {
        problems.push(t("dsarExport.problems.wrongRowCount", { path, actual: String(actual), stated: String(stated.rowCount) }));
      }
    }
  }
  if (problems.length > 0) throw new ExportIntegrityError(problems);
  return { manifest, manifestSha256: await sha256Hex(manifestBytes), rowCounts, filesVerified: manifest.files.length };
}
