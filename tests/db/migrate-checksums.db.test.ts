/**
 * Migrations are append-only, but a developer's .data/ may come from a tree whose files have since changed or gone
 * (the regrouping by domain of issue 9 replaced them all), so the embedded runner records each applied
 * file's checksum and refuses a database whose applied files changed since (it would run old function bodies),
 * saying which file and which database, and that `npm run db:reset` rebuilds it. Migrations the Supabase CLI
 * applied are the CLI's business. PGlite in memory by default; with DATABASE_URL a fresh database on that server.
 */
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../server/db/engine.ts";
import { migrate, migrationChecksum, MigrationsChangedError, migrationsDir } from "../../server/db/migrate.ts";
import { generateSecret } from "../../server/auth/jwt.ts";
import { startEmbeddedServer } from "../../server/index.ts";
import { describeDatabaseUrl } from "../../server/seed/reset.ts";
import { createEmptyDatabase } from "../helpers/db.ts";

const FIRST = "20990101000001_first.sql";
const SECOND = "20990101000002_second.sql";
const THIRD = "20990101000003_third.sql";
const TARGET = "the test database";

let dir: string;
let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
let engine: Engine;

const write = (file: string, sql: string) => writeFile(path.join(dir, file), sql);
const exists = async (relation: string) =>
  (await engine.query<{ found: boolean }>("select to_regclass($1) is not null as found", [relation])).rows[0]?.found;
const versions = async () =>
  (await engine.query<{ version: string }>("select version from supabase_migrations.schema_migrations order by version")).rows.map((r) => r.version);

/** The error migrate() throws, or a failure when it applies instead. */
async function refusal(): Promise<MigrationsChangedError> {
  try {
    await migrate(engine, dir, { target: TARGET });
  } catch (err) {
    if (err instanceof MigrationsChangedError) return err;
    throw err;
  }
  throw new Error("migrate() accepted the database");
}

