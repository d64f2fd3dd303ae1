-- consent_events_state_idx (…001400: customer_id, purpose, occurred_at desc, id desc, include action) begins with
-- every column of consent_events_customer_idx (…000300) in the same order, so the older index serves no query the
-- newer cannot, and every consent event written (append-only, about a million at the bench size) paid for both.
drop index if exists public.consent_events_customer_idx;
