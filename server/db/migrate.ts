/**
 * Prepares a database the way a Supabase project is prepared (bootstrap.sql),
 * then applies supabase/migrations in file order, each file in its own transaction,
 * recording versions in supabase_migrations.schema_migrations like the Supabase CLI.
 * It also records each file's checksum, and refuses a database whose applied files have changed since.
 */
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Engine } from "./engine.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
export const migrationsDir = path.join(repoRoot, "supabase/migrations");

export async function bootstrapSupabaseRoles(engine: Engine): Promise<void> {
  await engine.exec(await readFile(path.join(here, "bootstrap.sql"), "utf8"));
}

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

export async function listMigrations(dir = migrationsDir): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{14}_.+\.sql$/.test(f)).sort();
  return files.map((file) => {
    const [, version = "", name = ""] = /^(\d{14})_(.+)\.sql$/.exec(file) ?? [];
    return { version, name, file: path.join(dir, file) };
  });
}

/**
 * The embedded runner's own record of what it applied: the CLI's schema_migrations keeps no checksum, so one row
 * per version here (a separate table, as the CLI keeps its seed file hashes in supabase_migrations.seed_files).
 */
const CHECKSUMS_TABLE = "supabase_migrations.embedded_migration_checksums";

/** SHA-256 of a migration's text; line endings do not count (a Windows checkout is the same migration). */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

/** How many problems the message names; a database from an older tree (e.g. before the migrations were regrouped) has dozens. */
const PROBLEMS_NAMED = 3;

/** The database was built from migration files that have changed (or gone) since: its functions are stale. */
export class MigrationsChangedError extends Error {
  constructor(readonly problems: string[]) {
    const named = problems.slice(0, PROBLEMS_NAMED);
    const more = problems.length - named.length;
    super(
      `${named.join("; ")}${more > 0 ? `; and ${more} more` : ""}; run \`npm run db:reset\` to rebuild it from the current migrations`,
    );
    this.name = "MigrationsChangedError";
  }
}

export interface MigrateOptions {
  /** How messages name the database, e.g. "PGlite data dir .data/pglite". */
  target?: string;
}

interface AppliedMigration {
  version: string;
  name: string | null;
  /** Set when the Supabase CLI applied it (it keeps its own history there); the embedded runner leaves it null. */
  by_cli: boolean;
  sha256: string | null;
}

/**
 * Every applied migration the embedded runner recorded must still be the same file. A migration applied by the
 * Supabase CLI is its business; one applied before checksums were kept cannot be verified, so it is reported too.
 */
function changedMigrations(
  applied: AppliedMigration[], files: Map<string, { file: string; sha256: string }>, dir: string, target: string,
): string[] {
  const dirLabel = path.relative(repoRoot, dir).startsWith("..") ? dir : path.relative(repoRoot, dir);
  const problems: string[] = [];
  for (const row of applied) {
    const current = files.get(row.version);
    const label = current ? path.basename(current.file) : `${row.version}_${row.name ?? ""}.sql`;
    if (!current) problems.push(`migration ${label} was applied to ${target} but is no longer in ${dirLabel}`);
    else if (row.by_cli) continue;
    else if (row.sha256 === null) problems.push(`migration ${label} was applied to ${target} before migration checksums were recorded, so it may have changed since`);
    else if (row.sha256 !== current.sha256) problems.push(`migration ${label} changed since it was applied to ${target}`);
  }
  return problems;
}

/** Applies pending migrations; returns the versions applied now. Throws MigrationsChangedError before applying any when an applied file changed. */
export async function migrate(engine: Engine, dir = migrationsDir, options: MigrateOptions = {}): Promise<string[]> {
  await engine.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key, name text, statements text[]
    );
    create table if not exists ${CHECKSUMS_TABLE} (
      version text primary key, sha256 text not null, applied_at timestamptz not null default now()
    );`);
  const migrations = await Promise.all(
    (await listMigrations(dir)).map(async (m) => {
      const sql = await readFile(m.file, "utf8");
      return { ...m, sql, sha256: migrationChecksum(sql) };
    }),
  );
  const applied = (
    await engine.query<AppliedMigration>(
      `select m.version, m.name, m.statements is not null as by_cli, c.sha256
         from supabase_migrations.schema_migrations m left join ${CHECKSUMS_TABLE} c using (version)
        order by m.version`,
    )
  ).rows;
  const problems = changedMigrations(applied, new Map(migrations.map((m) => [m.version, m])), dir, options.target ?? `this ${engine.kind === "pglite" ? "PGlite" : "PostgreSQL"} database`);
  if (problems.length) throw new MigrationsChangedError(problems);

  const done = new Set(applied.map((r) => r.version));
  const appliedNow: string[] = [];
  for (const { sql, sha256, ...m } of migrations) {
    if (done.has(m.version)) continue;
    try {
      await engine.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query("insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
        await tx.query(`insert into ${CHECKSUMS_TABLE} (version, sha256) values ($1, $2)`, [m.version, sha256]);
      });
    } catch (err) {
      // Report the statement position, not the whole file the driver attaches to the error.
      const e = err as Error & { position?: string; detail?: string; where?: string };
      const at = e.position ? ` (at char ${e.position}: ${JSON.stringify(sql.slice(Number(e.position) - 1, Number(e.position) + 60))})` : "";
      throw new Error(`migration ${path.basename(m.file)} failed: ${e.message}${at}${e.detail ? ` — ${e.detail}` : ""}${e.where ? ` [${e.where}]` : ""}`);
    }
    appliedNow.push(m.version);
  }
  return appliedNow;
}

/** Bootstrap + migrations: a database ready for the console, empty of data. */
export async function prepareDatabase(engine: Engine, options: MigrateOptions = {}): Promise<string[]> {
  await bootstrapSupabaseRoles(engine);
  return migrate(engine, migrationsDir, options);
}
