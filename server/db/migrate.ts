/**
 * Prepares a database the way a Supabase project is prepared (bootstrap.sql),
 * then applies supabase/migrations in file order, each file in its own transaction,
 * recording versions in supabase_migrations.schema_migrations like the Supabase CLI.
 */
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

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(engine: Engine, dir = migrationsDir): Promise<string[]> {
  await engine.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key, name text, statements text[]
    );`);
  const done = new Set(
    (await engine.query<{ version: string }>("select version from supabase_migrations.schema_migrations")).rows.map(
      (r) => r.version,
    ),
  );
  const applied: string[] = [];
  for (const m of await listMigrations(dir)) {
    if (done.has(m.version)) continue;
    const sql = await readFile(m.file, "utf8");
    try {
      await engine.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query("insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)", [
          m.version,
          m.name,
        ]);
      });
    } catch (err) {
      // Report the statement position, not the whole file the driver attaches to the error.
      const e = err as Error & { position?: string; detail?: string; where?: string };
      const at = e.position ? ` (at char ${e.position}: ${JSON.stringify(sql.slice(Number(e.position) - 1, Number(e.position) + 60))})` : "";
      throw new Error(`migration ${path.basename(m.file)} failed: ${e.message}${at}${e.detail ? ` — ${e.detail}` : ""}${e.where ? ` [${e.where}]` : ""}`);
    }
    applied.push(m.version);
  }
  return applied;
}

/** Bootstrap + migrations: a database ready for the console, empty of data. */
export async function prepareDatabase(engine: Engine): Promise<string[]> {
  await bootstrapSupabaseRoles(engine);
  return migrate(engine);
}
