import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { discrepanciesCsv, DISCREPANCY_CSV_COLUMNS } from "../../src/features/reconciliation/csv";
import { reconcile } from "../../src/features/reconciliation/match";
import { reconcileFile } from "../../src/features/reconciliation/pipeline";
import {
  balanceReportCsv,
  balanceRowsFromRecords,
  injectIntoBalanceRows,
  injectIntoPaymentsRows,
  paymentsExportCsv,
  paymentsRowsFromRecords,
} from "../../src/features/reconciliation/stripeFiles";
import { DISCREPANCY_KINDS, type DatabaseRecord } from "../../src/features/reconciliation/types";
import { syntheticRecords } from "./dataset";
import { csvFile, kindsAndIds } from "./helpers";

const records = syntheticRecords(3000);
// The database answers more than the period here on purpose: the matcher keeps to the file's period.
const fetchAll = async (): Promise<DatabaseRecord[]> => records;

describe("the synthetic dataset", () => {
  it("covers every refund status, several currencies and non-succeeded payments", () => {
    expect(new Set(records.filter((r) => r.record_type === "refund").map((r) => r.status))).toEqual(
      new Set(["succeeded", "pending", "requires_action", "failed", "canceled", "awaiting_approval", "approved", "rejected"]),
    );
    expect(new Set(records.map((r) => r.currency))).toEqual(new Set(["thb", "usd", "jpy", "eur", "gbp"]));
    expect(records.some((r) => r.record_type === "payment" && r.status !== "succeeded")).toBe(true);
  });
});

describe.each([
  ["balance report", "balance_report"],
  ["payments export", "payments_export"],
] as const)("reconciling a %s", (_label, kind) => {
  const cleanCsv = kind === "balance_report" ? balanceReportCsv(balanceRowsFromRecords(records)) : paymentsExportCsv(paymentsRowsFromRecords(records));

  it("a clean file matches every row and reports nothing", async () => {
    const outcome = await reconcileFile(csvFile(cleanCsv), fetchAll);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.invalid.issues));
    expect(outcome.result.discrepancies).toEqual([]);
    const matchable = kind === "balance_report" ? balanceRowsFromRecords(records).filter((r) => r.reporting_category !== "refund_failure").length : paymentsRowsFromRecords(records).length;
    expect(outcome.result.counts).toEqual({ matched: matchable, amount_mismatch: 0, status_mismatch: 0, refund_mismatch: 0, missing_in_database: 0, missing_in_stripe: 0 });
    for (const t of outcome.result.totals) {
      expect([t.currency, t.category, t.stripe_count, t.stripe_amount]).toEqual([t.currency, t.category, t.database_count, t.database_amount]);
    }
    expect(outcome.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("finds exactly the injected discrepancies, one of every kind, with their lines, and nothing else", async () => {
    const injected =
      kind === "balance_report" ? injectIntoBalanceRows(balanceRowsFromRecords(records), records) : injectIntoPaymentsRows(paymentsRowsFromRecords(records));
    const text = kind === "balance_report" ? balanceReportCsv(injected.rows as never) : paymentsExportCsv(injected.rows as never);
    const outcome = await reconcileFile(csvFile(text), fetchAll);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.invalid.issues));
    const { discrepancies, counts } = outcome.result;
    expect(kindsAndIds(discrepancies)).toEqual(injected.injected.map((i) => `${i.kind} ${i.stripe_id}`).sort());
    expect(new Set(discrepancies.map((d) => d.kind))).toEqual(new Set(DISCREPANCY_KINDS));
    for (const k of DISCREPANCY_KINDS) expect(counts[k]).toBe(1);
    // Stripe-side discrepancies point at their file line (header = line 1, one line per row here).
    const lines = text.split("\n");
    for (const d of discrepancies) {
      if (d.kind === "missing_in_stripe") expect(d.line).toBeNull();
      else expect(lines[d.line! - 1]).toContain(d.stripe_id!);
    }
  });

  it("uses only the records inside the file's period", async () => {
    // A file holding only the first half: records after its last row are not "missing in Stripe".
    const half = cleanCsv.split("\n").slice(0, 1500).join("\n");
    const partial = await reconcileFile(csvFile(half), fetchAll);
    expect(partial.ok && partial.result.discrepancies).toEqual([]);
  });
});

