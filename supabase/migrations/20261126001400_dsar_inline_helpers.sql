-- The deadline helpers again, without `set search_path`: PostgreSQL never inlines a function that
-- has a SET clause, so every row paid a function call (with a GUC save/restore) per helper, about
-- 70 µs a row: counting the overdue requests at 100k rows took over a second. Inlined, the planner
-- sees the plain expression, matches it against the expression indexes and evaluates it cheaply.
-- They stay safe without a pinned path: not security definer, and every name is schema-qualified.

create or replace function public.dsar_promise_days(p_type text) returns integer
language sql
immutable
parallel safe
as $$
  select case when p_type in ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'complaint')
    then 30 end
$$;

create or replace function public.dsar_statutory_days(p_type text) returns integer
language sql
immutable
parallel safe
as $$
  select case
    when p_type = 'erasure' then 90
    when p_type in ('access', 'portability', 'rectification', 'restriction', 'objection', 'complaint') then 30
  end
$$;

create or replace function public.dsar_deadline(p_received_at timestamptz, p_days integer) returns timestamptz
language sql
immutable
parallel safe
as $$
  select pg_catalog.timezone('Asia/Bangkok',
    ((pg_catalog.timezone('Asia/Bangkok', p_received_at))::date + p_days + 1)::timestamp)
$$;

create or replace function public.dsar_promise_due_at(p_received_at timestamptz, p_type text, p_extension_days integer)
returns timestamptz
language sql
immutable
parallel safe
as $$
  select public.dsar_deadline(p_received_at, public.dsar_promise_days(p_type) + coalesce(p_extension_days, 0))
$$;

create or replace function public.dsar_statutory_due_at(p_received_at timestamptz, p_type text) returns timestamptz
language sql
immutable
parallel safe
as $$
  select public.dsar_deadline(p_received_at, public.dsar_statutory_days(p_type))
$$;

create or replace function public.dsar_due_at(p_received_at timestamptz, p_type text, p_extension_days integer)
returns timestamptz
language sql
immutable
parallel safe
as $$
  select least(public.dsar_promise_due_at(p_received_at, p_type, p_extension_days),
               public.dsar_statutory_due_at(p_received_at, p_type))
$$;

create or replace function public.dsar_due_on(p_due_at timestamptz) returns date
language sql
immutable
parallel safe
as $$
  select (pg_catalog.timezone('Asia/Bangkok', p_due_at) - interval '1 day')::date
$$;

create or replace function public.dsar_next_statuses(p_status text) returns text[]
language sql
immutable
parallel safe
as $$
  select case p_status
    when 'new' then array['awaiting_verification', 'in_progress', 'rejected', 'withdrawn', 'duplicate']
    when 'awaiting_verification' then array['in_progress', 'rejected', 'withdrawn', 'duplicate']
    when 'in_progress' then array['awaiting_subject', 'fulfilled', 'rejected', 'withdrawn', 'duplicate']
    when 'awaiting_subject' then array['in_progress', 'rejected', 'withdrawn', 'duplicate']
    when 'fulfilled' then array[]::text[]
    when 'rejected' then array[]::text[]
    when 'withdrawn' then array[]::text[]
    when 'duplicate' then array[]::text[]
  end
$$;

create or replace function public.dsar_is_open(p_status text) returns boolean
language sql
immutable
parallel safe
as $$ select p_status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject') $$;

-- Same values, but the index definitions are now read through the inlined bodies: rebuild them.
reindex table public.dsar_requests;
