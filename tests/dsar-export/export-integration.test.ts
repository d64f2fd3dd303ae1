/**
 * The access/portability export end to end: embedded server on in-memory PGlite with the real
 * migrations and demo seed, the DPO's supabase-js client, the real category fetcher. The ZIP is read
 * back, every checksum verified, and every category's rows compared with what the database holds.
 */
import JSZip from "jszip";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { EXPORT_CATEGORIES, categoryFilePath, type ExportCategoryId } from "../../src/features/dsar/export/categories.ts";
import { buildSubjectExport } from "../../src/features/dsar/export/buildSubjectExport.ts";
import { exportEventDetails } from "../../src/features/dsar/export/eventDetails.ts";
import { readExport } from "../../src/features/dsar/export/readExport.ts";
import { createSupabaseCategoryFetcher } from "../../src/features/dsar/export/supabaseFetcher.ts";
import type { CategoryRow, ExportRequestInfo } from "../../src/features/dsar/export/types.ts";
import { idsInDatabase, startExportTestServer } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const env = openBeforeAll(() => startExportTestServer(12));
let subject: { id: string; email: string };
const NOW = new Date();
const REQUEST: ExportRequestInfo = { id: "5d0c7c55-98f3-4bd8-9d2e-6d0a8b0b0d01", reference: "DSAR-2026-0007", type: "portability" };
const FORMULA_PROMPT = "=HYPERLINK(\"http://evil.example\",\"click\")";

beforeAll(async () => {
  // The seeded customer with the most held rows, so most categories are non-empty.
  const { rows } = await env.engine.query<{ id: string; email: string }>(`
    select c.id, c.email from public.customers c
    order by (select count(*) from public.generations g where g.customer_id = c.id)
           + (select count(*) from public.api_request_logs l where l.customer_id = c.id)
           + (select count(*) from public.payments p where p.customer_id = c.id) * 10 desc, c.id
    limit 1`);
  subject = rows[0] as { id: string; email: string };
  // Rows the seed may not give this customer: an error report, a formula-looking prompt, and an API log
  // older than the 90-day retention, which the export must leave out.
  await env.engine.query(
    `insert into public.error_reports (customer_id, sentry_event_id, summary, occurred_at)
     values ($1::uuid, md5($1::text || 'export-test'), 'TypeError in upload widget', now() - interval '2 days')`,
    [subject.id],
  );
  await env.engine.query(
    `insert into public.generations (customer_id, media, model, prompt, metadata, credits_cost)
     values ($1, 'image', 'nano-banana', $2, '{"size":"1024x1024"}', 4)`,
    [subject.id, FORMULA_PROMPT],
  );
  await env.engine.query(
    `insert into public.api_request_logs (customer_id, method, endpoint, status_code, ip, user_agent, requested_at)
     values ($1, 'GET', '/v1/old', 200, '203.0.113.9', 'old-agent', now() - interval '100 days'),
            ($1, 'POST', '/v1/generations', 201, '203.0.113.9', 'new-agent', now() - interval '1 day')`,
    [subject.id],
  );
  // Nine log rows sharing one timestamp: any page size under 9 puts a page boundary inside the tie,
  // so paging has to break ties by id.
  await env.engine.query(
    `insert into public.api_request_logs (customer_id, method, endpoint, status_code, requested_at)
     select $1, 'GET', '/v1/tie/' || i, 200, date_trunc('second', now()) - interval '3 days' from generate_series(1, 9) i`,
    [subject.id],
  );
});

async function dpoExport(customerId: string | null, email: string, pageSize = 1000) {
  return buildSubjectExport({
    fetchCategory: createSupabaseCategoryFetcher(env.clientAs("dpo"), customerId, { now: NOW }),
    subject: { customerId, email },
    request: REQUEST,
    pageSize,
  });
}

