/**
 * The policies screens' data calls against the embedded server on the real migrations and demo seed (the page tests
 * use a fake backend): the list's and the page's selects, a draft saved and edited, the refusals in words, publishing,
 * the version in force on a day, and the re-acceptance pending page.
 */
import { describe, expect, it } from "vitest";
import { policyVersionInForce, publishPolicyVersion, saveDraft, type DraftInput } from "../../src/features/policies/api.ts";
import { reacceptancePeopleCsvSource, reacceptancePeoplePage } from "../../src/features/policies/reacceptancePeople.ts";
import { exportToRecords } from "../helpers/csvExport.ts";
import { endOfBangkokDay } from "../../src/features/policies/inForceDay.ts";
import { LIST_SELECT, SHOW_SELECT, type PolicyVersionRow } from "../../src/features/policies/types.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { startDemoServer } from "../helpers/server.ts";

const env = openBeforeAll(() => startDemoServer({ demoCustomers: 20 }), 180_000);

const DRAFT: DraftInput = {
  document: "cookie_policy",
  version: "2099-01-01",
  title: "Cookie policy 2099",
  effective_at: "2099-01-01T00:00:00+07:00",
  body_markdown: "",
  body_th: null,
  summary_of_changes: null,
};

describe("policies screens over the embedded server", () => {
  it("every role reads the list's and the page's selects; drafts only the DPO", async () => {
    for (const role of ["dpo", "support", "finance", "admin", "auditor"] as const) {
      const { data, error } = await env.clientAs(role).from("policy_versions").select(LIST_SELECT).order("effective_at", { ascending: false });
      expect(error).toBeNull();
      const rows = data as unknown as PolicyVersionRow[];
      expect(rows.some((r) => r.status === "published")).toBe(true);
      expect(rows.some((r) => r.status === "draft")).toBe(role === "dpo");
      const published = rows.find((r) => r.status === "published")!;
      expect(published.publisher?.display_name).toBeTruthy();
      const one = await env.clientAs(role).from("policy_versions").select(SHOW_SELECT).eq("id", published.id).maybeSingle();
      expect(one.error).toBeNull();
      expect((one.data as PolicyVersionRow).body_markdown.length).toBeGreaterThan(0);
    }
  });

  it("the DPO saves and edits a draft; an empty one is refused at publish in words; published text is immutable in words", async () => {
    const dpo = env.clientAs("dpo");
    const created = await saveDraft(dpo, DRAFT);
    expect(created.status).toBe("draft");
    expect(created.body_sha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(publishPolicyVersion(dpo, created.id, "editorial", "")).rejects.toThrow(/Check the input: The cookie_policy draft 2099-01-01 has an empty body/);
    await expect(saveDraft(dpo, DRAFT)).rejects.toThrow("A version with this label already exists for this document.");

    const edited = await saveDraft(dpo, { ...DRAFT, body_markdown: "# Cookies\nOnly the ones we need.", summary_of_changes: "Fewer cookies" }, created.id);
    expect(edited.summary_of_changes).toBe("Fewer cookies");
    await expect(publishPolicyVersion(dpo, created.id, "re_accept", "  ")).rejects.toThrow(/needs a reason/);
    const published = await publishPolicyVersion(dpo, created.id, "notify", "");
    expect(published.status).toBe("published");
    await expect(saveDraft(dpo, { ...DRAFT, title: "changed" }, created.id)).rejects.toThrow(
      "This version is published and cannot be changed by anyone: draft a new version instead.",
    );

    expect((await policyVersionInForce(dpo, "cookie_policy", endOfBangkokDay("2098-12-31")))?.id).not.toBe(created.id);
    expect((await policyVersionInForce(env.clientAs("support"), "cookie_policy", endOfBangkokDay("2099-01-01")))?.id).toBe(created.id);
  });

  it("support may not save a draft", async () => {
    await expect(saveDraft(env.clientAs("support"), { ...DRAFT, version: "2099-02-02" })).rejects.toThrow(/Your role may not do this|permission|row-level/i);
  });

  it("the seeded re_accept version's customers by answer: people for the DPO, ids for the auditor, what a decline did", async () => {
    const { data } = await env.clientAs("dpo").from("policy_versions").select("id").eq("change_class", "re_accept").limit(1);
    const id = (data as { id: string }[])[0]!.id;
    for (const status of ["pending", "accepted", "declined"] as const) {
      const dpo = await reacceptancePeoplePage(env.clientAs("dpo"), id, status, 1, 5);
      const auditor = await reacceptancePeoplePage(env.clientAs("auditor"), id, status, 1, 5);
      expect(dpo.rows.length).toBeLessThanOrEqual(5);
      expect(dpo.rows.every((r) => r.status === status && r.email?.includes("@"))).toBe(true);
      // The same rows and total, without the contact data the auditor may not read.
      expect(auditor).toEqual({ rows: dpo.rows.map((r) => ({ ...r, email: null, display_name: null })), total: dpo.total });
      expect(dpo.total).toBeGreaterThanOrEqual(dpo.rows.length);
    }
    // A decline at the prompt, as the customer app records it (service role): the row says what followed.
    const someone = (await env.engine.query<{ id: string }>(
      "select c.id from public.customers c where c.deleted_at is null and not exists (select 1 from public.consent_events e where e.customer_id = c.id and e.policy_version_id = $1) limit 1",
      [id],
    )).rows[0]!.id;
    await env.engine.transaction(async (tx) => {
      await tx.exec("set local role service_role");
      await tx.query("select public.record_policy_decline($1, $2)", [someone, id]);
    });
    const declined = await reacceptancePeoplePage(env.clientAs("dpo"), id, "declined", 1, 50);
    expect(declined.total).toBeGreaterThan(0);
    const atPrompt = declined.rows.filter((r) => r.withdrawn_purposes !== null);
    expect(atPrompt.length).toBeGreaterThan(0);
    expect(atPrompt.every((r) => r.account_restricted && r.declined_at !== null)).toBe(true);
    await expect(reacceptancePeoplePage(env.clientAs("support"), id, "pending", 1, 5)).rejects.toThrow(/Your role may not do this|only the DPO or an auditor/);

    // The export reads every row of the status, the same as the pages, and writes one CSV line per customer.
    const exported = await exportToRecords(await reacceptancePeopleCsvSource(env.clientAs("dpo"), id, "pending"));
    const pending = await reacceptancePeoplePage(env.clientAs("dpo"), id, "pending", 1, 1000);
    expect(exported.total).toBe(pending.total);
    expect(exported.records.map((r) => [r.customer_id, r.email, r.status])).toEqual(pending.rows.map((r) => [r.customer_id, r.email ?? "", r.status]));
  });
});
