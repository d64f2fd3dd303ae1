-- Policy versions and consents: the privacy policy's versions (drafted and published by the DPO) and the
-- append-only proof of each customer's consents, with the current state per purpose kept by trigger.

create table public.policy_versions (
  id uuid primary key default gen_random_uuid(),
  version text not null unique check (version ~ '^\d{4}-\d{2}-\d{2}$'),
  title text not null,
  body_markdown text not null,
  status text not null default 'draft' check (status in ('draft', 'published', 'superseded')),
  effective_at timestamptz,
  published_at timestamptz,
  published_by uuid references public.staff_members (id),
  created_at timestamptz not null default now(),
  check ((status = 'draft') = (published_at is null))
);


-- At most one published version at a time.
create unique index policy_versions_one_published_idx on public.policy_versions ((true)) where status = 'published';

-- Append-only proof of consent (retained until account deletion + 30 days).
create table public.consent_events (
  id bigint generated always as identity primary key,
  customer_id uuid not null references public.customers (id) on delete restrict,
  purpose text not null check (purpose in ('terms', 'privacy_policy', 'analytics', 'marketing_email')),
  action text not null check (action in ('granted', 'withdrawn')),
  policy_version_id uuid references public.policy_versions (id),
  source text not null check (source in ('signup', 'settings', 'reprompt', 'dsar', 'console')),
  ip inet,
  user_agent text,
  recorded_by uuid references public.staff_members (id),
  occurred_at timestamptz not null default now()
);
create index consent_events_customer_idx on public.consent_events (customer_id, purpose, occurred_at desc);

-- Current state per customer and purpose, kept by trigger: roles that may see the state
-- (support) need not see the log itself.
create table public.customer_consents (
  customer_id uuid not null references public.customers (id) on delete cascade,
  purpose text not null,
  granted boolean not null,
  policy_version_id uuid references public.policy_versions (id),
  updated_at timestamptz not null,
  primary key (customer_id, purpose)
);

create function public.consent_events_apply_state() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
begin
  insert into public.customer_consents as c (customer_id, purpose, granted, policy_version_id, updated_at)
  values (new.customer_id, new.purpose, new.action = 'granted', new.policy_version_id, new.occurred_at)
  on conflict (customer_id, purpose) do update
    set granted = excluded.granted, policy_version_id = excluded.policy_version_id, updated_at = excluded.updated_at
    where c.updated_at <= excluded.updated_at;
  return new;
end
$$;
select public.make_history_projection('public.consent_events', 'public.consent_events_apply_state');
select public.make_history_append_only('public.consent_events');

create trigger policy_versions_audit after insert or update or delete on public.policy_versions
  for each row execute function public.audit_row_change();

-- ---------------------------------------------------------------- RLS, grants and policies

select public.enable_row_level_security('public.policy_versions', 'public.consent_events', 'public.customer_consents');
revoke update, delete on public.consent_events from service_role;

grant insert (version, title, body_markdown, effective_at),
      update (version, title, body_markdown, effective_at)
  on public.policy_versions to authenticated;

create policy consent_events_select on public.consent_events for select to authenticated
  using ((select public.has_any_role(array['dpo', 'auditor'])));
create policy customer_consents_select on public.customer_consents for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'auditor'])));

create policy policy_versions_select on public.policy_versions for select to authenticated
  using ((status <> 'draft' and (select public.current_staff_id()) is not null)
         or (select public.has_role('dpo')));
-- Drafts only: publishing goes through publish_policy_version().
create policy policy_versions_insert on public.policy_versions for insert to authenticated
  with check ((select public.has_role('dpo')) and status = 'draft' and published_by is null);
create policy policy_versions_update on public.policy_versions for update to authenticated
  using ((select public.has_role('dpo')) and status = 'draft')
  with check ((select public.has_role('dpo')) and status = 'draft' and published_by is null);

-- ---------------------------------------------------------------- publishing (dpo)

-- Publishes a draft; the currently published version becomes superseded.
create function public.publish_policy_version(p_id uuid)
returns json
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v_draft public.policy_versions;
  v_previous uuid;
  v_published public.policy_versions;
begin
  perform public.require_any_role(array['dpo'], 'publish_policy_version: only the DPO may publish a policy version');
  perform public.fail_if(p_id is null, 'invalid_parameter_value',
    'publish_policy_version: policy version id is required');
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

revoke execute on function public.publish_policy_version(uuid) from public, anon, service_role;
grant execute on function public.publish_policy_version(uuid) to authenticated;
