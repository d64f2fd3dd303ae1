/**
 * Browser test of the DSAR desk on the real dev stack (embedded server, migrations, demo seed): the DPO opens
 * the overdue tab, then takes an access request through identity verification to a downloaded export and a
 * fulfilled status; support logs an email request and, on its page, gets no export.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { API_URL, APP_URL, artifactsDir, startStack, type Stack } from "./stack.ts";

let stack: Stack;
let request: { id: string; reference: string };

before(async () => {
  stack = await startStack();
  // A fresh access request for a seeded customer, logged through the same function the intake form uses.
  const token = await tokenFor("dpo@m-factory.test");
  const customers = await api<{ id: string; email: string }[]>(token, "GET", "/rest/v1/customer_directory?select=id,email&deleted_at=is.null&limit=1");
  assert.ok(customers[0], "the demo seed has a customer");
  request = await api<{ id: string; reference: string }>(token, "POST", "/rest/v1/rpc/dsar_create_request", {
    p_type: "access",
    p_channel: "email",
    p_requester_email: customers[0].email,
    p_received_at: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    p_customer_id: customers[0].id,
    p_summary: "E2E: asks for a copy of everything",
  });
  assert.match(request.reference, /^DSAR-\d{4}-\d+$/);
});

after(async () => {
  await stack?.stop();
});

async function tokenFor(email: string): Promise<string> {
  const res = await fetch(`${API_URL}/embedded/v1/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
  const body = (await res.json()) as { access_token?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token!;
}

async function api<T>(token: string, method: string, pathAndQuery: string, body?: unknown): Promise<T> {
  const res = await fetch(`${API_URL}${pathAndQuery}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  assert.ok(res.ok, `${method} ${pathAndQuery}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole("button", { name: `Sign in as ${email}` }).click();
  await page.getByRole("menu").first().waitFor({ timeout: 30_000 });
}

async function withPage(name: string, fn: (page: Page) => Promise<void>): Promise<void> {
  const context = await stack.browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on("console", (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`[pageerror] ${e.message}`));
  try {
    await fn(page);
  } catch (err) {
    await page.screenshot({ path: path.join(artifactsDir, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
    await writeFile(path.join(artifactsDir, `${name}-failure.log`), `${consoleLines.join("\n")}\n\n--- stack output ---\n${stack.log()}`);
    throw err;
  } finally {
    await context.close();
  }
}

test("the DPO opens the overdue tab and sees only overdue requests, in red", async () => {
  await withPage("dsar-overdue", async (page) => {
    await signIn(page, "dpo@m-factory.test");
    await page.goto(`${APP_URL}/dsar`);
    // Click once the counts are in: the badges change the tabs' widths while they load, which can move the
    // tab from under a click aimed a moment earlier.
    const overdueTab = page.getByRole("tab", { name: /Overdue\s*\d+/ });
    await overdueTab.waitFor({ timeout: 30_000 });
    await page.getByRole("tab", { name: /Closed\s*\d+/ }).waitFor({ timeout: 30_000 });
    await overdueTab.click();
    await page.getByRole("tab", { name: /Overdue/, selected: true }).waitFor({ timeout: 30_000 });
    const overdueCount = Number(/Overdue\s*(\d+)/.exec(await overdueTab.innerText())?.[1]);
    assert.ok(overdueCount > 0, "the demo seed has overdue requests");
    // The previous tab's rows stay on screen until the new page arrives: wait for the overdue total.
    await page.getByText(`${overdueCount} requests`, { exact: true }).waitFor({ timeout: 30_000 });
    const rows = page.locator("tr[aria-label^='Open request']");
    const count = await rows.count();
    assert.equal(count, Math.min(overdueCount, 25));
    for (let i = 0; i < count; i += 1) assert.match(await rows.nth(i).innerText(), /\d+ days? overdue/);
    assert.match(page.url(), /tab=overdue/);
    await page.screenshot({ path: path.join(artifactsDir, "dsar-overdue.png"), fullPage: true });
  });
});

test("the DPO verifies identity, downloads the access export and closes the request as fulfilled", async () => {
  await withPage("dsar-access", async (page) => {
    await signIn(page, "dpo@m-factory.test");
    await page.goto(`${APP_URL}/dsar/${request.id}`);
    await page.getByRole("heading", { name: request.reference }).waitFor({ timeout: 30_000 });

    await page.getByRole("button", { name: "Verify identity" }).click();
    await page.getByRole("combobox", { name: "Verification method" }).click();
    await page.getByTitle("Email link confirmed").click();
    await page.getByLabel("Verification note").fill("Replied from the account address");
    await page.getByRole("button", { name: "Record verification" }).click();
    await page.getByRole("region", { name: "Access export" }).waitFor({ timeout: 30_000 });

    await page.getByRole("button", { name: "Build export" }).click();
    const downloadLink = page.getByRole("link", { name: /^Download DSAR-.*-access\.zip$/ });
    await downloadLink.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent("download"), downloadLink.click()]);
    const saved = path.join(artifactsDir, "dsar-access-export.zip");
    await download.saveAs(saved);
    const bytes = await readFile(saved);
    assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK", "the download is a ZIP");
    await page.getByText("recorded", { exact: true }).waitFor({ timeout: 30_000 });

    await page.getByRole("button", { name: "Mark fulfilled" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("region", { name: "Request" }).getByText("Fulfilled").waitFor({ timeout: 30_000 });
    const activity = page.getByRole("region", { name: "Activity" });
    await activity.getByText("Export generated").waitFor();
    await activity.getByText("Identity verified").waitFor();
    await page.screenshot({ path: path.join(artifactsDir, "dsar-access.png"), fullPage: true });
  });
});

test("support logs an email request, sees its status, and gets no export", async () => {
  await withPage("dsar-support", async (page) => {
    await signIn(page, "support@m-factory.test");
    await page.goto(`${APP_URL}/dsar/new`);
    await page.getByRole("combobox", { name: "Type" }).click();
    await page.getByTitle("Access").click();
    await page.getByLabel("Requester email").fill("walk-in.e2e@example.com");
    await page.getByLabel("Summary").fill("Asked by email for a copy of their data");
    await page.getByRole("button", { name: "Log request" }).click();
    await page.getByText("The DPO handles this request").waitFor({ timeout: 30_000 });
    const heading = await page.getByRole("heading", { level: 3 }).innerText();
    assert.match(heading, /^DSAR-\d{4}-\d+$/);
    assert.equal(await page.getByRole("button", { name: "Build export" }).count(), 0);
    assert.equal(await page.getByRole("region", { name: "Access export" }).count(), 0);
    assert.equal(await page.getByRole("region", { name: "Activity" }).count(), 0);

    // The access request the DPO exported is not support's intake: it is not visible to support at all.
    await page.goto(`${APP_URL}/dsar/${request.id}`);
    await page.getByText("Request not found").waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifactsDir, "dsar-support.png"), fullPage: true });
  });
});
