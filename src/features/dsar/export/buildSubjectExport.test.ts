import { createHash } from "node:crypto";
import JSZip from "jszip";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { t } from "../../../i18n/provider";
import { EXPORT_CATEGORIES, PROCESSORS, categoryFilePath, type ExportCategoryId } from "./categories";
import { EXPORT_FILE_COUNT, MANIFEST_PATH, buildSubjectExport } from "./buildSubjectExport";
import { exportEventDetails } from "./eventDetails";
import { ExportIntegrityError, readExport } from "./readExport";
import { README_PATH } from "./readme";
import type { CategoryPage, CategoryRow, ExportProgress, ExportRequestInfo, ExportSubject, FetchCategory } from "./types";

const SUBJECT: ExportSubject = { customerId: "7c1f3d7e-4a53-4f0e-9a61-0d9d7f0a1b2c", email: "pim@example.co.th", displayName: "Pim" };
const REQUEST: ExportRequestInfo = { id: "0b6a2f1e-1111-4a4a-8b8b-222233334444", reference: "DSAR-2026-0042", type: "access" };
const FIXED_NOW = () => new Date("2026-11-26T10:00:00.000Z");

/** Rows of a category filled from its declared columns, so the fake serves what the real fetcher would. */
function rowsFor(category: ExportCategoryId, count: number, fill: (column: string, i: number) => unknown = (c, i) => `${c}-${i}`): CategoryRow[] {
  const columns = EXPORT_CATEGORIES.find((c) => c.id === category)?.columns ?? [];
  return Array.from({ length: count }, (_, i) => Object.fromEntries(columns.map((column) => [column, fill(column, i)])));
}

interface FakeFetcher {
  fetch: FetchCategory;
  calls: { category: ExportCategoryId; offset: number; limit: number }[];
}

