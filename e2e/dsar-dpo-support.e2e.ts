/**
 * Browser test of the DSAR desk on the real dev stack (issue 3, "Browser test").
 *
 * The DPO opens the overdue tab, takes an overdue access request through identity verification to a built,
 * downloaded and verified access export (every checksum in its manifest) and a fulfilled status, and the
 * timeline shows each step. Support logs an email request through the intake form, finds it in its list with
 * its status, and cannot open any export: no export panel even once the DPO has made the request exportable,
 * no timeline, and the API refuses the DPO-only parts (events, payloads, recording an export).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { readExport } from "../src/features/dsar/export/readExport.ts";
import type { DsarQueueRow } from "../src/features/dsar/types.ts";
import type { Tables } from "../src/lib/database.types.ts";
import { API_URL, APP_URL, artifactsDir, openDialog, staffToken as tokenFor, startStack, type Stack, withPage as withStackPage } from "./stack.ts";

const DPO = "dpo@m-factory.test";
const SUPPORT = "support@m-factory.test";

/** The `dsar_queue` columns this test reads (QUEUE_COLUMNS), typed as the desk types them. */
type QueueRow = Pick<
  DsarQueueRow,
  "id" | "reference" | "type" | "status" | "customer_id" | "customer_email" | "days_left" | "is_overdue" | "identity_verified_at" | "created_by"
>;
type EventRow = Pick<Tables<"dsar_events">, "id" | "request_id" | "kind" | "from_status" | "to_status"> & { details: Record<string, unknown> };

const QUEUE_COLUMNS = "id,reference,type,status,customer_id,customer_email,days_left,is_overdue,identity_verified_at,created_by";

let stack: Stack;
let dpoToken: string;
let supportToken: string;
/** The overdue access request the DPO fulfils. */
let target: QueueRow;
/** How the target was found: from the demo seed, or logged back-dated through the API when the seed had none. */
let targetSource: "seed" | "logged for the test";

/** Wall-clock time of each step, written to e2e/artifacts/dsar-timings.json and printed at the end. */
const timings: { step: string; ms: number }[] = [];
async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push({ step, ms: Math.round(performance.now() - started) });
  }
}

before(async () => {
  await timed("start the dev stack (fresh data dir, seed) and chromium", async () => {
    stack = await startStack();
  });
  [dpoToken, supportToken] = await Promise.all([tokenFor(DPO), tokenFor(SUPPORT)]);
  ({ row: target, source: targetSource } = await pickOverdueAccessRequest());
  assert.equal(target.is_overdue, true, `${target.reference} must be overdue for the overdue tab`);
});

after(async () => {
  await stack?.stop();
  if (timings.length > 0) {
    await writeFile(path.join(artifactsDir, "dsar-timings.json"), `${JSON.stringify(timings, null, 2)}\n`);
    console.log(`DSAR e2e timings (target ${target?.reference ?? "none"}, ${targetSource ?? "not picked"}):`);
    for (const { step, ms } of timings) console.log(`  ${String(ms).padStart(6)} ms  ${step}`);
  }
});

// ------------------------------------------------------------------------------------------------ API helpers


async function apiGet<T>(token: string, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${API_URL}/rest/v1/${pathAndQuery}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as T;
  assert.equal(res.status, 200, `GET ${pathAndQuery}: ${JSON.stringify(body)}`);
  return body;
}

async function rpc(token: string, fn: string, args: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${API_URL}/rest/v1/rpc/${fn}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: await res.json() };
}

async function rpcOk(token: string, fn: string, args: Record<string, unknown>): Promise<unknown> {
  const { status, body } = await rpc(token, fn, args);
  assert.equal(status, 200, `${fn}: ${JSON.stringify(body)}`);
  return body;
}

async function queueRow(token: string, id: string): Promise<QueueRow | undefined> {
  const rows = await apiGet<QueueRow[]>(token, `dsar_queue?select=${QUEUE_COLUMNS}&id=eq.${id}`);
  return rows[0];
}

