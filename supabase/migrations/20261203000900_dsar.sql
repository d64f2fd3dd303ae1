-- DSAR desk (issue 3): data-subject requests, their append-only timeline, the SLA clock and RLS.
-- Deadlines are never stored: the queue view computes them from received_at, type and extension_days
-- with immutable helpers, so an expression index can serve "open requests ordered by due date".
-- Errors raised by the DSAR functions (HTTP status through PostgREST): 42501 not allowed (403),
-- 22023 bad argument (400), PT404 not found (404), 23505 already so (double submit, 409),
-- PT409 not allowed in the request's current status (409).
--
-- The workflow is one security-definer function per act. Each checks the caller's role, validates,
-- then writes the request, a dsar_events row and the audit log in the same transaction; any failed
-- check raises before anything is written. Errors: 42501 not allowed (403), 22023 bad argument (400),
-- PT404 not found (404), 23505 already so (409), PT409 not allowed in the request's current status (409).

-- ---------------------------------------------------------------- deadline arithmetic

-- The deadline helpers have no `set search_path`: PostgreSQL never inlines a function that
-- has a SET clause, so every row paid a function call (with a GUC save/restore) per helper, about
-- 70 µs a row: counting the overdue requests at 100k rows took over a second. Inlined, the planner
-- sees the plain expression, matches it against the expression indexes and evaluates it cheaply.
-- They stay safe without a pinned path: not security definer, and every name is schema-qualified.

-- Per-type rules. Kept as immutable functions (an index may use them) and mirrored as data in
-- dsar_sla_rules, whose check constraint forbids the two from ever disagreeing.
-- Privacy policy §7: "we respond within 30 days", for every kind of request.
create function public.dsar_promise_days(p_type text) returns integer
language sql
immutable
parallel safe
as $$
  select case when p_type in ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'complaint')
    then 30 end
$$;

-- Erasure: the PDPC's erasure notification (2024) allows 90 days; everything else follows the
-- 30 days of PDPA s.30 (access) or, where no statutory limit is set, the policy's own 30 days.
create function public.dsar_statutory_days(p_type text) returns integer
language sql
immutable
parallel safe
as $$
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
as $$
  select pg_catalog.timezone('Asia/Bangkok',
    ((pg_catalog.timezone('Asia/Bangkok', p_received_at))::date + p_days + 1)::timestamp)
$$;

-- The company's promise: moves with an extension.
create function public.dsar_promise_due_at(p_received_at timestamptz, p_type text, p_extension_days integer)
returns timestamptz
language sql
immutable
parallel safe
as $$
  select public.dsar_deadline(p_received_at, public.dsar_promise_days(p_type) + coalesce(p_extension_days, 0))
$$;

-- The statutory limit: never moves.
create function public.dsar_statutory_due_at(p_received_at timestamptz, p_type text) returns timestamptz
language sql
immutable
parallel safe
as $$
  select public.dsar_deadline(p_received_at, public.dsar_statutory_days(p_type))
$$;

-- The deadline the queue sorts and colours by: the earlier of the two.
create function public.dsar_due_at(p_received_at timestamptz, p_type text, p_extension_days integer)
returns timestamptz
language sql
immutable
parallel safe
as $$
  select least(public.dsar_promise_due_at(p_received_at, p_type, p_extension_days),
               public.dsar_statutory_due_at(p_received_at, p_type))
$$;

-- The Bangkok calendar day a deadline instant closes (the due date shown to people).
create function public.dsar_due_on(p_due_at timestamptz) returns date
language sql
immutable
parallel safe
as $$
  select (pg_catalog.timezone('Asia/Bangkok', p_due_at) - interval '1 day')::date
$$;

-- Statuses a request may move to from p_status (the legal-transition table; closed ones go nowhere).
-- Moving into in_progress also needs a verified identity (checked by dsar_transition).
create function public.dsar_next_statuses(p_status text) returns text[]
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

-- Whether a request in p_status is still open (new, awaiting verification, in progress or awaiting the subject).
create function public.dsar_is_open(p_status text) returns boolean
language sql
immutable
parallel safe
as $$ select p_status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject') $$;

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

select public.make_history_append_only('public.dsar_events');
select public.make_history_append_only('public.dsar_event_payloads');

-- Any writer (functions, the service role for self-service rows, the seed) gets a reference
-- number when it gives none, and never a receipt time in the future.
create function public.dsar_requests_before_write() returns trigger
language plpgsql security definer set search_path = public, pg_temp
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

select public.enable_row_level_security('public.dsar_sla_rules', 'public.dsar_reference_counters', 'public.dsar_requests',
  'public.dsar_events', 'public.dsar_event_payloads', 'public.dsar_processor_tasks');

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

-- ---------------------------------------------------------------- internal helpers (no API access)

create function public.dsar_require_dpo(p_function text) returns uuid
language plpgsql stable security definer set search_path = public, pg_temp
as $$
begin
  if not public.has_role('dpo') then
    raise exception '%: only the DPO may do this', p_function using errcode = 'insufficient_privilege';
  end if;
  return public.current_staff_id();
end
$$;

