import { neutraliseFormula } from "../../lib/csv";
import { loadCsvFormat, type CsvFormat } from "../../lib/csvExport";
import { formatBangkokDateTime } from "../../lib/format";
import { ACTION_LABELS, labelOf, LANGUAGE_LABELS, METHOD_LABELS, PURPOSE_LABELS, SOURCE_LABELS, versionLabel, type ConsentEventRow } from "./types";

// not-ui-text: the file's column names, a data format for spreadsheets and scripts
export const CSV_COLUMNS = [
  "event_id",
  "occurred_at_utc",
  "occurred_bangkok",
  "customer_id",
  "purpose",
  "action",
  "policy_version",
  "policy_version_id",
  "language",
  "source",
  "collection_method",
  "ip_masked",
  "user_agent",
] as const;

/** One line per event, as the list shows it (labels, Bangkok time) plus the codes a script needs; cells formula-guarded. */
export function consentCsvRecords(rows: readonly ConsentEventRow[]): Record<(typeof CSV_COLUMNS)[number], string>[] {
  return rows.map((row) => ({
    event_id: String(row.id),
    occurred_at_utc: row.occurred_at,
    occurred_bangkok: formatBangkokDateTime(row.occurred_at),
    customer_id: row.customer_id,
    purpose: labelOf(PURPOSE_LABELS, row.purpose),
    action: labelOf(ACTION_LABELS, row.action),
    policy_version: row.policy_version_id ? versionLabel(row.policy, row.policy_version_id) : "",
    policy_version_id: row.policy_version_id ?? "",
    language: row.language ? labelOf(LANGUAGE_LABELS, row.language) : "",
    source: labelOf(SOURCE_LABELS, row.source),
    collection_method: row.collection_method ? labelOf(METHOD_LABELS, row.collection_method) : "",
    ip_masked: neutraliseFormula(row.ip ?? ""),
    user_agent: neutraliseFormula(row.user_agent ?? ""),
  }));
}

/** The export's columns, header once and each page's lines formula-guarded (papaparse loads only when someone exports). */
export function consentCsvFormat(): Promise<CsvFormat<ConsentEventRow>> {
  return loadCsvFormat<ConsentEventRow>(CSV_COLUMNS, consentCsvRecords);
}
