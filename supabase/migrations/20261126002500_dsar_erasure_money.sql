-- The erasure preview also names the money desk's records of the subject: credit adjustment requests and refunds
-- (with staff notes that may mention the subject). Both are payment records: kept 7 years (Thai tax law, policy §6),
-- like the payments and the ledger they belong to. Same plan as in 20261126001200 with two categories added.
create or replace function public.dsar_erasure_plan(p_customer_id uuid)
returns table (category text, action text, row_count bigint, reason text)
language sql
stable
security definer
set search_path = public, pg_temp
as $$
  select plan.category, plan.action, plan.row_count::bigint, plan.reason from (values
    (1, 'profile', 'anonymise',
      (select count(*) from public.customers c where c.id = p_customer_id and c.email <> public.dsar_erased_email(c.id)),
      'Name, email, avatar and Clerk id are replaced; the row keeps only id, country, locale and dates as minimal account data for up to 12 months after deletion (policy §6), marked deleted and restricted'),
    (2, 'projects', 'delete', (select count(*) from public.projects where customer_id = p_customer_id),
      'Service data: deleted on account closure (policy §6)'),
    (3, 'assets', 'delete', (select count(*) from public.assets where customer_id = p_customer_id),
      'Uploaded and generated files: deleted on account closure (policy §6); the R2 objects are removed by a processor task'),
    (4, 'generations', 'delete',
      (select count(*) from public.generations g where g.customer_id = p_customer_id
         and not exists (select 1 from public.credit_ledger l where l.generation_id = g.id)),
      'Prompts and generation metadata: deleted on account closure'),
    (5, 'generations_in_credit_history', 'anonymise',
      (select count(*) from public.generations g where g.customer_id = p_customer_id
         and exists (select 1 from public.credit_ledger l where l.generation_id = g.id)
         and (g.prompt <> '[erased]' or g.metadata <> '{}'::jsonb or g.project_id is not null)),
      'Generations the append-only credit ledger refers to: prompt and metadata erased, the row (model, cost, date) stays so the credit history adds up'),
    (6, 'api_request_logs', 'delete', (select count(*) from public.api_request_logs where customer_id = p_customer_id),
      'API logs (normally kept 90 days): deleted now'),
    (7, 'error_reports', 'delete', (select count(*) from public.error_reports where customer_id = p_customer_id),
      'Error report references (normally kept 30 days): deleted now; the Sentry copy is handled by a processor task'),
    (8, 'payments', 'keep',
      (select count(*) from public.payments where customer_id = p_customer_id)
        + (select count(*) from public.payment_stripe_ids s join public.payments p on p.id = s.payment_id where p.customer_id = p_customer_id),
      'Payment records are kept 7 years (Thai tax law, policy §6)'),
    (9, 'subscriptions', 'keep',
      (select count(*) from public.subscriptions where customer_id = p_customer_id)
        + (select count(*) from public.subscription_stripe_ids s join public.subscriptions u on u.id = s.subscription_id where u.customer_id = p_customer_id),
      'Subscription billing records are payment records: kept 7 years (Thai tax law, policy §6)'),
    (10, 'stripe_customer', 'keep', (select count(*) from public.customer_stripe_ids where customer_id = p_customer_id),
      'The Stripe customer id links the payment records kept for 7 years (Thai tax law)'),
    (11, 'credit_ledger', 'keep',
      (select count(*) from public.credit_ledger where customer_id = p_customer_id)
        + (select count(*) from public.credit_balances where customer_id = p_customer_id),
      'Credit history is append-only and tied to the payment records: kept with them for 7 years'),
    (11.1, 'credit_adjustments', 'keep', (select count(*) from public.credit_adjustments where customer_id = p_customer_id),
      'Credit adjustment requests (amount, reason, staff note, approvals) are part of the credit history: kept with it for 7 years'),
    (11.2, 'refunds', 'keep',
      (select count(*) from public.refunds where customer_id = p_customer_id)
        + (select count(*) from public.refund_stripe_ids s join public.refunds r on r.id = s.refund_id where r.customer_id = p_customer_id),
      'Refunds (amount, reason, staff note, approvals, Stripe outcome) are payment records: kept 7 years (Thai tax law, policy §6)'),
    (12, 'consent_events', 'keep',
      (select count(*) from public.consent_events where customer_id = p_customer_id)
        + (select count(*) from public.customer_consents where customer_id = p_customer_id),
      'Consent log: retained as proof until account deletion + 30 days (policy §6), then purged'),
    (13, 'dsar_requests', 'keep', (select count(*) from public.dsar_requests where customer_id = p_customer_id),
      'Requests and their answers are the record of how the subject''s rights were handled (PDPA s.39 record)')
  ) as plan(ord, category, action, row_count, reason)
  order by ord
$$;
