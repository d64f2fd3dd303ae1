/**
 * The migrations are grouped by domain, one file each, and every function has exactly one definition (issue 9).
 *
 * They replaced, before any environment applied them, the twenty-one files of 20261126… (commit b4dd004), whose fix-ups
 * redefined earlier functions. The regrouped files must build the same database: `fixtures/schema-before-regrouping.txt`
 * holds, per object, a hash of its catalog summary (tests/helpers/catalog-summary.ts) as the old files left it, plus
 * the rows they inserted and the planner settings of like/ilike. The differences intended, and allowed:
 * - ADDED_HELPERS: the shared checks factored out of repeated blocks (new, closed to every API role);
 * - REWRITTEN_BODIES: the bodies of the functions that now call them (each keeps its signature, attributes and
 *   privileges, and raises the same SQLSTATEs, messages and hints: the db suites assert them, and a one-off
 *   differential run of every function against both builds (355k calls as each staff role and a non-staff sub,
 *   seeded data, arguments from nulls to ids of rows in each state) found no difference; the second fold, of the
 *   RLS/grant blocks, history projections, money-desk role and idempotency-key checks, Stripe's exactly-once record
 *   and the DSAR bulk/original/erasable checks, was checked by the db and server suites only, with the messages
 *   compared by reading; the last, refunds' finance-and-id check, by the refunds db suite, which pins its messages
 *   and their order).
 * How a file lays out a function header (attributes on one line) is not in the catalog, so it is no difference.
 *
 * Migrations are append-only from here on, so the comparison applies the regrouped files alone (versions up to
 * REGROUPED_THROUGH); later migrations change the database and leave this proof alone. The fixture is committed
 * because CI clones are shallow (b4dd004 is not there). To regenerate it, in a clone with history:
 *   mkdir -p /tmp/before && for f in $(git ls-tree --name-only b4dd004 supabase/migrations/); do
 *     git show "b4dd004:$f" > "/tmp/before/$(basename "$f")"; done
 *   MFC_WRITE_SCHEMA_FIXTURE_FROM=/tmp/before npx vitest run tests/db/migrations-by-domain.db.test.ts
 * (on PGlite or with DATABASE_URL: both write the same file).
 *
 * The summary is made engine-neutral (PGlite's PostgreSQL 18 and PostgreSQL 15 then agree line for line) and
 * date-neutral (the monthly log partitions migrations create are named after the month they run in).
 */
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../server/db/engine.ts";
import { listMigrations, migrate, migrationsDir } from "../../server/db/migrate.ts";
import { catalogSummary } from "../helpers/catalog-summary.ts";
import { bootstrapWithRetry, openTestEngine } from "../helpers/db.ts";

/** The last migration of the regrouping; every later one is appended after it. */
const REGROUPED_THROUGH = "20261203001000";
const FIXTURE = path.join(import.meta.dirname, "fixtures/schema-before-regrouping.txt");

/** Helpers the regrouping added: shared checks and steps that the old files repeated in place. */
const ADDED_HELPERS = [
  "make_history_append_only(regclass)",
  "require_any_role(text[],text)",
  "fail_if(boolean,text,text,text)",
  "staff_role_change_target(text,text,uuid,staff_role)",
  "dsar_require_erasure_complete(dsar_requests,text,text)",
  "refund_lock(uuid,text)",
  "reconciliation_require_object(jsonb,text[],text)",
  "caller_role_among(text[],text)",
  "require_idempotency_key(text,text)",
  "fail_if_idempotency_key_reused(boolean,text,text,text)",
  "enable_row_level_security(regclass[])",
  "grant_api_read_only(regclass[])",
  "make_history_projection(regclass,regproc)",
  "stripe_record_event_once(text,text,timestamp with time zone,text,text)",
  "dsar_require_erasable(dsar_requests,text)",
  "dsar_require_bulk(uuid[],text)",
  "dsar_original_request(uuid,text)",
  "refund_require_finance(uuid,text,text)",
];

/**
 * Functions a migration after the regrouping replaces on purpose (`create or replace`, as append-only migrations
 * must): each is then defined twice, and only those listed here may be.
 */
const REPLACED_AFTER_REGROUPING: string[] = [
  // 20261203001100_consent_and_policy_records.sql: the state rule became "latest (occurred_at, id) wins" over six
  // actions (ties and late arrivals defined), and the state row names its event.
  "consent_events_apply_state",
  // 20261203001100: dropped and recreated with the change class and reason (p_id still first, the old refusals
  // unchanged); it supersedes the published version of the same document only.
  "publish_policy_version",
  // 20261203001200_retention: the retention purge may delete consent events past their period (policy §6), and only it;
  // 20261203001300_consent_purge: with them, by cascade, their collected addresses and recorded declines.
  "reject_history_change",
  // 20261203001200_retention: the erasure preview also lists the rows legal holds keep (action 'held').
  "dsar_erasure_preview",
  // 20261203001700_faster_partition_purge: the API-log purge reads the expired rows straight from their partitions,
  // drops a whole expired partition without counting it again and leaves its ids out of the batched deletes (same
  // selection, counts, hash definition and certificate: the bench's whole certified purge was barely faster than DELETE).
  "retention_run",
];

