-- Platform: the console's staff, their roles, who is calling (the helpers every policy and privileged function is
-- written against), the hash-chained audit log, append-only history, and the privileges every later migration
-- builds on. The domains follow one file each: customers, policies and consents, request logs, credits, refunds,
-- reconciliation, the money dashboard, DSAR and DSAR erasure.
--
-- Privileged writes are single functions: check the caller's role, validate, write and audit in one transaction.
-- Errors (HTTP status through PostgREST): 42501 not allowed (403), 22023 bad argument (400), PT404 not found (404),
-- PT409 not possible in the current state (409), 23505 already so (409). Nothing is written when any check fails.
--
-- Migrations are append-only from here on: a fix is a new migration (docs/architecture.md).

create extension if not exists pg_trgm with schema extensions;

-- ---------------------------------------------------------------- privileges of what migrations create

-- Supabase (and bootstrap.sql) grants every API role everything on new objects in public, and PostgreSQL grants
-- EXECUTE on new functions to PUBLIC. Row-level security is what restricts rows, so here: anon (the key the
-- browser ships before sign-in) gets nothing; authenticated reads what the policies allow and writes only where a
-- table grants it (an API write nobody planned fails with 42501 instead of depending on a missing policy);
-- service_role (server-side jobs and edge functions) bypasses RLS but still cannot write history. TRUNCATE ignores
-- RLS, so no API role keeps it. Functions are executable by authenticated and service_role unless a migration
-- revokes it; the PUBLIC default is global, hence the statement without a schema.
alter default privileges in schema public revoke all on tables from anon;
alter default privileges in schema public revoke all on sequences from anon;
alter default privileges in schema public revoke insert, update, delete, truncate, references, trigger
  on tables from authenticated;
alter default privileges in schema public revoke truncate, references, trigger on tables from service_role;
alter default privileges in schema public revoke execute on functions from anon;
alter default privileges revoke execute on functions from public;

-- ---------------------------------------------------------------- staff

create type public.staff_role as enum ('dpo', 'support', 'finance', 'admin', 'auditor');

