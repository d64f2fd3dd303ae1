/**
 * Starting over on a database (what `db:reset --yes` and `seed --reset --yes` do with DATABASE_URL):
 * every schema the migrations own is dropped and rebuilt, and the seed runs again on the empty result.
 */
import { describe, expect, it } from "vitest";
import { listMigrations } from "../../server/db/migrate.ts";
import { seed } from "../../server/seed/index.ts";
import { recreateSchemas, schemasOwnedByMigrations, describeDatabaseUrl } from "../../server/seed/reset.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { openSeededEngine } from "./seed-engine.ts";

const NOW = new Date("2026-11-26T00:00:00.000Z");

describe("reset: re-creating the migrated schemas", () => {
  const db = openBeforeAll(() => openSeededEngine({ customers: 40, seed: 3, now: NOW }));

  it("owns public and supabase_migrations, never the schemas Supabase provides", async () => {
    const owned = await schemasOwnedByMigrations();
    expect(owned).toEqual(expect.arrayContaining(["public", "supabase_migrations"]));
    expect(owned).not.toContain("auth");
    expect(owned).not.toContain("extensions");
  });

  it("empties every table, re-applies every migration, and lets the seed run again", async () => {
    const count = async (table: string): Promise<number> =>
      (await db.engine.query<{ n: number }>(`select count(*)::int as n from public.${table}`)).rows[0]!.n;
    expect(await count("customers")).toBe(40);

    const applied = await recreateSchemas(db.engine);
    expect(applied).toEqual((await listMigrations()).map((m) => m.version));
    for (const table of ["customers", "credit_ledger", "consent_events", "api_request_logs", "staff_members", "audit_log"]) {
      expect(await count(table), table).toBe(0);
    }
    // RLS and roles come back with the migrations: the rebuilt schema is the real one, not a bare copy.
    const unprotected = await db.engine.query(
      "select relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and not relrowsecurity",
    );
    expect(unprotected.rows).toEqual([]);

    const again = await seed(db.engine, { customers: 40, seed: 3, now: NOW });
    expect(again.rows.customers).toBe(40);
    expect(await count("customers")).toBe(40);
  });

  it("describes a database URL without its password", () => {
    expect(describeDatabaseUrl("postgres://app:s3cret@db.example:5432/console")).toBe("PostgreSQL app@db.example:5432/console");
    expect(describeDatabaseUrl("not a url")).toMatch(/unparsable/);
  });
});