describe("export of a seeded subject as the DPO through supabase-js", () => {
  it("reads back with every checksum verified and every category's row count equal to the database's", async () => {
    const result = await dpoExport(subject.id, subject.email);
    const verified = await readExport(result.zip);
    expect(verified.manifestSha256).toBe(result.manifestSha256);
    const expected = {} as Record<ExportCategoryId, number>;
    for (const category of EXPORT_CATEGORIES) expected[category.id] = (await idsInDatabase(env.engine, category.id, subject.id, NOW)).length;
    expect(verified.rowCounts).toEqual(expected);
    // The seeded subject is not trivially empty: the comparison above means something.
    for (const id of ["profile", "generations", "api_logs", "consent_history", "error_reports"] as const) expect(expected[id], id).toBeGreaterThan(0);
  });

  it("gives the subject the IP addresses of their consent history as collected, not the masked networks others read", async () => {
    const result = await dpoExport(subject.id, subject.email);
    const zip = await JSZip.loadAsync(result.zip);
    const rows = JSON.parse((await zip.file(categoryFilePath("consent_history", "json"))?.async("string")) ?? "null") as CategoryRow[];
    const { rows: collected } = await env.engine.query<{ id: string; ip: string | null }>(
      `select e.id::text, host(i.ip) as ip from public.consent_events e left join public.consent_event_ips i on i.event_id = e.id
       where e.customer_id = $1 order by e.id`,
      [subject.id],
    );
    expect(collected.some((r) => r.ip !== null)).toBe(true);
    expect(rows.map((r) => [String(r.id), r.ip === null ? null : String(r.ip)])).toEqual(collected.map((r) => [r.id, r.ip]));
  });

  it("pages exactly: with a small page every row appears once, in the database's order", async () => {
    const result = await dpoExport(subject.id, subject.email, 7);
    const zip = await JSZip.loadAsync(result.zip);
    for (const category of EXPORT_CATEGORIES) {
      const rows = JSON.parse((await zip.file(categoryFilePath(category.id, "json"))?.async("string")) ?? "null") as CategoryRow[];
      expect(rows.map((r) => String(r.id)), category.id).toEqual(await idsInDatabase(env.engine, category.id, subject.id, NOW));
    }
  });

  it("pages asked for out of sequence (offset paging) give the same rows as sequential ones (keyset paging)", async () => {
    const expected = await idsInDatabase(env.engine, "api_logs", subject.id, NOW);
    const fetcher = createSupabaseCategoryFetcher(env.clientAs("dpo"), subject.id, { now: NOW });
    const sequential: string[] = [];
    for (let offset = 0; ; offset += 4) {
      const page = await fetcher("api_logs", { offset, limit: 4 });
      sequential.push(...page.map((r) => String(r.id)));
      if (page.length < 4) break;
    }
    expect(sequential).toEqual(expected);
    const jumped = await fetcher("api_logs", { offset: 8, limit: 4 });
    expect(jumped.map((r) => String(r.id))).toEqual(expected.slice(8, 12));
  });

  it("leaves out API log entries past the 90-day retention and keeps the recent ones", async () => {
    const zip = await JSZip.loadAsync((await dpoExport(subject.id, subject.email)).zip);
    const logs = JSON.parse((await zip.file("json/api_logs.json")?.async("string")) ?? "[]") as CategoryRow[];
    expect(logs.some((l) => l.endpoint === "/v1/old")).toBe(false);
    expect(logs.some((l) => l.endpoint === "/v1/generations" && l.user_agent === "new-agent")).toBe(true);
  });

  it("includes the Stripe ids the DPO may see", async () => {
    const zip = await JSZip.loadAsync((await dpoExport(subject.id, subject.email)).zip);
    const payments = JSON.parse((await zip.file("json/payments.json")?.async("string")) ?? "[]") as CategoryRow[];
    const { rows } = await env.engine.query<{ n: number }>(
      "select count(*)::int as n from public.payments p join public.payment_stripe_ids s on s.payment_id = p.id where p.customer_id = $1",
      [subject.id],
    );
    expect(payments.filter((p) => typeof p.stripe_payment_intent_id === "string" && p.stripe_payment_intent_id.startsWith("pi_"))).toHaveLength(rows[0]?.n ?? -1);
    const profile = JSON.parse((await zip.file("json/profile.json")?.async("string")) ?? "[]") as CategoryRow[];
    const stripe = await env.engine.query<{ stripe_customer_id: string | null }>("select stripe_customer_id from public.customer_stripe_ids where customer_id = $1", [subject.id]);
    expect(profile[0]?.stripe_customer_id ?? null).toBe(stripe.rows[0]?.stripe_customer_id ?? null);
    expect(profile[0]?.email).toBe(subject.email);
  });

  it("a prompt stored as a formula is text in the CSV and verbatim in the JSON", async () => {
    const zip = await JSZip.loadAsync((await dpoExport(subject.id, subject.email)).zip);
    const json = JSON.parse((await zip.file("json/generations.json")?.async("string")) ?? "[]") as CategoryRow[];
    expect(json.filter((g) => g.prompt === FORMULA_PROMPT)).toHaveLength(1);
    const csv = Papa.parse<Record<string, string>>(((await zip.file("csv/generations.csv")?.async("string")) ?? "").slice(1).trimEnd(), { header: true });
    expect(csv.errors).toEqual([]);
    expect(csv.data.filter((g) => g.prompt === `'${FORMULA_PROMPT}`)).toHaveLength(1);
    expect(csv.data.some((g) => g.prompt?.startsWith("="))).toBe(false);
  });

  it("cancelling during the API log pages rejects with an AbortError", async () => {
    const controller = new AbortController();
    const fetcher = createSupabaseCategoryFetcher(env.clientAs("dpo"), subject.id, { now: NOW });
    const run = buildSubjectExport({
      fetchCategory: async (category, page) => {
        const rows = await fetcher(category, page);
        if (category === "api_logs") controller.abort();
        return rows;
      },
      subject: { customerId: subject.id, email: subject.email },
      request: REQUEST,
      pageSize: 5,
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("recording the export on the request", () => {
  it("dsar_record_export puts the manifest's SHA-256 and the row counts on the request's timeline", async () => {
    const dpo = env.clientAs("dpo");
    const created = await dpo.rpc("dsar_create_request", {
      p_type: "access",
      p_channel: "email",
      p_requester_email: subject.email,
      p_received_at: new Date(Date.now() - 86_400_000).toISOString(),
      p_customer_id: subject.id,
    });
    expect(created.error).toBeNull();
    const request = created.data as { id: string; reference: string };
    expect((await dpo.rpc("dsar_verify_identity", { p_request_id: request.id, p_method: "email_link" })).error).toBeNull();
    const result = await buildSubjectExport({
      fetchCategory: createSupabaseCategoryFetcher(dpo, subject.id, { now: NOW }),
      subject: { customerId: subject.id, email: subject.email },
      request: { id: request.id, reference: request.reference, type: "access" },
    });
    const recorded = await dpo.rpc("dsar_record_export", {
      p_request_id: request.id,
      p_manifest_sha256: result.manifestSha256,
      p_details: exportEventDetails(result.manifest, result.zip.byteLength),
    });
    expect(recorded.error).toBeNull();
    const verified = await readExport(result.zip);
    const { rows } = await env.engine.query<{ details: { manifest_sha256: string; row_counts: Record<string, number> } }>(
      "select details from public.dsar_events where request_id = $1 and kind = 'export_generated'",
      [request.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details.manifest_sha256).toBe(verified.manifestSha256);
    expect(rows[0]?.details.row_counts).toEqual(verified.rowCounts);
  });
});

describe("subjects with no data", () => {
  it("a customer with only a profile gets an export saying no data held for every other category", async () => {
    const { rows } = await env.engine.query<{ id: string }>(
      "insert into public.customers (clerk_user_id, email, display_name) values ('user_exportEmpty', 'empty@example.test', 'Empty') returning id",
    );
    const customerId = rows[0]?.id as string;
    const result = await dpoExport(customerId, "empty@example.test");
    const verified = await readExport(result.zip);
    expect(verified.rowCounts.profile).toBe(1);
    expect(Object.entries(verified.rowCounts).filter(([id]) => id !== "profile").every(([, n]) => n === 0)).toBe(true);
    expect(result.manifest.categories.filter((c) => c.noDataHeld).map((c) => c.id)).toEqual(EXPORT_CATEGORIES.map((c) => c.id).filter((id) => id !== "profile"));
  });

  it("an unmatched requester gets a valid export with nothing in it", async () => {
    const verified = await readExport((await dpoExport(null, "stranger@example.test")).zip);
    expect(Object.values(verified.rowCounts)).toEqual(EXPORT_CATEGORIES.map(() => 0));
  });
});

describe("the fetcher refuses bad input", () => {
  it("a customer id that is not a UUID is refused before any request", () => {
    expect(() => createSupabaseCategoryFetcher(env.clientAs("dpo"), "42; drop table customers")).toThrow(/must be a UUID/);
  });
  it.each(["finance", "support", "auditor"] as const)("%s, whom RLS shows only part of the data, cannot build an export that would look complete", async (role) => {
    const run = buildSubjectExport({
      fetchCategory: createSupabaseCategoryFetcher(env.clientAs(role), subject.id, { now: NOW }),
      subject: { customerId: subject.id, email: subject.email },
      request: REQUEST,
    });
    await expect(run).rejects.toThrow(/Only the DPO can build a DSAR export/);
  });
});
