/**
 * Starting over, for `npm run db:reset` and `npm run seed -- --reset`.
 * PGlite: the data directory is deleted. A real Postgres (DATABASE_URL): the schemas the migrations own
 * (public, supabase_migrations, and any schema a migration creates) are dropped and bootstrap +
 * migrations re-run; callers must have the user's explicit consent (`--yes`) before calling it.
 */
import { readFile, rm } from "node:fs/promises";
import type { Engine } from "../db/engine.ts";
import { listMigrations, prepareDatabase } from "../db/migrate.ts";

/** Schemas that exist before the migrations run (bootstrap.sql, Supabase): never dropped. */
const PROVIDED_SCHEMAS = new Set(["auth", "extensions", "pg_catalog", "information_schema", "storage"]);

/** public, supabase_migrations, plus every schema a migration file creates. */
export async function schemasOwnedByMigrations(): Promise<string[]> {
  const owned = new Set(["public", "supabase_migrations"]);
  for (const m of await listMigrations()) {
    const sql = await readFile(m.file, "utf8");
    for (const match of sql.matchAll(/create\s+schema\s+(?:if\s+not\s+exists\s+)?"?([a-z_][a-z0-9_]*)"?/gi)) {
      const name = (match[1] as string).toLowerCase();
      if (!PROVIDED_SCHEMAS.has(name)) owned.add(name);
    }
  }
  return [...owned];
}

/** Drops everything the migrations created, then re-applies bootstrap and migrations. */
export async function recreateSchemas(engine: Engine): Promise<string[]> {
  const schemas = await schemasOwnedByMigrations();
  await engine.transaction(async (tx) => {
    for (const schema of schemas) await tx.exec(`drop schema if exists ${schema} cascade`);
    // PostgreSQL 15's own public schema: usable by everyone, creatable by its owner only.
    await tx.exec("create schema public; grant usage on schema public to public;");
  });
  return prepareDatabase(engine);
}

export async function removePgliteDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** "PostgreSQL postgres@127.0.0.1:54329/app" — the target without its password, for messages. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `PostgreSQL ${url.username ? `${decodeURIComponent(url.username)}@` : ""}${url.host}${url.pathname}`;
  } catch {
    return "PostgreSQL (unparsable DATABASE_URL)";
  }
}
