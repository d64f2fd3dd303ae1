-- Who is calling: small helpers every RLS policy and privileged function is written against.
-- They read staff tables as the owner (security definer) so policies on staff_members and
-- staff_roles can use them without recursing into their own RLS.
-- Identity is auth.jwt()->>'sub' (a Clerk user id, text), never auth.uid().

create function public.current_staff_id() returns uuid
language sql
stable
security definer
set search_path = public, pg_temp
as $$
  select s.id
  from public.staff_members s
  where s.active
    and s.clerk_user_id = (select auth.jwt() ->> 'sub')
$$;

create function public.has_role(p_role text) returns boolean
language sql
stable
security definer
set search_path = public, pg_temp
as $$
  select exists (
    select 1
    from public.staff_members s
    join public.staff_roles r on r.staff_member_id = s.id
    where s.active
      and s.clerk_user_id = (select auth.jwt() ->> 'sub')
      and r.role::text = p_role
  )
$$;

create function public.has_any_role(p_roles text[]) returns boolean
language sql
stable
security definer
set search_path = public, pg_temp
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

-- The signed-in staff member for the console (authProvider.getIdentity / getPermissions).
-- Returns null (not an error) when the token's sub is not an active staff member, so the
-- app can show "not a staff member" instead of a failed request.
create function public.current_staff() returns json
language sql
stable
security definer
set search_path = public, pg_temp
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

-- Functions from the core schema: trigger functions are never called directly, and partition
-- maintenance is a server job (service_role), not an API action.
revoke execute on function public.credit_ledger_apply_balance(), public.consent_events_apply_state()
  from public, anon, authenticated;
revoke execute on function public.ensure_api_request_log_partitions(date, integer) from public, anon, authenticated;
grant execute on function public.ensure_api_request_log_partitions(date, integer) to service_role;

-- Functions created later by this project's migrations: anon and PUBLIC get no EXECUTE unless
-- granted (the PUBLIC default is global, hence the second statement).
alter default privileges in schema public revoke execute on functions from anon;
alter default privileges revoke execute on functions from public;
