-- DSAR erasure: what will be deleted, anonymised or kept (and why), executed as one all-or-nothing
-- function that is harmless to re-run, then processor tasks and a certificate.
-- Retention follows the privacy policy §6. History tables (credit_ledger, consent_events) are
-- append-only, so rows they reference are anonymised rather than deleted.
-- The plan also names the money desk's records of the subject: credit adjustment requests and refunds
-- (with staff notes that may mention the subject). Both are payment records: kept 7 years (Thai tax law, policy §6),
-- like the payments and the ledger they belong to.

create function public.dsar_erased_email(p_customer_id uuid) returns text
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$ select 'erased-' || p_customer_id || '@erased.invalid' $$;

-- One row per data category, with what erasure does to it and how many rows that touches now.
-- The delete/anonymise counts are the rows that still need it, so they drop to 0 once executed.
create function public.dsar_erasure_plan(p_customer_id uuid)
returns table (category text, action text, row_count bigint, reason text)
language sql stable security definer set search_path = public, pg_temp
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

-- What the preview and the erasure require of a request: an erasure request matched to a customer.
create function public.dsar_require_erasable(p_request public.dsar_requests, p_function text) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  perform public.fail_if(p_request.type <> 'erasure', 'PT409',
    format('%s: %s is a %s request, not an erasure request', p_function, p_request.reference, p_request.type));
  perform public.dsar_require_customer(p_request, p_function);
end
$$;

-- Checks that the request may be erased and returns it locked.
create function public.dsar_erasure_request(p_request_id uuid, p_function text) returns public.dsar_requests
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo(p_function);
  v_req := public.dsar_lock_request(p_request_id, p_function);
  perform public.dsar_require_erasable(v_req, p_function);
  return v_req;
end
$$;

revoke execute on function public.dsar_erased_email(uuid), public.dsar_erasure_plan(uuid), public.dsar_erasure_request(uuid, text),
  public.dsar_require_erasable(public.dsar_requests, text)
  from public, anon, authenticated, service_role;

create function public.dsar_erasure_preview(p_request_id uuid)
returns table (category text, action text, row_count bigint, reason text)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
begin
  perform public.dsar_require_dpo('dsar_erasure_preview');
  perform public.fail_if(p_request_id is null, 'invalid_parameter_value',
    'dsar_erasure_preview: request id is required');
  select * into v_req from public.dsar_requests where id = p_request_id;
  perform public.fail_if(not found, 'PT404', format('dsar_erasure_preview: request %s does not exist', p_request_id));
  perform public.dsar_require_erasable(v_req, 'dsar_erasure_preview');
  return query select * from public.dsar_erasure_plan(v_req.customer_id);
end
$$;

create function public.dsar_execute_erasure(p_request_id uuid)
returns table (category text, action text, row_count bigint, reason text)
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_customer public.customers;
  v_plan record;
  v_done jsonb := '{}'::jsonb;
  v_n bigint;
  v_changed bigint := 0;
  v_r2 jsonb;
  v_r2_bytes bigint;
  v_generations bigint;
  v_sentry bigint;
  v_results jsonb;
