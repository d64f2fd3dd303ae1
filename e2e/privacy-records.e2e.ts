/**
 * Browser test of the DPO's privacy records on the real dev stack (embedded server over the demo seed + Vite): the DPO
 * publishes a privacy-policy version that customers must re-accept and sees coverage at 0%; downloads a consent
 * evidence pack; places a legal hold on a data category, runs a dry run, purges behind a confirmation that states the
 * dry run's counts, and downloads the purge certificate. Each step is checked through the API too, so the screens
 * cannot merely claim success.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { API_URL, APP_URL, openDialog, startStack, staffToken, type Stack, withPage as withStackPage } from "./stack.ts";

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

async function signIn(page: Page): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole("button", { name: `Sign in as ${DPO}` }).click();
  await page.getByLabel("Search customers").waitFor({ timeout: 30_000 });
}

test("the DPO publishes a re-accept privacy policy and sees coverage at 0%", async () => {
  const label = isoDay(0);
  await withPage("policies-dpo", async (page) => {
    await signIn(page);
    await page.goto(`${APP_URL}/policies/new`);
    await page.getByLabel("Label (YYYY-MM-DD)").fill(label);
    await page.getByLabel("Title").fill("Privacy Policy");
    await page.getByLabel("English text (markdown)").fill("# Privacy Policy\n\nWe now also process voice samples to train music models.\n");
    await page.getByLabel("Summary of changes").fill("Voice samples used for training");
    await page.getByRole("button", { name: "Save draft" }).click();

    await page.getByRole("button", { name: "Publish…" }).click();
    const publish = await openDialog(page);
    await publish.getByText("Re-accept (customers accept again)").click();
    // The dialog shows what changed against the version in force before the DPO confirms.
    await publish.getByText(/^Changes against the version in force/).waitFor();
    await publish.getByLabel("Reason (what changed materially)").fill("New purpose: training on voice samples");
    await publish.getByRole("button", { name: "Publish" }).click();
    await page.getByText(`Version ${label} is published.`).waitFor({ timeout: 15_000 });

    const coverage = page.locator(".ant-statistic", { hasText: "Coverage" });
    await coverage.waitFor({ timeout: 15_000 });
    assert.match(await coverage.innerText(), /Coverage\s*0\s*%/);
  });
  const [published] = await api<Array<{ id: string; status: string; change_class: string }>>(
    `policy_versions?select=id,status,change_class&document=eq.privacy_policy&version=eq.${label}`,
  );
  assert.deepEqual({ status: published?.status, change_class: published?.change_class }, { status: "published", change_class: "re_accept" });
  const superseded = await api<Array<{ version: string }>>("policy_versions?select=version&document=eq.privacy_policy&version=eq.2026-05-12&status=eq.superseded");
  assert.equal(superseded.length, 1, "the company's 2026-05-12 policy is superseded by the new version");
});

test("the DPO downloads a consent evidence pack", async () => {
  await withPage("consent-evidence", async (page) => {
    await signIn(page);
    await page.goto(`${APP_URL}/consent`);
    const evidence = page.getByRole("button", { name: /^Download the evidence pack of consent event \d+$/ }).first();
    await evidence.waitFor({ timeout: 30_000 });
    const eventId = Number((await evidence.getAttribute("aria-label"))!.match(/(\d+)$/)![1]);
    const downloading = page.waitForEvent("download");
    await evidence.click();
    const pack = JSON.parse(await readFile(await (await downloading).path(), "utf8")) as Record<string, unknown>;
    const [event] = await api<Array<{ customer_id: string }>>(`consent_events?select=customer_id&id=eq.${eventId}`);
    assert.ok(event, "the event exists");
    const text = JSON.stringify(pack);
    assert.ok(text.includes(event.customer_id), "the receipt names the customer");
    assert.match(text, /[0-9a-f]{64}/, "the pack carries SHA-256 hashes (policy text, audit chain)");
  });
});

test("the DPO places a hold, runs a dry run and a purge, and downloads the certificate", async () => {
  const errorReportsBefore = await api<Array<{ id: string }>>("error_reports?select=id");

  await withPage("retention-dpo", async (page) => {
    await signIn(page);
    await page.goto(`${APP_URL}/retention`);
    const status = page.getByRole("table", { name: "Retention status per category" });
    await status.getByRole("row", { name: /Error reports/ }).waitFor({ timeout: 30_000 });

    // A hold on every error report: the purge must keep them.
    await page.getByRole("tab", { name: "Legal holds" }).click();
    await page.getByRole("button", { name: "Place a hold…" }).click();
    const hold = await openDialog(page, "Place a legal hold");
    await hold.getByRole("combobox", { name: "Data category" }).click();
    await page.getByTitle("Error reports", { exact: true }).click();
    await hold.getByLabel("Reason").fill(REASON);
    await hold.getByLabel("Review date").fill(isoDay(30));
    await hold.getByRole("button", { name: "Place hold" }).click();
    await page.getByRole("row", { name: /Litigation hold: claim 2026-117/ }).waitFor({ timeout: 15_000 });
    const holds = await api<Array<{ category: string; released_at: string | null }>>(`legal_holds?select=category,released_at&reason=eq.${encodeURIComponent(REASON)}`);
    assert.deepEqual(holds, [{ category: "error_reports", released_at: null }]);

    // Dry run, then the purge behind a confirmation that states the dry run's counts.
    await page.getByRole("tab", { name: "Purges" }).click();
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("table", { name: "Dry run counts" }).getByRole("row", { name: /Error reports/ }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Purge now…" }).click();
    const confirm = await openDialog(page, /^Purge \d+ rows? now\?$/);
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
