/** The discrepancies of a run as CSV (amounts in major units, the file line where Stripe's row is). */
import Papa from "papaparse";
import { neutraliseFormula } from "../../lib/csv";
import { formatMinorAmount } from "./money";
import type { Discrepancy } from "./types";

export const DISCREPANCY_CSV_COLUMNS = [
  "kind",
  "stripe_id",
  "payment_id",
  "refund_id",
  "currency",
  "stripe_amount",
  "database_amount",
  "stripe_status",
  "database_status",
  "line",
  "detail",
] as const;

/** Formula-looking text gets a leading quote (the DSAR export's CSV-injection guard); null is an empty cell. */
function text(value: string | null): string {
  return value === null ? "" : neutraliseFormula(value);
}

function amount(value: number | null, currency: string | null): string {
  return value === null ? "" : formatMinorAmount(value, currency ?? "");
}

export function discrepanciesCsv(discrepancies: readonly Discrepancy[]): string {
  const records = discrepancies.map((d) => ({
    kind: d.kind,
    stripe_id: text(d.stripe_id),
    payment_id: d.payment_id ?? "",
    refund_id: d.refund_id ?? "",
    currency: d.currency ? d.currency.toUpperCase() : "",
    stripe_amount: amount(d.stripe_amount, d.currency),
    database_amount: amount(d.database_amount, d.currency),
    stripe_status: text(d.stripe_status),
    database_status: text(d.database_status),
    line: d.line === null ? "" : String(d.line),
    detail: text(d.detail),
  }));
  // A BOM so Excel reads UTF-8 correctly; CRLF as RFC 4180 has it.
  return `\uFEFF${Papa.unparse(records, { columns: [...DISCREPANCY_CSV_COLUMNS], newline: "\r\n" })}\r\n`;
}
