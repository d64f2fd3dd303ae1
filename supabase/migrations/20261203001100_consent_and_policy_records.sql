-- Consent and policy records (issue 10): the consent log as provable evidence and the policy versions it points at.
--
-- Policy versions gain a document (privacy policy, terms, cookie policy; one published version per document), an
-- optional Thai body, a summary of changes, the SHA-256 of each body (computed here, never by the client), the
-- change class chosen at publication (editorial / notify / re_accept, the last with a reason) and a guard that
-- makes a published or superseded version immutable for every role, the owner included.
--
-- Consent events gain the purposes, actions and sources of the policy, the language shown and the collection
-- method. The full IP address moves to consent_event_ips (the DPO's only): consent_events.ip keeps the masked
-- network (/24, /48) the auditor reads. Every event is appended to the hash-chained audit log, with a commitment to
-- the full IP (salted SHA-256) instead of the address. The current state per purpose is the latest event by
-- (occurred_at, id); consent_state_as_of answers the same question for any past instant. consent_evidence returns
-- the evidence pack of one event (Kantara-shaped receipt, SHA-256 of the policy text, place in the audit chain).
-- Re-acceptance of a re_accept version is tracked per active customer; a decline is recorded with what it did.
--
-- Rows written before this migration keep null language and collection method (they were not recorded then):
-- history is append-only, so they are not back-filled; new rows must have both (NOT VALID checks).

-- ================================================================ policy versions

alter table public.policy_versions
  add column document text not null default 'privacy_policy'
    check (document in ('privacy_policy', 'terms', 'cookie_policy')),
  add column body_th text check (body_th ~ '\S'),
  add column summary_of_changes text,
  add column body_sha256 text,
  add column body_th_sha256 text,
  add column change_class text check (change_class in ('editorial', 'notify', 're_accept')),
  add column change_reason text,
  add column superseded_at timestamptz,
  add constraint policy_versions_draft_unclassified check (status <> 'draft' or change_class is null),
  add constraint policy_versions_re_accept_reason
    check (change_class is distinct from 're_accept' or coalesce(change_reason, '') ~ '\S');

-- A label is unique per document now (terms and the privacy policy may share a date).
alter table public.policy_versions drop constraint policy_versions_version_key;
alter table public.policy_versions add constraint policy_versions_document_version_key unique (document, version);
drop index public.policy_versions_one_published_idx;
create unique index policy_versions_one_published_idx on public.policy_versions (document) where status = 'published';
create index policy_versions_in_force_idx on public.policy_versions (document, effective_at desc) where status <> 'draft';

-- Rows from before this migration: hash their bodies (the guard below does it for every later write).
update public.policy_versions
set body_sha256 = encode(sha256(convert_to(body_markdown, 'UTF8')), 'hex'),
    body_th_sha256 = case when body_th is null then null else encode(sha256(convert_to(body_th, 'UTF8')), 'hex') end;
alter table public.policy_versions alter column body_sha256 set not null;

-- A published or superseded version never changes, for any role (the owner and the functions running as it
-- included); the one change allowed is publish_policy_version superseding the published version of the same
-- document. Nor is it deleted. The hashes are the database's: whatever a writer puts there is replaced.
create function public.policy_versions_guard() returns trigger
language plpgsql set search_path = public, pg_temp
as $$
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'policy_versions: % version % is % and cannot be deleted', old.document, old.version, old.status
        using errcode = 'PT409', hint = 'A published policy version is kept as evidence of what customers were shown.';
    end if;
    return old;
  end if;
  if tg_op = 'UPDATE' and old.status <> 'draft'
     and not (old.status = 'published' and new.status = 'superseded'
              and (to_jsonb(new) - 'status' - 'superseded_at') = (to_jsonb(old) - 'status' - 'superseded_at')) then
    raise exception 'policy_versions: % version % is % and cannot be changed', old.document, old.version, old.status
      using errcode = 'PT409', hint = 'Draft a new version and publish it; published text is immutable.';
  end if;
  new.body_sha256 := encode(sha256(convert_to(new.body_markdown, 'UTF8')), 'hex');
  new.body_th_sha256 := case when new.body_th is null then null else encode(sha256(convert_to(new.body_th, 'UTF8')), 'hex') end;
  return new;
end
$$;
revoke execute on function public.policy_versions_guard() from public, anon, authenticated, service_role;
create trigger policy_versions_guard before insert or update or delete on public.policy_versions
  for each row execute function public.policy_versions_guard();
alter table public.policy_versions enable always trigger policy_versions_guard;

-- The DPO writes drafts: the new columns too. The update policy now reaches every row, so that editing a published
-- version meets the guard's clear refusal instead of silently matching nothing; WITH CHECK still keeps it a draft.
grant insert (document, body_th, summary_of_changes), update (document, body_th, summary_of_changes)
  on public.policy_versions to authenticated;
alter policy policy_versions_update on public.policy_versions using ((select public.has_role('dpo')));

-- Publishing now names the change: editorial (no notice), notify (in-app notice) or re_accept (customers accept
-- again at next sign-in; policy §10), the last with a reason. It supersedes the published version of the same
-- document only. The earlier refusals keep their order, codes and wording.
drop function public.publish_policy_version(uuid);
create function public.publish_policy_version(p_id uuid, p_change_class text default null, p_reason text default null)
returns json
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v_draft public.policy_versions;
  v_current public.policy_versions;
  v_published public.policy_versions;
begin
  perform public.require_any_role(array['dpo'], 'publish_policy_version: only the DPO may publish a policy version');
  perform public.fail_if(p_id is null, 'invalid_parameter_value',
    'publish_policy_version: policy version id is required');
  -- Serialise publishers: at most one published version per document at any time.
  lock table public.policy_versions in share row exclusive mode;
  select * into v_draft from public.policy_versions where id = p_id;
  if not found then
    raise exception 'publish_policy_version: policy version % does not exist', p_id using errcode = 'PT404';
  end if;
  if v_draft.status <> 'draft' then
    raise exception 'publish_policy_version: version % is % and only a draft can be published', v_draft.version, v_draft.status
      using errcode = 'PT409';
  end if;
  perform public.fail_if(p_change_class is null or p_change_class not in ('editorial', 'notify', 're_accept'),
    'invalid_parameter_value',
    'publish_policy_version: classify the change as editorial (no notice), notify (in-app notice) or re_accept (customers accept again)');
  perform public.fail_if(p_change_class = 're_accept' and coalesce(p_reason, '') !~ '\S',
    'invalid_parameter_value',
    'publish_policy_version: a re_accept change needs a reason (what changed materially)');
  perform public.fail_if(v_draft.body_markdown !~ '\S', 'invalid_parameter_value',
    format('publish_policy_version: the %s draft %s has an empty body; write the policy before publishing',
      v_draft.document, v_draft.version));
  select * into v_current from public.policy_versions where document = v_draft.document and status = 'published';
  perform public.fail_if(v_current.id is not null and coalesce(v_draft.effective_at, now()) < v_current.effective_at,
    'invalid_parameter_value',
    format('publish_policy_version: the draft would take effect on %s, before the version in force (%s, effective %s)',
      coalesce(v_draft.effective_at, now()), v_current.version, v_current.effective_at));
  update public.policy_versions set status = 'superseded', superseded_at = now()
  where id = v_current.id;
  update public.policy_versions
  set status = 'published', published_at = now(), published_by = v_caller, effective_at = coalesce(effective_at, now()),
      change_class = p_change_class, change_reason = nullif(btrim(p_reason, E' \t\r\n'), '')
  where id = p_id
  returning * into v_published;
  perform public.audit_append('policy_version.publish', 'policy_versions', p_id::text,
    case when v_current.id is null then null else jsonb_build_object('superseded_id', v_current.id) end,
    jsonb_build_object('id', p_id, 'document', v_published.document, 'version', v_published.version,
      'effective_at', v_published.effective_at, 'change_class', v_published.change_class,
      'change_reason', v_published.change_reason, 'body_sha256', v_published.body_sha256,
      'body_th_sha256', v_published.body_th_sha256));
  return row_to_json(v_published);
end
$$;
revoke execute on function public.publish_policy_version(uuid, text, text) from public, anon, service_role;
grant execute on function public.publish_policy_version(uuid, text, text) to authenticated;

-- The version of a document in force at an instant: the latest effective date at or before it among versions ever
-- published (a version published for a later date leaves its predecessor in force until then). Empty before the
-- first one. The diff between two versions is computed by the console from their bodies.
create function public.policy_version_in_force(p_document text, p_at timestamptz)
returns setof public.policy_versions
language plpgsql stable security definer set search_path = public, pg_temp
as $$
begin
  perform public.require_any_role(array['dpo', 'support', 'finance', 'admin', 'auditor'],
    'policy_version_in_force: only staff may read policy versions');
  perform public.fail_if(p_document is null or p_document not in ('privacy_policy', 'terms', 'cookie_policy'),
    'invalid_parameter_value', 'policy_version_in_force: document must be privacy_policy, terms or cookie_policy');
  perform public.fail_if(p_at is null, 'invalid_parameter_value', 'policy_version_in_force: a date is required');
  return query
    select * from public.policy_versions v
    where v.document = p_document and v.status <> 'draft' and v.effective_at <= p_at
    order by v.effective_at desc, v.published_at desc
    limit 1;
end
$$;
revoke execute on function public.policy_version_in_force(text, timestamptz) from public, anon, service_role;
grant execute on function public.policy_version_in_force(text, timestamptz) to authenticated;

-- ================================================================ consent events

alter table public.consent_events
  drop constraint consent_events_purpose_check,
  drop constraint consent_events_action_check,
  drop constraint consent_events_source_check,
  add constraint consent_events_purpose_check
    check (purpose in ('terms', 'privacy_policy', 'cookie_policy', 'analytics', 'marketing_email')),
  add constraint consent_events_action_check
    check (action in ('granted', 'refused', 'withdrawn', 're_accepted', 'expired', 'invalidated')),
  add constraint consent_events_source_check
    check (source in ('signup', 'settings', 'banner', 'reprompt', 'dsar', 'console')),
  add column language text check (language in ('en', 'th')),
  add column collection_method text
    check (collection_method in ('checkbox', 'toggle', 'banner', 'prompt', 'written_request', 'staff_entry', 'system'));
alter table public.consent_events
  add constraint consent_events_language_recorded check (language is not null) not valid,
  add constraint consent_events_method_recorded check (collection_method is not null) not valid;
comment on column public.consent_events.ip is
  'Masked: the /24 (IPv4) or /48 (IPv6) network. The address as collected is in consent_event_ips (dpo only).';

-- The address as collected, for the DPO (a DSAR, an evidence pack); the nonce salts the commitment the audit log
-- keeps, so neither the log's readers nor the auditor can recover the address by hashing candidates.
create table public.consent_event_ips (
  event_id bigint primary key references public.consent_events (id) deferrable initially deferred,
  ip inet not null,
  nonce uuid not null default gen_random_uuid()
);
select public.make_history_append_only('public.consent_event_ips');

-- The commitment to an event's address: sha256(nonce | address), hex.
create function public.consent_ip_commitment(p_nonce uuid, p_ip inet) returns text
language sql immutable set search_path = public, pg_temp
as $$ select encode(sha256(convert_to(p_nonce::text || '|' || host(p_ip), 'UTF8')), 'hex') $$;
revoke execute on function public.consent_ip_commitment(uuid, inet) from public, anon, authenticated, service_role;

-- Before an event is stored: what the caller left out is derived (language from the customer's locale where that
-- text exists, method from the source), what it says is checked, and the address is split off and masked.
create function public.consent_events_prepare() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  v_policy public.policy_versions;
  v_locale text;
  v_document text := case new.purpose when 'terms' then 'terms' when 'cookie_policy' then 'cookie_policy'
                                      else 'privacy_policy' end;
begin
  if new.policy_version_id is not null then
    select * into v_policy from public.policy_versions where id = new.policy_version_id;
    perform public.fail_if(v_policy.status = 'draft', 'invalid_parameter_value',
      format('consent_events: %s version %s is a draft; nobody can have been shown it', v_policy.document, v_policy.version));
    perform public.fail_if(v_policy.document <> v_document, 'invalid_parameter_value',
      format('consent_events: a %s event refers to the %s (version %s); it must refer to the %s',
        new.purpose, v_policy.document, v_policy.version, v_document));
  end if;
  if new.language is null then
    select locale into v_locale from public.customers where id = new.customer_id;
    new.language := case when v_locale = 'th' and (v_policy.id is null or v_policy.body_th is not null) then 'th' else 'en' end;
  end if;
  perform public.fail_if(new.language = 'th' and v_policy.id is not null and v_policy.body_th is null,
    'invalid_parameter_value',
    format('consent_events: %s version %s has no Thai text, so it cannot have been shown in Thai', v_policy.document, v_policy.version));
  new.collection_method := coalesce(new.collection_method, case new.source
    when 'signup' then 'checkbox' when 'settings' then 'toggle' when 'banner' then 'banner'
    when 'reprompt' then 'prompt' when 'dsar' then 'written_request' else 'staff_entry' end);
  perform public.fail_if(new.source in ('console', 'dsar') and new.recorded_by is null, 'invalid_parameter_value',
    format('consent_events: a %s event is recorded by staff; recorded_by names who', new.source));
  if new.ip is not null then
    insert into public.consent_event_ips (event_id, ip) values (new.id, new.ip);
    new.ip := network(set_masklen(new.ip, case family(new.ip) when 4 then 24 else 48 end))::inet;
  end if;
  return new;
end
$$;
revoke execute on function public.consent_events_prepare() from public, anon, authenticated, service_role;
create trigger consent_events_prepare before insert on public.consent_events
  for each row execute function public.consent_events_prepare();

-- Each event takes its place in the hash-chained audit log. The entry carries what the auditor may read (masked
-- address, a hash of the user agent) and the commitment to the full address.
create function public.consent_events_audit() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  v_secret public.consent_event_ips;
begin
  select * into v_secret from public.consent_event_ips where event_id = new.id;
  perform public.audit_append('consent_events.insert', 'consent_events', new.id::text, null,
    jsonb_build_object(
      'id', new.id, 'customer_id', new.customer_id, 'purpose', new.purpose, 'action', new.action,
      'policy_version_id', new.policy_version_id, 'language', new.language, 'source', new.source,
      'collection_method', new.collection_method, 'recorded_by', new.recorded_by, 'occurred_at', new.occurred_at,
      'ip_masked', new.ip::text,
      'ip_commitment', case when v_secret.event_id is null then null else public.consent_ip_commitment(v_secret.nonce, v_secret.ip) end,
      'user_agent_sha256', case when new.user_agent is null then null
                                else encode(sha256(convert_to(new.user_agent, 'UTF8')), 'hex') end));
  return null;
end
$$;
revoke execute on function public.consent_events_audit() from public, anon, authenticated, service_role;
create trigger consent_events_audit after insert on public.consent_events
  for each row execute function public.consent_events_audit();
create index audit_log_record_idx on public.audit_log (table_name, record_id);

-- ---------------------------------------------------------------- current state: the latest event wins

-- "Latest" is the greatest (occurred_at, id): an event that arrives late with an earlier time does not override a
-- later one, and of two events at the same instant the one stored second wins. granted means the latest action is
-- granted or re_accepted; refused, withdrawn, expired and invalidated all leave no consent.
alter table public.customer_consents
  add column event_id bigint references public.consent_events (id),
  add column action text,
  add column language text;

create or replace function public.consent_events_apply_state() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
begin
  insert into public.customer_consents as c
    (customer_id, purpose, granted, policy_version_id, updated_at, event_id, action, language)
  values (new.customer_id, new.purpose, new.action in ('granted', 're_accepted'), new.policy_version_id,
          new.occurred_at, new.id, new.action, new.language)
  on conflict (customer_id, purpose) do update
    set granted = excluded.granted, policy_version_id = excluded.policy_version_id, updated_at = excluded.updated_at,
        event_id = excluded.event_id, action = excluded.action, language = excluded.language
    where (c.updated_at, coalesce(c.event_id, 0)) < (excluded.updated_at, excluded.event_id);
  return new;
end
$$;

-- The state rows from before: rebuilt from the log under the rule above.
delete from public.customer_consents;
insert into public.customer_consents (customer_id, purpose, granted, policy_version_id, updated_at, event_id, action, language)
select distinct on (e.customer_id, e.purpose)
  e.customer_id, e.purpose, e.action in ('granted', 're_accepted'), e.policy_version_id, e.occurred_at, e.id, e.action, e.language
from public.consent_events e
order by e.customer_id, e.purpose, e.occurred_at desc, e.id desc;
alter table public.customer_consents alter column event_id set not null, alter column action set not null;

-- What a customer had agreed to at an instant: per purpose, the latest event at or before it (same rule). History,
-- so for the DPO and the auditor; support sees the current state only (customer_consents).
create function public.consent_state_as_of(p_customer_id uuid, p_at timestamptz)
returns table (purpose text, granted boolean, action text, event_id bigint, policy_version_id uuid, language text,
               source text, occurred_at timestamptz)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
begin
  perform public.require_any_role(array['dpo', 'auditor'],
    'consent_state_as_of: only the DPO or an auditor may read consent history');
  perform public.fail_if(p_customer_id is null or p_at is null, 'invalid_parameter_value',
    'consent_state_as_of: a customer and a date are required');
  if not exists (select 1 from public.customers c where c.id = p_customer_id) then
    raise exception 'consent_state_as_of: customer % does not exist', p_customer_id using errcode = 'PT404';
  end if;
  return query
    select distinct on (e.purpose) e.purpose, e.action in ('granted', 're_accepted'), e.action, e.id,
      e.policy_version_id, e.language, e.source, e.occurred_at
    from public.consent_events e
    where e.customer_id = p_customer_id and e.occurred_at <= p_at
    order by e.purpose, e.occurred_at desc, e.id desc;
end
$$;
revoke execute on function public.consent_state_as_of(uuid, timestamptz) from public, anon, service_role;
grant execute on function public.consent_state_as_of(uuid, timestamptz) to authenticated;

-- ---------------------------------------------------------------- evidence pack

-- One event as evidence: a consent receipt in the Kantara Consent Receipt v1.1 shape (one service, the event's
-- purpose; ISO/IEC 27560 state in mfc_state), the policy text shown and the one in force at that instant with the
-- SHA-256 of the body in the language shown, and the event's audit entry with what is needed to recompute its hash
-- and the next entry's link to it. The DPO also gets the address and the nonce that open the IP commitment.
create function public.consent_evidence(p_event_id bigint) returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_event public.consent_events;
  v_secret public.consent_event_ips;
  v_shown public.policy_versions;
  v_in_force public.policy_versions;
  v_audit public.audit_log;
  v_next public.audit_log;
  v_document text;
  v_policy jsonb;
  v_in_force_json jsonb;
begin
  perform public.require_any_role(array['dpo', 'auditor'],
    'consent_evidence: only the DPO or an auditor may read consent evidence');
  perform public.fail_if(p_event_id is null, 'invalid_parameter_value', 'consent_evidence: consent event id is required');
  select * into v_event from public.consent_events where id = p_event_id;
  if not found then
    raise exception 'consent_evidence: consent event % does not exist', p_event_id using errcode = 'PT404';
  end if;
  v_document := case v_event.purpose when 'terms' then 'terms' when 'cookie_policy' then 'cookie_policy'
                                     else 'privacy_policy' end;
  select * into v_secret from public.consent_event_ips where event_id = v_event.id;
  select * into v_shown from public.policy_versions where id = v_event.policy_version_id;
  select * into v_in_force from public.policy_versions v
  where v.document = v_document and v.status <> 'draft' and v.effective_at <= v_event.occurred_at
  order by v.effective_at desc, v.published_at desc limit 1;
  select * into v_audit from public.audit_log a
  where a.table_name = 'consent_events' and a.record_id = v_event.id::text and a.action = 'consent_events.insert'
  order by a.id limit 1;
  select * into v_next from public.audit_log a where a.prev_hash = v_audit.hash;

  v_policy := case when v_shown.id is null then null else jsonb_build_object(
    'id', v_shown.id, 'document', v_shown.document, 'version', v_shown.version, 'effective_at', v_shown.effective_at,
    'language', case when v_event.language = 'th' and v_shown.body_th is not null then 'th' else 'en' end,
    'body_sha256', case when v_event.language = 'th' and v_shown.body_th is not null then v_shown.body_th_sha256
                        else v_shown.body_sha256 end) end;
  v_in_force_json := case when v_in_force.id is null then null else jsonb_build_object(
    'id', v_in_force.id, 'document', v_in_force.document, 'version', v_in_force.version,
    'effective_at', v_in_force.effective_at,
    'language', case when v_event.language = 'th' and v_in_force.body_th is not null then 'th' else 'en' end,
    'body_sha256', case when v_event.language = 'th' and v_in_force.body_th is not null then v_in_force.body_th_sha256
                        else v_in_force.body_sha256 end) end;

  return jsonb_build_object(
    'receipt', jsonb_build_object(
      'version', 'KI-CR-v1.1.0',
      'jurisdiction', 'TH',
      'consentTimestamp', floor(extract(epoch from v_event.occurred_at))::bigint,
      'collectionMethod', v_event.collection_method || ' (' || v_event.source || ')',
      'consentReceiptID', md5('mfc-consent-receipt:' || v_event.id)::uuid,
      'publicKey', null,
      'language', v_event.language,
      'piiPrincipalId', v_event.customer_id,
      'piiControllers', jsonb_build_array(jsonb_build_object(
        'piiController', 'M-Factory Studio', 'contact', 'Data Protection contact', 'address', 'Thailand',
        'email', 'privacy@m-factory.app', 'piiControllerUrl', 'https://m-factory.app')),
      'policyUrl', 'https://m-factory.app/legal/' || replace(coalesce(v_shown.document, v_in_force.document, v_document), '_', '-')
                   || '/' || coalesce(v_shown.version, v_in_force.version, 'current')
                   || case when v_event.language = 'th' then '?lang=th' else '' end,
      'services', jsonb_build_array(jsonb_build_object(
        'service', 'M-Factory',
        'purposes', jsonb_build_array(jsonb_build_object(
          'purpose', case v_event.purpose
            when 'terms' then 'Acceptance of the terms of service'
            when 'privacy_policy' then 'Acknowledgement of the privacy policy'
            when 'cookie_policy' then 'Cookies as described in the cookie policy'
            when 'analytics' then 'Product analytics and improvement'
            else 'Marketing e-mail' end,
          'purposeCategory', jsonb_build_array(case
            when v_event.purpose in ('terms', 'privacy_policy') then 'Core function'
            when v_event.purpose = 'cookie_policy' then 'Cookies'
            when v_event.purpose = 'analytics' then 'Improve performance'
            else 'Marketing' end),
          'consentType', case when v_event.collection_method = 'system' then 'IMPLICIT' else 'EXPLICIT' end,
          'piiCategory', case v_event.purpose
            when 'terms' then jsonb_build_array('Account & identity', 'Service usage', 'Payment')
            when 'privacy_policy' then jsonb_build_array('Account & identity', 'Service usage', 'Payment', 'Technical')
            when 'cookie_policy' then jsonb_build_array('Technical: cookies, device info')
            when 'analytics' then jsonb_build_array('Service usage', 'Technical')
            else jsonb_build_array('Email address', 'Display name') end,
          'primaryPurpose', v_event.purpose in ('terms', 'privacy_policy'),
          'termination', case
            when v_event.purpose in ('terms', 'privacy_policy')
              then 'Account deletion; account data kept up to 12 months after it (privacy policy §6)'
            else 'Withdrawn at any time in settings or the cookie banner, as easily as given (PDPA s.19)' end,
          'thirdPartyDisclosure', false,
          'mfc_action', v_event.action,
          'mfc_state', case v_event.action when 'granted' then 'given' when 're_accepted' then 'renewed'
                                           else v_event.action end)))),
      'sensitive', false,
      'spiCat', '[]'::jsonb),
    'event', jsonb_build_object(
      'id', v_event.id, 'customer_id', v_event.customer_id, 'purpose', v_event.purpose, 'action', v_event.action,
      'policy_version_id', v_event.policy_version_id, 'language', v_event.language, 'source', v_event.source,
      'collection_method', v_event.collection_method, 'ip_masked', v_event.ip::text, 'user_agent', v_event.user_agent,
      'recorded_by', v_event.recorded_by, 'occurred_at', v_event.occurred_at),
    'ip', case when v_secret.event_id is null then null else jsonb_build_object(
      'commitment', public.consent_ip_commitment(v_secret.nonce, v_secret.ip),
      'commitment_rule', 'sha256(nonce || ''|'' || address), hex',
      'address', case when public.has_role('dpo') then host(v_secret.ip) end,
      'nonce', case when public.has_role('dpo') then v_secret.nonce end) end,
    'policy', jsonb_build_object(
      'shown', v_policy,
      'in_force', v_in_force_json,
      'shown_was_in_force', v_shown.id is not null and v_shown.id = v_in_force.id),
    'audit', case when v_audit.id is null then null else jsonb_build_object(
      'id', v_audit.id, 'occurred_at', v_audit.occurred_at, 'action', v_audit.action,
      'new_data', v_audit.new_data, 'prev_hash', v_audit.prev_hash, 'hash', v_audit.hash,
      'canonical_text', public.audit_row_canonical_text(v_audit.id, v_audit.occurred_at, v_audit.actor_sub,
        v_audit.actor_staff_id, v_audit.action, v_audit.table_name, v_audit.record_id, v_audit.old_data, v_audit.new_data),
      'hash_rule', 'sha256(prev_hash || ''|'' || canonical_text), hex',
      'next_id', v_next.id, 'next_prev_hash', v_next.prev_hash) end);
end
$$;
revoke execute on function public.consent_evidence(bigint) from public, anon, service_role;
grant execute on function public.consent_evidence(bigint) to authenticated;

-- ================================================================ re-acceptance

-- A customer's decline of a re_accept version and what it did: the consent-based purposes withdrawn with it, and
-- whether the account is restricted (the app refuses service until the customer accepts; accepting later lifts it).
create table public.policy_declines (
  id bigint generated always as identity primary key,
  customer_id uuid not null references public.customers (id) on delete restrict,
  policy_version_id uuid not null references public.policy_versions (id),
  consent_event_id bigint not null references public.consent_events (id),
  withdrawn_purposes text[] not null default '{}',
  account_restricted boolean not null,
  declined_at timestamptz not null
);
create index policy_declines_version_idx on public.policy_declines (policy_version_id, customer_id);
select public.make_history_append_only('public.policy_declines');

-- Per active (not deleted) customer: pending, accepted or declined, from the latest event (occurred_at, id) about
-- this version of the document's purpose: granted / re_accepted → accepted, refused / withdrawn → declined;
-- none (or expired / invalidated) → pending.
create function public.policy_reacceptance(p_policy_version_id uuid)
returns table (customer_id uuid, status text, event_id bigint, decided_at timestamptz, account_restricted boolean)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v public.policy_versions;
begin
  perform public.require_any_role(array['dpo', 'auditor'],
    'policy_reacceptance: only the DPO or an auditor may track re-acceptance');
  perform public.fail_if(p_policy_version_id is null, 'invalid_parameter_value',
    'policy_reacceptance: policy version id is required');
  select * into v from public.policy_versions where id = p_policy_version_id;
  if not found then
    raise exception 'policy_reacceptance: policy version % does not exist', p_policy_version_id using errcode = 'PT404';
  end if;
  if v.change_class is distinct from 're_accept' then
    raise exception 'policy_reacceptance: % version % is % (%); only a version published as re_accept asks customers to accept again',
      v.document, v.version, v.status, coalesce(v.change_class, 'unclassified') using errcode = 'PT409';
  end if;
  return query
    select c.id,
      case when e.action in ('granted', 're_accepted') then 'accepted'
           when e.action in ('refused', 'withdrawn') then 'declined'
           else 'pending' end,
      e.id, e.occurred_at,
      -- The restriction of the decline that is the latest answer; an acceptance since lifts it.
      coalesce(d.account_restricted, false)
    from public.customers c
    left join lateral (
      select ev.id, ev.action, ev.occurred_at from public.consent_events ev
      where ev.customer_id = c.id and ev.purpose = v.document and ev.policy_version_id = v.id
      order by ev.occurred_at desc, ev.id desc limit 1) e on true
    left join lateral (
      select pd.account_restricted from public.policy_declines pd
      where pd.customer_id = c.id and pd.policy_version_id = v.id and pd.consent_event_id = e.id) d on true
    where c.deleted_at is null
    order by c.id;
end
$$;
revoke execute on function public.policy_reacceptance(uuid) from public, anon, service_role;
grant execute on function public.policy_reacceptance(uuid) to authenticated;

-- Counts for the coverage chart and the header of the pending list.
create function public.policy_reacceptance_summary(p_policy_version_id uuid) returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_result jsonb;
begin
  select jsonb_build_object(
      'policy_version_id', p_policy_version_id,
      'active_customers', count(*),
      'pending', count(*) filter (where r.status = 'pending'),
      'accepted', count(*) filter (where r.status = 'accepted'),
      'declined', count(*) filter (where r.status = 'declined'),
      'restricted', count(*) filter (where r.account_restricted))
    into v_result
  from public.policy_reacceptance(p_policy_version_id) r;
  return v_result;
end
$$;
revoke execute on function public.policy_reacceptance_summary(uuid) from public, anon, service_role;
grant execute on function public.policy_reacceptance_summary(uuid) to authenticated;

-- The customer app (service role), when a customer declines a re_accept version at the prompt: the refusal, the
-- consent-based purposes it withdraws (analytics and marketing e-mail for the privacy policy and the terms;
-- analytics for the cookie policy), and the restriction of the account (not for the cookie policy), in one go.
create function public.record_policy_decline(
  p_customer_id uuid, p_policy_version_id uuid, p_language text default null, p_ip inet default null,
  p_user_agent text default null, p_occurred_at timestamptz default null
) returns public.policy_declines
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v public.policy_versions;
  v_customer public.customers;
  v_at timestamptz := coalesce(p_occurred_at, now());
  v_event_id bigint;
  v_purpose text;
  v_withdrawn text[] := '{}';
  v_row public.policy_declines;
begin
  perform public.fail_if(p_customer_id is null or p_policy_version_id is null, 'invalid_parameter_value',
    'record_policy_decline: a customer and a policy version are required');
  select * into v_customer from public.customers where id = p_customer_id for update;
  if not found then
    raise exception 'record_policy_decline: customer % does not exist', p_customer_id using errcode = 'PT404';
  end if;
  perform public.fail_if(v_customer.deleted_at is not null, 'PT409',
    format('record_policy_decline: customer %s is deleted', p_customer_id));
  select * into v from public.policy_versions where id = p_policy_version_id;
  if not found then
    raise exception 'record_policy_decline: policy version % does not exist', p_policy_version_id using errcode = 'PT404';
  end if;
  if v.status <> 'published' or v.change_class is distinct from 're_accept' then
    raise exception 'record_policy_decline: % version % is % (%); only the published re_accept version can be declined',
      v.document, v.version, v.status, coalesce(v.change_class, 'unclassified') using errcode = 'PT409';
  end if;
  if exists (select 1 from public.customer_consents cc
             where cc.customer_id = p_customer_id and cc.purpose = v.document and cc.policy_version_id = v.id
               and cc.action in ('refused', 'withdrawn')) then
    raise exception 'record_policy_decline: the customer already declined % version %', v.document, v.version
      using errcode = 'unique_violation';
  end if;
  insert into public.consent_events
    (customer_id, purpose, action, policy_version_id, language, source, collection_method, ip, user_agent, occurred_at)
  values (p_customer_id, v.document, 'refused', v.id, p_language, 'reprompt', 'prompt', p_ip, p_user_agent, v_at)
  returning id into v_event_id;
  for v_purpose in
    select cc.purpose from public.customer_consents cc
    where cc.customer_id = p_customer_id and cc.granted
      and cc.purpose = any (case when v.document = 'cookie_policy' then array['analytics']
                                 else array['analytics', 'marketing_email'] end)
    order by cc.purpose
  loop
    insert into public.consent_events (customer_id, purpose, action, source, collection_method, ip, user_agent, occurred_at)
    values (p_customer_id, v_purpose, 'withdrawn', 'reprompt', 'prompt', p_ip, p_user_agent, v_at);
    v_withdrawn := v_withdrawn || v_purpose;
  end loop;
  insert into public.policy_declines
    (customer_id, policy_version_id, consent_event_id, withdrawn_purposes, account_restricted, declined_at)
  values (p_customer_id, v.id, v_event_id, v_withdrawn, v.document <> 'cookie_policy', v_at)
  returning * into v_row;
  return v_row;
end
$$;
revoke execute on function public.record_policy_decline(uuid, uuid, text, inet, text, timestamptz)
  from public, anon, authenticated;
grant execute on function public.record_policy_decline(uuid, uuid, text, inet, text, timestamptz) to service_role;

-- ================================================================ RLS, grants and policies

alter table public.consent_event_ips enable row level security;
alter table public.policy_declines enable row level security;
revoke insert, update, delete on public.consent_event_ips, public.policy_declines from service_role;

create policy consent_event_ips_select on public.consent_event_ips for select to authenticated
  using ((select public.has_role('dpo')));
create policy policy_declines_select on public.policy_declines for select to authenticated
  using ((select public.has_any_role(array['dpo', 'auditor'])));
