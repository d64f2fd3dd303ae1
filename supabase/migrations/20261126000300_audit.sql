-- History that must never change: audit_log, consent_events, credit_ledger.
-- Corrections are new rows. The audit log is additionally hash-chained so that a change made
-- around the triggers (by a superuser disabling them) is detected by verify_audit_chain().

-- ---------------------------------------------------------------- append-only

create function public.reject_history_change() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'restrict_violation',
          hint = 'History is never changed; record a correction as a new row.';
end
$$;
revoke execute on function public.reject_history_change() from public, anon, authenticated, service_role;

do $$
declare
  t text;
begin
  foreach t in array array['audit_log', 'consent_events', 'credit_ledger'] loop
    execute format(
      'create trigger %1$s_append_only before update or delete on public.%1$I
         for each row execute function public.reject_history_change()', t);
    execute format(
      'create trigger %1$s_no_truncate before truncate on public.%1$I
         for each statement execute function public.reject_history_change()', t);
    -- ALWAYS: also fires under session_replication_role = replica, which a superuser could
    -- otherwise use to slip past ordinary triggers.
    execute format('alter table public.%1$I enable always trigger %1$s_append_only', t);
    execute format('alter table public.%1$I enable always trigger %1$s_no_truncate', t);
  end loop;
end
$$;

-- ---------------------------------------------------------------- hash chain

-- A fork (two rows claiming the same predecessor) is impossible, not merely detectable.
create unique index audit_log_prev_hash_key on public.audit_log (prev_hash);

-- The chain's first prev_hash.
create function public.audit_genesis_hash() returns text
language sql
immutable
set search_path = public, pg_temp
as $$ select repeat('0', 64) $$;

-- Canonical text of an audit row: the same bytes on every PostgreSQL version and session
-- setting. Timestamps as epoch microseconds (not DateStyle/TimeZone dependent), every value
-- quoted or NULL so that null, '' and a value containing '|' stay distinct; jsonb's text form
-- is already normalised (key order, spacing).
create function public.audit_row_canonical_text(
  p_id bigint, p_occurred_at timestamptz, p_actor_sub text, p_actor_staff_id uuid, p_action text,
  p_table_name text, p_record_id text, p_old_data jsonb, p_new_data jsonb
) returns text
language sql
immutable
set search_path = public, pg_temp
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
language sql
immutable
set search_path = public, pg_temp
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_id bigint;
  v_at timestamptz;
  v_prev text;
  v_sub text := auth.jwt() ->> 'sub';
  v_staff uuid := public.current_staff_id();
begin
  if p_action is null or length(trim(p_action)) = 0 then
    raise exception 'audit action is required' using errcode = 'invalid_parameter_value';
  end if;
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
language plpgsql
stable
security definer
set search_path = public, pg_temp
as $$
declare
  r public.audit_log;
  v_expected_prev text := public.audit_genesis_hash();
  v_count bigint := 0;
begin
  if not public.has_any_role(array['dpo', 'admin', 'auditor']) then
    raise exception 'verify_audit_chain: only dpo, admin or auditor may verify the audit log'
      using errcode = 'insufficient_privilege';
  end if;
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
language plpgsql
security definer
set search_path = public, pg_temp
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
create trigger policy_versions_audit after insert or update or delete on public.policy_versions
  for each row execute function public.audit_row_change();
create trigger customers_audit after update on public.customers
  for each row execute function public.audit_row_change();
