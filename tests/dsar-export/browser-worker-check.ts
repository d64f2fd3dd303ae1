/**
 * The export in a real browser, through the Web Worker: Vite serves the modules (as in `npm run dev`),
 * headless Debian chromium opens a page, runExportInWorker builds the ZIP in exportWorker.ts with
 * supabase-js against the embedded server (the worker asks the page for the token), the page verifies
 * it with readExport, and the row counts are compared with the database. Also reports the longest
 * main-thread stall while the worker ran. Needs chromium, so it is a script, not part of `npm test`:
 *
 *   npx tsx tests/dsar-export/browser-worker-check.ts          (the seeded customer with most API logs)
 *   npx tsx tests/dsar-export/browser-worker-check.ts heavy    (100,000 API logs, 10,000 ledger rows, 1,000 generations)
 */
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { createServer as createViteServer } from "vite";
import { repoRoot } from "../../server/config.ts";
import { EXPORT_CATEGORIES } from "../../src/features/dsar/export/categories.ts";
import { idsInDatabase, startExportTestServer } from "./harness.ts";
import { HEAVY_SUBJECT, insertHeavySubject } from "./heavy-subject.ts";
import { freePort } from "../helpers/processes.ts";

interface PageOutcome {
  rowCounts: Record<string, number>;
  zipBytes: number;
  phases: string[];
  tokenRequests: number;
  ms: number;
  longestStallMs: number;
}

/** Runs in the page: the export through the worker, verified there with readExport. */
const PAGE_SCRIPT = `async ({ supabaseUrl, supabaseAnonKey, token, subject, nowIso }) => {
  const { runExportInWorker } = await import("/src/features/dsar/export/exportClient.ts");
  const { readExport } = await import("/src/features/dsar/export/readExport.ts");
  let longestStall = 0;
  let last = performance.now();
  const monitor = setInterval(() => {
    const at = performance.now();
    longestStall = Math.max(longestStall, at - last);
    last = at;
  }, 5);
  const phases = [];
  let tokenRequests = 0;
  const started = performance.now();
  const built = await runExportInWorker({
    supabaseUrl,
    supabaseAnonKey,
    getAccessToken: async () => { tokenRequests += 1; return token; },
    subject: { customerId: subject.id, email: subject.email },
    request: { id: "00000000-0000-4000-8000-000000000004", reference: "DSAR-2026-0100", type: "portability", receivedAt: nowIso },
    onProgress: (p) => { if (phases.at(-1) !== p.phase) phases.push(p.phase); },
  });
  const ms = performance.now() - started;
  clearInterval(monitor);
  const verified = await readExport(built.zip);
  return { rowCounts: verified.rowCounts, zipBytes: built.zip.size, phases, tokenRequests, ms: Math.round(ms), longestStallMs: Math.round(longestStall) };
}`;

async function main(): Promise<void> {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
  if (!executablePath) throw new Error("Debian chromium not found");
  const vitePort = await freePort();
  const origin = `http://127.0.0.1:${vitePort}`;
  const env = await startExportTestServer(12, [origin]);
  const vite = await createViteServer({ root: repoRoot, configFile: false, logLevel: "warn", server: { host: "127.0.0.1", port: vitePort, strictPort: true } });
  await vite.listen();
  const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const heavy = process.argv[2] === "heavy";
    const { rows } = heavy
      ? { rows: [{ id: await insertHeavySubject(env.engine, HEAVY_SUBJECT), email: "heavy.export@example.test" }] }
      : await env.engine.query<{ id: string; email: string }>(
          "select c.id, c.email from public.customers c order by (select count(*) from public.api_request_logs l where l.customer_id = c.id) desc, c.id limit 1",
        );
    const subject = rows[0] as { id: string; email: string };
    const now = new Date();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(`${origin}/src/features/dsar/export/README.md`);
    // Passed as source text: tsx's transform would add helpers (__name) that do not exist in the page.
    const args = { supabaseUrl: env.server.url, supabaseAnonKey: env.server.anonKey, token: env.tokenFor("dpo"), subject, nowIso: now.toISOString() };
    const outcome = (await page.evaluate(`(${PAGE_SCRIPT})(${JSON.stringify(args)})`)) as PageOutcome;
    const expected: Record<string, number> = {};
    for (const category of EXPORT_CATEGORIES) expected[category.id] = (await idsInDatabase(env.engine, category.id, subject.id, now)).length;
    const countsMatch = EXPORT_CATEGORIES.every((c) => outcome.rowCounts[c.id] === expected[c.id]);
    console.log(JSON.stringify({ ...outcome, expected, countsMatch, pageErrors }, null, 2));
    if (!countsMatch || pageErrors.length > 0) process.exitCode = 1;
  } finally {
    await browser.close();
    await vite.close();
    await env.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
