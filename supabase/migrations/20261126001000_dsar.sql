-- DSAR desk (issue 3): data-subject requests, their append-only timeline, the SLA clock and RLS.
-- Deadlines are never stored: the queue view computes them from received_at, type and extension_days
-- with immutable helpers, so an expression index can serve "open requests ordered by due date".
-- Errors raised by the DSAR functions (HTTP status through PostgREST): 42501 not allowed (403),
-- 22023 bad argument (400), PT404 not found (404), 23505 already so (double submit, 409),
-- PT409 not allowed in the request's current status (409).

-- ---------------------------------------------------------------- deadline arithmetic

-- Per-type rules. Kept as immutable functions (an index may use them) and mirrored as data in
-- dsar_sla_rules, whose check constraint forbids the two from ever disagreeing.
create function public.dsar_promise_days(p_type text) returns integer
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  -- Privacy policy §7: "we respond within 30 days", for every kind of request.
  select case when p_type in ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'complaint')
    then 30 end
$$;

create function public.dsar_statutory_days(p_type text) returns integer
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  -- Erasure: the PDPC's erasure notification (2024) allows 90 days; everything else follows the
  -- 30 days of PDPA s.30 (access) or, where no statutory limit is set, the policy's own 30 days.
  select case
    when p_type = 'erasure' then 90
    when p_type in ('access', 'portability', 'rectification', 'restriction', 'objection', 'complaint') then 30
  end
$$;

-- The instant a deadline passes: the end of the Asia/Bangkok calendar day that falls p_days after
-- the Bangkok date of receipt (that is, 00:00 Bangkok of the day after). Overdue when now() >= it.
create function public.dsar_deadline(p_received_at timestamptz, p_days integer) returns timestamptz
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  select (((p_received_at at time zone 'Asia/Bangkok')::date + p_days + 1)::timestamp) at time zone 'Asia/Bangkok'
$$;

-- The company's promise: moves with an extension.
create function public.dsar_promise_due_at(p_received_at timestamptz, p_type text, p_extension_days integer)
returns timestamptz
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  select public.dsar_deadline(p_received_at, public.dsar_promise_days(p_type) + coalesce(p_extension_days, 0))
$$;

-- The statutory limit: never moves.
create function public.dsar_statutory_due_at(p_received_at timestamptz, p_type text) returns timestamptz
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  select public.dsar_deadline(p_received_at, public.dsar_statutory_days(p_type))
$$;

-- The deadline the queue sorts and colours by: the earlier of the two.
create function public.dsar_due_at(p_received_at timestamptz, p_type text, p_extension_days integer)
returns timestamptz
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  select least(public.dsar_promise_due_at(p_received_at, p_type, p_extension_days),
               public.dsar_statutory_due_at(p_received_at, p_type))
$$;

-- The Bangkok calendar day a deadline instant closes (the due date shown to people).
create function public.dsar_due_on(p_due_at timestamptz) returns date
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  select ((p_due_at at time zone 'Asia/Bangkok') - interval '1 day')::date
$$;

-- Statuses a request may move to from p_status (the legal-transition table; closed ones go nowhere).
-- Moving into in_progress also needs a verified identity (checked by dsar_transition).
create function public.dsar_next_statuses(p_status text) returns text[]
language sql
immutable
parallel safe
set search_path = public, pg_temp
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

-- ---------------------------------------------------------------- tables

create table public.dsar_sla_rules (
  type text primary key,
  promise_days integer not null,
  statutory_days integer not null,
  statutory_basis text not null,
  check (promise_days = public.dsar_promise_days(type) and statutory_days = public.dsar_statutory_days(type))
);
insert into public.dsar_sla_rules (type, promise_days, statutory_days, statutory_basis) values
  ('access', 30, 30, 'PDPA s.30: access requests are answered within 30 days of receipt'),
  ('portability', 30, 30, 'PDPA s.31 with the 30 days of s.30; no separate statutory limit'),
  ('erasure', 30, 90, 'PDPC notification on erasure requests (2024): 90 days; the company promises 30 (policy §7)'),
  ('rectification', 30, 30, 'No statutory limit (PDPA s.35); the company''s policy §7 promises 30 days'),
  ('restriction', 30, 30, 'No statutory limit (PDPA s.34); the company''s policy §7 promises 30 days'),
  ('objection', 30, 30, 'No statutory limit (PDPA s.32, consent withdrawal s.19); the company''s policy §7 promises 30 days'),
  ('complaint', 30, 30, 'No statutory limit; the company''s policy §7 promises 30 days (the subject may also complain to the PDPC)');