describe("matching rules", () => {
  const base = syntheticRecords(40);
  const payment = base.find((r) => r.record_type === "payment" && r.status === "succeeded" && r.amount_refunded === 0)!;
  const period = { from: "2026-01-01T00:00:00.000Z", to: "2026-01-02T00:00:00.000Z" };
  const run = (rows: ReturnType<typeof balanceRowsFromRecords>, db: DatabaseRecord[] = base) =>
    reconcile({ kind: "stripe_api", rows }, db, { period, periodEndInclusive: false });

  it("pulled rows (no file lines) use the same matcher", () => {
    const result = run(balanceRowsFromRecords(base));
    expect(result.fileKind).toBe("stripe_api");
    expect(result.discrepancies).toEqual([]);
    expect(result.counts.matched).toBeGreaterThan(30);
  });

  it("a charge the database has as not succeeded is a status mismatch", () => {
    const db = base.map((r) => (r.id === payment.id ? { ...r, status: "canceled" } : r));
    const result = run(balanceRowsFromRecords(base), db);
    expect(result.discrepancies).toHaveLength(1);
    expect(result.discrepancies[0]).toMatchObject({ kind: "status_mismatch", stripe_id: payment.stripe_charge_id, stripe_status: "succeeded", database_status: "canceled", line: null });
  });

  it("a failed refund in the database that Stripe shows without a failure is a status mismatch", () => {
    const failedRefund = base.find((r) => r.record_type === "refund" && r.status === "failed")!;
    const rows = balanceRowsFromRecords(base).filter((r) => !(r.reporting_category === "refund_failure" && r.source_id === failedRefund.stripe_refund_id));
    expect(kindsAndIds(run(rows).discrepancies)).toEqual([`status_mismatch ${failedRefund.stripe_refund_id}`]);
  });

  it("a refund Stripe holds that the database has not executed is missing in the database; one not in Stripe is missing there", () => {
    const refund = base.find((r) => r.record_type === "refund" && r.status === "succeeded")!;
    const db = base.filter((r) => r.id !== refund.id);
    const result = run(balanceRowsFromRecords(base), db);
    expect(kindsAndIds(result.discrepancies)).toEqual([`missing_in_database ${refund.stripe_refund_id}`]);
    const withoutRow = balanceRowsFromRecords(base).filter((r) => r.source_id !== refund.stripe_refund_id);
    expect(kindsAndIds(run(withoutRow).discrepancies)).toEqual([`missing_in_stripe ${refund.stripe_refund_id}`]);
  });

  it("Stripe refunding more than the payment's amount_refunded is a refund mismatch; less is not certain (refunds outside the period)", () => {
    const refunded = base.find((r) => r.record_type === "payment" && (r.amount_refunded ?? 0) > 0)!;
    const lower = base.map((r) => (r.id === refunded.id ? { ...r, amount_refunded: 0 } : r));
    expect(kindsAndIds(run(balanceRowsFromRecords(base), lower).discrepancies)).toEqual([`refund_mismatch ${refunded.stripe_charge_id}`]);
    const higher = base.map((r) => (r.id === refunded.id ? { ...r, amount_refunded: r.amount } : r));
    expect(run(balanceRowsFromRecords(base), higher).discrepancies).toEqual([]);
  });

  it("payments export statuses agree with database statuses as documented", async () => {
    const rows = paymentsRowsFromRecords(base);
    const db = base;
    const result = reconcile({ kind: "payments_export", rows, lines: rows.map((_, i) => i + 2) }, db, { period, periodEndInclusive: false });
    expect(result.discrepancies).toEqual([]);
    const incomplete = rows.map((r) => (r.status === "Failed" ? { ...r, status: "Incomplete", status_class: "incomplete" as const } : r));
    expect(reconcile({ kind: "payments_export", rows: incomplete, lines: [] }, db, { period, periodEndInclusive: false }).discrepancies).toEqual([]);
    const pendingAsPaid = rows.map((r) => (r.status === "Pending" ? { ...r, status: "Paid", status_class: "succeeded" as const } : r));
    const mismatches = reconcile({ kind: "payments_export", rows: pendingAsPaid, lines: [] }, db, { period, periodEndInclusive: false }).discrepancies;
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches.every((d) => d.kind === "status_mismatch" && d.database_status === "processing" && d.stripe_status === "Paid")).toBe(true);
  });
});

describe("discrepancies CSV", () => {
  it("has the columns, amounts in major units, lines, and neutralised formulas", async () => {
    const injected = injectIntoPaymentsRows(paymentsRowsFromRecords(records));
    const outcome = await reconcileFile(csvFile(paymentsExportCsv(injected.rows)), fetchAll);
    if (!outcome.ok) throw new Error("invalid");
    const csv = discrepanciesCsv([
      ...outcome.result.discrepancies,
      { kind: "missing_in_database", stripe_id: "=HYPERLINK(1)", payment_id: null, refund_id: null, currency: "jpy", stripe_amount: -1400, database_amount: null, stripe_status: null, database_status: null, line: 9, detail: "x" },
    ]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual([...DISCREPANCY_CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(6);
    const amount = outcome.result.discrepancies.find((d) => d.kind === "amount_mismatch")!;
    const row = parsed.data.find((r) => r.kind === "amount_mismatch")!;
    expect(Number(row.stripe_amount) - Number(row.database_amount)).toBeCloseTo(amount.currency === "jpy" ? 100 : 1, 5);
    expect(row.line).toBe(String(amount.line));
    expect(parsed.data.at(-1)).toMatchObject({ stripe_id: "'=HYPERLINK(1)", currency: "JPY", stripe_amount: "-1400", line: "9" });
  });
});
