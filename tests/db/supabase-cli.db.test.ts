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

/**
 * One line per object the migrations create outside the system schemas, with everything that changes its
 * behaviour: columns, defaults, constraints, indexes, RLS flags and policies, views, function definitions
 * (body, security, search_path), triggers, types, grants and default privileges. supabase_migrations is the
 * runner's own bookkeeping and is checked separately.
 */
const CATALOG_SUMMARY = `
with ns as (
  select oid, nspname from pg_namespace
  where nspname not in ('pg_catalog', 'information_schema', 'supabase_migrations') and nspname !~ '^pg_(toast|temp)'
),
rel as (select c.*, ns.nspname from pg_class c join ns on ns.oid = c.relnamespace)
-- One object per line (definitions span several), so a difference names the object it is in.
select replace(line, E'\n', ' ↵ ') as line from (
  select format('schema %s acl=%s', n.nspname, n.nspacl) as line from pg_namespace n join ns using (oid)
  union all
  select format('extension %s in %s', extname, extnamespace::regnamespace) from pg_extension
  union all
  select format('relation %s.%s kind=%s rls=%s force_rls=%s options=%s acl=%s partition=%s',
                nspname, relname, relkind, relrowsecurity, relforcerowsecurity, reloptions, relacl,
                pg_get_expr(relpartbound, oid))
  from rel where relkind not in ('i', 'I')
  union all
  select format('column %s.%s.%s #%s %s not_null=%s default=%s identity=%s generated=%s acl=%s',
                r.nspname, r.relname, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attacl)
  from rel r join pg_attribute a on a.attrelid = r.oid
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attnum > 0 and not a.attisdropped and r.relkind not in ('i', 'I')
  union all
  select format('constraint %s %s %s', coalesce(conrelid::regclass::text, contypid::regtype::text), conname,
                pg_get_constraintdef(con.oid))
  from pg_constraint con join ns on ns.oid = con.connamespace
  union all
  select format('index %s', pg_get_indexdef(r.oid)) from rel r where relkind in ('i', 'I')
  union all
  select format('policy %s.%s %s permissive=%s cmd=%s roles=%s using=%s check=%s',
                schemaname, tablename, policyname, permissive, cmd, roles, qual, with_check)
  from pg_policies where schemaname in (select nspname from ns)
  union all
  select format('view %s.%s %s', nspname, relname, pg_get_viewdef(r.oid)) from rel r where relkind in ('v', 'm')
  union all
  select format('function %s acl=%s %s', p.oid::regprocedure, p.proacl,
                case when p.prokind in ('f', 'p') then pg_get_functiondef(p.oid) else p.prokind::text end)
  from pg_proc p join ns on ns.oid = p.pronamespace
  union all
  select format('trigger %s', pg_get_triggerdef(t.oid)) from pg_trigger t join rel r on r.oid = t.tgrelid
  where not t.tgisinternal
  union all
  select format('type %s kind=%s labels=%s base=%s acl=%s', t.oid::regtype, t.typtype,
                (select array_agg(enumlabel order by enumsortorder) from pg_enum e where e.enumtypid = t.oid),
                nullif(t.typbasetype, 0)::regtype, t.typacl)
  from pg_type t join ns on ns.oid = t.typnamespace where t.typtype in ('e', 'd', 'r', 'm')
  union all
  select format('default privileges %s in %s on %s: %s', defaclrole::regrole, defaclnamespace::regnamespace,
                defaclobjtype, defaclacl)
  from pg_default_acl
  union all
  select format('comment on %s: %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
  from pg_description d
  where (d.classoid = 'pg_class'::regclass and d.objoid in (select oid from rel))
     or (d.classoid = 'pg_proc'::regclass and d.objoid in (select p.oid from pg_proc p join ns on ns.oid = p.pronamespace))
) summary
order by line`;

async function catalogSummary(engine: Engine): Promise<string[]> {
  return (await engine.query<{ line: string }>(CATALOG_SUMMARY)).rows.map((r) => r.line);
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
