/**
 * The demo files under public/demo/ against a freshly seeded demo database, matched exactly as the page does:
 * the clean files report nothing, the others exactly the injected discrepancies (one of every kind).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../server/db/engine.ts";
import { DEMO_DIR, demoFiles } from "../../scripts/generate-demo-stripe-exports.ts";
import { reconcileFile } from "../../src/features/reconciliation/pipeline.ts";
import { DISCREPANCY_KINDS, type DatabaseRecord } from "../../src/features/reconciliation/types.ts";
import { allTime, openSeededDemoDatabase, recordsAsFinance } from "./demoDb.ts";
import { csvFile, kindsAndIds } from "./helpers.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const engine = openBeforeAll(openSeededDemoDatabase);
let records: DatabaseRecord[];

beforeAll(async () => {
  records = await recordsAsFinance(engine, await allTime(engine));
});

const fetchFrom = (db: () => Engine) => (period: { from: string; to: string }) =>
  recordsAsFinance(db(), { from: period.from, to: new Date(Date.parse(period.to) + 1000).toISOString() });

describe("demo Stripe files", () => {
  it("are up to date with the demo seed (regenerate with scripts/generate-demo-stripe-exports.ts)", async () => {
    for (const file of demoFiles(records)) {
      expect(await readFile(path.join(DEMO_DIR, file.name), "utf8"), file.name).toBe(file.content);
    }
  });

  it("the demo data has refunds with Stripe ids, failed ones included, and payments that never succeeded", () => {
    const refunds = records.filter((r) => r.record_type === "refund" && r.stripe_refund_id);
    expect(refunds.length).toBeGreaterThan(3);
    expect(refunds.some((r) => r.status === "failed" || r.status === "canceled")).toBe(true);
    expect(records.some((r) => r.record_type === "payment" && r.status !== "succeeded")).toBe(true);
  });


  it.each([
    "stripe-payments-export-clean.csv",
    "stripe-payments-export-discrepancies.csv",
    "stripe-balance-report-clean.csv",
    "stripe-balance-report-discrepancies.csv",
  ])("%s reconciles to exactly the expected result", async (name) => {
    const expected = demoFiles(records).find((f) => f.name === name)!;
    const content = await readFile(path.join(DEMO_DIR, name));
    const outcome = await reconcileFile(csvFile(new Uint8Array(content), name), fetchFrom(() => engine));
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.invalid.issues));
    expect(kindsAndIds(outcome.result.discrepancies)).toEqual(expected.injected.map((i) => `${i.kind} ${i.stripe_id}`).sort());
    if (name.includes("clean")) expect(outcome.result.discrepancies).toEqual([]);
    else for (const kind of DISCREPANCY_KINDS) expect(outcome.result.counts[kind], kind).toBe(1);
    expect(outcome.result.counts.matched).toBeGreaterThan(400);
  });
});
