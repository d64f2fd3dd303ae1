/**
 * "Pull from Stripe" end to end: the embedded server with its local Stripe sandbox (seeded from the demo database,
 * refunds included), the stripe-reconcile-pull function called as finance, and the page's matcher against
 * reconciliation_records for the same range. Stripe and the database hold the same money, so nothing is reported.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../server/db/engine.ts";
import { startEmbeddedServer, type EmbeddedServer } from "../../server/index.ts";
import { DEMO_STAFF } from "../../server/seed/index.ts";
import { reconcile } from "../../src/features/reconciliation/match.ts";
import type { BalanceReportRow } from "../../src/features/reconciliation/types.ts";
import { DEMO_NOW, openSeededDemoDatabase, recordsAsFinance } from "./demoDb.ts";
import { kindsAndIds } from "./helpers.ts";

let engine: Engine;
let server: EmbeddedServer;
let dataDir: string;

beforeAll(async () => {
  engine = await openSeededDemoDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-reconcile-pull-"));
  server = await startEmbeddedServer({ engine, port: 0, prepare: false, dataDir, stripe: "sandbox", schemaCheckIntervalMs: 0, log: () => undefined });
});
afterAll(async () => {
  await server?.close();
  await engine?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function tokenFor(role: string): Promise<string> {
  const member = DEMO_STAFF.find((s) => s.roles.length === 1 && s.roles[0] === role)!;
  const res = await fetch(`${server.url}/embedded/v1/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: member.email }) });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function pull(token: string, from: string, to: string): Promise<Response> {
  return fetch(`${server.url}/functions/v1/stripe-reconcile-pull`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ from, to }),
  });
}

describe("pull from the local Stripe sandbox", () => {
  it("reconciles the last 400 days of the demo data with no discrepancy", async () => {
    // Up to tomorrow: the sandbox dates the failure of a seeded failed/canceled refund when it applies it (now).
    const to = new Date(Math.max(Date.now(), DEMO_NOW.getTime()) + 86_400_000).toISOString();
    const from = new Date(Date.parse(to) - 400 * 86_400_000).toISOString();
    const res = await pull(await tokenFor("finance"), from, to);
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: BalanceReportRow[] };
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.some((r) => r.reporting_category === "refund")).toBe(true);
    expect(rows.some((r) => r.reporting_category === "refund_failure")).toBe(true);
    const period = { from, to };
    const result = reconcile({ kind: "stripe_api", rows }, await recordsAsFinance(engine, period), { period, periodEndInclusive: false });
    expect(kindsAndIds(result.discrepancies)).toEqual([]);
    expect(result.counts.matched).toBe(rows.filter((r) => r.reporting_category === "charge" || r.reporting_category === "refund").length);
  }, 120_000);

  it("refuses the auditor (finance only)", async () => {
    const res = await pull(await tokenFor("auditor"), "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
    expect(res.status).toBe(403);
  });
});
