-- Intake tolerates a client clock up to two minutes ahead of the database (a form that sends "now"
-- from a fast laptop clock): such a receipt time is stored as the database's now. Anything later is
-- still refused as in the future. Otherwise unchanged from 20261126001100_dsar_workflow.sql.

create or replace function public.dsar_create_request(
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
