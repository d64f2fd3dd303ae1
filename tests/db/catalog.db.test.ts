/**
 * Catalog checks: properties every object in `public` must have, so that a table, view or
 * function added later without its security fails here instead of leaking through the API.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../server/db/migrate.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { RLS_MATRIX } from "./rls-matrix.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

/** The functions signed-in staff may call (docs/roles.md, "Functions"). Everything else is closed to the API. */
const CALLABLE_BY_AUTHENTICATED = [
  "adjust_credits(uuid,integer,text,text,text)",
  "approve_credit_adjustment(uuid,text)",
  "approve_refund(uuid,text)",
  "consent_evidence(bigint)",
  "consent_opt_in_over_time(date,date,text)",
  "consent_state_as_of(uuid,timestamp with time zone)",
  "current_staff()",
  "current_staff_id()",
  "dsar_add_note(uuid,text)",
  "dsar_assign(uuid[],uuid)",
  "dsar_close_as_duplicate(uuid[],uuid)",
  "dsar_complete_processor_task(uuid,text)",
  "dsar_create_request(text,text,text,timestamp with time zone,uuid,text)",
  "dsar_deadline(timestamp with time zone,integer)",
  "dsar_due_at(timestamp with time zone,text,integer)",
  "dsar_due_on(timestamp with time zone)",
  "dsar_erasure_certificate(uuid)",
  "dsar_erasure_preview(uuid)",
  "dsar_execute_erasure(uuid)",
  "dsar_extend(uuid,integer,text)",
  "dsar_match_customer(uuid,uuid)",
  "dsar_next_statuses(text)",
  "dsar_promise_days(text)",
  "dsar_promise_due_at(timestamp with time zone,text,integer)",
  "dsar_record_export(uuid,text,jsonb)",
  "dsar_record_response(uuid,text,text,boolean)",
  "dsar_rectify_customer(uuid,jsonb)",
  "dsar_set_restriction(uuid,boolean,text)",
  "dsar_stats()",
  "dsar_statutory_days(text)",
  "dsar_statutory_due_at(timestamp with time zone,text)",
  "dsar_transition(uuid,text,text,text,uuid)",
  "dsar_verify_identity(uuid,text,text)",
  "dsar_withdraw_consent(uuid,text[])",
  "grant_staff_role(uuid,staff_role)",
  "has_any_role(text[])",
  "has_role(text)",
  "legal_hold_place(text,date,uuid,text,timestamp with time zone,timestamp with time zone)",
  "legal_hold_release(uuid,text)",
  "money_stats(integer)",
  "policy_reacceptance(uuid)",
  "policy_reacceptance_over_time(uuid)",
  "policy_reacceptance_people(uuid)",
  "policy_reacceptance_summary(uuid)",
  "policy_version_in_force(text,timestamp with time zone)",
  "policy_version_share()",
  "publish_policy_version(uuid,text,text)",
  "reconciliation_records(timestamp with time zone,timestamp with time zone)",
  "record_reconciliation_run(jsonb,jsonb)",
  "refund_begin_execution(uuid)",
  "reject_credit_adjustment(uuid,text)",
  "reject_refund(uuid,text)",
  "request_refund(uuid,bigint,text,text,text,text,integer)",
  "retention_dry_run(timestamp with time zone)",
  "retention_purge(timestamp with time zone)",
  "retention_status_at(timestamp with time zone,text)",
  "revoke_staff_role(uuid,staff_role)",
  "set_credit_limit(staff_role,integer,integer)",
  "set_refund_threshold(text,bigint)",
  "verify_audit_chain()",
];

const db = openBeforeAll(createTestDatabase);

async function names(sql: string): Promise<string[]> {
  const { rows } = await db.engine.query<{ name: string }>(sql);
  return rows.map((r) => r.name);
}

describe("catalog: every object in public is protected", () => {
  it("every table in public, partitions included, has row level security enabled", async () => {
    const tables = await names(
      "select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') order by 1",
    );
    expect(tables).toContain("api_request_logs_default");
    const withoutRls = await names(
      `select relname as name from pg_class
       where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and not relrowsecurity order by 1`,
    );
    expect(withoutRls).toEqual([]);
  });

  it("every view in public is security_invoker", async () => {
    const views = await names("select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'v'");
    expect(views.length).toBeGreaterThan(0);
    const definerViews = await names(
      `select relname as name from pg_class
       where relnamespace = 'public'::regnamespace and relkind in ('v', 'm')
         and not coalesce('security_invoker=true' = any (reloptions) or 'security_invoker=on' = any (reloptions), false)
       order by 1`,
    );
    expect(definerViews).toEqual([]);
  });

  it("the RLS matrix lists exactly the tables (not partitions) and views in public", async () => {
    const objects = await names(
      `select c.relname as name from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v')
         and not c.relispartition order by 1`,
    );
    expect(RLS_MATRIX.map((t) => t.name).sort()).toEqual(objects);
  });

  it("docs/roles.md documents every table and view in public", async () => {
    const doc = await readFile(path.join(repoRoot, "docs/roles.md"), "utf8");
    const objects = await names(
      `select relname as name from pg_class
       where relnamespace = 'public'::regnamespace and relkind in ('r', 'p', 'v') and not relispartition`,
    );
    expect(objects.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });

  it("anon holds no privilege on any table, view or sequence in public", async () => {
    const granted = await names(
      `select c.relname || ':' || p.privilege_type as name
       from pg_class c
       cross join lateral aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) p
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S')
         and p.grantee in ('anon'::regrole::oid, 0)
       order by 1`,
    );
    expect(granted).toEqual([]);
  });

  it("no API role can TRUNCATE (it bypasses RLS) and authenticated writes only policy_versions", async () => {
    const truncaters = await names(
      `select c.relname || ':' || r.rolname as name
       from pg_class c cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
         and has_table_privilege(r.rolname, c.oid, 'truncate')
       order by 1`,
    );
    expect(truncaters).toEqual([]);
    const writable = await names(
      `select distinct c.relname as name
       from pg_class c cross join (values ('insert'), ('update'), ('delete')) op(privilege)
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v')
         and case when op.privilege = 'delete' then has_table_privilege('authenticated', c.oid, 'delete')
                  else has_any_column_privilege('authenticated', c.oid, op.privilege) end
       order by 1`,
    );
    expect(writable).toEqual(["policy_versions"]);
  });

  it("anon may execute no function in public, and authenticated only the documented ones", async () => {
    const anonCallable = await names(
      `select p.oid::regprocedure::text as name from pg_proc p
       where p.pronamespace = 'public'::regnamespace and has_function_privilege('anon', p.oid, 'execute')`,
    );
    expect(anonCallable).toEqual([]);
    const staffCallable = await names(
      `select regexp_replace(p.oid::regprocedure::text, '^public\\.', '') as name from pg_proc p
       where p.pronamespace = 'public'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')
       order by 1`,
    );
    expect(staffCallable).toEqual(CALLABLE_BY_AUTHENTICATED);
  });

  it("every security definer function pins its search_path", async () => {
    const unpinned = await names(
      `select p.oid::regprocedure::text as name from pg_proc p
       where p.pronamespace = 'public'::regnamespace and p.prosecdef
         and not exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%')`,
    );
    expect(unpinned).toEqual([]);
  });
});
