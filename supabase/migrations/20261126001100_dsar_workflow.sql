-- DSAR workflow: one security-definer function per act. Each checks the caller's role, validates,
-- then writes the request, a dsar_events row and the audit log in the same transaction; any failed
-- check raises before anything is written. Errors: 42501 not allowed (403), 22023 bad argument (400),
-- PT404 not found (404), 23505 already so (409), PT409 not allowed in the request's current status (409).

-- ---------------------------------------------------------------- internal helpers (no API access)

create function public.dsar_is_open(p_status text) returns boolean
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$ select p_status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject') $$;

create function public.dsar_require_dpo(p_function text) returns uuid
language plpgsql
stable
security definer
set search_path = public, pg_temp
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
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
language plpgsql
stable
set search_path = public, pg_temp
as $$
begin
  if p_request.status <> 'in_progress' then
    raise exception '%: % is %; this is done while the request is in_progress (identity verified, not closed)',
      p_function, p_request.reference, p_request.status using errcode = 'PT409';
  end if;
end
$$;

create function public.dsar_require_customer(p_request public.dsar_requests, p_function text) returns void
language plpgsql
stable
set search_path = public, pg_temp
as $$
begin
  if p_request.customer_id is null then
    raise exception '%: % is not matched to a customer yet; match it first (dsar_match_customer)',
      p_function, p_request.reference using errcode = 'PT409';
  end if;
end
$$;

-- Appends to the timeline and the audit log. `details` is metadata only (admin and auditor read the
-- audit log, the auditor reads events); personal data goes to `payload` (dsar_event_payloads, DPO only).
create function public.dsar_record_event(
  p_request public.dsar_requests, p_kind text, p_from_status text, p_to_status text, p_note text,
  p_details jsonb, p_payload jsonb default null
) returns public.dsar_events
language plpgsql
volatile
security definer
set search_path = public, pg_temp
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
language sql
stable
security definer
set search_path = public, pg_temp
as $$ select * from public.dsar_queue where id = p_request_id $$;

revoke execute on function public.dsar_is_open(text), public.dsar_require_dpo(text), public.dsar_lock_request(uuid, text),
  public.dsar_require_in_progress(public.dsar_requests, text), public.dsar_require_customer(public.dsar_requests, text),
  public.dsar_record_event(public.dsar_requests, text, text, text, text, jsonb, jsonb), public.dsar_queue_row(uuid)
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- intake

create function public.dsar_create_request(
  p_type text, p_channel text, p_requester_email text, p_received_at timestamptz,
  p_customer_id uuid default null, p_summary text default null
) returns public.dsar_queue
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_service boolean := coalesce(auth.jwt() ->> 'role', '') = 'service_role';
  v_email text := lower(trim(p_requester_email));
  v_received timestamptz := coalesce(p_received_at, now());
  v_existing text;
  v_row public.dsar_requests;
  v_back_dated boolean;
