-- Row-level security on every table, following docs/roles.md.
-- Policies are written against the helpers (wrapped in a scalar subquery so the role check runs
-- once per statement, not once per row). API roles: anon gets nothing; authenticated reads what
-- the policies allow and writes only where a policy says so; service_role (server-side jobs and
-- edge functions) bypasses RLS but still cannot write history.

-- ---------------------------------------------------------------- RLS on, everywhere

do $$
declare
  t regclass;
begin
  for t in
    select c.oid::regclass from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
  loop
    execute format('alter table %s enable row level security', t);
  end loop;
end
$$;

-- ---------------------------------------------------------------- grants

-- anon: nothing anywhere (it is the key the browser ships before sign-in).
revoke all on all tables in schema public from anon;
revoke all on all sequences in schema public from anon;
alter default privileges in schema public revoke all on tables from anon;
alter default privileges in schema public revoke all on sequences from anon;

-- authenticated: read, filtered by policies. Writes are granted table by table below, so an API
-- write nobody planned fails with 42501 instead of depending on a missing policy. TRUNCATE
-- ignores RLS, so no API role keeps it.
revoke insert, update, delete, truncate, references, trigger on all tables in schema public from authenticated;
revoke truncate, references, trigger on all tables in schema public from service_role;
alter default privileges in schema public revoke insert, update, delete, truncate, references, trigger
  on tables from authenticated;
alter default privileges in schema public revoke truncate, references, trigger on tables from service_role;
revoke insert, update, delete on public.audit_log, public.staff_members, public.staff_roles from service_role;
revoke update, delete on public.consent_events, public.credit_ledger from service_role;
grant select on all tables in schema public to authenticated, service_role;

grant insert (version, title, body_markdown, effective_at),
      update (version, title, body_markdown, effective_at)
  on public.policy_versions to authenticated;

-- ---------------------------------------------------------------- staff

create policy staff_members_select on public.staff_members for select to authenticated
  using (id = (select public.current_staff_id())
         or (select public.has_any_role(array['dpo', 'admin', 'auditor'])));

create policy staff_roles_select on public.staff_roles for select to authenticated
  using (staff_member_id = (select public.current_staff_id())
         or (select public.has_any_role(array['dpo', 'admin', 'auditor'])));

-- ---------------------------------------------------------------- customers and stripe ids

create policy customers_select on public.customers for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance'])));

create policy customer_stripe_ids_select on public.customer_stripe_ids for select to authenticated
  using ((select public.has_any_role(array['dpo', 'finance', 'auditor'])));
create policy payment_stripe_ids_select on public.payment_stripe_ids for select to authenticated
  using ((select public.has_any_role(array['dpo', 'finance', 'auditor'])));
create policy subscription_stripe_ids_select on public.subscription_stripe_ids for select to authenticated
  using ((select public.has_any_role(array['dpo', 'finance', 'auditor'])));

-- ---------------------------------------------------------------- service usage

create policy projects_select on public.projects for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support'])));
create policy generations_select on public.generations for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support'])));
create policy assets_select on public.assets for select to authenticated
  using ((select public.has_any_role(array['dpo'])));

-- ---------------------------------------------------------------- money

create policy credit_ledger_select on public.credit_ledger for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));
create policy credit_balances_select on public.credit_balances for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));
create policy subscriptions_select on public.subscriptions for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));
create policy payments_select on public.payments for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));

-- ---------------------------------------------------------------- logs

-- Policies on the parent govern every query through it; each partition also has RLS on (and no
-- policy), so a partition queried by name shows nothing to API roles.
create policy api_request_logs_select on public.api_request_logs for select to authenticated
  using ((select public.has_any_role(array['dpo'])));
create policy error_reports_select on public.error_reports for select to authenticated
  using ((select public.has_any_role(array['dpo'])));

-- ---------------------------------------------------------------- consent and policy

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

-- ---------------------------------------------------------------- audit

create policy audit_log_select on public.audit_log for select to authenticated
  using ((select public.has_any_role(array['dpo', 'admin', 'auditor'])));

-- ---------------------------------------------------------------- new log partitions

-- Partitions created later get RLS too, and no API grants beyond reading through the parent.
create or replace function public.ensure_api_request_log_partitions(from_month date, months integer)
returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  m date;
  created integer := 0;
  part text;
begin
  if from_month is null or months is null or months < 1 or months > 120 then
    raise exception 'ensure_api_request_log_partitions: months must be between 1 and 120 and from_month given'
      using errcode = 'invalid_parameter_value';
  end if;
  m := date_trunc('month', from_month)::date;
  for i in 0 .. months - 1 loop
    part := format('api_request_logs_%s', to_char(m, 'YYYY_MM'));
    if to_regclass('public.' || part) is null then
      execute format(
        'create table public.%I partition of public.api_request_logs for values from (%L) to (%L)',
        part, m, (m + interval '1 month')::date);
      execute format('alter table public.%I enable row level security', part);
      execute format('revoke all on public.%I from anon', part);
      execute format('revoke insert, update, delete, truncate, references, trigger on public.%I from authenticated', part);
      created := created + 1;
    end if;
    m := (m + interval '1 month')::date;
  end loop;
  return created;
end
$$;
revoke execute on function public.ensure_api_request_log_partitions(date, integer) from public, anon, authenticated;
grant execute on function public.ensure_api_request_log_partitions(date, integer) to service_role;
