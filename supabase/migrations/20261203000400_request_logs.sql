-- Request logs: what M-Factory's API and error tracking record about a customer's requests, kept briefly
-- (API logs 90 days, error reports 30, privacy policy §6). Read by the DPO only.

-- 90-day retention at millions of rows: monthly range partitions, dropped whole by the purge.
create table public.api_request_logs (
  id bigint generated always as identity,
  customer_id uuid,            -- no FK: logs outlive nothing and are dropped by partition
  method text not null,
  endpoint text not null,
  status_code smallint not null check (status_code between 100 and 599),
  ip inet,
  user_agent text,
  requested_at timestamptz not null,
  primary key (requested_at, id)
) partition by range (requested_at);
create index api_request_logs_customer_idx on public.api_request_logs (customer_id, requested_at desc);

create table public.api_request_logs_default partition of public.api_request_logs default;

-- Creates monthly partitions covering [from_month, from_month + months). Idempotent. Partitions get RLS too (and no
-- policy: a partition queried by name shows nothing to API roles), and no API grants beyond reading through the parent.
-- Its check is inline, not fail_if(): it runs as its caller (service_role), who may not call the check helpers.
create or replace function public.ensure_api_request_log_partitions(from_month date, months integer)
returns integer
language plpgsql set search_path = public, pg_temp
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
select public.ensure_api_request_log_partitions((now() - interval '4 months')::date, 8);

create table public.error_reports (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid references public.customers (id) on delete set null,
  sentry_event_id text not null unique check (sentry_event_id ~ '^[0-9a-f]{32}$'),
  summary text not null,             -- PII-redacted, as sent to Sentry
  occurred_at timestamptz not null default now()  -- retention: 30 days from here (policy §6)
);
create index error_reports_customer_idx on public.error_reports (customer_id, occurred_at desc);

-- ---------------------------------------------------------------- RLS and policies

select public.enable_row_level_security('public.api_request_logs', 'public.api_request_logs_default',
  'public.error_reports');
-- Policies on the parent govern every query through it; each partition also has RLS on (and no
-- policy), so a partition queried by name shows nothing to API roles.
create policy api_request_logs_select on public.api_request_logs for select to authenticated
  using ((select public.has_any_role(array['dpo'])));
create policy error_reports_select on public.error_reports for select to authenticated
  using ((select public.has_any_role(array['dpo'])));