create table public.staff_members (
  id uuid primary key default gen_random_uuid(),
  clerk_user_id text not null unique check (clerk_user_id ~ '^user_[A-Za-z0-9]+$'),
  email text not null unique check (email = lower(email) and position('@' in email) > 1),
  display_name text not null check (length(trim(display_name)) > 0),
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table public.staff_roles (
  staff_member_id uuid not null references public.staff_members (id) on delete cascade,
  role public.staff_role not null,
  granted_by uuid references public.staff_members (id),
  granted_at timestamptz not null default now(),
  primary key (staff_member_id, role)
);

-- ---------------------------------------------------------------- who is calling

-- Who is calling: small helpers every RLS policy and privileged function is written against.
-- They read staff tables as the owner (security definer) so policies on staff_members and
-- staff_roles can use them without recursing into their own RLS.
-- Identity is auth.jwt()->>'sub' (a Clerk user id, text), never auth.uid().

create function public.current_staff_id() returns uuid
language sql stable security definer set search_path = public, pg_temp
as $$
  select s.id
  from public.staff_members s
  where s.active
    and s.clerk_user_id = (select auth.jwt() ->> 'sub')
$$;

create function public.has_any_role(p_roles text[]) returns boolean
language sql stable security definer set search_path = public, pg_temp
as $$
  select exists (
    select 1
    from public.staff_members s
    join public.staff_roles r on r.staff_member_id = s.id
    where s.active
      and s.clerk_user_id = (select auth.jwt() ->> 'sub')
      and r.role::text = any (p_roles)
  )
$$;

create function public.has_role(p_role text) returns boolean
language sql stable security definer set search_path = public, pg_temp
as $$ select public.has_any_role(array[p_role]) $$;

-- The signed-in staff member for the console (authProvider.getIdentity / getPermissions).
-- Returns null (not an error) when the token's sub is not an active staff member, so the
-- app can show "not a staff member" instead of a failed request.
create function public.current_staff() returns json
language sql stable security definer set search_path = public, pg_temp
as $$
  select json_build_object(
    'id', s.id,
    'email', s.email,
    'display_name', s.display_name,
    'clerk_user_id', s.clerk_user_id,
    'roles', coalesce(
      (select json_agg(r.role::text order by r.role) from public.staff_roles r where r.staff_member_id = s.id),
      '[]'::json)
  )
  from public.staff_members s
  where s.active
    and s.clerk_user_id = (select auth.jwt() ->> 'sub')
$$;

-- Supabase (and bootstrap.sql) grants EXECUTE on new functions to anon; PostgreSQL grants it to
-- PUBLIC. Staff helpers are for signed-in staff only.
revoke execute on function public.current_staff_id(), public.has_role(text), public.has_any_role(text[]),
  public.current_staff() from public, anon;
grant execute on function public.current_staff_id(), public.has_role(text), public.has_any_role(text[]),
  public.current_staff() to authenticated, service_role;

-- ---------------------------------------------------------------- checks every privileged function makes

-- A privileged function reads as its list of rules: each check raises the error its rule names (SQLSTATE and the
-- caller's own message), exactly as an inline `if ... then raise ... end if` would. Called by security-definer
-- functions (as the owner); no API role may call them.

-- 42501 (403) unless the caller holds one of the roles.
create function public.require_any_role(p_roles text[], p_message text) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  if not public.has_any_role(p_roles) then
    raise exception using message = p_message, errcode = 'insufficient_privilege';
  end if;
end
$$;

-- Raises p_errcode (22023 bad argument, PT404, PT409, 42501, 23505 ...) when p_failed is true; null is not a failure,
-- as in an `if`. The message is built by the caller, so a format() argument must not be null where the old
-- `raise '%'` printed <NULL>.
create function public.fail_if(p_failed boolean, p_errcode text, p_message text, p_hint text default null) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  if p_failed and p_hint is null then
    raise exception using message = p_message, errcode = p_errcode;
  elsif p_failed then
    raise exception using message = p_message, errcode = p_errcode, hint = p_hint;
  end if;
end
$$;

-- The caller's first role of p_roles, in that order (a caller with two of them acts as the first); 42501 (403)
-- with p_message when they hold none.
create function public.caller_role_among(p_roles text[], p_message text) returns text
language plpgsql stable set search_path = public, pg_temp
as $$
declare
  v_role text;
begin
  foreach v_role in array p_roles loop
    if public.has_role(v_role) then
      return v_role;
    end if;
  end loop;
  raise exception using message = p_message, errcode = 'insufficient_privilege';
end
$$;

-- Idempotent requests (credit adjustments, refunds): the key a client sends with a submit, and its reuse.
create function public.require_idempotency_key(p_key text, p_function text) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  perform public.fail_if(p_key is null or p_key !~ '^[A-Za-z0-9_.:-]{8,200}$', 'invalid_parameter_value',
    p_function || ': idempotency key is required (8-200 characters of letters, digits, _ . : -)');
end
$$;

-- 23505 (409) when a key already used for one request (p_what: 'adjustment', 'refund') comes with different values.
create function public.fail_if_idempotency_key_reused(p_differs boolean, p_function text, p_key text, p_what text)
returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  perform public.fail_if(p_differs, 'unique_violation',
    format('%s: idempotency key %s was already used for a different %s', p_function, p_key, p_what),
    format('Use a new key for a new %s; reuse a key only to retry the same submit.', p_what));
end
$$;

revoke execute on function public.require_any_role(text[], text), public.fail_if(boolean, text, text, text),
  public.caller_role_among(text[], text), public.require_idempotency_key(text, text),
  public.fail_if_idempotency_key_reused(boolean, text, text, text)
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- what migrations do to every domain's tables

-- Row level security on, for each table (the catalog test requires it of every table in public). Used by the
-- migrations; no API role may call it.
create function public.enable_row_level_security(variadic p_tables regclass[]) returns void
language plpgsql set search_path = public, pg_temp
as $$
declare
  v_table regclass;
begin
  foreach v_table in array p_tables loop
    execute format('alter table %s enable row level security', v_table);
  end loop;
end
$$;

-- Tables and views that only privileged functions write: authenticated and service_role read them (tables under
-- their policies), anon gets nothing. Used by the migrations; no API role may call it.
create function public.grant_api_read_only(variadic p_relations regclass[]) returns void
language plpgsql set search_path = public, pg_temp
as $$
declare
  v_list text := array_to_string(p_relations, ', ');
begin
  execute format('revoke all on %s from anon', v_list);
  execute format('revoke insert, update, delete, truncate, references, trigger on %s from authenticated, service_role',
    v_list);
  execute format('grant select on %s to authenticated, service_role', v_list);
end
$$;

revoke execute on function public.enable_row_level_security(regclass[]), public.grant_api_read_only(regclass[])
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- audit log


-- Written only by triggers and security-definer functions; append-only; hash-chained.
create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default clock_timestamp(),
  actor_sub text,                          -- auth.jwt()->>'sub', null for system jobs
  actor_staff_id uuid,
  action text not null,                    -- e.g. staff_role.grant, customer.update
  table_name text,
  record_id text,
  old_data jsonb,
  new_data jsonb,
  prev_hash text not null,
  hash text not null unique
);

-- History that must never change: audit_log, consent_events, credit_ledger.
-- Corrections are new rows. The audit log is additionally hash-chained so that a change made
-- around the triggers (by a superuser disabling them) is detected by verify_audit_chain().

create function public.reject_history_change() returns trigger
language plpgsql set search_path = public, pg_temp
as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'restrict_violation',
          hint = 'History is never changed; record a correction as a new row.';
end
$$;
revoke execute on function public.reject_history_change() from public, anon, authenticated, service_role;

-- Makes a history table append-only: its triggers refuse UPDATE, DELETE and TRUNCATE for every role. ALWAYS: they
-- also fire under session_replication_role = replica, which a superuser could otherwise use to slip past ordinary
-- triggers. Used by the migrations that create history tables; no API role may call it.
create function public.make_history_append_only(p_table regclass) returns void
language plpgsql set search_path = public, pg_temp
as $$
declare
  v_name text := (select relname from pg_class where oid = p_table);
begin
  execute format('create trigger %I before update or delete on %s for each row execute function public.reject_history_change()',
    v_name || '_append_only', p_table);
  execute format('create trigger %I before truncate on %s for each statement execute function public.reject_history_change()',
    v_name || '_no_truncate', p_table);
  execute format('alter table %s enable always trigger %I', p_table, v_name || '_append_only');
  execute format('alter table %s enable always trigger %I', p_table, v_name || '_no_truncate');
end
$$;
revoke execute on function public.make_history_append_only(regclass) from public, anon, authenticated, service_role;

-- A history table's current state (credit_balances, customer_consents) is kept by a trigger function applying each
-- new row: an AFTER INSERT trigger named after the function, which no client calls directly.
create function public.make_history_projection(p_table regclass, p_apply regproc) returns void
language plpgsql set search_path = public, pg_temp
as $$
declare
  v_name text := (select proname from pg_proc where oid = p_apply);
begin
  execute format('create trigger %I after insert on %s for each row execute function %s()', v_name, p_table, p_apply);
  execute format('revoke execute on function %s() from public, anon, authenticated', p_apply);
end
$$;
revoke execute on function public.make_history_projection(regclass, regproc) from public, anon, authenticated, service_role;

select public.make_history_append_only('public.audit_log');

-- ---------------------------------------------------------------- hash chain

-- A fork (two rows claiming the same predecessor) is impossible, not merely detectable.
create unique index audit_log_prev_hash_key on public.audit_log (prev_hash);

-- The chain's first prev_hash.
create function public.audit_genesis_hash() returns text
language sql immutable set search_path = public, pg_temp
as $$ select repeat('0', 64) $$;

-- Canonical text of an audit row: the same bytes on every PostgreSQL version and session
-- setting. Timestamps as epoch microseconds (not DateStyle/TimeZone dependent), every value
-- quoted or NULL so that null, '' and a value containing '|' stay distinct; jsonb's text form
-- is already normalised (key order, spacing).
create function public.audit_row_canonical_text(
  p_id bigint, p_occurred_at timestamptz, p_actor_sub text, p_actor_staff_id uuid, p_action text,
  p_table_name text, p_record_id text, p_old_data jsonb, p_new_data jsonb
) returns text
language sql immutable set search_path = public, pg_temp
as $$
  select concat_ws('|',
    p_id::text,
    (extract(epoch from p_occurred_at) * 1000000)::bigint::text,
    quote_nullable(p_actor_sub),
    quote_nullable(p_actor_staff_id::text),
    quote_nullable(p_action),
    quote_nullable(p_table_name),
    quote_nullable(p_record_id),
    quote_nullable(p_old_data::text),
    quote_nullable(p_new_data::text))
$$;

create function public.audit_chain_hash(p_prev_hash text, p_canonical text) returns text
language sql immutable set search_path = public, pg_temp
as $$ select encode(sha256(convert_to(p_prev_hash || '|' || p_canonical, 'UTF8')), 'hex') $$;

-- Building blocks of the chain, used by the owner only.
revoke execute on function public.audit_genesis_hash(), public.audit_chain_hash(text, text),
  public.audit_row_canonical_text(bigint, timestamptz, text, uuid, text, text, text, jsonb, jsonb)
  from public, anon, authenticated, service_role;

-- The only writer of audit_log. Not executable by any API role: reached through the audit
-- triggers and privileged functions below, which run as the owner.
create function public.audit_append(
  p_action text, p_table_name text, p_record_id text, p_old_data jsonb, p_new_data jsonb
) returns bigint
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_id bigint;
  v_at timestamptz;
  v_prev text;
  v_sub text := auth.jwt() ->> 'sub';
  v_staff uuid := public.current_staff_id();
begin
  perform public.fail_if(p_action is null or length(trim(p_action)) = 0, 'invalid_parameter_value',
    'audit action is required');
  -- One appender at a time, until commit: the next one reads this row as its predecessor.
  -- The unique prev_hash index backs this up under REPEATABLE READ, where a snapshot taken
  -- before the lock would pick a stale predecessor: that append fails instead of forking.
  perform pg_advisory_xact_lock(hashtext('mfc_audit_log_chain'));
  select a.hash into v_prev from public.audit_log a order by a.id desc limit 1;
  v_prev := coalesce(v_prev, public.audit_genesis_hash());
  v_id := nextval(pg_get_serial_sequence('public.audit_log', 'id'));
  -- Stored precision is microseconds; truncating here makes the hashed value the stored one.
  v_at := date_trunc('microseconds', clock_timestamp());
  insert into public.audit_log
    (id, occurred_at, actor_sub, actor_staff_id, action, table_name, record_id, old_data, new_data, prev_hash, hash)
  overriding system value
  values (
    v_id, v_at, v_sub, v_staff, p_action, p_table_name, p_record_id, p_old_data, p_new_data, v_prev,
    public.audit_chain_hash(v_prev, public.audit_row_canonical_text(
      v_id, v_at, v_sub, v_staff, p_action, p_table_name, p_record_id, p_old_data, p_new_data)));
  return v_id;
end
$$;
revoke execute on function public.audit_append(text, text, text, jsonb, jsonb)
  from public, anon, authenticated, service_role;

-- Walks the chain in id order. rows_checked counts rows examined up to and including the first
-- broken one (all rows when ok). Deleting the newest rows cannot be detected by a chain alone.
create function public.verify_audit_chain()
returns table (ok boolean, rows_checked bigint, first_broken_id bigint, reason text)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  r public.audit_log;
  v_expected_prev text := public.audit_genesis_hash();
  v_count bigint := 0;
begin
  perform public.require_any_role(array['dpo', 'admin', 'auditor'], 'verify_audit_chain: only dpo, admin or auditor may verify the audit log');
  for r in select * from public.audit_log order by id loop
    v_count := v_count + 1;
    if r.prev_hash is distinct from v_expected_prev then
      return query select false, v_count, r.id,
        format('row %s: prev_hash does not match the hash of the row before it (a row was removed, inserted or reordered)', r.id);
      return;
    end if;
    if r.hash is distinct from public.audit_chain_hash(r.prev_hash, public.audit_row_canonical_text(
        r.id, r.occurred_at, r.actor_sub, r.actor_staff_id, r.action, r.table_name, r.record_id, r.old_data, r.new_data)) then
      return query select false, v_count, r.id,
        format('row %s: content does not match its hash (the row was altered)', r.id);
      return;
    end if;
    v_expected_prev := r.hash;
  end loop;
  return query select true, v_count, null::bigint, null::text;
end
$$;
revoke execute on function public.verify_audit_chain() from public, anon;
grant execute on function public.verify_audit_chain() to authenticated, service_role;

-- ---------------------------------------------------------------- audit triggers

-- Row changes on the tables whose every change must be accountable. Customer rows carry PII that
-- admin and auditor (who read the audit log) must not see: for customers only the changed
-- columns are recorded, PII values replaced by a marker (the DPO reads the values in customers).
create function public.audit_row_change() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_record_id text;
  v_key text;
  v_changed_old jsonb := '{}'::jsonb;
  v_changed_new jsonb := '{}'::jsonb;
  v_pii constant text[] := array['clerk_user_id', 'email', 'display_name', 'profile_image_url', 'restriction_reason'];
begin
  v_record_id := coalesce(v_row ->> 'id', (v_row ->> 'staff_member_id') || ':' || (v_row ->> 'role'));
  if tg_table_name = 'customers' then
    for v_key in select jsonb_object_keys(v_new) loop
      if (v_old -> v_key) is distinct from (v_new -> v_key) then
        if v_key = any (v_pii) then
          v_changed_old := v_changed_old || jsonb_build_object(v_key, '[redacted]');
          v_changed_new := v_changed_new || jsonb_build_object(v_key, '[redacted]');
        else
          v_changed_old := v_changed_old || jsonb_build_object(v_key, v_old -> v_key);
          v_changed_new := v_changed_new || jsonb_build_object(v_key, v_new -> v_key);
        end if;
      end if;
    end loop;
    v_old := v_changed_old;
    v_new := v_changed_new;
  end if;
  perform public.audit_append(tg_table_name || '.' || lower(tg_op), tg_table_name, v_record_id, v_old, v_new);
  return null;
end
$$;
revoke execute on function public.audit_row_change() from public, anon, authenticated, service_role;

create trigger staff_members_audit after insert or update or delete on public.staff_members
  for each row execute function public.audit_row_change();
create trigger staff_roles_audit after insert or update or delete on public.staff_roles
  for each row execute function public.audit_row_change();

-- ---------------------------------------------------------------- RLS, grants and policies

select public.enable_row_level_security('public.staff_members', 'public.staff_roles', 'public.audit_log');
revoke insert, update, delete on public.audit_log, public.staff_members, public.staff_roles from service_role;

-- Every staff member may read the staff directory (names and work emails of colleagues, active or not).
-- The money desk shows who requested, approved and executed each adjustment and refund, and four-eyes
-- approval only means something when the approver can see whose request it is. Who holds which role
-- (staff_roles) stays restricted to the DPO, admins and auditors.
create policy staff_members_select on public.staff_members for select to authenticated
  using ((select public.current_staff_id()) is not null);

create policy staff_roles_select on public.staff_roles for select to authenticated
  using (staff_member_id = (select public.current_staff_id())
         or (select public.has_any_role(array['dpo', 'admin', 'auditor'])));

create policy audit_log_select on public.audit_log for select to authenticated
  using ((select public.has_any_role(array['dpo', 'admin', 'auditor'])));

-- ---------------------------------------------------------------- staff roles (admin, never own)

-- The checks both grant and revoke make, in order; returns the target staff member, locked.
create function public.staff_role_change_target(p_function text, p_verb text, p_staff_member_id uuid, p_role public.staff_role)
returns public.staff_members
language plpgsql volatile set search_path = public, pg_temp
as $$
declare
  v_target public.staff_members;
begin
  perform public.require_any_role(array['admin'], format('%s: only an admin may %s staff roles', p_function, p_verb));
  perform public.fail_if(p_staff_member_id is null or p_role is null, 'invalid_parameter_value',
    p_function || ': staff member and role are required');
  perform public.fail_if(p_staff_member_id = public.current_staff_id(), 'insufficient_privilege',
    p_function || ': nobody changes their own roles (separation of duties)');
  select * into v_target from public.staff_members where id = p_staff_member_id for update;
  perform public.fail_if(not found, 'PT404', format('%s: staff member %s does not exist', p_function, p_staff_member_id));
  return v_target;
end
$$;
revoke execute on function public.staff_role_change_target(text, text, uuid, public.staff_role)
  from public, anon, authenticated, service_role;

create function public.grant_staff_role(p_staff_member_id uuid, p_role public.staff_role)
returns json
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_target public.staff_members := public.staff_role_change_target('grant_staff_role', 'grant', p_staff_member_id, p_role);
  v_row public.staff_roles;
begin
  perform public.fail_if(not v_target.active, 'PT409',
    format('grant_staff_role: staff member %s is not active', p_staff_member_id),
    'Roles are granted to active staff members only.');
  if exists (select 1 from public.staff_roles where staff_member_id = p_staff_member_id and role = p_role) then
    raise exception 'grant_staff_role: % already holds role %', v_target.email, p_role using errcode = 'unique_violation';
  end if;
  insert into public.staff_roles (staff_member_id, role, granted_by)
  values (p_staff_member_id, p_role, public.current_staff_id())
  returning * into v_row;
  perform public.audit_append('staff_role.grant', 'staff_roles', p_staff_member_id || ':' || p_role,
    null, jsonb_build_object('staff_member_id', p_staff_member_id, 'email', v_target.email, 'role', p_role));
  return row_to_json(v_row);
end
$$;

create function public.revoke_staff_role(p_staff_member_id uuid, p_role public.staff_role)
returns json
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_target public.staff_members := public.staff_role_change_target('revoke_staff_role', 'revoke', p_staff_member_id, p_role);
  v_row public.staff_roles;
begin
  delete from public.staff_roles where staff_member_id = p_staff_member_id and role = p_role
  returning * into v_row;
  if not found then
    raise exception 'revoke_staff_role: % does not hold role %', v_target.email, p_role using errcode = 'PT404';
  end if;
  perform public.audit_append('staff_role.revoke', 'staff_roles', p_staff_member_id || ':' || p_role,
    jsonb_build_object('staff_member_id', p_staff_member_id, 'email', v_target.email, 'role', p_role), null);
  return row_to_json(v_row);
end
$$;

revoke execute on function public.grant_staff_role(uuid, public.staff_role), public.revoke_staff_role(uuid, public.staff_role)
  from public, anon, service_role;
grant execute on function public.grant_staff_role(uuid, public.staff_role), public.revoke_staff_role(uuid, public.staff_role)
  to authenticated;