describe("migration checksums", () => {
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mfc-migrations-"));
    db = await createEmptyDatabase();
    engine = db.engine;
    await write(FIRST, "create table public.probe_first (id int);\n");
    await write(SECOND, "create function public.probe_answer() returns int language sql as $$ select 1 $$;\n");
    expect(await migrate(engine, dir, { target: TARGET })).toEqual(["20990101000001", "20990101000002"]);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("records each applied file's SHA-256 next to the CLI's history, and a second run applies nothing", async () => {
    const { rows } = await engine.query<{ version: string; sha256: string }>(
      "select version, sha256 from supabase_migrations.embedded_migration_checksums order by version",
    );
    expect(rows).toEqual([
      { version: "20990101000001", sha256: migrationChecksum(await readFile(path.join(dir, FIRST), "utf8")) },
      { version: "20990101000002", sha256: migrationChecksum(await readFile(path.join(dir, SECOND), "utf8")) },
    ]);
    expect(await migrate(engine, dir, { target: TARGET })).toEqual([]);
  });

  it("a changed applied migration is reported by name and database before anything else is applied", async () => {
    await write(SECOND, "create function public.probe_answer() returns int language sql as $$ select 2 $$;\n");
    await write(THIRD, "create table public.probe_third (id int);\n");
    const err = await refusal();
    expect(err.message).toBe(`migration ${SECOND} changed since it was applied to ${TARGET}; run \`npm run db:reset\` to rebuild it from the current migrations`);
    expect(await exists("public.probe_third")).toBe(false);
    expect(await versions()).toEqual(["20990101000001", "20990101000002"]);
  });

  it("line endings alone are no change (a Windows checkout)", async () => {
    await write(FIRST, "create table public.probe_first (id int);\r\n");
    await write(THIRD, "create table public.probe_third (id int);\n");
    expect(await migrate(engine, dir, { target: TARGET })).toEqual(["20990101000003"]);
  });

  it("a migration applied before checksums were recorded cannot be trusted and is reported", async () => {
    await engine.query("delete from supabase_migrations.embedded_migration_checksums where version = '20990101000001'");
    expect((await refusal()).problems).toEqual([
      `migration ${FIRST} was applied to ${TARGET} before migration checksums were recorded, so it may have changed since`,
    ]);
  });

  it("an applied migration whose file is gone is reported", async () => {
    await unlink(path.join(dir, FIRST));
    expect((await refusal()).problems).toEqual([`migration ${FIRST} was applied to ${TARGET} but is no longer in ${dir}`]);
  });

  it("a database built before the migrations were regrouped is refused in one readable sentence", async () => {
    // An old tree's .data/ recorded files that the regrouping by domain replaced (issue 9): all gone, new ones present.
    const oldFiles = ["20990101000003_third.sql", "20990101000004_fourth.sql", "20990101000005_fifth.sql"];
    for (const file of oldFiles) await write(file, "select 1;\n");
    await migrate(engine, dir, { target: TARGET });
    for (const file of [FIRST, SECOND, ...oldFiles]) await unlink(path.join(dir, file));
    await write("20990102000001_regrouped.sql", "create table public.probe_regrouped (id int);\n");
    const err = await refusal();
    expect(err.problems).toHaveLength(5);
    expect(err.message).toBe(
      `migration ${FIRST} was applied to ${TARGET} but is no longer in ${dir}; ` +
        `migration ${SECOND} was applied to ${TARGET} but is no longer in ${dir}; ` +
        `migration ${oldFiles[0]} was applied to ${TARGET} but is no longer in ${dir}; and 2 more; ` +
        "run `npm run db:reset` to rebuild it from the current migrations",
    );
    expect(await exists("public.probe_regrouped")).toBe(false);
  });

  it("a migration the Supabase CLI applied (its statements recorded) is left to the CLI", async () => {
    await write(THIRD, "create table public.probe_third (id int);\n");
    await engine.query(
      "insert into supabase_migrations.schema_migrations (version, name, statements) values ('20990101000003', 'third', array['create table public.probe_third (id int)'])",
    );
    expect(await migrate(engine, dir, { target: TARGET })).toEqual([]);
    expect(await exists("public.probe_third")).toBe(false);
  });
});

describe("the embedded server at start", () => {
  it("refuses a database whose applied migration changed, naming both, and starts again once it matches", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-checksum-server-"));
    // With DATABASE_URL the server gets a fresh database of its own; otherwise PGlite in dataDir.
    const own = process.env.DATABASE_URL ? await createEmptyDatabase() : null;
    const options = {
      dataDir, port: 0, jwtSecret: generateSecret(), demoCustomers: 2, stripe: false as const, schemaCheckIntervalMs: 0,
      log: () => undefined, ...(own?.databaseUrl ? { databaseUrl: own.databaseUrl } : {}),
    };
    const target = own?.databaseUrl ? describeDatabaseUrl(own.databaseUrl) : `PGlite data dir ${path.join(dataDir, "pglite")}`;
    /** Records another checksum for the credits migration, as if the file had changed after it was applied. */
    const recordChecksum = async (sha256: string) => {
      const opened = own?.engine ?? (await openEngine({ dataDir: path.join(dataDir, "pglite") }));
      try {
        const { rowCount } = await opened.query(
          "update supabase_migrations.embedded_migration_checksums set sha256 = $1 where version = '20261203000500'", [sha256],
        );
        expect(rowCount).toBe(1);
      } finally {
        if (!own) await opened.close();
      }
    };
    try {
      await (await startEmbeddedServer(options)).close();
      await recordChecksum("0".repeat(64));
      await expect(startEmbeddedServer(options)).rejects.toThrow(
        `migration 20261203000500_credits.sql changed since it was applied to ${target}; run \`npm run db:reset\``,
      );
      await recordChecksum(migrationChecksum(await readFile(path.join(migrationsDir, "20261203000500_credits.sql"), "utf8")));
      await (await startEmbeddedServer(options)).close();
    } finally {
      await own?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
