import type { DraftInput } from "./api";
import type { PolicyDocument, PolicyVersionRow } from "./types";

/** The draft form's fields as typed (the effective date as a Bangkok calendar day, "" for none). */
export interface DraftFields {
  document: PolicyDocument;
  version: string;
  title: string;
  effectiveDay: string;
  bodyEn: string;
  bodyTh: string;
  summary: string;
}

const BANGKOK_OFFSET_MS = 7 * 3_600_000;

/** The Bangkok calendar day of an instant. */
export function bangkokDay(at: string): string {
  return new Date(Date.parse(at) + BANGKOK_OFFSET_MS).toISOString().slice(0, 10);
}

export function fieldsOf(row: PolicyVersionRow | null, document: PolicyDocument): DraftFields {
  return {
    document: (row?.document as PolicyDocument | undefined) ?? document,
    version: row?.version ?? "",
    title: row?.title ?? "",
    effectiveDay: row?.effective_at ? bangkokDay(row.effective_at) : "",
    bodyEn: row?.body_markdown ?? "",
    bodyTh: row?.body_th ?? "",
    summary: row?.summary_of_changes ?? "",
  };
}

/**
 * The fields as the row the database takes, or the first thing to fix (nothing is sent then). The effective date is
 * the start of that Bangkok day; an empty Thai body or summary is stored as none (the database refuses a blank Thai body).
 */
export function draftInput(f: DraftFields): { input: DraftInput } | { problem: "version" | "title" } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.version.trim()) || Number.isNaN(Date.parse(f.version.trim()))) return { problem: "version" };
  if (!f.title.trim()) return { problem: "title" };
  return {
    input: {
      document: f.document,
      version: f.version.trim(),
      title: f.title.trim(),
      effective_at: f.effectiveDay ? `${f.effectiveDay}T00:00:00+07:00` : null,
      body_markdown: f.bodyEn,
      body_th: f.bodyTh.trim() ? f.bodyTh : null,
      summary_of_changes: f.summary.trim() ? f.summary : null,
    },
  };
}
