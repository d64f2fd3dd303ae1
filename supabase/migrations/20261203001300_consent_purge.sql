-- The consent log's purge meets the consent records: the retention purge (…001200) deletes a deleted account's
-- consent events once account deletion + 30 days have passed (policy §6), and what the consent records migration
-- (…001100) hangs off an event goes with it — the current-state row that names it, the address as collected, a
-- recorded decline — instead of blocking the purge with a foreign key.

alter table public.customer_consents
  drop constraint customer_consents_event_id_fkey,
  add constraint customer_consents_event_id_fkey
    foreign key (event_id) references public.consent_events (id) on delete cascade;

alter table public.consent_event_ips
  drop constraint consent_event_ips_event_id_fkey,
  add constraint consent_event_ips_event_id_fkey
    foreign key (event_id) references public.consent_events (id) on delete cascade deferrable initially deferred;

alter table public.policy_declines
  drop constraint policy_declines_consent_event_id_fkey,
  add constraint policy_declines_consent_event_id_fkey
    foreign key (consent_event_id) references public.consent_events (id) on delete cascade;

-- The append-only guard lets a running purge delete consent events and, by cascade, the rows that hang off them;
-- nothing else, and no other table.
create or replace function public.reject_history_change() returns trigger
language plpgsql set search_path = public, pg_temp
as $$
begin
  if tg_level = 'ROW' and tg_op = 'DELETE'
     and tg_table_name in ('consent_events', 'consent_event_ips', 'policy_declines') then
    if public.retention_purge_in_progress() then
      return old;
    end if;
  end if;
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'restrict_violation',
          hint = 'History is never changed; record a correction as a new row.';
end
$$;