/** Functions whose bodies now call those helpers instead of repeating them (signature and privileges unchanged). */
const REWRITTEN_BODIES = [
  "adjust_credits(uuid,integer,text,text,text)",
  "approve_credit_adjustment(uuid,text)",
  "approve_refund(uuid,text)",
  "audit_append(text,text,text,jsonb,jsonb)",
  "dsar_add_note(uuid,text)",
  "dsar_assign(uuid[],uuid)",
  "dsar_close_as_duplicate(uuid[],uuid)",
  "dsar_complete_processor_task(uuid,text)",
  "dsar_create_request(text,text,text,timestamp with time zone,uuid,text)",
  "dsar_erasure_certificate(uuid)",
  "dsar_erasure_preview(uuid)",
  "dsar_erasure_request(uuid,text)",
  "dsar_extend(uuid,integer,text)",
  "dsar_match_customer(uuid,uuid)",
  "dsar_record_export(uuid,text,jsonb)",
  "dsar_record_response(uuid,text,text,boolean)",
  "dsar_rectify_customer(uuid,jsonb)",
  "dsar_set_restriction(uuid,boolean,text)",
  "dsar_stats()",
  "dsar_transition(uuid,text,text,text,uuid)",
  "dsar_withdraw_consent(uuid,text[])",
  "grant_staff_role(uuid,staff_role)",
  "has_role(text)",
  "money_stats(integer)",
  "publish_policy_version(uuid)",
  "reconciliation_records(timestamp with time zone,timestamp with time zone)",
  "record_reconciliation_run(jsonb,jsonb)",
  "refund_apply_stripe_status(uuid,text,text,text,timestamp with time zone,text)",
  "refund_begin_execution(uuid)",
  "refund_record_execution_error(uuid,text,text)",
  "refund_record_stripe_result(uuid,text,text,text,timestamp with time zone)",
  "reject_credit_adjustment(uuid,text)",
  "reject_refund(uuid,text)",
  "request_refund(uuid,bigint,text,text,text,text,integer)",
  "revoke_staff_role(uuid,staff_role)",
  "set_credit_limit(staff_role,integer,integer)",
  "set_refund_threshold(text,bigint)",
  "stripe_record_webhook_event(text,text,timestamp with time zone,jsonb)",
  "stripe_record_webhook_refusal(text,text,timestamp with time zone,text)",
  "verify_audit_chain()",
];

// ---------------------------------------------------------------------------------------------- the summary

/** PostgreSQL 16+ catalogues NOT NULL as constraints too; the column lines already say not_null. */
const NOT_NULL_CONSTRAINT = /^constraint \S+ \S+_not_null NOT NULL /;
const MONTH_PARTITION = /api_request_logs_\d{4}_\d{2}/g;
const PARTITION_BOUNDS = /FOR VALUES FROM \('[^']*'\) TO \('[^']*'\)/;
/** PostgreSQL 18 marks a partition's column as identity like its parent's; 15 leaves the mark on the parent. */
const PARTITION_IDENTITY = /^(column public\.api_request_logs_(?:<month>|default)\.\S+ .* identity=)a /;

function engineNeutral(line: string): string | null {
  if (NOT_NULL_CONSTRAINT.test(line)) return null;
  return line
    .replace(MONTH_PARTITION, "api_request_logs_<month>")
    .replace(PARTITION_BOUNDS, "FOR VALUES FROM (<month>) TO (<next month>)")
    .replace(PARTITION_IDENTITY, "$1 ")
    // PostgreSQL 17 added the MAINTAIN privilege (m) to tables.
    .replace(/=([A-Za-z*]*)\//g, (_, privileges: string) => `=${privileges.replace(/m\*?/g, "")}/`);
}

/** The object a summary line describes, e.g. `column public.customers.email`, `function public.has_role(text)`. */
function objectKey(line: string): string {
  const kind = line.slice(0, line.indexOf(" "));
  const words = line.split(" ");
  switch (kind) {
    case "function":
    case "pg_catalog":
      return line.slice(0, line.search(/ (acl|leakproof)=/));
    case "index":
      return `index ${/ INDEX (\S+) ON /.exec(line)?.[1]}`;
    case "trigger": {
      const [, name, table] = / TRIGGER (\S+) .*? ON (\S+) /.exec(line) ?? [];
      return `trigger ${table}.${name}`;
    }
    case "constraint":
    case "policy":
      return words.slice(0, 3).join(" ");
    case "default":
    case "comment":
      return line.slice(0, line.indexOf(": "));
    default:
      return words.slice(0, 2).join(" ");
  }
}

/** A function's line without its body, and the body: compared apart, so a rewritten body still has its header checked. */
function splitFunction(line: string): [header: string, body: string] {
  const at = line.indexOf("AS $function$");
  return at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at)];
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Rows the migrations insert (configuration data), without the time they were written. */
async function migratedRows(engine: Engine): Promise<string[]> {
  const { rows: tables } = await engine.query<{ name: string }>(
    `select c.oid::regclass::text as name from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and not c.relispartition order by 1`,
  );
  const lines: string[] = [];
  for (const { name } of tables) {
    const { rows } = await engine.query<{ rows: string | null }>(
      `select jsonb_agg(to_jsonb(t) - 'updated_at' order by to_jsonb(t)::text)::text as rows from ${name} t`,
    );
    if (rows[0]?.rows) lines.push(`rows public.${name} ${rows[0].rows}`);
  }
  return lines;
}

