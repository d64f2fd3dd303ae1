-- The consent explorer at a million events (issue 10's bench): every page it asks for — newest first, with an exact
-- count, filtered by any of its filters — is answered from an index, never by reading the whole log.
--
-- Each index ends in (occurred_at desc, id desc), the explorer's order (latest event wins: time, then id), so a page
-- is the first 25 entries of one index range and its count is that range's length:
-- - no filter: the whole log, newest first;
-- - purpose and action (the usual question: "who withdrew marketing e-mail last month"), with or without dates;
-- - policy version, then source (who re-accepted this version at the prompt);
-- - source alone (PDPA s.19: how withdrawals come in, beside how consents were given).
-- A customer's events are few; the existing (customer_id, purpose, occurred_at desc) index finds them.
-- Dates alone use the first index's range.

create index consent_events_occurred_idx on public.consent_events (occurred_at desc, id desc);
create index consent_events_purpose_action_idx on public.consent_events (purpose, action, occurred_at desc, id desc);
create index consent_events_version_source_idx on public.consent_events (policy_version_id, source, occurred_at desc, id desc);
create index consent_events_source_idx on public.consent_events (source, occurred_at desc, id desc);
