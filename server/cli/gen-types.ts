/**
 * `npm run gen:types`
 * Regenerates src/lib/database.types.ts from supabase/migrations (server/db/typegen.ts). It needs a PostgreSQL
 * server: DATABASE_URL's, or else the local test cluster `scripts/pg-local.sh start` runs (the one CI uses). It works
 * in a scratch database of its own, dropped afterwards.
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../db/migrate.ts";
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from "../db/typegen.ts";

function serverUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  console.log("DATABASE_URL is not set: using the local PostgreSQL of scripts/pg-local.sh");
  return execFileSync(path.join(repoRoot, "scripts/pg-local.sh"), ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

async function main(): Promise<number> {
  const generated = await generateDatabaseTypes(serverUrl());
  const label = path.relative(repoRoot, DATABASE_TYPES_FILE);
  const committed = await readFile(DATABASE_TYPES_FILE, "utf8").catch(() => null);
  if (committed === generated) {
    console.log(`${label} is up to date`);
    return 0;
  }
  await writeFile(DATABASE_TYPES_FILE, generated);
  console.log(`wrote ${label}; commit it with the migration that changed it`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`gen:types: ${(err as Error).message}`);
    process.exit(1);
  },
);
