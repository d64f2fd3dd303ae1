-- Issue 10, re-acceptance tracking: the people behind the list, and a decline's effects recorded and audited.
--
-- 1. policy_reacceptance (…001100) answers with customer ids only, and the DPO cannot page a list of people out of
--    it (nor export one) without a second read per page. policy_reacceptance_people adds who the customer is and
--    what a decline did. It is security INVOKER: the e-mail and name come through the caller's own RLS on
--    customers (the DPO reads them; the auditor, who reads no customer contact data, gets null), the decline
--    through RLS on policy_declines (DPO and auditor); the refusals are policy_reacceptance's own.
-- 2. record_policy_decline (…001100) withdraws the consent-based purposes and writes a policy_declines row saying the
--    account is restricted, but nothing put that row in the audit chain (only the consent events were), and nothing
--    checked that a row says what its decline is. A trigger on policy_declines does both, for whoever writes it.
--    The account restriction stays the decline's own (the customer app refuses service while the latest answer to
--    the re_accept version is a restricting decline; accepting later lifts it): it is not customers'
--    processing_restricted, the PDPA s.34 restriction of processing that a DSAR sets and lifts, which a decline must
--    not set and an acceptance must not lift.

-- ================================================================ the list, with people

create function public.policy_reacceptance_people(p_policy_version_id uuid)
returns table (
  customer_id uuid, email text, display_name text, status text, event_id bigint, decided_at timestamptz,
  account_restricted boolean, withdrawn_purposes text[], declined_at timestamptz
)
language sql stable security invoker set search_path = public, pg_temp
as $$
  select r.customer_id, c.email, c.display_name, r.status, r.event_id, r.decided_at, r.account_restricted,
    d.withdrawn_purposes, d.declined_at
  from public.policy_reacceptance(p_policy_version_id) r
  left join public.customers c on c.id = r.customer_id
  -- The decline recorded with the latest answer (a declined row without one was a refusal not made at the prompt).
  left join public.policy_declines d
    on d.customer_id = r.customer_id and d.policy_version_id = p_policy_version_id and d.consent_event_id = r.event_id
$$;
revoke execute on function public.policy_reacceptance_people(uuid) from public, anon, service_role;
grant execute on function public.policy_reacceptance_people(uuid) to authenticated;

-- ================================================================ a decline says what it is, and is audited

-- The purposes a decline of each document withdraws (record_policy_decline's rule).
create function public.policy_decline_purposes(p_document text) returns text[]
language sql immutable set search_path = public, pg_temp
as $$
  select case when p_document = 'cookie_policy' then array['analytics'] else array['analytics', 'marketing_email'] end
$$;
revoke execute on function public.policy_decline_purposes(text) from public, anon, authenticated, service_role;

-- Before the row is written: its consent event is this customer's refusal (or withdrawal) of this version, its
-- restriction is the document's (every document but the cookie policy restricts), its withdrawn purposes are ones
-- the document covers. Refused with 23514, nothing written.
create function public.policy_declines_check() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  v public.policy_versions;
  v_event public.consent_events;
begin
  select * into v from public.policy_versions where id = new.policy_version_id;
  select * into v_event from public.consent_events where id = new.consent_event_id;
  if v_event.id is null or v_event.customer_id <> new.customer_id or v_event.purpose <> v.document
     or v_event.policy_version_id is distinct from v.id or v_event.action not in ('refused', 'withdrawn') then
    raise exception 'policy_declines: consent event % is not this customer''s refusal of % version %',
      new.consent_event_id, v.document, v.version using errcode = 'check_violation';
  end if;
  if new.account_restricted is distinct from (v.document <> 'cookie_policy') then
    raise exception 'policy_declines: a decline of the % % restrict the account', v.document,
      case when v.document = 'cookie_policy' then 'does not' else 'must' end using errcode = 'check_violation';
  end if;
  if not (new.withdrawn_purposes <@ public.policy_decline_purposes(v.document)) then
    raise exception 'policy_declines: a decline of the % withdraws only %', v.document,
      array_to_string(public.policy_decline_purposes(v.document), ', ') using errcode = 'check_violation';
  end if;
  return new;
end
$$;
revoke execute on function public.policy_declines_check() from public, anon, authenticated, service_role;
create trigger policy_declines_check before insert on public.policy_declines
  for each row execute function public.policy_declines_check();

-- After: the decline and what it did, in the audit chain (ids, the version's label, the purposes, the restriction;
-- no personal data beyond the customer id, as for consent events).
create function public.policy_declines_audit() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  v public.policy_versions;
begin
  select * into v from public.policy_versions where id = new.policy_version_id;
  perform public.audit_append('policy_declines.insert', 'policy_declines', new.id::text, null,
    jsonb_build_object(
      'id', new.id, 'customer_id', new.customer_id, 'policy_version_id', new.policy_version_id,
      'document', v.document, 'version', v.version, 'consent_event_id', new.consent_event_id,
      'withdrawn_purposes', to_jsonb(new.withdrawn_purposes), 'account_restricted', new.account_restricted,
      'declined_at', new.declined_at));
  return null;
end
$$;
revoke execute on function public.policy_declines_audit() from public, anon, authenticated, service_role;
create trigger policy_declines_audit after insert on public.policy_declines
  for each row execute function public.policy_declines_audit();