/** like/ilike's leakproof flag and cost, which the customers migration sets for index-assisted search under RLS. */
async function patternOperators(engine: Engine): Promise<string[]> {
  const { rows } = await engine.query<{ line: string }>(
    `select format('pg_catalog %s leakproof=%s cost=%s', oid::regprocedure, proleakproof, procost) as line
     from pg_proc where proname in ('textlike', 'texticlike') order by 1`,
  );
  return rows.map((r) => r.line);
}

/** Object key → hash of what the database holds for it (functions as two entries: header, and body). */
async function schemaHashes(engine: Engine): Promise<Map<string, string>> {
  const lines = [...(await catalogSummary(engine)), ...(await migratedRows(engine)), ...(await patternOperators(engine))];
  const byKey = new Map<string, string[]>();
  const add = (key: string, text: string) => byKey.set(key, [...(byKey.get(key) ?? []), text]);
  for (const raw of lines) {
    const line = engineNeutral(raw);
    if (line === null) continue;
    const key = objectKey(line);
    if (key.startsWith("function ")) {
      const [header, body] = splitFunction(line);
      add(key, header);
      add(`${key} body`, body);
    } else {
      add(key, line);
    }
  }
  return new Map([...byKey].map(([key, texts]) => [key, hash(texts.sort().join("\n"))]));
}

/** A fresh database with bootstrap.sql and the migrations in `dir` up to REGROUPED_THROUGH. */
async function migratedThroughRegrouping(dir: string): Promise<Engine> {
  const regrouped = await mkdtemp(path.join(os.tmpdir(), "mfc-regrouped-"));
  const engine = await openTestEngine();
  try {
    for (const m of await listMigrations(dir)) {
      if (m.version <= REGROUPED_THROUGH) await copyFile(m.file, path.join(regrouped, path.basename(m.file)));
    }
    await bootstrapWithRetry(engine);
    await migrate(engine, regrouped);
    return engine;
  } catch (err) {
    await engine.close();
    throw err;
  } finally {
    await rm(regrouped, { recursive: true, force: true });
  }
}

async function readFixture(): Promise<Map<string, string>> {
  const text = await readFile(FIXTURE, "utf8");
  return new Map(
    text.split("\n").filter(Boolean).map((line) => {
      const space = line.indexOf(" ");
      return [line.slice(space + 1), line.slice(0, space)] as const;
    }),
  );
}

// ---------------------------------------------------------------------------------------------- one definition each

interface Definition {
  file: string;
  name: string;
  argTypes: string[];
}

/** Splits a parameter list at top-level commas (types such as numeric(10, 2) keep theirs). */
function splitParameters(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => p.trim());
}

/** `p_id uuid default null` → `uuid`; `in p_ids uuid[]` → `uuid[]`. Every parameter in these migrations is named. */
function parameterType(parameter: string): string {
  const withoutDefault = parameter.replace(/\s+(default\s.*|=.*)$/is, "");
  const words = withoutDefault.split(/\s+/).filter((w) => !/^(in|out|inout|variadic)$/i.test(w));
  return words.slice(1).join(" ").toLowerCase().replace(/^public\./, "");
}

/** Every `create [or replace] function` in the migration files (SQL text, parameters as written). */
async function functionDefinitions(dir: string): Promise<Definition[]> {
  const definitions: Definition[] = [];
  const header = /\bcreate\s+(?:or\s+replace\s+)?function\s+(?:public\.)?([a-z_][a-z0-9_]*)\s*\(([^)]*(?:\([^)]*\)[^)]*)*)\)/gi;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort()) {
    const sql = await readFile(path.join(dir, file), "utf8");
    for (const m of sql.matchAll(header)) {
      definitions.push({ file, name: m[1]!.toLowerCase(), argTypes: splitParameters(m[2]!).map(parameterType) });
    }
  }
  return definitions;
}

