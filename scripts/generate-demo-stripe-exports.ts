/**
 * Writes the demo Stripe files under public/demo/ from the deterministic demo seed (as of DEMO_NOW), so a
 * newcomer can try reconciliation at once (the page links them):
 *   stripe-payments-export-clean.csv          every demo payment as Stripe's Dashboard export has it → 0 discrepancies
 *   stripe-payments-export-discrepancies.csv  the same with one discrepancy of every kind injected
 *   stripe-balance-report-clean.csv           Stripe's itemized balance change report: charges, refunds, refund failures
 *   stripe-balance-report-discrepancies.csv   the same with one discrepancy of every kind injected
 * tests/reconciliation/demo-files.db.test.ts checks each file against a freshly seeded database.
 * Usage: npx tsx scripts/generate-demo-stripe-exports.ts [--check]  (--check: fail if the files on disk differ)
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../server/config.ts";
import {
  balanceReportCsv,
  balanceRowsFromRecords,
  injectIntoBalanceRows,
  injectIntoPaymentsRows,
  paymentsExportCsv,
  paymentsRowsFromRecords,
  type Injected,
} from "../src/features/reconciliation/stripeFiles.ts";
import type { DatabaseRecord } from "../src/features/reconciliation/types.ts";
import { allTime, openSeededDemoDatabase, recordsAsFinance } from "../tests/reconciliation/demoDb.ts";

export const DEMO_DIR = path.join(repoRoot, "public/demo");

export interface DemoFile {
  name: string;
  content: string;
  injected: Injected[];
}

/** The four files for these database records (pure: the test builds them the same way). */
export function demoFiles(records: readonly DatabaseRecord[]): DemoFile[] {
  const payments = paymentsRowsFromRecords(records);
  const balance = balanceRowsFromRecords(records);
  const paymentsBad = injectIntoPaymentsRows(payments);
  const balanceBad = injectIntoBalanceRows(balance, records);
  return [
    { name: "stripe-payments-export-clean.csv", content: paymentsExportCsv(payments), injected: [] },
    { name: "stripe-payments-export-discrepancies.csv", content: paymentsExportCsv(paymentsBad.rows), injected: paymentsBad.injected },
    // The balance report as Stripe's report download has it: CRLF line ends.
    { name: "stripe-balance-report-clean.csv", content: balanceReportCsv(balance, { newline: "\r\n" }), injected: [] },
    { name: "stripe-balance-report-discrepancies.csv", content: balanceReportCsv(balanceBad.rows, { newline: "\r\n" }), injected: balanceBad.injected },
  ];
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  console.log("seeding the demo database in memory…");
  const engine = await openSeededDemoDatabase();
  try {
    const records = await recordsAsFinance(engine, await allTime(engine));
    const files = demoFiles(records);
    await mkdir(DEMO_DIR, { recursive: true });
    let stale = 0;
    for (const file of files) {
      const target = path.join(DEMO_DIR, file.name);
      if (check) {
        const current = await readFile(target, "utf8").catch(() => null);
        if (current !== file.content) {
          stale++;
          console.error(`${file.name} is out of date: run npx tsx scripts/generate-demo-stripe-exports.ts`);
        }
        continue;
      }
      await writeFile(target, file.content);
      const rows = file.content.trimEnd().split(/\r?\n/).length - 1;
      console.log(`${file.name}: ${rows} rows${file.injected.length ? `, injected: ${file.injected.map((i) => `${i.kind} ${i.stripe_id}`).join("; ")}` : ""}`);
    }
    if (stale > 0) process.exitCode = 1;
  } finally {
    await engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  });
}
