/**
 * The edge functions must run unchanged on Supabase (Deno). Type-check every entry point with Deno's own
 * checker, and run a handler under the Deno runtime itself, not only under Node.
 */
import { execFile } from "node:child_process";
import { readdirSync, existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../server/config.ts";

const run = promisify(execFile);
const deno = path.join(repoRoot, "node_modules/.bin/deno");
const functionsDir = path.join(repoRoot, "supabase/functions");
const entryPoints = readdirSync(functionsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith("_") && existsSync(path.join(functionsDir, d.name, "index.ts")))
  .map((d) => `supabase/functions/${d.name}/index.ts`);

describe("edge functions under Deno", () => {
  it("finds the function entry points", () => {
    expect(entryPoints).toEqual(expect.arrayContaining(["health", "refund-execute", "stripe-webhook", "stripe-reconcile-pull"].map((name) => `supabase/functions/${name}/index.ts`)));
  });

  it("deno check passes for every function, offline, with the functions' own deno.json", async () => {
    // An empty DENO_DIR and --cached-only: npm packages (stripe) must come from the repo's node_modules, not the network.
    const denoDir = await mkdtemp(path.join(os.tmpdir(), "mfc-deno-check-"));
    try {
      const { stderr } = await run(deno, ["check", "--quiet", "--cached-only", "--config", "supabase/functions/deno.json", ...entryPoints], {
        cwd: repoRoot, env: { ...process.env, NO_COLOR: "1", DENO_DIR: denoDir },
      });
      expect(stderr).not.toMatch(/error/i);
    } finally {
      await rm(denoDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("the health handler answers a web-standard Request under the Deno runtime", async () => {
    const script = `
      import handler from "./supabase/functions/health/handler.ts";
      const res = await handler(new Request("http://localhost/functions/v1/health"));
      console.log(JSON.stringify({ status: res.status, type: res.headers.get("content-type"), body: await res.json(), runtime: typeof Deno }));
    `;
    const { stdout } = await run(deno, ["eval", "--ext=ts", script], { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" } });
    const out = JSON.parse(stdout.trim().split("\n").at(-1)!) as { status: number; type: string; body: { status?: string }; runtime: string };
    expect(out.runtime).toBe("object");
    expect(out.status).toBe(200);
    expect(out.type).toMatch(/application\/json/);
    expect(out.body.status).toBe("ok");
  }, 120_000);
});