function fakeFetcher(data: Partial<Record<ExportCategoryId, CategoryRow[]>>, hook?: (category: ExportCategoryId, page: CategoryPage) => void): FakeFetcher {
  const calls: FakeFetcher["calls"] = [];
  return {
    calls,
    fetch: async (category, page) => {
      calls.push({ category, offset: page.offset, limit: page.limit });
      hook?.(category, page);
      await Promise.resolve();
      return (data[category] ?? []).slice(page.offset, page.offset + page.limit).map((row) => ({ ...row }));
    },
  };
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const SAMPLE: Partial<Record<ExportCategoryId, CategoryRow[]>> = {
  profile: rowsFor("profile", 1, (c) => (c === "processing_restricted" ? false : c === "credit_balance" ? 120 : `${c}-value`)),
  projects: rowsFor("projects", 2, (c, i) => (c === "settings" ? { bpm: 90 + i } : `${c}-${i}`)),
  generations: rowsFor("generations", 6, (c, i) => (c === "metadata" ? { seed: i } : c === "credits_cost" ? 5 : `${c}-${i}`)),
  credit_ledger: rowsFor("credit_ledger", 7, (c, i) => (c === "amount" ? (i % 2 ? -5 : 50) : c === "id" ? i + 1 : `${c}-${i}`)),
  api_logs: rowsFor("api_logs", 8, (c, i) => (c === "status_code" ? 200 : `${c}-${i}`)),
};
const SAMPLE_COUNTS = Object.fromEntries(EXPORT_CATEGORIES.map((c) => [c.id, SAMPLE[c.id]?.length ?? 0])) as Record<ExportCategoryId, number>;

describe("buildSubjectExport: a subject with data", () => {
  it("fetches every category page by page with consecutive offsets and stops on a short page", async () => {
    const fake = fakeFetcher(SAMPLE);
    await buildSubjectExport({ fetchCategory: fake.fetch, subject: SUBJECT, request: REQUEST, pageSize: 3, now: FIXED_NOW });
    const generationCalls = fake.calls.filter((c) => c.category === "generations").map((c) => c.offset);
    // 6 rows in pages of 3: two full pages, then an empty one that proves the end.
    expect(generationCalls).toEqual([0, 3, 6]);
    expect(fake.calls.filter((c) => c.category === "api_logs").map((c) => c.offset)).toEqual([0, 3, 6]);
    expect(fake.calls.filter((c) => c.category === "profile").map((c) => c.offset)).toEqual([0]);
    expect(fake.calls.every((c) => c.limit === 3)).toBe(true);
    expect(new Set(fake.calls.map((c) => c.category))).toEqual(new Set(EXPORT_CATEGORIES.map((c) => c.id)));
  });

  it("writes a ZIP whose manifest lists every file with a SHA-256 that matches its bytes", async () => {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, pageSize: 3, now: FIXED_NOW });
    const zip = await JSZip.loadAsync(result.zip);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir).sort();
    expect(names).toHaveLength(EXPORT_FILE_COUNT);
    const expectedNames = [README_PATH, MANIFEST_PATH, ...EXPORT_CATEGORIES.flatMap((c) => [categoryFilePath(c.id, "json"), categoryFilePath(c.id, "csv")])];
    expect(names).toEqual(expectedNames.sort());
    for (const entry of result.manifest.files) {
      const bytes = await zip.file(entry.path)?.async("uint8array");
      expect(bytes, entry.path).toBeDefined();
      expect(sha256(bytes as Uint8Array), entry.path).toBe(entry.sha256);
      expect((bytes as Uint8Array).byteLength).toBe(entry.bytes);
    }
    const manifestBytes = (await zip.file(MANIFEST_PATH)?.async("uint8array")) as Uint8Array;
    expect(result.manifestSha256).toBe(sha256(manifestBytes));
    expect(JSON.parse(new TextDecoder().decode(manifestBytes))).toEqual(result.manifest);
  });

  it("readExport verifies every checksum and returns each category's row count", async () => {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, pageSize: 3, now: FIXED_NOW });
    const verified = await readExport(result.zip);
    expect(verified.rowCounts).toEqual(SAMPLE_COUNTS);
    expect(verified.manifestSha256).toBe(result.manifestSha256);
    expect(verified.filesVerified).toBe(EXPORT_FILE_COUNT - 1);
  });

  it("JSON holds exactly the fetched rows in order and CSV the same rows under the category's header", async () => {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, pageSize: 3, now: FIXED_NOW });
    const zip = await JSZip.loadAsync(result.zip);
    const ledgerJson = JSON.parse((await zip.file("json/credit_ledger.json")?.async("string")) ?? "null") as unknown;
    expect(ledgerJson).toEqual(SAMPLE.credit_ledger);
    const csvText = (await zip.file("csv/credit_ledger.csv")?.async("string")) ?? "";
    expect(csvText.startsWith("\ufeff")).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(csvText.slice(1).trimEnd(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(EXPORT_CATEGORIES.find((c) => c.id === "credit_ledger")?.columns);
    expect(parsed.data.map((r) => Number(r.amount))).toEqual(SAMPLE.credit_ledger?.map((r) => r.amount));
    const generations = JSON.parse((await zip.file("json/generations.json")?.async("string")) ?? "null") as CategoryRow[];
    expect(generations.map((g) => g.metadata)).toEqual([0, 1, 2, 3, 4, 5].map((seed) => ({ seed })));
  });

  it("neutralises formula-looking prompts in the CSV but keeps them verbatim in the JSON", async () => {
    const prompts = ["=IMPORTXML(\"http://x\")", "+ๆ", "-rf", "@here", "plain"];
    const data = { generations: rowsFor("generations", prompts.length, (c, i) => (c === "prompt" ? prompts[i] : c === "credits_cost" ? -1 : `${c}-${i}`)) };
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(data).fetch, subject: SUBJECT, request: REQUEST, now: FIXED_NOW });
    const zip = await JSZip.loadAsync(result.zip);
    const csv = Papa.parse<Record<string, string>>(((await zip.file("csv/generations.csv")?.async("string")) ?? "").slice(1).trimEnd(), { header: true });
    expect(csv.data.map((r) => r.prompt)).toEqual(["'=IMPORTXML(\"http://x\")", "'+ๆ", "'-rf", "'@here", "plain"]);
    expect(csv.data.map((r) => r.credits_cost)).toEqual(["-1", "-1", "-1", "-1", "-1"]);
    const json = JSON.parse((await zip.file("json/generations.json")?.async("string")) ?? "[]") as CategoryRow[];
    expect(json.map((r) => r.prompt)).toEqual(prompts);
  });

  it("README names every category with purpose, lawful basis, recipients and retention in English and Thai", async () => {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, now: FIXED_NOW });
    const readme = (await (await JSZip.loadAsync(result.zip)).file(README_PATH)?.async("string")) ?? "";
    expect(readme).toContain("DSAR-2026-0042");
    expect(readme).toContain("pim@example.co.th");
    for (const category of EXPORT_CATEGORIES) {
      for (const text of [category.title.en, category.title.th, category.purpose.en, category.purpose.th, category.lawfulBasis.en, category.lawfulBasis.th, category.retention.en, category.retention.th]) {
        expect(readme, `${category.id}: ${text}`).toContain(text);
      }
      for (const processor of category.processors) expect(readme).toContain(PROCESSORS[processor].name);
    }
    expect(readme).toContain("Records: 7 records");
    expect(readme).toContain("จำนวนข้อมูล: 7 รายการ");
    expect(readme).toMatch(/PDPC/);
    expect(readme).toMatch(/สคส\./);
  });

  it("README carries the catalogue's words, registered by the export's own modules as in the worker (this file imports no namespace)", async () => {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, now: FIXED_NOW });
    const lines = ((await (await JSZip.loadAsync(result.zip)).file(README_PATH)?.async("string")) ?? "").split("\r\n");
    expect(lines[0]).toBe(t("dsarExport.readme.title"));
    expect(lines).toContain(t("dsarExport.readme.request", { reference: "DSAR-2026-0042", type: t("dsarExport.readme.requestTypes.access") }));
    for (const paragraph of [t("dsarExport.readme.intro"), t("dsarExport.readme.closing")]) expect(lines.join("\n")).toContain(paragraph);
    expect(lines).toContain(`   ${t("dsarExport.en.labels.contents")}: ${t("dsarExport.en.categories.credit_ledger.contents")}`);
    expect(lines).toContain(`   ${t("dsarExport.th.labels.retention")}: ${t("dsarExport.th.retention.payments")}`);
    expect(lines).toContain(`   ${t("dsarExport.en.labels.records")}: ${t("dsarExport.en.held", { count: 7, n: "7" })}`);
  });

  it("reports progress: rows fetched up to the total, every file written, zipping up to 100, done last", async () => {
    const events: ExportProgress[] = [];
    await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, pageSize: 3, now: FIXED_NOW, onProgress: (p) => events.push(p) });
    const total = Object.values(SAMPLE_COUNTS).reduce((a, b) => a + b, 0);
    const rows = events.map((e) => e.rowsFetched);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(rows.at(-1)).toBe(total);
    expect(Math.max(...events.map((e) => e.filesWritten))).toBe(EXPORT_FILE_COUNT);
    expect(events.every((e) => e.totalFiles === EXPORT_FILE_COUNT)).toBe(true);
    expect(events.some((e) => e.phase === "zipping" && e.zipPercent > 0 && e.zipPercent < 100)).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: "done", zipPercent: 100 });
    expect(new Set(events.filter((e) => e.phase === "fetching" && e.category).map((e) => e.category))).toEqual(new Set(EXPORT_CATEGORIES.map((c) => c.id)));
  });

  it("can return a Blob that readExport also verifies", async () => {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, now: FIXED_NOW, output: "blob" });
    expect(result.zip).toBeInstanceOf(Blob);
    expect(result.zip.type).toBe("application/zip");
    expect((await readExport(result.zip)).rowCounts).toEqual(SAMPLE_COUNTS);
  });

  it("exportEventDetails keeps counts and sizes for the timeline, not content", async () => {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, now: FIXED_NOW });
    const details = exportEventDetails(result.manifest, result.zip.byteLength);
    expect(details).toMatchObject({ row_counts: SAMPLE_COUNTS, files: EXPORT_FILE_COUNT, zip_bytes: result.zip.byteLength });
    expect(details.no_data_held).toEqual(EXPORT_CATEGORIES.filter((c) => SAMPLE_COUNTS[c.id] === 0).map((c) => c.id));
    expect(JSON.stringify(details)).not.toContain("prompt-0");
  });
});

