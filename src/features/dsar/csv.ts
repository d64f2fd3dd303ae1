import { neutraliseFormula } from "../../lib/csv";
import { loadCsvFormat, type CsvFormat } from "../../lib/csvExport";
import { formatBangkokDateTime } from "../../lib/format";
import { daysLeftLabel } from "./sla";
import { STATUS_LABELS, TYPE_LABELS, type DsarQueueRow } from "./types";

export const CSV_COLUMNS = [
  "reference",
  "type",
  "status",
  "channel",
  "requester_email",
  "customer_email",
  "received_bangkok",
  "due_on",
  "statutory_due_on",
  "days_left",
  "extension_days",
  "assignee",
  "closed_bangkok",
] as const;

/** One CSV line per request; metadata only (no summary or notes), with Bangkok times. */
export function queueCsvRecords(rows: readonly DsarQueueRow[]): Record<(typeof CSV_COLUMNS)[number], string>[] {
  return rows.map((row) => ({
    reference: row.reference,
    type: TYPE_LABELS[row.type] ?? row.type,
    status: STATUS_LABELS[row.status] ?? row.status,
    channel: row.channel,
    requester_email: neutraliseFormula(row.requester_email),
    customer_email: neutraliseFormula(row.customer_email ?? ""),
    received_bangkok: formatBangkokDateTime(row.received_at),
    due_on: row.due_on,
    statutory_due_on: row.statutory_due_on,
    days_left: row.is_open ? daysLeftLabel(row.days_left) : "closed",
    extension_days: String(row.extension_days),
    assignee: neutraliseFormula(row.assignee_name ?? ""),
    closed_bangkok: row.closed_at ? formatBangkokDateTime(row.closed_at) : "",
  }));
}

/** The export's columns, header once and each page's lines formula-guarded (papaparse loads only when someone exports). */
export function queueCsvFormat(): Promise<CsvFormat<DsarQueueRow>> {
  return loadCsvFormat<DsarQueueRow>(CSV_COLUMNS, queueCsvRecords);
}
