/**
 * Browser test on the real dev stack: support signs in on the demo sign-in page, searches a paying customer,
 * opens them, sees the credit balance, and sees no Stripe identifiers — while finance, opening the same
 * customer, does see the Stripe customer id (so the absence for support is RLS at work, not a missing seed).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import type { Page } from "playwright-core";
import { API_URL, APP_URL, artifactsDir, staffToken as tokenFor, startStack, type Stack, withPage as withStackPage } from "./stack.ts";

const STRIPE_ID = /\b(cus|pi|ch|sub)_[A-Za-z0-9]{6,}/;

let stack: Stack;
let target: { id: string; email: string; stripe_customer_id: string; credit_balance: number };

before(async () => {
  stack = await startStack();
  // Pick a paying, active, unrestricted customer through the API as finance (who may see Stripe ids).
  const token = await tokenFor("finance@m-factory.test");
  const res = await fetch(
    `${API_URL}/rest/v1/customer_directory?select=id,email,stripe_customer_id,credit_balance` +
      `&stripe_customer_id=not.is.null&deleted_at=is.null&credit_balance=gt.0&order=created_at.desc&limit=1`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  const rows = (await res.json()) as (typeof target)[];
  assert.equal(res.status, 200, JSON.stringify(rows));
  assert.ok(rows[0], "the demo seed has a paying customer with credits");
  target = rows[0];
});

after(async () => {
  await stack?.stop();
});


async function signInAndOpenCustomer(page: Page, staffEmail: string): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole("button", { name: `Sign in as ${staffEmail}` }).click();
  await page.getByLabel("Search customers").waitFor({ timeout: 30_000 });
  await page.getByLabel("Search customers").fill(target.email);
  // Rows are keyboard-reachable: focus the match and press Enter, as a keyboard user would.
  const row = page.getByRole("row", { name: `Open customer ${target.email}` });
  await row.waitFor({ timeout: 30_000 });
  await row.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("region", { name: "Credits" }).waitFor({ timeout: 30_000 });
}


test("support finds a customer, sees the balance but no Stripe ids", async () => {
  await withPage("support-customer", async (page) => {
    await signInAndOpenCustomer(page, "support@m-factory.test");
    const credits = page.getByRole("region", { name: "Credits" });
    await credits.getByText("Credit balance").waitFor();
    const creditsText = await credits.innerText();
    assert.match(creditsText, new RegExp(target.credit_balance.toLocaleString("en-US")), "balance shown to support");
    // Let every section settle before reading the whole page.
    await page.waitForLoadState("networkidle");
    const text = await page.locator("body").innerText();
    assert.ok(!text.includes(target.stripe_customer_id), "support must not see the Stripe customer id");
    assert.doesNotMatch(text, STRIPE_ID, "support must not see any Stripe id");
    await page.screenshot({ path: path.join(artifactsDir, "support-customer.png"), fullPage: true });
  });
});

test("finance opening the same customer sees the Stripe customer id", async () => {
  await withPage("finance-customer", async (page) => {
    await signInAndOpenCustomer(page, "finance@m-factory.test");
    await page.getByText(target.stripe_customer_id).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifactsDir, "finance-customer.png"), fullPage: true });
  });
});

function withPage(name: string, fn: (page: Page) => Promise<void>): Promise<void> {
  return withStackPage(stack, name, fn);
}