describe("buildSubjectExport: a subject with no data", () => {
  it("gives a valid export that says no data held for every category", async () => {
    const fake = fakeFetcher({});
    const result = await buildSubjectExport({ fetchCategory: fake.fetch, subject: { customerId: null, email: "unknown@example.com" }, request: { ...REQUEST, type: "portability" }, now: FIXED_NOW });
    const verified = await readExport(result.zip);
    expect(Object.values(verified.rowCounts)).toEqual(EXPORT_CATEGORIES.map(() => 0));
    expect(result.manifest.categories.every((c) => c.noDataHeld && c.rowCount === 0)).toBe(true);
    const zip = await JSZip.loadAsync(result.zip);
    for (const category of EXPORT_CATEGORIES) {
      expect(JSON.parse((await zip.file(categoryFilePath(category.id, "json"))?.async("string")) ?? "null")).toEqual([]);
      expect(await zip.file(categoryFilePath(category.id, "csv"))?.async("string")).toBe(`\ufeff${category.columns.join(",")}\r\n`);
    }
    const readme = (await zip.file(README_PATH)?.async("string")) ?? "";
    expect(readme.match(/Records: No data held \(0 records\)/g)).toHaveLength(EXPORT_CATEGORIES.length);
    expect(readme.match(/จำนวนข้อมูล: ไม่มีข้อมูลที่เก็บไว้/g)).toHaveLength(EXPORT_CATEGORIES.length);
    expect(readme).toContain("no matching account");
  });
});