begin
  if not v_service and not public.has_any_role(array['dpo', 'support']) then
    raise exception 'dsar_create_request: only the DPO or support may log a request' using errcode = 'insufficient_privilege';
  end if;
  if p_type is null or public.dsar_statutory_days(p_type) is null then
    raise exception 'dsar_create_request: unknown request type %; use access, portability, rectification, erasure, restriction, objection or complaint',
      coalesce(p_type, 'null') using errcode = 'invalid_parameter_value';
  end if;
  if p_channel is null or p_channel not in ('self_service', 'email', 'other') then
    raise exception 'dsar_create_request: unknown channel %; use email or other (self_service is written by the M-Factory app)',
      coalesce(p_channel, 'null') using errcode = 'invalid_parameter_value';
  end if;
  if v_service and p_channel <> 'self_service' then
    raise exception 'dsar_create_request: the M-Factory app logs self_service requests only' using errcode = 'invalid_parameter_value';
  end if;
  if not v_service and p_channel = 'self_service' then
    raise exception 'dsar_create_request: self_service requests come from the M-Factory app; log an email or other request'
      using errcode = 'invalid_parameter_value';
  end if;
  if v_email is null or v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception 'dsar_create_request: % is not an email address', coalesce(p_requester_email, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if v_received > now() then
    raise exception 'dsar_create_request: received time % is in the future; enter when the request arrived', v_received
      using errcode = 'invalid_parameter_value';
  end if;
  if v_received < now() - interval '1 year' then
    raise exception 'dsar_create_request: received time % is more than a year ago; check the date', v_received
      using errcode = 'invalid_parameter_value';
  end if;
  if p_customer_id is not null and not exists (select 1 from public.customers where id = p_customer_id) then
    raise exception 'dsar_create_request: unknown customer %', p_customer_id using errcode = 'PT404';
  end if;
  if p_summary is not null and length(p_summary) > 4000 then
    raise exception 'dsar_create_request: the summary is longer than 4000 characters' using errcode = 'invalid_parameter_value';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_original public.dsar_requests;
  v_open_tasks text;
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
  if p_to_status <> 'rejected' and p_refusal_ground is not null then
    raise exception 'dsar_transition: a refusal ground is only given when rejecting' using errcode = 'invalid_parameter_value';
  end if;
  if p_to_status = 'duplicate' then
    if p_duplicate_of is null then
      raise exception 'dsar_transition: closing % as a duplicate needs the original request (duplicate_of)', v_req.reference
        using errcode = 'invalid_parameter_value';
    end if;
    if p_duplicate_of = v_req.id then
      raise exception 'dsar_transition: % cannot be a duplicate of itself', v_req.reference using errcode = 'invalid_parameter_value';
    end if;
    select * into v_original from public.dsar_requests where id = p_duplicate_of;
    if not found then
      raise exception 'dsar_transition: original request % does not exist', p_duplicate_of using errcode = 'PT404';
    end if;
    if v_original.status = 'duplicate' then
      raise exception 'dsar_transition: % is itself a duplicate; point to the original request', v_original.reference
        using errcode = 'invalid_parameter_value';
    end if;
  elsif p_duplicate_of is not null then
    raise exception 'dsar_transition: duplicate_of is only given when closing as duplicate' using errcode = 'invalid_parameter_value';
  end if;
  if p_to_status = 'fulfilled' and v_req.type = 'erasure' then
    if not exists (select 1 from public.dsar_events where request_id = v_req.id and kind = 'erasure_executed') then
      raise exception 'dsar_transition: erasure % has not been executed yet (dsar_execute_erasure)', v_req.reference
        using errcode = 'PT409';
    end if;
    select string_agg(processor, ', ' order by processor) into v_open_tasks
    from public.dsar_processor_tasks where request_id = v_req.id and status = 'open';
    if v_open_tasks is not null then
      raise exception 'dsar_transition: processor tasks of % are still open: %', v_req.reference, v_open_tasks
        using errcode = 'PT409';
    end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_assignee public.staff_members;
  v_id uuid;
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_assign');
  if p_request_ids is null or cardinality(p_request_ids) = 0 then
    raise exception 'dsar_assign: no requests given' using errcode = 'invalid_parameter_value';
  end if;
  if cardinality(p_request_ids) > 1000 then
    raise exception 'dsar_assign: at most 1000 requests at a time' using errcode = 'invalid_parameter_value';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_id uuid;
  v_original public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_close_as_duplicate');
  if p_request_ids is null or cardinality(p_request_ids) = 0 then
    raise exception 'dsar_close_as_duplicate: no requests given' using errcode = 'invalid_parameter_value';
  end if;
  if cardinality(p_request_ids) > 1000 then
    raise exception 'dsar_close_as_duplicate: at most 1000 requests at a time' using errcode = 'invalid_parameter_value';
  end if;
  if p_duplicate_of is null then
    raise exception 'dsar_close_as_duplicate: the original request is required' using errcode = 'invalid_parameter_value';
  end if;
  select * into v_original from public.dsar_requests where id = p_duplicate_of;
  if not found then
    raise exception 'dsar_close_as_duplicate: original request % does not exist', p_duplicate_of using errcode = 'PT404';
  end if;
  if v_original.status = 'duplicate' then
    raise exception 'dsar_close_as_duplicate: % is itself a duplicate; point to the original request', v_original.reference
      using errcode = 'invalid_parameter_value';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_total integer;
begin
  perform public.dsar_require_dpo('dsar_extend');
  if p_days is null or p_days < 1 or p_days > 60 then
    raise exception 'dsar_extend: extend by 1 to 60 days, got %', coalesce(p_days::text, 'null') using errcode = 'invalid_parameter_value';
  end if;
  if nullif(trim(p_reason), '') is null then
    raise exception 'dsar_extend: an extension needs a reason (it is told to the subject and audited)' using errcode = 'invalid_parameter_value';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_add_note');
  if nullif(trim(p_note), '') is null then
    raise exception 'dsar_add_note: the note is empty' using errcode = 'invalid_parameter_value';
  end if;
  if length(p_note) > 4000 then
    raise exception 'dsar_add_note: the note is longer than 4000 characters' using errcode = 'invalid_parameter_value';
  end if;
  v_req := public.dsar_lock_request(p_request_id, 'dsar_add_note');
  return public.dsar_record_event(v_req, 'note', null, null, p_note, '{}'::jsonb);
end
$$;

create function public.dsar_match_customer(p_request_id uuid, p_customer_id uuid) returns public.dsar_queue
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_match_customer');
  if p_customer_id is null then
    raise exception 'dsar_match_customer: the customer is required' using errcode = 'invalid_parameter_value';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_record_export');
  if p_manifest_sha256 is null or p_manifest_sha256 !~ '^[0-9a-f]{64}$' then
    raise exception 'dsar_record_export: the manifest hash must be 64 lower-case hex characters (SHA-256)'
      using errcode = 'invalid_parameter_value';
  end if;
  if p_details is not null and jsonb_typeof(p_details) <> 'object' then
    raise exception 'dsar_record_export: details must be a JSON object' using errcode = 'invalid_parameter_value';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_record_response');
  if p_language is null or p_language not in ('th', 'en') then
    raise exception 'dsar_record_response: language must be th or en' using errcode = 'invalid_parameter_value';
  end if;
  if nullif(trim(p_body), '') is null then
    raise exception 'dsar_record_response: the reply is empty' using errcode = 'invalid_parameter_value';
  end if;
  if length(p_body) > 20000 then
    raise exception 'dsar_record_response: the reply is longer than 20000 characters' using errcode = 'invalid_parameter_value';
  end if;
  if p_sent is null then
    raise exception 'dsar_record_response: say whether the reply was sent (true) or only drafted (false)' using errcode = 'invalid_parameter_value';
  end if;
  v_req := public.dsar_lock_request(p_request_id, 'dsar_record_response');
  return public.dsar_record_event(v_req, case when p_sent then 'email_sent' else 'email_drafted' end, null, null, null,
    jsonb_build_object('language', p_language, 'characters', length(p_body),
      'body_sha256', encode(sha256(convert_to(p_body, 'UTF8')), 'hex')),
    jsonb_build_object('language', p_language, 'body', p_body, 'to', v_req.requester_email));
end
$$;

create function public.dsar_rectify_customer(p_request_id uuid, p_changes jsonb) returns public.dsar_events
language plpgsql
volatile
security definer
set search_path = public, pg_temp
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
  if p_changes is null or jsonb_typeof(p_changes) <> 'object' or p_changes = '{}'::jsonb then
    raise exception 'dsar_rectify_customer: give the corrected fields as a JSON object, e.g. {"display_name": "..."}'
      using errcode = 'invalid_parameter_value';
  end if;
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
  if v_customer.deleted_at is not null then
    raise exception 'dsar_rectify_customer: the customer''s account is deleted' using errcode = 'PT409';
  end if;

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
        if v_value is not null and v_value !~ '^https://' then
          raise exception 'dsar_rectify_customer: the profile image must be an https URL' using errcode = 'invalid_parameter_value';
        end if;
        v_new.profile_image_url := v_value;
      when 'locale' then
        if v_value is null or v_value not in ('en', 'th') then
          raise exception 'dsar_rectify_customer: locale must be en or th' using errcode = 'invalid_parameter_value';
        end if;
        v_new.locale := v_value;
      when 'country' then
        if v_value is not null and upper(v_value) !~ '^[A-Z]{2}$' then
          raise exception 'dsar_rectify_customer: country must be a two-letter ISO code' using errcode = 'invalid_parameter_value';
        end if;
        v_new.country := upper(v_value);
    end case;
    if (to_jsonb(v_new) -> v_key) is distinct from (to_jsonb(v_customer) -> v_key) then
      v_before := v_before || jsonb_build_object(v_key, to_jsonb(v_customer) -> v_key);
      v_after := v_after || jsonb_build_object(v_key, to_jsonb(v_new) -> v_key);
    end if;
  end loop;
  if v_after = '{}'::jsonb then
    raise exception 'dsar_rectify_customer: the customer already has these values; nothing to correct' using errcode = 'unique_violation';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_customer public.customers;
begin
  perform public.dsar_require_dpo('dsar_set_restriction');
  if p_restricted is null then
    raise exception 'dsar_set_restriction: say whether processing is restricted (true) or resumed (false)' using errcode = 'invalid_parameter_value';
  end if;
  if nullif(trim(p_reason), '') is null then
    raise exception 'dsar_set_restriction: a reason is required' using errcode = 'invalid_parameter_value';
  end if;
  v_req := public.dsar_lock_request(p_request_id, 'dsar_set_restriction');
  perform public.dsar_require_in_progress(v_req, 'dsar_set_restriction');
  perform public.dsar_require_customer(v_req, 'dsar_set_restriction');
  select * into v_customer from public.customers where id = v_req.customer_id for update;
  if v_customer.processing_restricted = p_restricted then
    raise exception 'dsar_set_restriction: processing for this customer is already %',
      case when p_restricted then 'restricted' else 'unrestricted' end using errcode = 'unique_violation';
  end if;
  if not p_restricted and v_customer.deleted_at is not null then
    raise exception 'dsar_set_restriction: the account is deleted; its processing stays restricted' using errcode = 'PT409';
  end if;
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
language plpgsql
volatile
security definer
set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_purpose text;
  v_withdrawn text[] := array[]::text[];
  v_already text[] := array[]::text[];
begin
  perform public.dsar_require_dpo('dsar_withdraw_consent');
  if p_purposes is null or cardinality(p_purposes) = 0 then
    raise exception 'dsar_withdraw_consent: choose at least one purpose (analytics, marketing_email)' using errcode = 'invalid_parameter_value';
  end if;
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
grant execute on function
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
  to authenticated;
-- The M-Factory app (service role) logs self-service requests.
grant execute on function public.dsar_create_request(text, text, text, timestamptz, uuid, text) to service_role;
