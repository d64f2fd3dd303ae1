-- Privileged writes as single functions: check the caller's role, validate, write and audit in
-- one transaction. Errors (HTTP status through PostgREST): 42501 not allowed (403), 22023 bad argument (400),
-- PT404 not found (404), PT409 not possible in the current state (409), 23505 already so (409).
-- Nothing is written when any check fails.

-- ---------------------------------------------------------------- staff roles (admin, never own)

create function public.grant_staff_role(p_staff_member_id uuid, p_role public.staff_role)
returns json
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v_target public.staff_members;
  v_row public.staff_roles;
begin
  if not public.has_role('admin') then
    raise exception 'grant_staff_role: only an admin may grant staff roles' using errcode = 'insufficient_privilege';
  end if;
  if p_staff_member_id is null or p_role is null then
    raise exception 'grant_staff_role: staff member and role are required' using errcode = 'invalid_parameter_value';
  end if;
  if p_staff_member_id = v_caller then
    raise exception 'grant_staff_role: nobody changes their own roles (separation of duties)'
      using errcode = 'insufficient_privilege';
  end if;
  select * into v_target from public.staff_members where id = p_staff_member_id for update;
  if not found then
    raise exception 'grant_staff_role: staff member % does not exist', p_staff_member_id using errcode = 'PT404';
  end if;
  if not v_target.active then
    raise exception 'grant_staff_role: staff member % is not active', p_staff_member_id
      using errcode = 'PT409', hint = 'Roles are granted to active staff members only.';
  end if;
  if exists (select 1 from public.staff_roles where staff_member_id = p_staff_member_id and role = p_role) then
    raise exception 'grant_staff_role: % already holds role %', v_target.email, p_role using errcode = 'unique_violation';
  end if;
  insert into public.staff_roles (staff_member_id, role, granted_by)
  values (p_staff_member_id, p_role, v_caller)
  returning * into v_row;
  perform public.audit_append('staff_role.grant', 'staff_roles', p_staff_member_id || ':' || p_role,
    null, jsonb_build_object('staff_member_id', p_staff_member_id, 'email', v_target.email, 'role', p_role));
  return row_to_json(v_row);
end
$$;

create function public.revoke_staff_role(p_staff_member_id uuid, p_role public.staff_role)
returns json
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v_target public.staff_members;
  v_row public.staff_roles;
begin
  if not public.has_role('admin') then
    raise exception 'revoke_staff_role: only an admin may revoke staff roles' using errcode = 'insufficient_privilege';
  end if;
  if p_staff_member_id is null or p_role is null then
    raise exception 'revoke_staff_role: staff member and role are required' using errcode = 'invalid_parameter_value';
  end if;
  if p_staff_member_id = v_caller then
    raise exception 'revoke_staff_role: nobody changes their own roles (separation of duties)'
      using errcode = 'insufficient_privilege';
  end if;
  select * into v_target from public.staff_members where id = p_staff_member_id for update;
  if not found then
    raise exception 'revoke_staff_role: staff member % does not exist', p_staff_member_id using errcode = 'PT404';
  end if;
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

-- ---------------------------------------------------------------- policy versions (dpo)

-- At most one published version at a time.
create unique index policy_versions_one_published_idx on public.policy_versions ((true)) where status = 'published';

-- Publishes a draft; the currently published version becomes superseded.
create function public.publish_policy_version(p_id uuid)
returns json
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v_draft public.policy_versions;
  v_previous uuid;
  v_published public.policy_versions;
begin
  if not public.has_role('dpo') then
    raise exception 'publish_policy_version: only the DPO may publish a policy version'
      using errcode = 'insufficient_privilege';
  end if;
  if p_id is null then
    raise exception 'publish_policy_version: policy version id is required' using errcode = 'invalid_parameter_value';
  end if;
  -- Serialise publishers: exactly one version is published at any time.
  lock table public.policy_versions in share row exclusive mode;
  select * into v_draft from public.policy_versions where id = p_id;
  if not found then
    raise exception 'publish_policy_version: policy version % does not exist', p_id using errcode = 'PT404';
  end if;
  if v_draft.status <> 'draft' then
    raise exception 'publish_policy_version: version % is % and only a draft can be published', v_draft.version, v_draft.status
      using errcode = 'PT409';
  end if;
  update public.policy_versions set status = 'superseded'
  where status = 'published'
  returning id into v_previous;
  update public.policy_versions
  set status = 'published', published_at = now(), published_by = v_caller, effective_at = coalesce(effective_at, now())
  where id = p_id
  returning * into v_published;
  perform public.audit_append('policy_version.publish', 'policy_versions', p_id::text,
    case when v_previous is null then null else jsonb_build_object('superseded_id', v_previous) end,
    jsonb_build_object('id', p_id, 'version', v_published.version, 'effective_at', v_published.effective_at));
  return row_to_json(v_published);
end
$$;

revoke execute on function public.grant_staff_role(uuid, public.staff_role), public.revoke_staff_role(uuid, public.staff_role),
  public.publish_policy_version(uuid) from public, anon, service_role;
grant execute on function public.grant_staff_role(uuid, public.staff_role), public.revoke_staff_role(uuid, public.staff_role),
  public.publish_policy_version(uuid) to authenticated;
