/**
 * What a migrated database holds, as sorted text lines: compared between databases built different ways (the
 * Supabase CLI and the embedded runner; the migrations before and after their regrouping by domain).
 */
import type { Queryable } from "../../server/db/engine.ts";

/**
 * One line per object the migrations create outside the system schemas, with everything that changes its
 * behaviour: columns, defaults, constraints, indexes, RLS flags and policies, views, function definitions
 * (body, security, search_path), triggers (and whether they fire always), types, grants and default privileges. supabase_migrations is the
 * runner's own bookkeeping and is checked separately.
 */
export const CATALOG_SUMMARY = `
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
  select format('trigger %s enabled=%s', pg_get_triggerdef(t.oid), t.tgenabled) from pg_trigger t join rel r on r.oid = t.tgrelid
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

export async function catalogSummary(engine: Queryable): Promise<string[]> {
  return (await engine.query<{ line: string }>(CATALOG_SUMMARY)).rows.map((r) => r.line);
}