begin
  v_req := public.dsar_erasure_request(p_request_id, 'dsar_execute_erasure');
  perform public.dsar_require_in_progress(v_req, 'dsar_execute_erasure');
  select * into v_customer from public.customers where id = v_req.customer_id for update;

  -- What processors need, read before the rows go: kept only in the DPO-only payload.
  select coalesce(jsonb_agg(r2_key order by r2_key), '[]'::jsonb), coalesce(sum(size_bytes), 0)
  into v_r2, v_r2_bytes from public.assets where customer_id = v_customer.id;
  select count(*) into v_generations from public.generations where customer_id = v_customer.id;
  select count(*) into v_sentry from public.error_reports where customer_id = v_customer.id;

  delete from public.assets where customer_id = v_customer.id;
  get diagnostics v_n = row_count;
  v_done := v_done || jsonb_build_object('assets', v_n);

  delete from public.generations g where g.customer_id = v_customer.id
    and not exists (select 1 from public.credit_ledger l where l.generation_id = g.id);
  get diagnostics v_n = row_count;
  v_done := v_done || jsonb_build_object('generations', v_n);

  update public.generations g set prompt = '[erased]', metadata = '{}'::jsonb, project_id = null
  where g.customer_id = v_customer.id
    and exists (select 1 from public.credit_ledger l where l.generation_id = g.id)
    and (g.prompt <> '[erased]' or g.metadata <> '{}'::jsonb or g.project_id is not null);
  get diagnostics v_n = row_count;
  v_done := v_done || jsonb_build_object('generations_in_credit_history', v_n);

  delete from public.projects where customer_id = v_customer.id;
  get diagnostics v_n = row_count;
  v_done := v_done || jsonb_build_object('projects', v_n);

  delete from public.api_request_logs where customer_id = v_customer.id;
  get diagnostics v_n = row_count;
  v_done := v_done || jsonb_build_object('api_request_logs', v_n);

  delete from public.error_reports where customer_id = v_customer.id;
  get diagnostics v_n = row_count;
  v_done := v_done || jsonb_build_object('error_reports', v_n);

  update public.customers c
  set email = public.dsar_erased_email(c.id),
      clerk_user_id = 'user_erased' || replace(c.id::text, '-', ''),
      display_name = null,
      profile_image_url = null,
      deleted_at = coalesce(c.deleted_at, now()),
      processing_restricted = true,
      restricted_at = coalesce(c.restricted_at, now()),
      restriction_reason = format('Erased (%s)', v_req.reference),
      updated_at = now()
  where c.id = v_customer.id and c.email <> public.dsar_erased_email(c.id);
  get diagnostics v_n = row_count;
  v_done := v_done || jsonb_build_object('profile', v_n);

  select coalesce(sum(value::bigint), 0) into v_changed from jsonb_each_text(v_done);

  -- Report in the plan's shape: what was done for delete/anonymise, what stays for keep.
  select jsonb_agg(jsonb_build_object('category', p.category, 'action', p.action,
           'row_count', case when p.action = 'keep' then p.row_count else (v_done ->> p.category)::bigint end,
           'reason', p.reason))
  into v_results
  from public.dsar_erasure_plan(v_customer.id) p;

  if v_changed > 0 then
    perform public.dsar_record_event(v_req, 'erasure_executed', null, null, null,
      jsonb_build_object('customer_id', v_customer.id, 'results', v_results,
        'rows_changed', v_changed,
        'run', 1 + (select count(*) from public.dsar_events where request_id = v_req.id and kind = 'erasure_executed')),
      jsonb_build_object('clerk_user_id', v_customer.clerk_user_id, 'email', v_customer.email,
        'stripe_customer_id', (select stripe_customer_id from public.customer_stripe_ids where customer_id = v_customer.id),
        'r2_keys', v_r2));
    insert into public.dsar_processor_tasks (request_id, processor, action)
    values
      (v_req.id, 'clerk', 'Delete the user in Clerk (the Clerk id is in the erasure record)'),
      (v_req.id, 'r2', format('Delete %s objects (%s bytes) from R2 (keys in the erasure record)', jsonb_array_length(v_r2), v_r2_bytes)),
      (v_req.id, 'stripe', 'Keep the Stripe customer and its payment records (7 years, Thai tax law); remove saved payment methods'),
      (v_req.id, 'kie_ai', format('Ask KIE.AI to delete the prompts and outputs of %s generations', v_generations)),
      (v_req.id, 'sentry', format('Confirm the %s Sentry events expire within 30 days, or delete them now', v_sentry)),
      (v_req.id, 'upstash', 'Purge queued jobs and cached data for the customer from Upstash')
    on conflict (request_id, processor) do nothing;
  end if;

  return query
    select x.category, x.action, x.row_count, x.reason
    from jsonb_to_recordset(v_results) as x(category text, action text, row_count bigint, reason text);
end
$$;

create function public.dsar_complete_processor_task(p_task_id uuid, p_note text) returns public.dsar_processor_tasks
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_staff uuid := public.dsar_require_dpo('dsar_complete_processor_task');
  v_task public.dsar_processor_tasks;
  v_req public.dsar_requests;
