import type { ExportManifest } from "./types";

/**
 * What the request's timeline keeps about an export (p_details of dsar_record_export): counts and
 * checksums, never the exported content itself, which the auditor must not see.
 */
export function exportEventDetails(manifest: ExportManifest, zipBytes: number): Record<string, unknown> {
  return {
    format: manifest.format,
    format_version: manifest.formatVersion,
    generated_at: manifest.generatedAt,
    policy_version: manifest.policyVersion,
    zip_bytes: zipBytes,
    files: manifest.files.length + 1,
    row_counts: Object.fromEntries(manifest.categories.map((c) => [c.id, c.rowCount])),
    no_data_held: manifest.categories.filter((c) => c.noDataHeld).map((c) => c.id),
  };
}