async function eventsOf(token: string, requestId: string): Promise<EventRow[]> {
  return apiGet<EventRow[]>(token, `dsar_events?select=id,request_id,kind,from_status,to_status,details&request_id=eq.${requestId}&order=id.asc`);
}

/**
 * An overdue access request with a matched customer whose identity is not verified yet, chosen as the DPO.
 * The demo seed normally has one; if a later seed has none, one is logged back-dated 40 days (allowed and
 * audited) and asked for identity, so the browser steps stay the same.
 */
async function pickOverdueAccessRequest(): Promise<{ row: QueueRow; source: typeof targetSource }> {
  const rows = await apiGet<QueueRow[]>(
    dpoToken,
    `dsar_queue?select=${QUEUE_COLUMNS}&type=eq.access&is_open=eq.true&is_overdue=eq.true&customer_id=not.is.null` +
      `&identity_verified_at=is.null&status=in.(awaiting_verification,new)&order=status.asc,due_at.asc&limit=1`,
  );
  if (rows[0]) return { row: rows[0], source: "seed" };

  const customers = await apiGet<{ id: string; email: string }[]>(
    dpoToken,
    `customer_directory?select=id,email&deleted_at=is.null&order=created_at.asc&limit=1`,
  );
  assert.ok(customers[0], "the demo seed has a customer");
  const created = (await rpcOk(dpoToken, "dsar_create_request", {
    p_type: "access",
    p_channel: "email",
    p_requester_email: customers[0].email,
    p_received_at: new Date(Date.now() - 40 * 86_400_000).toISOString(),
    p_customer_id: customers[0].id,
    p_summary: "Browser test: a copy of everything held about me",
  })) as QueueRow | QueueRow[];
  const id = (Array.isArray(created) ? created[0] : created)?.id;
  assert.ok(id, `dsar_create_request returned a row: ${JSON.stringify(created)}`);
  await rpcOk(dpoToken, "dsar_transition", { p_request_id: id, p_to_status: "awaiting_verification" });
  const row = await queueRow(dpoToken, id);
  assert.ok(row);
  return { row, source: "logged for the test" };
}

// ----------------------------------------------------------------------------------------------- page helpers


async function signIn(page: Page, staffEmail: string): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole("button", { name: `Sign in as ${staffEmail}` }).click();
  // The console lands on the customer list once the session is in place.
  await page.getByLabel("Search customers").waitFor({ timeout: 30_000 });
}

/** Opens the DSAR queue through the side menu, as staff would. */
async function openQueue(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Data subject requests" }).click();
  await page.getByRole("heading", { name: "Data subject requests" }).waitFor({ timeout: 30_000 });
}

/** Picks an option of an antd Select by its label (the dropdown renders options outside the field). */
async function chooseOption(page: Page, fieldLabel: string, optionLabel: string): Promise<void> {
  await page.getByRole("combobox", { name: fieldLabel }).click();
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${optionLabel}"]`).click();
}

function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

// ---------------------------------------------------------------------------------------------------- tests