begin
  perform public.fail_if(p_task_id is null, 'invalid_parameter_value',
    'dsar_complete_processor_task: task id is required');
  select * into v_task from public.dsar_processor_tasks where id = p_task_id for update;
  if not found then
    raise exception 'dsar_complete_processor_task: task % does not exist', p_task_id using errcode = 'PT404';
  end if;
  if v_task.status = 'done' then
    raise exception 'dsar_complete_processor_task: the % task is already done', v_task.processor using errcode = 'unique_violation';
  end if;
  v_req := public.dsar_lock_request(v_task.request_id, 'dsar_complete_processor_task');
  update public.dsar_processor_tasks
  set status = 'done', done_by = v_staff, done_at = now(), note = nullif(trim(p_note), '')
  where id = p_task_id
  returning * into v_task;
  perform public.dsar_record_event(v_req, 'processor_task_done', null, null, p_note,
    jsonb_build_object('task_id', v_task.id, 'processor', v_task.processor));
  return v_task;
end
$$;

-- The certificate, issued once (when the erasure ran and every processor task is done), then
-- returned unchanged. Stored in the certificate_issued event; holds no personal data.
create function public.dsar_erasure_certificate(p_request_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_req public.dsar_requests;
  v_existing jsonb;
  v_certificate jsonb;
begin
  v_req := public.dsar_erasure_request(p_request_id, 'dsar_erasure_certificate');
  select details -> 'certificate' into v_existing from public.dsar_events
  where request_id = v_req.id and kind = 'certificate_issued' order by id limit 1;
  if v_existing is not null then
    return v_existing;
  end if;
  perform public.dsar_require_erasure_complete(v_req, 'dsar_erasure_certificate',
    format('dsar_erasure_certificate: the erasure of %s has not been executed yet', v_req.reference));

  with runs as (
    select e.occurred_at, e.details, s.display_name
    from public.dsar_events e left join public.staff_members s on s.id = e.actor_staff_id
    where e.request_id = v_req.id and e.kind = 'erasure_executed'
  ), results as (
    select r ->> 'category' as category, r ->> 'action' as action, r ->> 'reason' as reason,
           sum(case when r ->> 'action' = 'keep' then 0 else (r ->> 'row_count')::bigint end) as done
    from runs, jsonb_array_elements(runs.details -> 'results') r
    group by 1, 2, 3
  )
  select jsonb_build_object(
    'certificate', 'erasure',
    'reference', v_req.reference,
    'request_id', v_req.id,
    'customer_id', v_req.customer_id,
    'received_at', v_req.received_at,
    'statutory_due_at', public.dsar_statutory_due_at(v_req.received_at, v_req.type),
    'executed', (select jsonb_agg(jsonb_build_object('at', occurred_at, 'by', display_name) order by occurred_at) from runs),
    'erased', (select jsonb_agg(jsonb_build_object('category', category, 'action', action, 'rows', done) order by category)
               from results where action <> 'keep'),
    'kept', (select jsonb_agg(jsonb_build_object('category', p.category, 'rows', p.row_count, 'reason', p.reason) order by p.category)
             from public.dsar_erasure_plan(v_req.customer_id) p where p.action = 'keep'),
    'processor_tasks', (select jsonb_agg(jsonb_build_object('processor', t.processor, 'action', t.action, 'done_at', t.done_at,
                          'done_by', s.display_name, 'note', t.note) order by t.processor)
                        from public.dsar_processor_tasks t left join public.staff_members s on s.id = t.done_by
                        where t.request_id = v_req.id),
    'issued_at', now(),
    'issued_by', (select display_name from public.staff_members where id = public.current_staff_id()))
  into v_certificate;
  perform public.dsar_record_event(v_req, 'certificate_issued', null, null, null,
    jsonb_build_object('certificate', v_certificate,
      'sha256', encode(sha256(convert_to(v_certificate::text, 'UTF8')), 'hex')));
  return v_certificate;
end
$$;

revoke execute on function public.dsar_erasure_preview(uuid), public.dsar_execute_erasure(uuid),
  public.dsar_complete_processor_task(uuid, text), public.dsar_erasure_certificate(uuid)
  from public, anon, service_role;
grant execute on function public.dsar_erasure_preview(uuid), public.dsar_execute_erasure(uuid),
  public.dsar_complete_processor_task(uuid, text), public.dsar_erasure_certificate(uuid)
  to authenticated;
