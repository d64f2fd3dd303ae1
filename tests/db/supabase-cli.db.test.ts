/**
 * The real Supabase CLI (the pinned `supabase` dev dependency) accepts the project as committed:
 * `supabase db push --db-url` applies supabase/migrations to a PostgreSQL prepared as a hosted project is
 * (bootstrap.sql), records every version, and leaves exactly the schema the embedded runner
 * (server/db/migrate.ts) leaves. Needs a real server (DATABASE_URL): the CLI speaks to Postgres over the wire.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../server/db/engine.ts";
import { listMigrations, migrate, migrationsDir, repoRoot } from "../../server/db/migrate.ts";
import { catalogSummary } from "../helpers/catalog-summary.ts";
import { bootstrapWithRetry, createServerDatabase } from "../helpers/db.ts";

const supabaseBin = path.join(repoRoot, "node_modules/.bin/supabase");

interface CliRun {
  code: number | null;
  output: string;
}

/**
 * Runs the CLI in `workdir` with nothing from the environment that could configure the project (no CLERK_DOMAIN,
 * no SUPABASE_* override), so what it validates is the committed config.toml. Telemetry and the update check are
 * off: CI has no internet.
 */
function supabase(
  args: string[],
  { workdir = repoRoot, env = {} }: { workdir?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(childEnv)) {
    if (name === "CLERK_DOMAIN" || name.startsWith("SUPABASE_")) delete childEnv[name];
  }
  Object.assign(childEnv, { SUPABASE_TELEMETRY_DISABLED: "1", SUPABASE_NO_UPDATE_NOTIFIER: "1" }, env);
  return new Promise((resolve, reject) => {
    const child = spawn(supabaseBin, args, { cwd: workdir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** The CI server has no TLS; the CLI insists on it unless the URL says otherwise. */
function cliUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("sslmode", "disable");
  return url.toString();
}

function expectSuccess(run: CliRun): void {
  if (run.code !== 0) throw new Error(`supabase exited with ${run.code}:\n${run.output}`);
}

async function recordedMigrations(engine: Engine): Promise<{ version: string; name: string }[]> {
  return (
    await engine.query<{ version: string; name: string }>(
      "select version, name from supabase_migrations.schema_migrations order by version",
    )
  ).rows;
}

interface ServerDatabase {
  url: string;
  engine: Engine;
  drop(): Promise<void>;
}

async function openServerDatabase(serverUrl: string): Promise<ServerDatabase> {
  const db = await createServerDatabase(serverUrl);
  const engine = await openEngine({ databaseUrl: db.url });
  return {
    url: db.url,
    engine,
    async drop() {
      await engine.close();
      await db.drop();
    },
  };
}

describe.runIf(Boolean(process.env.DATABASE_URL))("supabase db push (the real CLI) on PostgreSQL", () => {
  let pushed: ServerDatabase;
  let embedded: ServerDatabase;
  let firstPush: CliRun;

  beforeAll(async () => {
    const serverUrl = process.env.DATABASE_URL!;
    pushed = await openServerDatabase(serverUrl);
    embedded = await openServerDatabase(serverUrl);
    // A hosted project already has Supabase's roles, auth schema and default grants; bootstrap.sql stands in for them.
    await bootstrapWithRetry(pushed.engine);
    firstPush = await supabase(["db", "push", "--db-url", cliUrl(pushed.url), "--yes"]);
    await bootstrapWithRetry(embedded.engine);
    await migrate(embedded.engine);
  });

  afterAll(async () => {
    await pushed?.drop();
    await embedded?.drop();
  });

  it("accepts the committed config.toml and applies every migration, recording each version and name", async () => {
    expectSuccess(firstPush);
    const expected = (await listMigrations()).map(({ version, name }) => ({ version, name }));
    expect(expected.length).toBeGreaterThan(0);
    expect(await recordedMigrations(pushed.engine)).toEqual(expected);
  });

  it("leaves exactly the schema the embedded migration runner leaves", async () => {
    const viaCli = await catalogSummary(pushed.engine);
    const viaRunner = await catalogSummary(embedded.engine);
    // Guard against a summary that compares nothing: every kind of object the migrations make is in it.
    for (const kind of ["relation", "column", "constraint", "index", "policy", "view", "function", "trigger", "type"]) {
      expect(viaRunner.some((line) => line.startsWith(`${kind} `)), kind).toBe(true);
    }
    expect(viaCli).toEqual(viaRunner);
  });

  it("finds nothing to apply on a second push, nor on a database the embedded runner migrated", async () => {
    const again = await supabase(["db", "push", "--db-url", cliUrl(pushed.url), "--yes"]);
    expectSuccess(again);
    expect(again.output).toContain("Remote database is up to date.");
    const ontoRunner = await supabase(["db", "push", "--db-url", cliUrl(embedded.url), "--yes"]);
    expectSuccess(ontoRunner);
    expect(ontoRunner.output).toContain("Remote database is up to date.");
    expect(await recordedMigrations(embedded.engine)).toEqual(await recordedMigrations(pushed.engine));
  });

  it("accepts the Clerk block once enabled with a Clerk domain (the documented step), and refuses it without one", async () => {
    // A scratch project: the committed config with `enabled = true`, and the committed migrations.
    const workdir = await mkdtemp(path.join(os.tmpdir(), "mfc-supabase-clerk-"));
    try {
      const committed = await readFile(path.join(repoRoot, "supabase/config.toml"), "utf8");
      const enabled = committed.replace(/^(\[auth\.third_party\.clerk\]\n)enabled = false$/m, "$1enabled = true");
      expect(enabled, "config.toml no longer has a disabled [auth.third_party.clerk] block").not.toBe(committed);
      await mkdir(path.join(workdir, "supabase"));
      await writeFile(path.join(workdir, "supabase/config.toml"), enabled);
      await symlink(migrationsDir, path.join(workdir, "supabase/migrations"));
      const args = ["db", "push", "--db-url", cliUrl(pushed.url), "--yes", "--dry-run"];

      const withDomain = await supabase(args, { workdir, env: { CLERK_DOMAIN: "example.clerk.accounts.dev" } });
      expectSuccess(withDomain);
      const withoutDomain = await supabase(args, { workdir });
      expect(withoutDomain.code).not.toBe(0);
      expect(withoutDomain.output).toContain("auth.third_party.clerk has invalid domain");
    } finally {
      await rm(workdir, { recursive: true, force: true });
    }
  });
});
