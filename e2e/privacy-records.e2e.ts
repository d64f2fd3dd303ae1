/**
 * Browser test of the DPO's retention desk on the real dev stack (embedded server over the demo seed + Vite): the DPO
 * places a legal hold on a data category, runs a dry run, purges behind a confirmation that states the dry run's
 * counts, and downloads the purge certificate. Each step is checked through the API too: the hold is stored as typed,
 * the held rows survive the purge, and the downloaded certificate is the one the database chained into the audit log.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { API_URL, APP_URL, startStack, staffToken, type Stack, withPage as withStackPage } from "./stack.ts";

const DPO = "dpo@m-factory.test";
const REASON = "Litigation hold: claim 2026-117 (error reports kept for the court)";

let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

const withPage = (name: string, fn: (page: Page) => Promise<void>) => withStackPage(stack, name, fn);

async function api<T>(pathAndQuery: string): Promise<T> {
  const res = await fetch(`${API_URL}/rest/v1/${pathAndQuery}`, { headers: { Authorization: `Bearer ${await staffToken(DPO)}` } });
  const body = (await res.json()) as T;
  assert.equal(res.status, 200, `${pathAndQuery}: ${JSON.stringify(body)}`);
  return body;
}

/** A date `days` from today in the form an <input type="date"> takes. */
function isoDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("the DPO places a hold, runs a dry run and a purge, and downloads the certificate", async () => {
  const errorReportsBefore = await api<Array<{ id: string }>>("error_reports?select=id");

  await withPage("retention-dpo", async (page) => {
    await page.goto(APP_URL);
    await page.getByRole("button", { name: `Sign in as ${DPO}` }).click();
    await page.goto(`${APP_URL}/retention`);
    const status = page.getByRole("table", { name: "Retention status per category" });
    await status.getByRole("row", { name: /Error reports/ }).waitFor({ timeout: 30_000 });

    // A hold on every error report: the purge must keep them.
    await page.getByRole("tab", { name: "Legal holds" }).click();
    await page.getByRole("button", { name: "Place a hold…" }).click();
    const hold = page.getByRole("dialog", { name: "Place a legal hold" });
    await hold.getByRole("combobox", { name: "Data category" }).click();
    await page.getByTitle("Error reports", { exact: true }).click();
    await hold.getByLabel("Reason").fill(REASON);
    await hold.getByLabel("Review date").fill(isoDay(30));
    await hold.getByRole("button", { name: "Place hold" }).click();
    await page.getByText("Legal hold placed.").waitFor({ timeout: 15_000 });
    const holds = await api<Array<{ category: string; released_at: string | null }>>(`legal_holds?select=category,released_at&reason=eq.${encodeURIComponent(REASON)}`);
    assert.deepEqual(holds, [{ category: "error_reports", released_at: null }]);

    // Dry run, then the purge behind a confirmation that states the dry run's counts.
    await page.getByRole("tab", { name: "Purges" }).click();
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("table", { name: "Dry run counts" }).getByRole("row", { name: /Error reports/ }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Purge now…" }).click();
    const confirm = page.getByRole("dialog", { name: /^Purge \d+ rows? now\?$/ });
    await confirm.getByText(/Error reports: 0 to purge/).waitFor();
    await confirm.getByRole("button", { name: "Purge now" }).click();
    await page.getByText(/^Purge done: \d+ rows? purged\.$/).waitFor({ timeout: 60_000 });

    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download certificate (JSON)" }).first().click();
    const file = await (await downloading).path();
    const downloaded = JSON.parse(await readFile(file, "utf8")) as { certificate: unknown; certificate_sha256: string };

    const [run] = await api<Array<{ certificate_sha256: string; audit_log_id: number | null; started_via: string }>>(
      "purge_runs?select=certificate_sha256,audit_log_id,started_via&mode=eq.execute&order=started_at.desc&limit=1",
    );
    assert.ok(run, "the purge is recorded");
    assert.equal(run.started_via, "console");
    assert.equal(downloaded.certificate_sha256, run.certificate_sha256, "the file is the certificate the database stored");
    assert.ok(run.audit_log_id !== null, "the certificate is chained into the audit log");
  });

  // The held category kept every row; the hold is still active.
  const errorReportsAfter = await api<Array<{ id: string }>>("error_reports?select=id");
  assert.equal(errorReportsAfter.length, errorReportsBefore.length, "held error reports survive the purge");
});