-- Per-year reference numbers (DSAR-2026-0042), handed out under a row lock.
create table public.dsar_reference_counters (
  year integer primary key check (year between 2000 and 2999),
  last_value integer not null check (last_value >= 0)
);

create table public.dsar_requests (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique check (reference ~ '^DSAR-[0-9]{4}-[0-9]{4,}$'),
  type text not null references public.dsar_sla_rules (type),
  status text not null default 'new' check (status in (
    'new', 'awaiting_verification', 'in_progress', 'awaiting_subject', 'fulfilled', 'rejected', 'withdrawn', 'duplicate')),
  channel text not null check (channel in ('self_service', 'email', 'other')),
  requester_email text not null check (requester_email = lower(trim(requester_email)) and requester_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  customer_id uuid references public.customers (id) on delete restrict,
  summary text check (summary is null or length(summary) <= 4000),
  received_at timestamptz not null,
  created_by uuid references public.staff_members (id),
  assignee_id uuid references public.staff_members (id),
  extension_days integer not null default 0 check (extension_days between 0 and 60),
  extension_reason text,
  identity_method text check (identity_method in ('email_link', 'id_document', 'account_signed_in')),
  identity_verified_by uuid references public.staff_members (id),
  identity_verified_at timestamptz,
  identity_note text,
  refusal_ground text,
  duplicate_of uuid references public.dsar_requests (id),
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (received_at <= created_at),
  check ((extension_days = 0) = (extension_reason is null)),
  check ((identity_method is null) = (identity_verified_at is null)),
  check ((status = 'rejected') = (refusal_ground is not null)),
  check ((status = 'duplicate') = (duplicate_of is not null)),
  check (duplicate_of is distinct from id),
  check ((status in ('fulfilled', 'rejected', 'withdrawn', 'duplicate')) = (closed_at is not null)),
  check (status not in ('in_progress', 'awaiting_subject', 'fulfilled') or identity_verified_at is not null)
);

-- Queue pages: open requests by deadline (the default page), per status, type and assignee, and
-- everything by receipt. The deadline expression is the view's due_at, so these indexes serve it.
create index dsar_requests_open_due_idx on public.dsar_requests
  (public.dsar_due_at(received_at, type, extension_days), id)
  where status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject');
create index dsar_requests_status_due_idx on public.dsar_requests
  (status, public.dsar_due_at(received_at, type, extension_days), id);
create index dsar_requests_type_due_idx on public.dsar_requests
  (type, public.dsar_due_at(received_at, type, extension_days), id);
create index dsar_requests_assignee_due_idx on public.dsar_requests
  (assignee_id, public.dsar_due_at(received_at, type, extension_days), id);
create index dsar_requests_received_idx on public.dsar_requests (received_at desc, id);
create index dsar_requests_closed_idx on public.dsar_requests (closed_at) where closed_at is not null;
create index dsar_requests_customer_idx on public.dsar_requests (customer_id);
create index dsar_requests_created_by_idx on public.dsar_requests (created_by, received_at desc);
create index dsar_requests_duplicate_of_idx on public.dsar_requests (duplicate_of) where duplicate_of is not null;
create index dsar_requests_email_trgm_idx on public.dsar_requests using gin (requester_email extensions.gin_trgm_ops);
create index dsar_requests_reference_trgm_idx on public.dsar_requests using gin (reference extensions.gin_trgm_ops);
-- A double submit of the same intake (same person, type and receipt time) is refused.
create unique index dsar_requests_intake_key on public.dsar_requests (requester_email, type, received_at);

create table public.dsar_events (
  id bigint generated always as identity primary key,
  request_id uuid not null references public.dsar_requests (id) on delete restrict,
  kind text not null check (kind in (
    'created', 'status_changed', 'note', 'assigned', 'identity_verified', 'extended', 'customer_matched',
    'export_generated', 'email_drafted', 'email_sent', 'rectified', 'restriction_changed', 'consent_withdrawn',
    'erasure_executed', 'processor_task_done', 'certificate_issued')),
  from_status text,
  to_status text,
  note text,
  details jsonb not null default '{}'::jsonb,
  actor_staff_id uuid references public.staff_members (id),
  occurred_at timestamptz not null default now()
);
create index dsar_events_request_idx on public.dsar_events (request_id, occurred_at, id);
create index dsar_events_kind_idx on public.dsar_events (kind, occurred_at);

-- Content of an event that carries personal data (rectification before/after values, the text of a
-- reply to the subject): the DPO reads it, the auditor who reads dsar_events does not.
create table public.dsar_event_payloads (
  event_id bigint primary key references public.dsar_events (id) on delete restrict,
  content jsonb not null
);

create table public.dsar_processor_tasks (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references public.dsar_requests (id) on delete restrict,
  processor text not null check (processor in ('clerk', 'r2', 'stripe', 'kie_ai', 'sentry', 'upstash')),
  action text not null,
  status text not null default 'open' check (status in ('open', 'done')),
  done_by uuid references public.staff_members (id),
  done_at timestamptz,
  note text,
  created_at timestamptz not null default now(),
  unique (request_id, processor),
  check ((status = 'done') = (done_at is not null))
);

-- ---------------------------------------------------------------- history stays

do $$
begin
  create trigger dsar_events_append_only before update or delete on public.dsar_events
    for each row execute function public.reject_history_change();
  create trigger dsar_events_no_truncate before truncate on public.dsar_events
    for each statement execute function public.reject_history_change();
  alter table public.dsar_events enable always trigger dsar_events_append_only;
  alter table public.dsar_events enable always trigger dsar_events_no_truncate;
  create trigger dsar_event_payloads_append_only before update or delete on public.dsar_event_payloads
    for each row execute function public.reject_history_change();
  create trigger dsar_event_payloads_no_truncate before truncate on public.dsar_event_payloads
    for each statement execute function public.reject_history_change();
  alter table public.dsar_event_payloads enable always trigger dsar_event_payloads_append_only;
  alter table public.dsar_event_payloads enable always trigger dsar_event_payloads_no_truncate;
end
$$;

-- Any writer (functions, the service role for self-service rows, the seed) gets a reference
-- number when it gives none, and never a receipt time in the future.
create function public.dsar_requests_before_write() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
declare
  v_year integer;
  v_next integer;
begin
  if new.received_at > now() then
    raise exception 'received time % is in the future; a request is logged when it has arrived', new.received_at
      using errcode = 'invalid_parameter_value';
  end if;
  if tg_op = 'INSERT' and new.reference is null then
    v_year := extract(year from new.received_at at time zone 'Asia/Bangkok')::integer;
    insert into public.dsar_reference_counters as c (year, last_value) values (v_year, 1)
    on conflict (year) do update set last_value = c.last_value + 1
    returning last_value into v_next;
    new.reference := format('DSAR-%s-%s', v_year, lpad(v_next::text, 4, '0'));
  end if;
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end
$$;
revoke execute on function public.dsar_requests_before_write() from public, anon, authenticated, service_role;
create trigger dsar_requests_before_write before insert or update on public.dsar_requests
  for each row execute function public.dsar_requests_before_write();

-- ---------------------------------------------------------------- the queue

create view public.dsar_queue with (security_invoker = true) as
select
  r.id,
  r.reference,
  r.type,
  r.status,
  r.channel,
  r.requester_email,
  r.customer_id,
  r.summary,
  r.received_at,
  r.created_by,
  r.assignee_id,
  r.extension_days,
  r.extension_reason,
  r.identity_method,
  r.identity_verified_by,
  r.identity_verified_at,
  r.identity_note,
  r.refusal_ground,
  r.duplicate_of,
  r.closed_at,
  r.created_at,
  r.updated_at,
  c.email as customer_email,
  c.display_name as customer_display_name,
  c.processing_restricted as customer_processing_restricted,
  a.display_name as assignee_name,
  cb.display_name as created_by_name,
  public.dsar_promise_due_at(r.received_at, r.type, r.extension_days) as promise_due_at,
  public.dsar_statutory_due_at(r.received_at, r.type) as statutory_due_at,
  public.dsar_due_at(r.received_at, r.type, r.extension_days) as due_at,
  public.dsar_due_on(public.dsar_due_at(r.received_at, r.type, r.extension_days)) as due_on,
  public.dsar_due_on(public.dsar_promise_due_at(r.received_at, r.type, r.extension_days)) as promise_due_on,
  public.dsar_due_on(public.dsar_statutory_due_at(r.received_at, r.type)) as statutory_due_on,
  (public.dsar_due_on(public.dsar_due_at(r.received_at, r.type, r.extension_days))
    - (now() at time zone 'Asia/Bangkok')::date) as days_left,
  (r.status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject')
    and now() >= public.dsar_due_at(r.received_at, r.type, r.extension_days)) as is_overdue,
  (r.status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject')) as is_open
from public.dsar_requests r
left join public.customers c on c.id = r.customer_id
left join public.staff_members a on a.id = r.assignee_id
left join public.staff_members cb on cb.id = r.created_by;

-- ---------------------------------------------------------------- RLS and grants

alter table public.dsar_sla_rules enable row level security;
alter table public.dsar_reference_counters enable row level security;
alter table public.dsar_requests enable row level security;
alter table public.dsar_events enable row level security;
alter table public.dsar_event_payloads enable row level security;
alter table public.dsar_processor_tasks enable row level security;

-- Nobody writes these through the API: every change is a dsar_* function. The service role (the
-- M-Factory app's self-service intake) calls dsar_create_request too.
revoke all on public.dsar_sla_rules, public.dsar_reference_counters, public.dsar_requests, public.dsar_events,
  public.dsar_event_payloads, public.dsar_processor_tasks, public.dsar_queue from anon;
revoke insert, update, delete, truncate, references, trigger on public.dsar_sla_rules, public.dsar_reference_counters,
  public.dsar_requests, public.dsar_events, public.dsar_event_payloads, public.dsar_processor_tasks, public.dsar_queue
  from authenticated;
revoke truncate, references, trigger on public.dsar_sla_rules, public.dsar_reference_counters, public.dsar_requests,
  public.dsar_events, public.dsar_event_payloads, public.dsar_processor_tasks, public.dsar_queue from service_role;
revoke update, delete on public.dsar_events, public.dsar_event_payloads from service_role;
grant select on public.dsar_sla_rules, public.dsar_reference_counters, public.dsar_requests, public.dsar_events,
  public.dsar_event_payloads, public.dsar_processor_tasks, public.dsar_queue to authenticated, service_role;

create policy dsar_sla_rules_select on public.dsar_sla_rules for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'auditor'])));
-- dsar_reference_counters: no policy, internal to the reference numbering.

