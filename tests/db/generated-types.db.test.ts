/**
 * src/lib/database.types.ts is committed, and must be exactly what the migrations generate (server/db/typegen.ts),
 * so the app's row types cannot drift from the schema. Needs a real server (DATABASE_URL): postgres-meta introspects
 * over the wire; CI runs it on PostgreSQL (`npm run test:db`).
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../server/db/engine.ts";
import { migrate } from "../../server/db/migrate.ts";
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from "../../server/db/typegen.ts";
import { bootstrapWithRetry } from "../helpers/db.ts";

/** Other test files bootstrap the same cluster-wide roles at the same time. */
async function prepare(engine: Engine): Promise<void> {
  await bootstrapWithRetry(engine);
  await migrate(engine);
}

describe.runIf(Boolean(process.env.DATABASE_URL))("generated Database type", () => {
  it("the committed src/lib/database.types.ts is what the migrations generate", async () => {
    const generated = await generateDatabaseTypes(process.env.DATABASE_URL!, { prepare });
    // Monthly partitions are named after the month the migrations ran in; the file must not depend on the date.
    expect(generated).not.toMatch(/api_request_logs_\d{4}_\d{2}/);
    const committed = await readFile(DATABASE_TYPES_FILE, "utf8");
    expect(committed, "src/lib/database.types.ts is out of date with supabase/migrations: run npm run gen:types and commit it").toBe(generated);
  });
});
