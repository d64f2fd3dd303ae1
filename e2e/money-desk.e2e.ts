/**
 * Browser test of the money desk on the real dev stack (embedded server + local Stripe sandbox + Vite):
 * support adjusts a customer's credits within its limit and requests a partial refund of a top-up; finance
 * approves it, sends it to Stripe and sees it succeed (the sandbox settles it and its signed webhook moves the
 * status); finance then reconciles a payments export with known discrepancies and downloads them as CSV.
 * Every step is checked in the database through the API too, so the screens cannot merely claim success.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { API_URL, APP_URL, artifactsDir, openDialog, startStack, staffToken, type Stack, withPage as withStackPage } from "./stack.ts";

interface Target {
  paymentId: string;
  customerId: string;
  email: string;
  currency: string;
  amount: number;
  balance: number;
}

let stack: Stack;
let target: Target;
const tokens = new Map<string, string>();

before(async () => {
  stack = await startStack();
  // A succeeded top-up with a Stripe charge, nothing refunded or requested yet, of an active customer support can open.
  const payments = await api<Array<{ id: string; customer_id: string; amount: number; currency: string; payment_stripe_ids: { stripe_charge_id: string | null } | null }>>(
    "finance@m-factory.test",
    "payments?select=id,customer_id,amount,currency,payment_stripe_ids(stripe_charge_id)&status=eq.succeeded&kind=eq.top_up&amount_refunded=eq.0&order=created_at.desc&limit=100",
  );
  for (const p of payments) {
    if (!p.payment_stripe_ids?.stripe_charge_id) continue;
    const refunds = await api<unknown[]>("finance@m-factory.test", `refunds?select=id&payment_id=eq.${p.id}`);
    if (refunds.length > 0) continue;
    const [customer] = await api<Array<{ id: string; email: string; credit_balance: number | null }>>(
      "finance@m-factory.test",
      `customer_directory?select=id,email,credit_balance&id=eq.${p.customer_id}&deleted_at=is.null&processing_restricted=eq.false`,
    );
    if (!customer) continue;
    target = { paymentId: p.id, customerId: p.customer_id, email: customer.email, currency: p.currency, amount: p.amount, balance: customer.credit_balance ?? 0 };
    break;
  }
  assert.ok(target, "the demo seed has an unrefunded top-up of an active customer");
});

after(async () => {
  await stack?.stop();
});

async function tokenFor(email: string): Promise<string> {
  const known = tokens.get(email);
  if (known) return known;
  const token = await staffToken(email);
  tokens.set(email, token);
  return token;
}

async function api<T>(email: string, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${API_URL}/rest/v1/${pathAndQuery}`, { headers: { Authorization: `Bearer ${await tokenFor(email)}` } });
  const body = (await res.json()) as T;
  assert.equal(res.status, 200, `${pathAndQuery}: ${JSON.stringify(body)}`);
  return body;
}

async function signIn(page: Page, staffEmail: string): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole("button", { name: `Sign in as ${staffEmail}` }).click();
  await page.getByLabel("Search customers").waitFor({ timeout: 30_000 });
}


async function waitUntil<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
    last = await read();
  }
  return last;
}

test("support adjusts credits within its limit and requests a refund; finance approves it and it succeeds at Stripe", async () => {
  await withPage("money-support", async (page) => {
    await signIn(page, "support@m-factory.test");
    await page.goto(`${APP_URL}/customers/${target.customerId}`);
    const credits = page.getByRole("region", { name: "Credits" });
    await credits.waitFor({ timeout: 30_000 });

    // Within support's 500-credit limit: applied at once.
    await credits.getByRole("button", { name: "Adjust credits" }).click();
    const adjust = await openDialog(page);
    await adjust.getByLabel("Amount (credits)").fill("120");
    await adjust.getByRole("combobox", { name: "Reason" }).click();
    await page.getByTitle("Goodwill", { exact: true }).click();
    await adjust.getByLabel("Note").fill("Render farm outage on ticket #4711");
    await adjust.getByRole("button", { name: "Adjust credits" }).click();
    await adjust.getByText("Applied: +120 credits", { exact: false }).waitFor({ timeout: 15_000 });
    await adjust.getByRole("button", { name: "Done" }).click();

    const [after] = await api<Array<{ credit_balance: number }>>("support@m-factory.test", `customer_directory?select=credit_balance&id=eq.${target.customerId}`);
    assert.equal(after!.credit_balance, target.balance + 120, "the ledger gained exactly the 120 credits");
    const applied = await api<Array<{ status: string; amount: number }>>(
      "support@m-factory.test",
      `credit_adjustments?select=status,amount&customer_id=eq.${target.customerId}&note=eq.${encodeURIComponent("Render farm outage on ticket #4711")}`,
    );
    assert.deepEqual(applied, [{ status: "applied", amount: 120 }]);

    // A partial refund request of the top-up: support may only request; it waits for one finance approval.
    const paymentRow = page.locator(`tr[data-row-key="${target.paymentId}"]`);
    await paymentRow.getByRole("button", { name: "Request refund" }).click();
    const refund = await openDialog(page);
    await refund.getByText("Partial", { exact: true }).click();
    await refund.getByLabel("Amount to refund").fill("1");
    // "Requested by customer" is the preselected reason, as in Stripe's Dashboard.
    await refund.locator(".ant-select-selection-item", { hasText: "Requested by customer" }).waitFor();
    await refund.getByLabel("Internal note").fill("Customer bought the wrong pack; refund the difference");
    await refund.getByRole("button", { name: "Request refund" }).click();
    await refund.getByText("Waiting for 1 finance approval").waitFor({ timeout: 15_000 });
  });

  const [requested] = await api<Array<{ id: string; status: string; amount: number; approvals_needed: number }>>(
    "finance@m-factory.test",
    `refunds?select=id,status,amount,approvals_needed&payment_id=eq.${target.paymentId}`,
  );
  assert.ok(requested, "support's request is in the database");
  assert.equal(requested.status, "awaiting_approval");
  assert.equal(requested.approvals_needed, 1);
  const minorUnit = target.currency === "jpy" || target.currency === "krw" ? 1 : 100;
  assert.equal(requested.amount, minorUnit, "1 in major units is stored in minor units");

  await withPage("money-finance-refund", async (page) => {
    await signIn(page, "finance@m-factory.test");
    await page.goto(`${APP_URL}/refunds?tab=all`);
    const row = page.locator(`tr[data-row-key="${requested.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole("button", { name: "Approve" }).click();
    const confirm = await openDialog(page);
    await confirm.getByRole("button", { name: "Approve" }).click();
    await row.getByRole("button", { name: "Send to Stripe" }).click();
    // The sandbox settles the refund shortly after and its signed webhook moves the status; the page follows it.
    await row.getByText("Succeeded", { exact: true }).waitFor({ timeout: 30_000 });
  });

  const done = await waitUntil(
    "refund status",
    () => api<Array<{ status: string; executed_by: string | null; refund_stripe_ids: { stripe_refund_id: string } | null }>>(
      "finance@m-factory.test",
      `refunds?select=status,executed_by,refund_stripe_ids(stripe_refund_id)&id=eq.${requested.id}`,
    ),
    (rows) => rows[0]?.status === "succeeded",
  );
  assert.match(done[0]!.refund_stripe_ids?.stripe_refund_id ?? "", /^re_/);
  const [payment] = await api<Array<{ amount_refunded: number }>>("finance@m-factory.test", `payments?select=amount_refunded&id=eq.${target.paymentId}`);
  assert.equal(payment!.amount_refunded, minorUnit, "the payment's refunded total follows Stripe");
  const webhookEvents = await api<Array<{ outcome: string }>>("finance@m-factory.test", `stripe_webhook_events?select=outcome&refund_id=eq.${requested.id}`);
  assert.ok(webhookEvents.some((e) => e.outcome === "applied"), `a signed webhook applied the status: ${JSON.stringify(webhookEvents)}`);
});

test("finance reconciles a payments export with discrepancies and downloads them", async () => {
  await withPage("money-finance-reconcile", async (page) => {
    await signIn(page, "finance@m-factory.test");
    await page.goto(`${APP_URL}/reconciliation`);
    // A payments export made from this very database with one discrepancy of every kind injected.
    const made = page.waitForEvent("download");
    await page.getByRole("button", { name: "payments export, with discrepancies" }).click();
    const exportFile = path.join(artifactsDir, "payments-export-with-discrepancies.csv");
    await (await made).saveAs(exportFile);
    const header = (await readFile(exportFile, "utf8")).split(/\r?\n/, 1)[0]!;
    assert.match(header, /\bid\b.*Created/i, "a Dashboard payments export header");

    await page.locator('input[type="file"]').setInputFiles(exportFile);
    await page.getByText("Run saved").waitFor({ timeout: 60_000 });
    const counts = page.getByRole("list", { name: "Reconciliation counts" });
    for (const kind of ["Amount mismatch", "Status mismatch", "Refund mismatch", "In Stripe, not in the database", "In the database, not in Stripe"]) {
      const card = counts.getByRole("listitem").filter({ hasText: kind });
      const value = Number((await card.locator(".ant-statistic-content-value").innerText()).replace(/[^0-9]/g, ""));
      assert.ok(value >= 1, `${kind}: ${value}`);
    }

    const downloaded = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download discrepancies CSV" }).click();
    const csvPath = path.join(artifactsDir, "discrepancies.csv");
    await (await downloaded).saveAs(csvPath);
    const csv = await readFile(csvPath, "utf8");
    for (const kind of ["amount_mismatch", "status_mismatch", "refund_mismatch", "missing_in_database", "missing_in_stripe"]) {
      assert.ok(csv.includes(kind), `the CSV lists a ${kind}`);
    }
  });

  const runs = await api<Array<{ file_kind: string; file_sha256: string; counts: Record<string, number> }>>(
    "finance@m-factory.test",
    "reconciliation_runs?select=file_kind,file_sha256,counts&order=created_at.desc&limit=1",
  );
  assert.equal(runs[0]?.file_kind, "payments_export");
  assert.match(runs[0]!.file_sha256, /^[0-9a-f]{64}$/);
});

function withPage(name: string, fn: (page: Page) => Promise<void>): Promise<void> {
  return withStackPage(stack, name, fn);
}