describe("buildSubjectExport: cancellation", () => {
  it("cancelling mid-way rejects with an AbortError and asks for no further page", async () => {
    const controller = new AbortController();
    let callsAfterAbort = 0;
    const fake = fakeFetcher({ ...SAMPLE, api_logs: rowsFor("api_logs", 30) }, (category, page) => {
      if (controller.signal.aborted) callsAfterAbort += 1;
      if (category === "api_logs" && page.offset === 6) controller.abort();
    });
    const run = buildSubjectExport({ fetchCategory: fake.fetch, subject: SUBJECT, request: REQUEST, pageSize: 3, signal: controller.signal, now: FIXED_NOW });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(callsAfterAbort).toBe(0);
    expect(fake.calls.filter((c) => c.category === "api_logs").map((c) => c.offset)).toEqual([0, 3, 6]);
    expect(fake.calls.some((c) => c.category === "error_reports")).toBe(false);
  });

  it("a fetcher that ignores the signal is not waited for", async () => {
    const controller = new AbortController();
    const never: FetchCategory = () => new Promise(() => undefined);
    const run = buildSubjectExport({ fetchCategory: never, subject: SUBJECT, request: REQUEST, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
  });

  it("cancelling while zipping rejects with an AbortError", async () => {
    const controller = new AbortController();
    const run = buildSubjectExport({
      fetchCategory: fakeFetcher(SAMPLE).fetch,
      subject: SUBJECT,
      request: REQUEST,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "zipping" && p.zipPercent > 0) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
  });

  it("an already-cancelled signal rejects before anything is fetched", async () => {
    const fake = fakeFetcher(SAMPLE);
    await expect(buildSubjectExport({ fetchCategory: fake.fetch, subject: SUBJECT, request: REQUEST, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(fake.calls).toEqual([]);
  });
});

describe("buildSubjectExport: bad input", () => {
  const build = (fetchCategory: FetchCategory, overrides: { subject?: ExportSubject; request?: ExportRequestInfo; pageSize?: number } = {}) =>
    buildSubjectExport({ fetchCategory, subject: overrides.subject ?? SUBJECT, request: overrides.request ?? REQUEST, pageSize: overrides.pageSize ?? 3 });

  it("refuses a row with a column the category does not declare (its CSV would silently lose it)", async () => {
    const fetcher: FetchCategory = async (category) => (category === "projects" ? [{ id: "p1", title: "t", secret_column: "x" }] : []);
    await expect(build(fetcher)).rejects.toThrow(/fetchCategory\("projects"\) returned an unknown column "secret_column"/);
  });
  it("refuses a page longer than asked for (paging would be wrong)", async () => {
    const fetcher: FetchCategory = async () => rowsFor("profile", 4);
    await expect(build(fetcher)).rejects.toThrow(/returned 4 rows for a page of 3/);
  });
  it("refuses a fetcher result that is not an array", async () => {
    const fetcher = (async () => ({ rows: [] })) as unknown as FetchCategory;
    await expect(build(fetcher)).rejects.toThrow(/returned object, expected an array of rows/);
  });
  it("passes a fetcher's own error through", async () => {
    const fetcher: FetchCategory = async (category) => {
      if (category === "payments") throw new Error("permission denied for view payment_details");
      return [];
    };
    await expect(build(fetcher)).rejects.toThrow("permission denied for view payment_details");
  });
  it("refuses a request without a reference, a non-export request type, a subject without email and a silly page size before fetching", async () => {
    const fake = fakeFetcher(SAMPLE);
    await expect(build(fake.fetch, { request: { ...REQUEST, reference: " " } })).rejects.toThrow(/request.reference is required/);
    await expect(build(fake.fetch, { request: { ...REQUEST, type: "erasure" as "access" } })).rejects.toThrow(/must be access or portability, got erasure/);
    await expect(build(fake.fetch, { subject: { customerId: null, email: "" } })).rejects.toThrow(/subject.email is required/);
    await expect(build(fake.fetch, { pageSize: 0 })).rejects.toThrow(/pageSize must be an integer/);
    expect(fake.calls).toEqual([]);
  });
});

describe("readExport: tampering", () => {
  async function tampered(change: (zip: JSZip) => void): Promise<Uint8Array> {
    const result = await buildSubjectExport({ fetchCategory: fakeFetcher(SAMPLE).fetch, subject: SUBJECT, request: REQUEST, now: FIXED_NOW });
    const zip = await JSZip.loadAsync(result.zip);
    change(zip);
    return zip.generateAsync({ type: "uint8array" });
  }

  it("names a file whose content changed", async () => {
    const bytes = await tampered((zip) => zip.file("csv/credit_ledger.csv", "id,amount\r\n1,1000000\r\n"));
    const error = await readExport(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportIntegrityError);
    expect((error as ExportIntegrityError).problems).toContain("csv/credit_ledger.csv does not match its SHA-256 in the manifest");
  });
  it("names a missing file and a file added outside the manifest", async () => {
    const bytes = await tampered((zip) => {
      zip.remove("json/projects.json");
      zip.file("extra.txt", "hello");
    });
    const error = (await readExport(bytes).catch((e: unknown) => e)) as ExportIntegrityError;
    expect(error.problems).toEqual(expect.arrayContaining(["json/projects.json is listed in the manifest but missing", "extra.txt is in the archive but not in the manifest"]));
  });
  it("rejects bytes that are not a ZIP and a ZIP without a manifest", async () => {
    await expect(readExport(new TextEncoder().encode("not a zip"))).rejects.toThrow(/not a readable ZIP/);
    await expect(readExport(await tampered((zip) => zip.remove(MANIFEST_PATH)))).rejects.toThrow(/manifest.json is missing/);
  });
});
