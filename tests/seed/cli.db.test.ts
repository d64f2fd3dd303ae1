/**
 * `npm run seed` and `npm run db:reset` as a user runs them (child processes), against a data dir of
 * their own (or, with DATABASE_URL, a database created for this file): refusals and the reset path.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEngine } from "../../server/db/engine.ts";
import { createServerDatabase } from "../helpers/db.ts";
import { freePort, runScript } from "../helpers/processes.ts";

describe("seed and db:reset commands", () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let dropDatabase: (() => Promise<void>) | null = null;

  const run = (script: string, args: string[]) => runScript(script, args, env);
  const seedCli = (...args: string[]) => run("server/cli/seed.ts", args);
  const resetCli = (...args: string[]) => run("server/cli/db-reset.ts", args);

  async function customerCount(): Promise<number> {
    const engine = await openEngine(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: path.join(dataDir, "pglite") });
    try {
      return (await engine.query<{ n: number }>("select count(*)::int as n from public.customers")).rows[0]!.n;
    } finally {
      await engine.close();
    }
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-seed-cli-"));
    env = { ...process.env, MFC_DATA_DIR: dataDir, MFC_API_PORT: String(await freePort()), FORCE_COLOR: "0" };
    delete env.DATABASE_URL;
    const serverUrl = process.env.DATABASE_URL;
    if (serverUrl) {
      const database = await createServerDatabase(serverUrl, "mfc_seed_cli");
      env.DATABASE_URL = database.url;
      dropDatabase = database.drop;
    }
  });
  afterAll(async () => {
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("rejects a mistyped option with usage and exit code 2, touching nothing", async () => {
    const result = await seedCli("--custmers", "5");
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/unknown option "--custmers"/);
    expect(result.out).toMatch(/usage: npm run seed/);
  }, 60_000);

  it("seeds an empty database, then refuses to seed over existing customers", async () => {
    const first = await seedCli("--customers", "25", "--now", "2026-11-26");
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/customers\s+25\b/);
    const second = await seedCli("--customers", "25");
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/already holds 25 customers; nothing seeded\. Pass --reset/);
    expect(await customerCount()).toBe(25);
  }, 120_000);

  it("wipes and re-seeds with --reset (a DATABASE_URL target also needs --yes)", async () => {
    if (env.DATABASE_URL) {
      const refused = await seedCli("--reset", "--customers", "12");
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/Add --yes to confirm/);
      expect(await customerCount()).toBe(25);
    }
    const reset = await seedCli("--reset", "--yes", "--customers", "12", "--now", "2026-11-26");
    expect(reset.code, reset.out).toBe(0);
    expect(await customerCount()).toBe(12);
  }, 120_000);

  it("db:reset starts over with the demo seed (on DATABASE_URL only with --yes)", async () => {
    if (env.DATABASE_URL) {
      const refused = await resetCli();
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/Run it again with --yes/);
      expect(await customerCount()).toBe(12);
    }
    const reset = await resetCli("--yes", "--customers", "30", "--now", "2026-11-26");
    expect(reset.code, reset.out).toBe(0);
    expect(reset.out).toMatch(/reset: 30 customers/);
    expect(await customerCount()).toBe(30);
  }, 120_000);
});