-- The request, locked for the rest of the transaction (concurrent acts on one request queue up).
create function public.dsar_lock_request(p_request_id uuid, p_function text) returns public.dsar_requests
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v public.dsar_requests;
begin
  if p_request_id is null then
    raise exception '%: request id is required', p_function using errcode = 'invalid_parameter_value';
  end if;
  select * into v from public.dsar_requests where id = p_request_id for update;
  if not found then
    raise exception '%: request % does not exist', p_function, p_request_id using errcode = 'PT404';
  end if;
  return v;
end
$$;

-- Fulfilment acts need an open request whose subject's identity has been verified.
create function public.dsar_require_in_progress(p_request public.dsar_requests, p_function text) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  if p_request.status <> 'in_progress' then
    raise exception '%: % is %; this is done while the request is in_progress (identity verified, not closed)',
      p_function, p_request.reference, p_request.status using errcode = 'PT409';
  end if;
end
$$;

create function public.dsar_require_customer(p_request public.dsar_requests, p_function text) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  if p_request.customer_id is null then
    raise exception '%: % is not matched to a customer yet; match it first (dsar_match_customer)',
      p_function, p_request.reference using errcode = 'PT409';
  end if;
end
$$;

-- An erasure is complete when it has been executed and no processor task is open: fulfilling the request and
-- issuing its certificate both require it (PT409 otherwise; p_not_executed is the caller's own wording).
create function public.dsar_require_erasure_complete(p_request public.dsar_requests, p_function text, p_not_executed text)
returns void
language plpgsql set search_path = public, pg_temp
as $$
declare
  v_open text;
begin
  if not exists (select 1 from public.dsar_events where request_id = p_request.id and kind = 'erasure_executed') then
    raise exception using message = p_not_executed, errcode = 'PT409';
  end if;
  select string_agg(processor, ', ' order by processor) into v_open
  from public.dsar_processor_tasks where request_id = p_request.id and status = 'open';
  if v_open is not null then
    raise exception '%: processor tasks of % are still open: %', p_function, p_request.reference, v_open
      using errcode = 'PT409';
  end if;
end
$$;

-- Appends to the timeline and the audit log. `details` is metadata only (admin and auditor read the
-- audit log, the auditor reads events); personal data goes to `payload` (dsar_event_payloads, DPO only).
create function public.dsar_record_event(
  p_request public.dsar_requests, p_kind text, p_from_status text, p_to_status text, p_note text,
  p_details jsonb, p_payload jsonb default null
) returns public.dsar_events
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_event public.dsar_events;
begin
  insert into public.dsar_events (request_id, kind, from_status, to_status, note, details, actor_staff_id, occurred_at)
  values (p_request.id, p_kind, p_from_status, p_to_status, nullif(trim(p_note), ''), coalesce(p_details, '{}'::jsonb),
          public.current_staff_id(), now())
  returning * into v_event;
  if p_payload is not null then
    insert into public.dsar_event_payloads (event_id, content) values (v_event.id, p_payload);
  end if;
  perform public.audit_append('dsar.' || p_kind, 'dsar_requests', p_request.id::text,
    case when p_from_status is null then null else jsonb_build_object('status', p_from_status) end,
    jsonb_build_object('reference', p_request.reference, 'type', p_request.type, 'event_id', v_event.id,
      'status', coalesce(p_to_status, p_request.status), 'details', v_event.details));
  return v_event;
end
$$;

create function public.dsar_queue_row(p_request_id uuid) returns public.dsar_queue
language sql stable security definer set search_path = public, pg_temp
as $$ select * from public.dsar_queue where id = p_request_id $$;

-- What a bulk act (assign, close as duplicate) requires before it looks at any request.
create function public.dsar_require_bulk(p_request_ids uuid[], p_function text) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  perform public.dsar_require_dpo(p_function);
  perform public.fail_if(p_request_ids is null or cardinality(p_request_ids) = 0, 'invalid_parameter_value',
    p_function || ': no requests given');
  perform public.fail_if(cardinality(p_request_ids) > 1000, 'invalid_parameter_value',
    p_function || ': at most 1000 requests at a time');
end
$$;

-- The request others are closed as duplicates of: it exists (PT404) and is not itself a duplicate (22023).
create function public.dsar_original_request(p_duplicate_of uuid, p_function text) returns public.dsar_requests
language plpgsql stable set search_path = public, pg_temp
as $$
declare
  v_original public.dsar_requests;
begin
  select * into v_original from public.dsar_requests where id = p_duplicate_of;
  perform public.fail_if(not found, 'PT404', format('%s: original request %s does not exist', p_function, p_duplicate_of));
  perform public.fail_if(v_original.status = 'duplicate', 'invalid_parameter_value',
    format('%s: %s is itself a duplicate; point to the original request', p_function, v_original.reference));
  return v_original;
end
$$;

revoke execute on function public.dsar_is_open(text), public.dsar_require_dpo(text), public.dsar_lock_request(uuid, text),
  public.dsar_require_in_progress(public.dsar_requests, text), public.dsar_require_customer(public.dsar_requests, text),
  public.dsar_record_event(public.dsar_requests, text, text, text, text, jsonb, jsonb), public.dsar_queue_row(uuid),
  public.dsar_require_erasure_complete(public.dsar_requests, text, text), public.dsar_require_bulk(uuid[], text),
  public.dsar_original_request(uuid, text)
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- intake

-- Intake tolerates a client clock up to two minutes ahead of the database (a form that sends "now"
-- from a fast laptop clock): such a receipt time is stored as the database's now. Anything later is
-- still refused as in the future.
create function public.dsar_create_request(
  p_type text, p_channel text, p_requester_email text, p_received_at timestamptz,
  p_customer_id uuid default null, p_summary text default null
) returns public.dsar_queue
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_service boolean := coalesce(auth.jwt() ->> 'role', '') = 'service_role';
  v_email text := lower(trim(p_requester_email));
  v_received timestamptz := coalesce(p_received_at, now());
  v_existing text;
  v_row public.dsar_requests;
  v_back_dated boolean;
begin
  perform public.fail_if(not v_service and not public.has_any_role(array['dpo', 'support']), 'insufficient_privilege',
    'dsar_create_request: only the DPO or support may log a request');
  if p_type is null or public.dsar_statutory_days(p_type) is null then
    raise exception 'dsar_create_request: unknown request type %; use access, portability, rectification, erasure, restriction, objection or complaint',
      coalesce(p_type, 'null') using errcode = 'invalid_parameter_value';
  end if;
  if p_channel is null or p_channel not in ('self_service', 'email', 'other') then
    raise exception 'dsar_create_request: unknown channel %; use email or other (self_service is written by the M-Factory app)',
      coalesce(p_channel, 'null') using errcode = 'invalid_parameter_value';
  end if;
  perform public.fail_if(v_service and p_channel <> 'self_service', 'invalid_parameter_value',
    'dsar_create_request: the M-Factory app logs self_service requests only');
  perform public.fail_if(not v_service and p_channel = 'self_service', 'invalid_parameter_value',
    'dsar_create_request: self_service requests come from the M-Factory app; log an email or other request');
  if v_email is null or v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception 'dsar_create_request: % is not an email address', coalesce(p_requester_email, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if v_received > now() + interval '2 minutes' then
    raise exception 'dsar_create_request: received time % is in the future; enter when the request arrived', v_received
      using errcode = 'invalid_parameter_value';
  end if;
  -- A browser clock a little ahead of the database's is "now", not the future.
  v_received := least(v_received, now());
  if v_received < now() - interval '1 year' then
    raise exception 'dsar_create_request: received time % is more than a year ago; check the date', v_received
      using errcode = 'invalid_parameter_value';
  end if;
  if p_customer_id is not null and not exists (select 1 from public.customers where id = p_customer_id) then
    raise exception 'dsar_create_request: unknown customer %', p_customer_id using errcode = 'PT404';
  end if;
  perform public.fail_if(p_summary is not null and length(p_summary) > 4000, 'invalid_parameter_value',
    'dsar_create_request: the summary is longer than 4000 characters');
  select reference into v_existing from public.dsar_requests
  where requester_email = v_email and type = p_type and received_at = v_received;
  if found then
    raise exception 'dsar_create_request: this request is already logged as % (same requester, type and received time)', v_existing
      using errcode = 'unique_violation';
  end if;

  insert into public.dsar_requests (type, channel, requester_email, customer_id, summary, received_at, created_by)
  values (p_type, p_channel, v_email, p_customer_id, nullif(trim(p_summary), ''), v_received,
          case when v_service then null else public.current_staff_id() end)
  returning * into v_row;
  -- Back-dating (an email that arrived earlier) starts the clock in the past: say so in the audit.
  v_back_dated := v_received < now() - interval '5 minutes';
  perform public.dsar_record_event(v_row, 'created', null, 'new', null,
    jsonb_build_object('channel', p_channel, 'received_at', v_received, 'back_dated', v_back_dated,
      'customer_matched', p_customer_id is not null));
  return public.dsar_queue_row(v_row.id);
end
$$;

-- ---------------------------------------------------------------- status changes

create function public.dsar_transition(
  p_request_id uuid, p_to_status text, p_note text default null, p_refusal_ground text default null,
  p_duplicate_of uuid default null
) returns public.dsar_queue
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_original public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_transition');
  if p_to_status is null or public.dsar_next_statuses(p_to_status) is null then
    raise exception 'dsar_transition: unknown status %', coalesce(p_to_status, 'null') using errcode = 'invalid_parameter_value';
  end if;
  v_req := public.dsar_lock_request(p_request_id, 'dsar_transition');
  if v_req.status = p_to_status then
    raise exception 'dsar_transition: % is already %', v_req.reference, p_to_status using errcode = 'unique_violation';
  end if;
  if not (p_to_status = any (public.dsar_next_statuses(v_req.status))) then
    raise exception 'dsar_transition: % cannot move from % to %; allowed from %: %', v_req.reference, v_req.status, p_to_status,
      v_req.status, coalesce(nullif(array_to_string(public.dsar_next_statuses(v_req.status), ', '), ''), 'nothing (the request is closed)')
      using errcode = 'PT409';
  end if;
  if p_to_status = 'in_progress' and v_req.identity_verified_at is null then
    raise exception 'dsar_transition: verify the requester''s identity first (dsar_verify_identity) before working on %', v_req.reference
      using errcode = 'PT409';
  end if;
  if p_to_status = 'rejected' and nullif(trim(p_refusal_ground), '') is null then
    raise exception 'dsar_transition: rejecting % needs a refusal ground (it is kept for the PDPA s.39 record)', v_req.reference
      using errcode = 'invalid_parameter_value';
  end if;
  perform public.fail_if(p_to_status <> 'rejected' and p_refusal_ground is not null, 'invalid_parameter_value',
    'dsar_transition: a refusal ground is only given when rejecting');
  if p_to_status = 'duplicate' then
    if p_duplicate_of is null then
      raise exception 'dsar_transition: closing % as a duplicate needs the original request (duplicate_of)', v_req.reference
        using errcode = 'invalid_parameter_value';
    end if;
    if p_duplicate_of = v_req.id then
      raise exception 'dsar_transition: % cannot be a duplicate of itself', v_req.reference using errcode = 'invalid_parameter_value';
    end if;
    v_original := public.dsar_original_request(p_duplicate_of, 'dsar_transition');
  elsif p_duplicate_of is not null then
    raise exception 'dsar_transition: duplicate_of is only given when closing as duplicate' using errcode = 'invalid_parameter_value';
  end if;
  if p_to_status = 'fulfilled' and v_req.type = 'erasure' then
    perform public.dsar_require_erasure_complete(v_req, 'dsar_transition',
      format('dsar_transition: erasure %s has not been executed yet (dsar_execute_erasure)', v_req.reference));
  end if;

  update public.dsar_requests
  set status = p_to_status,
      refusal_ground = case when p_to_status = 'rejected' then trim(p_refusal_ground) end,
      duplicate_of = case when p_to_status = 'duplicate' then p_duplicate_of end,
      closed_at = case when public.dsar_is_open(p_to_status) then null else now() end
  where id = v_req.id;
  perform public.dsar_record_event(v_req, 'status_changed', v_req.status, p_to_status, p_note,
    jsonb_strip_nulls(jsonb_build_object(
      'refusal_ground', case when p_to_status = 'rejected' then trim(p_refusal_ground) end,
      'duplicate_of', case when p_to_status = 'duplicate' then v_original.id end,
      'duplicate_of_reference', case when p_to_status = 'duplicate' then v_original.reference end)));
  return public.dsar_queue_row(v_req.id);
end
$$;

create function public.dsar_verify_identity(p_request_id uuid, p_method text, p_note text default null)
returns public.dsar_queue
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_staff uuid := public.dsar_require_dpo('dsar_verify_identity');
  v_req public.dsar_requests;
begin
  if p_method is null or p_method not in ('email_link', 'id_document', 'account_signed_in') then
    raise exception 'dsar_verify_identity: unknown method %; use email_link, id_document or account_signed_in', coalesce(p_method, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  v_req := public.dsar_lock_request(p_request_id, 'dsar_verify_identity');
  if v_req.identity_verified_at is not null then
    raise exception 'dsar_verify_identity: the identity for % was already verified', v_req.reference using errcode = 'unique_violation';
  end if;
  if v_req.status not in ('new', 'awaiting_verification') then
    raise exception 'dsar_verify_identity: % is %; identity is verified while the request is new or awaiting verification',
      v_req.reference, v_req.status using errcode = 'PT409';
  end if;
  update public.dsar_requests
  set identity_method = p_method, identity_verified_by = v_staff, identity_verified_at = now(),
      identity_note = nullif(trim(p_note), ''), status = 'in_progress'
  where id = v_req.id;
  perform public.dsar_record_event(v_req, 'identity_verified', v_req.status, 'in_progress', p_note,
    jsonb_build_object('method', p_method));
  return public.dsar_queue_row(v_req.id);
end
$$;

-- ---------------------------------------------------------------- assignment and duplicates (bulk)

create function public.dsar_assign(p_request_ids uuid[], p_assignee_id uuid)
returns table (request_id uuid, ok boolean, error text)
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_assignee public.staff_members;
  v_id uuid;
  v_req public.dsar_requests;
begin
  perform public.dsar_require_bulk(p_request_ids, 'dsar_assign');
  if p_assignee_id is not null then
    select * into v_assignee from public.staff_members where id = p_assignee_id;
    if not found then
      raise exception 'dsar_assign: staff member % does not exist', p_assignee_id using errcode = 'PT404';
    end if;
    if not v_assignee.active or not exists (
        select 1 from public.staff_roles where staff_member_id = p_assignee_id and role = 'dpo') then
      raise exception 'dsar_assign: % is not an active DPO; requests are assigned to DPO staff', v_assignee.display_name
        using errcode = 'invalid_parameter_value';
    end if;
  end if;
  for v_id in select distinct u from unnest(p_request_ids) u loop
    request_id := v_id;
    select * into v_req from public.dsar_requests r where r.id = v_id for update;
    if v_id is null or not found then
      ok := false;
      error := 'request does not exist';
    elsif not public.dsar_is_open(v_req.status) then
      ok := false;
      error := format('%s is %s (closed)', v_req.reference, v_req.status);
    elsif v_req.assignee_id is not distinct from p_assignee_id then
      ok := false;
      error := format('%s is already %s', v_req.reference,
        case when p_assignee_id is null then 'unassigned' else 'assigned to ' || v_assignee.display_name end);
    else
      update public.dsar_requests set assignee_id = p_assignee_id where id = v_id;
      perform public.dsar_record_event(v_req, 'assigned', null, null, null,
        jsonb_build_object('from_assignee_id', v_req.assignee_id, 'to_assignee_id', p_assignee_id));
      ok := true;
      error := null;
    end if;
    return next;
  end loop;
end
$$;

-- Each row succeeds or fails on its own (a savepoint per row), and says why.
create function public.dsar_close_as_duplicate(p_request_ids uuid[], p_duplicate_of uuid)
returns table (request_id uuid, ok boolean, error text)
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_id uuid;
  v_original public.dsar_requests;
begin
  perform public.dsar_require_bulk(p_request_ids, 'dsar_close_as_duplicate');
  perform public.fail_if(p_duplicate_of is null, 'invalid_parameter_value',
    'dsar_close_as_duplicate: the original request is required');
  v_original := public.dsar_original_request(p_duplicate_of, 'dsar_close_as_duplicate');
  for v_id in select distinct u from unnest(p_request_ids) u loop
    request_id := v_id;
    begin
      perform public.dsar_transition(v_id, 'duplicate', null, null, p_duplicate_of);
      ok := true;
      error := null;
    exception when others then
      ok := false;
      error := regexp_replace(sqlerrm, '^dsar_transition: ', '');
    end;
    return next;
  end loop;
end
$$;

-- ---------------------------------------------------------------- clock, notes, subject

create function public.dsar_extend(p_request_id uuid, p_days integer, p_reason text) returns public.dsar_queue
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_total integer;
begin
  perform public.dsar_require_dpo('dsar_extend');
  if p_days is null or p_days < 1 or p_days > 60 then
    raise exception 'dsar_extend: extend by 1 to 60 days, got %', coalesce(p_days::text, 'null') using errcode = 'invalid_parameter_value';
  end if;
  perform public.fail_if(nullif(trim(p_reason), '') is null, 'invalid_parameter_value',
    'dsar_extend: an extension needs a reason (it is told to the subject and audited)');
  v_req := public.dsar_lock_request(p_request_id, 'dsar_extend');
  if not public.dsar_is_open(v_req.status) then
    raise exception 'dsar_extend: % is % (closed); only open requests are extended', v_req.reference, v_req.status
      using errcode = 'PT409';
  end if;
  v_total := v_req.extension_days + p_days;
  if v_total > 60 then
    raise exception 'dsar_extend: % is already extended by % days; the total may not exceed 60', v_req.reference, v_req.extension_days
      using errcode = 'PT409';
  end if;
  update public.dsar_requests set extension_days = v_total, extension_reason = trim(p_reason) where id = v_req.id;
  perform public.dsar_record_event(v_req, 'extended', null, null, p_reason,
    jsonb_build_object('days', p_days, 'extension_days', v_total,
      'promise_due_before', public.dsar_promise_due_at(v_req.received_at, v_req.type, v_req.extension_days),
      'promise_due_after', public.dsar_promise_due_at(v_req.received_at, v_req.type, v_total),
      'statutory_due_at', public.dsar_statutory_due_at(v_req.received_at, v_req.type)));
  return public.dsar_queue_row(v_req.id);
end
$$;

create function public.dsar_add_note(p_request_id uuid, p_note text) returns public.dsar_events
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_add_note');
  perform public.fail_if(nullif(trim(p_note), '') is null, 'invalid_parameter_value',
    'dsar_add_note: the note is empty');
  perform public.fail_if(length(p_note) > 4000, 'invalid_parameter_value',
    'dsar_add_note: the note is longer than 4000 characters');
  v_req := public.dsar_lock_request(p_request_id, 'dsar_add_note');
  return public.dsar_record_event(v_req, 'note', null, null, p_note, '{}'::jsonb);
end
$$;

create function public.dsar_match_customer(p_request_id uuid, p_customer_id uuid) returns public.dsar_queue
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_match_customer');
  perform public.fail_if(p_customer_id is null, 'invalid_parameter_value',
    'dsar_match_customer: the customer is required');
  v_req := public.dsar_lock_request(p_request_id, 'dsar_match_customer');
  if not exists (select 1 from public.customers where id = p_customer_id) then
    raise exception 'dsar_match_customer: unknown customer %', p_customer_id using errcode = 'PT404';
  end if;
  if v_req.customer_id = p_customer_id then
    raise exception 'dsar_match_customer: % is already matched to this customer', v_req.reference using errcode = 'unique_violation';
  end if;
  if not public.dsar_is_open(v_req.status) then
    raise exception 'dsar_match_customer: % is % (closed)', v_req.reference, v_req.status using errcode = 'PT409';
  end if;
  if exists (select 1 from public.dsar_events where request_id = v_req.id and kind = 'erasure_executed') then
    raise exception 'dsar_match_customer: the erasure of % has run; its subject can no longer change', v_req.reference
      using errcode = 'PT409';
  end if;
  update public.dsar_requests set customer_id = p_customer_id where id = v_req.id;
  perform public.dsar_record_event(v_req, 'customer_matched', null, null, null,
    jsonb_build_object('from_customer_id', v_req.customer_id, 'customer_id', p_customer_id));
  return public.dsar_queue_row(v_req.id);
end
$$;

-- ---------------------------------------------------------------- fulfilment records

create function public.dsar_record_export(p_request_id uuid, p_manifest_sha256 text, p_details jsonb)
returns public.dsar_events
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_record_export');
  perform public.fail_if(p_manifest_sha256 is null or p_manifest_sha256 !~ '^[0-9a-f]{64}$', 'invalid_parameter_value',
    'dsar_record_export: the manifest hash must be 64 lower-case hex characters (SHA-256)');
  perform public.fail_if(p_details is not null and jsonb_typeof(p_details) <> 'object', 'invalid_parameter_value',
    'dsar_record_export: details must be a JSON object');
  v_req := public.dsar_lock_request(p_request_id, 'dsar_record_export');
  if v_req.type not in ('access', 'portability') then
    raise exception 'dsar_record_export: % is a % request; exports answer access and portability requests', v_req.reference, v_req.type
      using errcode = 'PT409';
  end if;
  perform public.dsar_require_in_progress(v_req, 'dsar_record_export');
  perform public.dsar_require_customer(v_req, 'dsar_record_export');
  return public.dsar_record_event(v_req, 'export_generated', null, null, null,
    coalesce(p_details, '{}'::jsonb) || jsonb_build_object('manifest_sha256', p_manifest_sha256, 'customer_id', v_req.customer_id));
end
$$;

create function public.dsar_record_response(p_request_id uuid, p_language text, p_body text, p_sent boolean)
returns public.dsar_events
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_record_response');
  perform public.fail_if(p_language is null or p_language not in ('th', 'en'), 'invalid_parameter_value',
    'dsar_record_response: language must be th or en');
  perform public.fail_if(nullif(trim(p_body), '') is null, 'invalid_parameter_value',
    'dsar_record_response: the reply is empty');
  perform public.fail_if(length(p_body) > 20000, 'invalid_parameter_value',
    'dsar_record_response: the reply is longer than 20000 characters');
  perform public.fail_if(p_sent is null, 'invalid_parameter_value',
    'dsar_record_response: say whether the reply was sent (true) or only drafted (false)');
  v_req := public.dsar_lock_request(p_request_id, 'dsar_record_response');
  return public.dsar_record_event(v_req, case when p_sent then 'email_sent' else 'email_drafted' end, null, null, null,
    jsonb_build_object('language', p_language, 'characters', length(p_body),
      'body_sha256', encode(sha256(convert_to(p_body, 'UTF8')), 'hex')),
    jsonb_build_object('language', p_language, 'body', p_body, 'to', v_req.requester_email));
end
$$;

create function public.dsar_rectify_customer(p_request_id uuid, p_changes jsonb) returns public.dsar_events
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_customer public.customers;
  v_allowed constant text[] := array['email', 'display_name', 'profile_image_url', 'locale', 'country'];
  v_key text;
  v_before jsonb := '{}'::jsonb;
  v_after jsonb := '{}'::jsonb;
  v_value text;
  v_new public.customers;
begin
  perform public.dsar_require_dpo('dsar_rectify_customer');
  perform public.fail_if(
    p_changes is null or jsonb_typeof(p_changes) <> 'object' or p_changes = '{}'::jsonb,
    'invalid_parameter_value', 'dsar_rectify_customer: give the corrected fields as a JSON object, e.g. {"display_name": "..."}');
  for v_key in select jsonb_object_keys(p_changes) loop
    if not (v_key = any (v_allowed)) then
      raise exception 'dsar_rectify_customer: % cannot be rectified here; fields: %', v_key, array_to_string(v_allowed, ', ')
        using errcode = 'invalid_parameter_value';
    end if;
    if jsonb_typeof(p_changes -> v_key) not in ('string', 'null') then
      raise exception 'dsar_rectify_customer: % must be text or null', v_key using errcode = 'invalid_parameter_value';
    end if;
  end loop;
  v_req := public.dsar_lock_request(p_request_id, 'dsar_rectify_customer');
  if v_req.type <> 'rectification' then
    raise exception 'dsar_rectify_customer: % is a % request; profile fields are corrected through a rectification request',
      v_req.reference, v_req.type using errcode = 'PT409';
  end if;
  perform public.dsar_require_in_progress(v_req, 'dsar_rectify_customer');
  perform public.dsar_require_customer(v_req, 'dsar_rectify_customer');
  select * into v_customer from public.customers where id = v_req.customer_id for update;
  perform public.fail_if(v_customer.deleted_at is not null, 'PT409',
    'dsar_rectify_customer: the customer''s account is deleted');

  v_new := v_customer;
  for v_key in select jsonb_object_keys(p_changes) loop
    v_value := nullif(trim(p_changes ->> v_key), '');
    case v_key
      when 'email' then
        if v_value is null or v_value !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
          raise exception 'dsar_rectify_customer: % is not an email address', coalesce(v_value, 'an empty value')
            using errcode = 'invalid_parameter_value';
        end if;
        v_new.email := lower(v_value);
      when 'display_name' then
        v_new.display_name := v_value;
      when 'profile_image_url' then
        perform public.fail_if(v_value is not null and v_value !~ '^https://', 'invalid_parameter_value',
          'dsar_rectify_customer: the profile image must be an https URL');
        v_new.profile_image_url := v_value;
      when 'locale' then
        perform public.fail_if(v_value is null or v_value not in ('en', 'th'), 'invalid_parameter_value',
          'dsar_rectify_customer: locale must be en or th');
        v_new.locale := v_value;
      when 'country' then
        perform public.fail_if(v_value is not null and upper(v_value) !~ '^[A-Z]{2}$', 'invalid_parameter_value',
          'dsar_rectify_customer: country must be a two-letter ISO code');
        v_new.country := upper(v_value);
    end case;
    if (to_jsonb(v_new) -> v_key) is distinct from (to_jsonb(v_customer) -> v_key) then
      v_before := v_before || jsonb_build_object(v_key, to_jsonb(v_customer) -> v_key);
      v_after := v_after || jsonb_build_object(v_key, to_jsonb(v_new) -> v_key);
    end if;
  end loop;
  perform public.fail_if(v_after = '{}'::jsonb, 'unique_violation',
    'dsar_rectify_customer: the customer already has these values; nothing to correct');
  if v_after ? 'email' and exists (
      select 1 from public.customers where lower(email) = v_new.email and deleted_at is null and id <> v_customer.id) then
    raise exception 'dsar_rectify_customer: another customer already uses %', v_new.email using errcode = 'unique_violation';
  end if;
  update public.customers
  set email = v_new.email, display_name = v_new.display_name, profile_image_url = v_new.profile_image_url,
      locale = v_new.locale, country = v_new.country, updated_at = now()
  where id = v_customer.id;
  return public.dsar_record_event(v_req, 'rectified', null, null, null,
    jsonb_build_object('customer_id', v_customer.id,
      'fields', (select jsonb_agg(k order by k) from jsonb_object_keys(v_after) k)),
    jsonb_build_object('before', v_before, 'after', v_after));
end
$$;

create function public.dsar_set_restriction(p_request_id uuid, p_restricted boolean, p_reason text) returns public.dsar_queue
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_customer public.customers;
begin
  perform public.dsar_require_dpo('dsar_set_restriction');
  perform public.fail_if(p_restricted is null, 'invalid_parameter_value',
    'dsar_set_restriction: say whether processing is restricted (true) or resumed (false)');
  perform public.fail_if(nullif(trim(p_reason), '') is null, 'invalid_parameter_value',
    'dsar_set_restriction: a reason is required');
  v_req := public.dsar_lock_request(p_request_id, 'dsar_set_restriction');
  perform public.dsar_require_in_progress(v_req, 'dsar_set_restriction');
  perform public.dsar_require_customer(v_req, 'dsar_set_restriction');
  select * into v_customer from public.customers where id = v_req.customer_id for update;
  if v_customer.processing_restricted = p_restricted then
    raise exception 'dsar_set_restriction: processing for this customer is already %',
      case when p_restricted then 'restricted' else 'unrestricted' end using errcode = 'unique_violation';
  end if;
  perform public.fail_if(not p_restricted and v_customer.deleted_at is not null, 'PT409',
    'dsar_set_restriction: the account is deleted; its processing stays restricted');
  update public.customers
  set processing_restricted = p_restricted,
      restricted_at = case when p_restricted then now() end,
      restriction_reason = case when p_restricted then format('%s (%s)', trim(p_reason), v_req.reference) end,
      updated_at = now()
  where id = v_customer.id;
  perform public.dsar_record_event(v_req, 'restriction_changed', null, null, p_reason,
    jsonb_build_object('customer_id', v_customer.id, 'restricted', p_restricted));
  return public.dsar_queue_row(v_req.id);
end
$$;

create function public.dsar_withdraw_consent(p_request_id uuid, p_purposes text[]) returns public.dsar_events
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_purpose text;
  v_withdrawn text[] := array[]::text[];
  v_already text[] := array[]::text[];
begin
  perform public.dsar_require_dpo('dsar_withdraw_consent');
  perform public.fail_if(p_purposes is null or cardinality(p_purposes) = 0, 'invalid_parameter_value',
    'dsar_withdraw_consent: choose at least one purpose (analytics, marketing_email)');
  foreach v_purpose in array p_purposes loop
    if v_purpose is null or v_purpose not in ('analytics', 'marketing_email') then
      raise exception 'dsar_withdraw_consent: % is not a consent-based purpose; only analytics and marketing_email can be withdrawn (ending the terms or privacy policy means closing the account: an erasure request)',
        coalesce(v_purpose, 'null') using errcode = 'invalid_parameter_value';
    end if;
  end loop;
  v_req := public.dsar_lock_request(p_request_id, 'dsar_withdraw_consent');
  if v_req.type <> 'objection' then
    raise exception 'dsar_withdraw_consent: % is a % request; consent is withdrawn through an objection request', v_req.reference, v_req.type
      using errcode = 'PT409';
  end if;
  perform public.dsar_require_in_progress(v_req, 'dsar_withdraw_consent');
  perform public.dsar_require_customer(v_req, 'dsar_withdraw_consent');
  for v_purpose in select distinct p from unnest(p_purposes) p order by 1 loop
    if exists (select 1 from public.customer_consents
               where customer_id = v_req.customer_id and purpose = v_purpose and not granted) then
      v_already := v_already || v_purpose;
    else
      insert into public.consent_events (customer_id, purpose, action, source, recorded_by, occurred_at)
      values (v_req.customer_id, v_purpose, 'withdrawn', 'dsar', public.current_staff_id(), now());
      v_withdrawn := v_withdrawn || v_purpose;
    end if;
  end loop;
  if cardinality(v_withdrawn) = 0 then
    raise exception 'dsar_withdraw_consent: consent for % is already withdrawn', array_to_string(v_already, ', ')
      using errcode = 'unique_violation';
  end if;
  return public.dsar_record_event(v_req, 'consent_withdrawn', null, null, null,
    jsonb_build_object('customer_id', v_req.customer_id, 'purposes', to_jsonb(v_withdrawn), 'already_withdrawn', to_jsonb(v_already)));
end
$$;

revoke execute on function
  public.dsar_create_request(text, text, text, timestamptz, uuid, text),
  public.dsar_transition(uuid, text, text, text, uuid),
  public.dsar_verify_identity(uuid, text, text),
  public.dsar_assign(uuid[], uuid),
  public.dsar_close_as_duplicate(uuid[], uuid),
  public.dsar_extend(uuid, integer, text),
  public.dsar_add_note(uuid, text),
  public.dsar_match_customer(uuid, uuid),
  public.dsar_record_export(uuid, text, jsonb),
  public.dsar_record_response(uuid, text, text, boolean),
  public.dsar_rectify_customer(uuid, jsonb),
  public.dsar_set_restriction(uuid, boolean, text),
  public.dsar_withdraw_consent(uuid, text[])
  from public, anon, service_role;
-- authenticated keeps EXECUTE from the default privileges (platform migration); each function checks the DPO role.
-- The M-Factory app (service role) logs self-service requests.
grant execute on function public.dsar_create_request(text, text, text, timestamptz, uuid, text) to service_role;

-- ---------------------------------------------------------------- statistics

-- Figures for the DSAR charts, computed in one call. Weeks start on Monday and months on the 1st,
-- both in Asia/Bangkok; every bucket of the window is present (zero when empty) so charts need no gap filling.

create function public.dsar_stats() returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_today date := (now() at time zone 'Asia/Bangkok')::date;
  v_week0 date := date_trunc('week', (now() at time zone 'Asia/Bangkok'))::date - 11 * 7;
  v_month0 date := (date_trunc('month', (now() at time zone 'Asia/Bangkok')) - interval '11 months')::date;
  v_types constant text[] := array['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'complaint'];
begin
  perform public.require_any_role(array['dpo', 'auditor'], 'dsar_stats: only the DPO or the auditor may read DSAR statistics');
  return jsonb_build_object(
    'generated_at', now(),
    'open_by_days_left', (
      with buckets(ord, bucket) as (values (1, 'overdue'), (2, '0-7'), (3, '8-14'), (4, '15-30'), (5, '31+')),
      open_requests as (
        select public.dsar_due_on(public.dsar_due_at(received_at, type, extension_days)) - v_today as days_left
        from public.dsar_requests
        where status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject')
      )
      select jsonb_agg(jsonb_build_object('bucket', b.bucket, 'count', (
        select count(*) from open_requests o where case
          when o.days_left < 0 then 'overdue' when o.days_left <= 7 then '0-7' when o.days_left <= 14 then '8-14'
          when o.days_left <= 30 then '15-30' else '31+' end = b.bucket)) order by b.ord)
      from buckets b),
    'requests_per_week', (
      with weeks as (select (v_week0 + 7 * i) as week from generate_series(0, 11) i),
      counted as (
        select date_trunc('week', received_at at time zone 'Asia/Bangkok')::date as week, type, count(*) as n
        from public.dsar_requests
        where received_at >= (v_week0::timestamp at time zone 'Asia/Bangkok')
        group by 1, 2
      )
      select jsonb_agg(
        (select jsonb_object_agg(t, coalesce((select c.n from counted c where c.week = w.week and c.type = t), 0))
         from unnest(v_types) t) || jsonb_build_object('week', w.week) order by w.week)
      from weeks w),
    'on_time_by_month', (
      with months as (select (v_month0 + make_interval(months => i))::date as month from generate_series(0, 11) i),
      closed as (
        select date_trunc('month', closed_at at time zone 'Asia/Bangkok')::date as month,
               closed_at < public.dsar_due_at(received_at, type, extension_days) as on_time,
               extract(epoch from closed_at - received_at) / 86400.0 as days_to_close
        from public.dsar_requests
        where closed_at >= (v_month0::timestamp at time zone 'Asia/Bangkok')
      )
      select jsonb_agg(jsonb_build_object(
        'month', m.month,
        'on_time', (select count(*) from closed c where c.month = m.month and c.on_time),
        'late', (select count(*) from closed c where c.month = m.month and not c.on_time),
        'median_days_to_close', (select round(percentile_cont(0.5) within group (order by c.days_to_close)::numeric, 1)
                                 from closed c where c.month = m.month)) order by m.month)
      from months m)
  );
end
$$;
revoke execute on function public.dsar_stats() from public, anon, service_role;
grant execute on function public.dsar_stats() to authenticated;
