/**
 * Reconciliation of Stripe records with the console's payments and refunds: the shared shapes.
 * Pure types, imported by the worker, the page, the tests, the bench and (duplicated, field names identical)
 * by the `stripe-reconcile-pull` function.
 */
import type { RpcRow, Tables, WithNullable } from "../../lib/database";

/** Which Stripe file (or source) the rows came from. */
export type FileKind = "balance_report" | "payments_export";
export type RunFileKind = FileKind | "stripe_api";
export type RunSource = "upload" | "pull";

/**
 * One row of Stripe's itemized "balance change from activity" report, normalised: amounts in minor units
 * (integers, the currency's exponent applied), currency lower case, `created_utc` ISO 8601.
 * The pull function answers the same shape built from balance transactions.
 */
export interface BalanceReportRow {
  balance_transaction_id: string;
  created_utc: string;
  currency: string;
  gross: number;
  fee: number;
  net: number;
  /** 'charge' | 'refund' | 'refund_failure' | any other Stripe reporting category (fee, payout, adjustment…). */
  reporting_category: string;
  source_id: string | null;
  charge_id: string | null;
  payment_intent_id: string | null;
  customer_id: string | null;
}

/** Payments export status, reduced to what the database can agree or disagree with. */
export type PaymentStatusClass = "succeeded" | "failed" | "canceled" | "pending" | "incomplete" | "uncaptured";

/** One row of the Dashboard payments export, normalised. */
export interface PaymentsExportRow {
  /** The export's `id`: a charge (ch_/py_) or, for attempts without a charge, the payment intent (pi_). */
  id: string;
  created_utc: string;
  payment_intent_id: string | null;
  customer_id: string | null;
  currency: string;
  amount: number;
  /** Null when the export has no "Amount Refunded" column. */
  amount_refunded: number | null;
  /** The status as written in the file (e.g. "Paid", "Partially refunded"). */
  status: string;
  status_class: PaymentStatusClass;
}

/** Rows of one parsed, valid file; `lines[i]` is the file line (header = line 1) where row i starts. */
export type ParsedRows =
  | { kind: "balance_report"; rows: BalanceReportRow[]; lines: number[] }
  | { kind: "payments_export"; rows: PaymentsExportRow[]; lines: number[] };

/** One validation problem; `line` counts the header as line 1 and multi-line quoted fields correctly. */
export interface ValidationIssue {
  line: number | null;
  column: string | null;
  message: string;
}

/** A file that cannot be read at all (empty, not CSV, not UTF-8, unknown header…) or has invalid rows. */
export interface InvalidFile {
  kind: FileKind | null;
  /** The first issues (capped, see MAX_LISTED_ISSUES), in file order. */
  issues: ValidationIssue[];
  /** How many issues there are in all. */
  totalIssues: number;
  /** Data rows read (0 when the file could not be read). */
  rows: number;
}

/**
 * A row of `reconciliation_records(p_from, p_to)`: the database side of matching. A payment has no Stripe refund id
 * and a refund no amount_refunded; a row may lack its other Stripe ids.
 */
export type DatabaseRecord = Omit<
  WithNullable<RpcRow<"reconciliation_records">, "stripe_payment_intent_id" | "stripe_charge_id" | "stripe_refund_id" | "amount_refunded">,
  "record_type"
> & { record_type: "payment" | "refund" };

export const DISCREPANCY_KINDS = ["amount_mismatch", "status_mismatch", "refund_mismatch", "missing_in_database", "missing_in_stripe"] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];
export type CountKey = "matched" | DiscrepancyKind;
export type RunCounts = Record<CountKey, number>;

/** A `reconciliation_discrepancies` row without run_id/seq (the run assigns them). Amounts in minor units. */
export type Discrepancy = Omit<Tables<"reconciliation_discrepancies">, "run_id" | "seq" | "kind"> & { kind: DiscrepancyKind };

/** A type, not an interface, so that it is JSON for the generated rpc argument types (as RunPayload). */
export type TotalsRow = {
  currency: string;
  category: string;
  stripe_count: number;
  stripe_amount: number;
  database_count: number;
  database_amount: number;
};

export interface Period {
  /** ISO, inclusive. */
  from: string;
  /** ISO, inclusive for files (the last row's time), exclusive for pulls (the range end). */
  to: string;
}

export interface ReconciliationResult {
  fileKind: RunFileKind;
  period: Period;
  /** Stripe rows considered (file rows or pulled rows). */
  stripeRows: number;
  counts: RunCounts;
  totals: TotalsRow[];
  discrepancies: Discrepancy[];
}

/** What `record_reconciliation_run` takes as p_run (a JSON argument: a type, not an interface). */
export type RunPayload = {
  source: RunSource;
  file_kind: RunFileKind;
  file_name: string | null;
  file_sha256: string | null;
  file_rows: number;
  period_from: string;
  period_to: string;
  counts: RunCounts;
  totals: TotalsRow[];
};

/** Progress of reading a file: bytes read of the file's size. */
export interface ParseProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  phase: "reading" | "matching";
}