const signature = (d: Pick<Definition, "name" | "argTypes">) => `${d.name}(${d.argTypes.join(", ")})`;

// ---------------------------------------------------------------------------------------------- the tests

const writeFixtureFrom = process.env.MFC_WRITE_SCHEMA_FIXTURE_FROM;

describe.runIf(writeFixtureFrom)("writing the fixture", () => {
  it(`records the schema the migrations in ${writeFixtureFrom} build`, async () => {
    const engine = await migratedThroughRegrouping(writeFixtureFrom!);
    try {
      const hashes = await schemaHashes(engine);
      const lines = [...hashes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, h]) => `${h} ${key}`);
      await writeFile(FIXTURE, `${lines.join("\n")}\n`);
    } finally {
      await engine.close();
    }
  }, 120_000);
});

describe.skipIf(writeFixtureFrom)("migrations by domain", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await migratedThroughRegrouping(migrationsDir);
  });
  afterAll(async () => {
    await engine?.close();
  });

  it("every function is defined once, in one migration file", async () => {
    const definitions = await functionDefinitions(migrationsDir);
    // By name, stricter than by signature: an overload would be a second definition to read too.
    const files = new Map<string, string[]>();
    for (const d of definitions) files.set(d.name, [...(files.get(d.name) ?? []), `${signature(d)} in ${d.file}`]);
    const redefined = [...files].filter(([name, where]) => where.length > 1 && !REPLACED_AFTER_REGROUPING.includes(name));
    expect(redefined.map(([, where]) => where.join(", "))).toEqual([]);

    // The scan reads what the database holds: every function in public, by name and number of arguments.
    const { rows } = await engine.query<{ fn: string }>(
      `select format('%s/%s', proname, pronargs) as fn from pg_proc where pronamespace = 'public'::regnamespace order by 1`,
    );
    const regrouped = definitions.filter((d) => d.file.slice(0, REGROUPED_THROUGH.length) <= REGROUPED_THROUGH);
    const scanned = [...new Set(regrouped.map((d) => `${d.name}/${d.argTypes.length}`))].sort();
    expect(scanned).toEqual(rows.map((r) => r.fn));
  });

  it("builds the database the migrations before the regrouping built, but for the helpers and the bodies that call them", async () => {
    const before = await readFixture();
    const now = await schemaHashes(engine);
    expect(before.size).toBeGreaterThan(1000);
    const rewritten = new Set(REWRITTEN_BODIES.map((fn) => `function ${fn} body`));
    const added = new Set(ADDED_HELPERS.flatMap((fn) => [`function ${fn}`, `function ${fn} body`]));

    const changed = [...before]
      .filter(([key, h]) => now.has(key) && now.get(key) !== h && !rewritten.has(key))
      .map(([key]) => key);
    const gone = [...before.keys()].filter((key) => !now.has(key));
    const extra = [...now.keys()].filter((key) => !before.has(key) && !added.has(key));
    expect({ changed, gone, extra }).toEqual({ changed: [], gone: [], extra: [] });
    expect([...added].filter((key) => !now.has(key)), "an added helper is missing").toEqual([]);
    // The list names exactly the bodies that changed.
    expect([...rewritten].filter((key) => now.get(key) === before.get(key)), "listed as rewritten but unchanged").toEqual([]);
  });

  it("no API role may call the added helpers", async () => {
    const { rows } = await engine.query<{ callable: string }>(
      `select format('%s by %s', p.oid::regprocedure, r.rolname) as callable
       from pg_proc p cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
       where p.oid::regprocedure::text = any ($1) and has_function_privilege(r.rolname, p.oid, 'execute')`,
      [ADDED_HELPERS],
    );
    expect(rows.map((r) => r.callable)).toEqual([]);
    const { rows: found } = await engine.query<{ n: number }>(
      "select count(*)::int as n from pg_proc where oid::regprocedure::text = any ($1)",
      [ADDED_HELPERS],
    );
    expect(found[0]?.n).toBe(ADDED_HELPERS.length);
    // So every function that calls them must run as their owner: one running as its caller would fail with 42501.
    const { rows: invokers } = await engine.query<{ fn: string }>(
      `select p.oid::regprocedure::text as fn from pg_proc p
       where p.pronamespace = 'public'::regnamespace and not p.prosecdef
         and p.oid::regprocedure::text <> all ($1)
         and exists (select 1 from unnest($1::text[]) h where p.prosrc ~ ('public\\.' || split_part(h, '(', 1) || '\\('))`,
      [ADDED_HELPERS],
    );
    expect(invokers.map((r) => r.fn)).toEqual([]);
  });
});