test("DPO: overdue tab → verify identity → build, download and verify the access export → fulfilled, all on the timeline", async () => {
  await withPage("dsar-dpo", async (page) => {
    await timed("DPO signs in and opens the queue", async () => {
      await signIn(page, DPO);
      await openQueue(page);
    });

    await timed("DPO opens the overdue tab and the request", async () => {
      await page.getByRole("tab", { name: /^Overdue/ }).click();
      await page.waitForFunction(() => document.querySelector('[role="tab"][aria-selected="true"]')?.textContent?.startsWith("Overdue"));
      // The tab's count is what the database says is overdue and open.
      const counted = await fetch(`${API_URL}/rest/v1/dsar_queue?select=id&is_open=eq.true&is_overdue=eq.true`, {
        method: "HEAD",
        headers: { Authorization: `Bearer ${dpoToken}`, Prefer: "count=exact" },
      });
      const overdueTotal = Number(counted.headers.get("content-range")?.split("/")[1]);
      assert.ok(overdueTotal >= 1, `overdue count from the API: ${counted.headers.get("content-range")}`);
      await page.getByRole("tab", { name: `Overdue ${overdueTotal}` }).waitFor({ timeout: 15_000 });

      await page.getByLabel("Search requests").fill(target.reference);
      const row = page.getByRole("row", { name: `Open request ${target.reference}` });
      await row.waitFor({ timeout: 15_000 });
      // Only the searched request is left in the overdue tab, and it shows how late it is.
      await page.getByText("1 request", { exact: true }).waitFor({ timeout: 15_000 });
      assert.match(await row.innerText(), new RegExp(`${-target.days_left} days? overdue`));
      await screenshot(page, "dsar-dpo-overdue-tab");
      await row.focus();
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: target.reference }).waitFor({ timeout: 30_000 });
      await page.getByRole("region", { name: "Activity" }).getByText("Request logged").waitFor({ timeout: 30_000 });
    });

    const request = page.getByRole("region", { name: "Request" });
    const actions = page.getByRole("group", { name: "Request actions" });
    const activity = page.getByRole("region", { name: "Activity" });

    await timed("DPO verifies the identity (method + note)", async () => {
      assert.equal(await page.getByRole("region", { name: "Access export" }).count(), 0, "no export before identity is verified");
      await actions.getByRole("button", { name: "Verify identity" }).click();
      const dialog = await openDialog(page, `Verify identity: ${target.reference}`);
      await chooseOption(page, "Verification method", "ID document seen");
      await dialog.getByLabel("Verification note").fill("Passport photo page seen on a video call; matches the account name");
      await dialog.getByRole("button", { name: "Record verification" }).click();
      await dialog.waitFor({ state: "hidden" });
      await request.getByText("In progress").waitFor({ timeout: 15_000 });
      await request.getByText(/ID document seen · /).waitFor();
      await activity.getByText("Identity verified").waitFor({ timeout: 15_000 });
    });

    const exportPanel = page.getByRole("region", { name: "Access export" });
    let shownSha256 = "";
    await timed("DPO builds the export (progress bar shown, manifest hash recorded)", async () => {
      await exportPanel.waitFor({ timeout: 15_000 });
      // A small subject can finish between two polls, so the page itself notes whether the progress bar appeared.
      // (Passed as source text: tsx would wrap a named function in a helper the page does not have.)
      await page.evaluate(`
        window.__exportProgressSeen = [];
        new MutationObserver(() => {
          const bar = document.querySelector('[role="progressbar"][aria-label="Export progress"]');
          if (bar) window.__exportProgressSeen.push(Number(bar.getAttribute("aria-valuenow") ?? -1));
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      `);
      await exportPanel.getByRole("button", { name: "Build export" }).click();
      await exportPanel.getByText("recorded", { exact: true }).waitFor({ timeout: 60_000 });
      const seen = await page.evaluate<number[]>("window.__exportProgressSeen");
      assert.ok(seen.length > 0, "the export progress bar was shown while building");
      shownSha256 = (await exportPanel.locator("code").innerText()).trim();
      assert.match(shownSha256, /^[0-9a-f]{64}$/);
      await activity.getByText("Export generated").waitFor({ timeout: 15_000 });
      await activity.getByText(`manifest SHA-256: ${shownSha256}`).waitFor();
      await screenshot(page, "dsar-dpo-export-built");
    });

    await timed("DPO downloads the ZIP and every manifest checksum verifies", async () => {
      const fileName = `${target.reference}-access.zip`;
      // Downloaded after the hash is recorded: the link must still work once the panel has re-rendered.
      const [download] = await Promise.all([page.waitForEvent("download"), exportPanel.getByRole("link", { name: `Download ${fileName}` }).click()]);
      assert.equal(download.suggestedFilename(), fileName);
      const saved = path.join(artifactsDir, fileName);
      await download.saveAs(saved);
      const verified = await readExport(new Uint8Array(await readFile(saved)));
      assert.equal(verified.manifestSha256, shownSha256, "the downloaded manifest is the one the page shows");
      assert.ok(verified.filesVerified > 0);
      assert.equal(verified.manifest.request.reference, target.reference);
      assert.equal(verified.rowCounts.profile, 1, "a matched customer's profile is in the export");
      // The hash recorded on the request is the downloaded manifest's hash.
      const exports = (await eventsOf(dpoToken, target.id)).filter((e) => e.kind === "export_generated");
      assert.equal(exports.length, 1, JSON.stringify(exports));
      assert.equal(exports[0]!.details.manifest_sha256, verified.manifestSha256);
    });

    await timed("DPO marks the request fulfilled; the timeline shows every step", async () => {
      await actions.getByRole("button", { name: "Mark fulfilled" }).click();
      const dialog = await openDialog(page, `Mark fulfilled: ${target.reference}`);
      await dialog.getByLabel("Transition note").fill("Access export sent to the subject by secure link");
      await dialog.getByRole("button", { name: "Confirm" }).click();
      await dialog.waitFor({ state: "hidden" });
      await request.getByText("Fulfilled", { exact: true }).waitFor({ timeout: 15_000 });
      await request.getByText("Closed (Bangkok)").waitFor();
      await activity.getByText(/In progress → Fulfilled/).waitFor({ timeout: 15_000 });
      await activity.getByText("Access export sent to the subject by secure link").waitFor();
      // A closed request offers no further transitions.
      assert.equal(await actions.getByRole("button", { name: "Mark fulfilled" }).count(), 0);
      await screenshot(page, "dsar-dpo-fulfilled");

      const row = await queueRow(dpoToken, target.id);
      assert.equal(row?.status, "fulfilled");
      const kinds = (await eventsOf(dpoToken, target.id)).map((e) => e.kind);
      for (const kind of ["identity_verified", "export_generated", "status_changed"]) assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(", ")}`);
      const timelineText = await activity.innerText();
      for (const label of ["Identity verified", "Export generated", "Status changed"]) assert.ok(timelineText.includes(label), `${label} on the timeline`);
    });
  });
});

test("support logs an email request, sees it with its status, and cannot open its export or the timeline", async () => {
  const requesterEmail = `e2e.support.${Date.now()}@example.com`;
  let loggedId = "";
  let loggedReference = "";

  await withPage("dsar-support", async (page) => {
    await timed("support signs in and logs an email access request", async () => {
      await signIn(page, SUPPORT);
      await openQueue(page);
      // Support has no "my queue" of assignments: the tab is the DPO's.
      assert.equal(await page.getByRole("tab", { name: /^My queue/ }).count(), 0);
      await page.getByRole("button", { name: "New request" }).click();
      const form = page.getByRole("form", { name: "New request" });
      await form.waitFor({ timeout: 30_000 });
      await chooseOption(page, "Type", "Access");
      // Email is the channel the form starts with.
      await form.getByText("Email to the DPO").waitFor();
      await form.getByLabel("Requester email").fill(requesterEmail);
      await form.getByLabel("Summary").fill("Email to dpo@: asks for a copy of all data about them");
      await form.getByRole("button", { name: "Log request" }).click();
      await page.waitForURL(/\/dsar\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      loggedId = page.url().split("/").pop()!;
      const heading = page.getByRole("heading", { name: /^DSAR-\d{4}-\d{4,}$/ });
      await heading.waitFor({ timeout: 30_000 });
      loggedReference = (await heading.innerText()).trim();
    });

    await timed("support sees its request in its list with its status", async () => {
      await page.getByRole("link", { name: "Back to the queue" }).click();
      await page.getByLabel("Search requests").fill(loggedReference);
      const row = page.getByRole("row", { name: `Open request ${loggedReference}` });
      await row.waitFor({ timeout: 15_000 });
      assert.match(await row.innerText(), /New/);
      assert.match(await row.innerText(), new RegExp(requesterEmail.replace(/[.]/g, "\\.")));
      await screenshot(page, "dsar-support-list");
    });

    // The DPO makes the request exportable (customer matched, identity verified → in progress), so an absent
    // export panel for support is the role at work, not a request that is not ready.
    const customers = await apiGet<{ id: string }[]>(dpoToken, `customer_directory?select=id&deleted_at=is.null&order=created_at.asc&limit=1`);
    assert.ok(customers[0]);
    await rpcOk(dpoToken, "dsar_match_customer", { p_request_id: loggedId, p_customer_id: customers[0].id });
    await rpcOk(dpoToken, "dsar_verify_identity", { p_request_id: loggedId, p_method: "email_link", p_note: "Reply from the account's address" });

    await timed("support opens its request: status only, no export panel, no timeline", async () => {
      await page.getByRole("row", { name: `Open request ${loggedReference}` }).click();
      const request = page.getByRole("region", { name: "Request" });
      await request.getByText("In progress").waitFor({ timeout: 30_000 });
      await page.getByText("The DPO handles this request").waitFor();
      for (const region of ["Access export", "Activity", "Subject"]) {
        assert.equal(await page.getByRole("region", { name: region }).count(), 0, `support must not see the ${region} panel`);
      }
      assert.equal(await page.getByRole("button", { name: "Build export" }).count(), 0);
      assert.equal(await page.getByRole("group", { name: "Request actions" }).count(), 0);
      await screenshot(page, "dsar-support-request");
    });

    await timed("support cannot open the DPO's request", async () => {
      await page.goto(`${APP_URL}/dsar/${target.id}`);
      await page.getByText("Request not found").waitFor({ timeout: 30_000 });
      assert.equal(await page.getByText(target.reference).count(), 0);
    });
  });

  await timed("API as support: no events, no export record, no payloads, no recording an export", async () => {
    // The DPO sees the events of support's request and the export records ...
    const dpoLoggedEvents = await eventsOf(dpoToken, loggedId);
    assert.ok(dpoLoggedEvents.some((e) => e.kind === "created") && dpoLoggedEvents.some((e) => e.kind === "identity_verified"));
    const dpoExportRecords = await apiGet<EventRow[]>(dpoToken, `dsar_events?select=id,request_id,kind&kind=eq.export_generated`);
    assert.ok(dpoExportRecords.length > 0, "the DPO reads export records");
    // ... support reads none of them.
    assert.deepEqual(await eventsOf(supportToken, loggedId), [], "support reads no events of its own request");
    assert.deepEqual(await apiGet<EventRow[]>(supportToken, `dsar_events?select=id&kind=eq.export_generated`), [], "support reads no export record");
    assert.deepEqual(await apiGet<unknown[]>(supportToken, `dsar_events?select=id&limit=1`), [], "support reads no event at all");
    assert.deepEqual(await apiGet<unknown[]>(supportToken, `dsar_event_payloads?select=event_id&limit=1`), []);
    // Support reads its own request at status level, but not the DPO's.
    assert.equal((await queueRow(supportToken, loggedId))?.status, "in_progress");
    assert.equal(await queueRow(supportToken, target.id), undefined);

    const refused = await rpc(supportToken, "dsar_record_export", {
      p_request_id: loggedId,
      p_manifest_sha256: "0".repeat(64),
      p_details: {},
    });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.match(JSON.stringify(refused.body), /only the DPO/);
    assert.equal((await eventsOf(dpoToken, loggedId)).filter((e) => e.kind === "export_generated").length, 0, "nothing was recorded");
  });
});

function withPage(name: string, fn: (page: Page) => Promise<void>): Promise<void> {
  return withStackPage(stack, name, fn);
}