-- Support sees the intakes it logged (to answer "what happened to my request?"), nothing else.
create policy dsar_requests_select on public.dsar_requests for select to authenticated
  using ((select public.has_any_role(array['dpo', 'auditor']))
         or (created_by = (select public.current_staff_id()) and (select public.has_role('support'))));
create policy dsar_events_select on public.dsar_events for select to authenticated
  using ((select public.has_any_role(array['dpo', 'auditor'])));
create policy dsar_event_payloads_select on public.dsar_event_payloads for select to authenticated
  using ((select public.has_role('dpo')));
create policy dsar_processor_tasks_select on public.dsar_processor_tasks for select to authenticated
  using ((select public.has_any_role(array['dpo', 'auditor'])));

-- The pure helpers are what the security_invoker view calls: every signed-in caller needs them.
revoke execute on function public.dsar_promise_days(text), public.dsar_statutory_days(text),
  public.dsar_deadline(timestamptz, integer), public.dsar_promise_due_at(timestamptz, text, integer),
  public.dsar_statutory_due_at(timestamptz, text), public.dsar_due_at(timestamptz, text, integer),
  public.dsar_due_on(timestamptz), public.dsar_next_statuses(text) from public, anon;
grant execute on function public.dsar_promise_days(text), public.dsar_statutory_days(text),
  public.dsar_deadline(timestamptz, integer), public.dsar_promise_due_at(timestamptz, text, integer),
  public.dsar_statutory_due_at(timestamptz, text), public.dsar_due_at(timestamptz, text, integer),
  public.dsar_due_on(timestamptz), public.dsar_next_statuses(text) to authenticated, service_role;
