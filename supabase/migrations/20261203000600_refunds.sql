-- Money desk, refunds (issue 4): a refund is requested by support or finance, approved by one or
-- two finance users (four eyes, never the requester), executed against Stripe by finance through
-- the refund-execute function, and its Stripe status recorded (by the function's answer and by
-- webhooks, in any order). Writes go only through the functions below (security definer,
-- role-checked, one transaction, audited); nothing is written when a check fails.
-- Errors (HTTP status through PostgREST): 42501 not allowed (403), 22023 bad argument (400), PT404 unknown id (404),
-- 23505 idempotency key reused with other parameters (409), PT409 wrong state (409).
--
-- "Remaining refundable" of a payment = amount - sum of its refunds not rejected/failed/canceled
-- (requests waiting for approval reserve their amount). payments.amount_refunded = sum of its
-- refunds that are pending, requires_action or succeeded (Stripe's charge.amount_refunded).

-- ---------------------------------------------------------------- thresholds (configurable data)

-- A refund above second_approval_above (minor units) needs one more finance approval. A currency
-- without a row always needs the second approval.
create table public.refund_approval_thresholds (
  currency text primary key check (currency ~ '^[a-z]{3}$'),
  second_approval_above bigint not null check (second_approval_above > 0),
  updated_by uuid references public.staff_members (id),
  updated_at timestamptz not null default now()
);
insert into public.refund_approval_thresholds (currency, second_approval_above) values
  ('thb', 500000), ('usd', 15000), ('eur', 15000), ('gbp', 12000), ('jpy', 20000), ('sgd', 20000), ('aud', 20000);

-- ---------------------------------------------------------------- refunds

create table public.refunds (
  id uuid primary key default gen_random_uuid(),
  payment_id uuid not null references public.payments (id) on delete restrict,
  customer_id uuid not null references public.customers (id) on delete restrict,
  amount bigint not null check (amount > 0),
  currency text not null check (currency ~ '^[a-z]{3}$'),
  reason text not null check (reason in ('duplicate', 'fraudulent', 'requested_by_customer')),
  note text not null check (length(note) between 1 and 2000 and note = trim(note)),
  status text not null check (status in ('awaiting_approval', 'approved', 'rejected', 'processing',
    'pending', 'requires_action', 'succeeded', 'failed', 'canceled')),
  approvals_needed smallint not null check (approvals_needed between 0 and 2),
  requested_by uuid not null references public.staff_members (id),
  requested_at timestamptz not null default now(),
  idempotency_key text not null check (idempotency_key ~ '^[A-Za-z0-9_.:-]{8,200}$'),
  first_approved_by uuid references public.staff_members (id),
  first_approved_at timestamptz,
  second_approved_by uuid references public.staff_members (id),
  second_approved_at timestamptz,
  rejected_by uuid references public.staff_members (id),
  rejected_at timestamptz,
  rejection_note text,
  executed_by uuid references public.staff_members (id),
  execution_started_at timestamptz,
  execution_attempts integer not null default 0 check (execution_attempts >= 0),
  stripe_status_at timestamptz,
  failure_reason text,
  clawback_credits integer not null default 0 check (clawback_credits >= 0),
  clawback_ledger_entry_id bigint unique references public.credit_ledger (id),
  updated_at timestamptz not null default now(),
  unique (requested_by, idempotency_key),
  check (status <> 'awaiting_approval' or approvals_needed > 0),
  check (status in ('awaiting_approval', 'rejected') or approvals_needed = 0),
  check ((first_approved_by is null) = (first_approved_at is null)),
  check ((second_approved_by is null) = (second_approved_at is null)),
  check (second_approved_by is null or first_approved_by is not null),
  check (first_approved_by is distinct from requested_by and second_approved_by is distinct from requested_by),
  check (second_approved_by is distinct from first_approved_by or second_approved_by is null),
  check ((status = 'rejected') = (rejected_by is not null)),
  check ((rejected_by is null) = (rejected_at is null)),
  check (rejected_by is distinct from requested_by),
  check (status in ('awaiting_approval', 'approved', 'rejected') or executed_by is not null or failure_reason is not null or stripe_status_at is not null)
);
create index refunds_status_requested_idx on public.refunds (status, requested_at desc);
create index refunds_requested_idx on public.refunds (requested_at desc);
create index refunds_payment_idx on public.refunds (payment_id);
create index refunds_customer_idx on public.refunds (customer_id, requested_at desc);

create table public.refund_stripe_ids (
  refund_id uuid primary key references public.refunds (id) on delete cascade,
  stripe_refund_id text not null unique check (stripe_refund_id ~ '^re_[A-Za-z0-9]+$')
);

-- Stripe webhook events already processed (exactly-once delivery on our side). A correctly signed event that
-- can never be applied (a field missing or malformed) is kept too, as 'refused' with the reason and nothing applied;
-- its type is null when the type itself was what was wrong.
create table public.stripe_webhook_events (
  id text primary key check (id ~ '^evt_[A-Za-z0-9_]+$'),
  type text check (length(type) between 1 and 200),
  stripe_created_at timestamptz,
  received_at timestamptz not null default now(),
  refund_id uuid references public.refunds (id),
  outcome text not null check (outcome in ('applied', 'ignored_older', 'unmatched', 'ignored_type', 'refused')),
  refusal text check (length(refusal) between 1 and 1000),
  check ((outcome = 'refused') = (refusal is not null)),
  check (outcome = 'refused' or type is not null),
  check (outcome <> 'refused' or refund_id is null)
);
create index stripe_webhook_events_received_idx on public.stripe_webhook_events (received_at desc);
create index stripe_webhook_events_refund_idx on public.stripe_webhook_events (refund_id) where refund_id is not null;

select public.enable_row_level_security('public.refund_approval_thresholds', 'public.refunds', 'public.refund_stripe_ids',
  'public.stripe_webhook_events');
select public.grant_api_read_only('public.refund_approval_thresholds', 'public.refunds', 'public.refund_stripe_ids',
  'public.stripe_webhook_events');

create policy refund_approval_thresholds_select on public.refund_approval_thresholds for select to authenticated
  using ((select public.current_staff_id()) is not null);
create policy refunds_select on public.refunds for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));
create policy refund_stripe_ids_select on public.refund_stripe_ids for select to authenticated
  using ((select public.has_any_role(array['dpo', 'finance', 'auditor'])));
create policy stripe_webhook_events_select on public.stripe_webhook_events for select to authenticated
  using ((select public.has_any_role(array['finance', 'auditor'])));

-- ---------------------------------------------------------------- internal helpers

-- An amount in major units with its currency, for messages: 1234.50 THB, 1400 JPY.
create function public.money_format(p_amount bigint, p_currency text) returns text
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$
  select case
    when lower(p_currency) in ('bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf')
      then p_amount::text
    else case when p_amount < 0 then '-' else '' end || (abs(p_amount) / 100)::text || '.' || lpad((abs(p_amount) % 100)::text, 2, '0')
  end || ' ' || upper(p_currency)
$$;

-- What is left to refund on a payment (amount minus every refund that is not rejected/failed/canceled).
create function public.refund_remaining_of(p_payment_id uuid) returns bigint
language sql stable security definer set search_path = public, pg_temp
as $$
  select p.amount - coalesce((
    select sum(r.amount) from public.refunds r
    where r.payment_id = p.id and r.status not in ('rejected', 'failed', 'canceled')), 0)
  from public.payments p where p.id = p_payment_id
$$;

-- Sets payments.amount_refunded from the refunds Stripe holds (pending, requires_action, succeeded).
create function public.refund_recompute_payment(p_payment_id uuid) returns void
language sql volatile security definer set search_path = public, pg_temp
as $$
  update public.payments p
     set amount_refunded = coalesce((
       select sum(r.amount) from public.refunds r
       where r.payment_id = p.id and r.status in ('pending', 'requires_action', 'succeeded')), 0)
   where p.id = p_payment_id
$$;

revoke execute on function public.money_format(bigint, text), public.refund_remaining_of(uuid),
  public.refund_recompute_payment(uuid)
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- request

create function public.request_refund(
  p_payment_id uuid, p_amount bigint, p_currency text, p_reason text, p_note text,
  p_idempotency_key text, p_clawback_credits integer default 0
) returns public.refunds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v_finance boolean := public.caller_role_among(array['finance', 'support'],
    'request_refund: only support or finance may request a refund') = 'finance';
  v_note text := trim(p_note);
  v_currency text := lower(trim(p_currency));
  v_clawback integer := coalesce(p_clawback_credits, 0);
  v_existing public.refunds;
  v_payment public.payments;
  v_charge text;
  v_remaining bigint;
  v_clawed bigint;
  v_threshold bigint;
  v_above boolean;
  v_needed smallint;
  v_row public.refunds;
begin
  perform public.require_idempotency_key(p_idempotency_key, 'request_refund');
  -- Same key submitted twice at once: the second waits here, then finds the first one's row.
  perform pg_advisory_xact_lock(hashtext('mfc_refund_idempotency:' || v_caller::text || ':' || p_idempotency_key));
  select * into v_existing from public.refunds where requested_by = v_caller and idempotency_key = p_idempotency_key;
  if found then
    perform public.fail_if_idempotency_key_reused(
      v_existing.payment_id is distinct from p_payment_id or v_existing.amount is distinct from p_amount
        or v_existing.currency is distinct from v_currency or v_existing.reason is distinct from p_reason
        or v_existing.note is distinct from v_note or v_existing.clawback_credits is distinct from v_clawback,
      'request_refund', p_idempotency_key, 'refund');
    return v_existing; -- a retry: the first result, nothing added
  end if;

  perform public.fail_if(p_payment_id is null, 'invalid_parameter_value', 'request_refund: payment is required');
  if p_reason is null or p_reason not in ('duplicate', 'fraudulent', 'requested_by_customer') then
    raise exception 'request_refund: reason must be one of duplicate, fraudulent, requested_by_customer (got %)',
      coalesce(p_reason, 'null') using errcode = 'invalid_parameter_value';
  end if;
  perform public.fail_if(v_note is null or length(v_note) = 0 or length(v_note) > 2000, 'invalid_parameter_value',
    'request_refund: a note (1-2000 characters) is required');
  if v_clawback < 0 then
    raise exception 'request_refund: credits to claw back cannot be negative (got %)', v_clawback
      using errcode = 'invalid_parameter_value';
  end if;

  -- The payment row lock serializes every request on this payment: the remaining amount read
  -- below stays true until commit, so concurrent requests can never over-commit it.
  select * into v_payment from public.payments where id = p_payment_id for update;
  if not found then
    raise exception 'request_refund: payment % does not exist', p_payment_id using errcode = 'PT404';
  end if;
  select stripe_charge_id into v_charge from public.payment_stripe_ids where payment_id = v_payment.id;
  if v_payment.status <> 'succeeded' then
    raise exception 'request_refund: payment % is %, only a succeeded payment can be refunded', p_payment_id, v_payment.status
      using errcode = 'PT409';
  end if;
  if v_charge is null then
    raise exception 'request_refund: payment % has no Stripe charge to refund', p_payment_id
      using errcode = 'PT409';
  end if;
  if v_currency is null or v_currency <> v_payment.currency then
    raise exception 'request_refund: the refund currency must be the payment''s (%), got %', upper(v_payment.currency),
      coalesce(upper(v_currency), 'null') using errcode = 'invalid_parameter_value';
  end if;
  v_remaining := public.refund_remaining_of(v_payment.id);
  if p_amount is null or p_amount <= 0 or p_amount > v_remaining then
    raise exception 'request_refund: the amount must be more than 0 and at most the % that remains refundable (got %)',
      public.money_format(v_remaining, v_payment.currency),
      coalesce(public.money_format(p_amount, v_payment.currency), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if v_clawback > 0 then
    if v_payment.kind <> 'top_up' then
      raise exception 'request_refund: credits can be clawed back only for a top-up payment, this one is a %', v_payment.kind
        using errcode = 'invalid_parameter_value';
    end if;
    select coalesce(sum(clawback_credits), 0) into v_clawed from public.refunds
    where payment_id = v_payment.id and status not in ('rejected', 'failed', 'canceled');
    if v_clawback > v_payment.credits_granted - v_clawed then
      raise exception 'request_refund: at most % of the % credits this top-up granted can still be clawed back (got %)',
        greatest(v_payment.credits_granted - v_clawed, 0), v_payment.credits_granted, v_clawback
        using errcode = 'invalid_parameter_value';
    end if;
  end if;

  select second_approval_above into v_threshold from public.refund_approval_thresholds where currency = v_payment.currency;
  v_above := v_threshold is null or p_amount > v_threshold;
  v_needed := case when v_finance then (case when v_above then 1 else 0 end)
                   else (case when v_above then 2 else 1 end) end;

  insert into public.refunds
    (payment_id, customer_id, amount, currency, reason, note, status, approvals_needed, requested_by, requested_at,
     idempotency_key, clawback_credits)
  values (v_payment.id, v_payment.customer_id, p_amount, v_payment.currency, p_reason, v_note,
          case when v_needed = 0 then 'approved' else 'awaiting_approval' end, v_needed, v_caller, now(),
          p_idempotency_key, v_clawback)
  returning * into v_row;
  perform public.audit_append('refunds.requested', 'refunds', v_row.id::text, null,
    jsonb_build_object('payment_id', v_row.payment_id, 'customer_id', v_row.customer_id, 'amount', v_row.amount,
      'currency', v_row.currency, 'reason', v_row.reason, 'status', v_row.status,
      'approvals_needed', v_row.approvals_needed, 'clawback_credits', v_row.clawback_credits,
      'idempotency_key', v_row.idempotency_key));
  return v_row;
end
$$;

-- ---------------------------------------------------------------- approve / reject (finance, never own)

-- The refund, locked for the rest of the transaction (concurrent acts on one refund queue up); PT404 when absent.
create function public.refund_lock(p_id uuid, p_function text) returns public.refunds
language plpgsql volatile set search_path = public, pg_temp
as $$
declare
  v public.refunds;
begin
  select * into v from public.refunds where id = p_id for update;
  if not found then
    raise exception '%: refund % does not exist', p_function, p_id using errcode = 'PT404';
  end if;
  return v;
end
$$;
revoke execute on function public.refund_lock(uuid, text) from public, anon, authenticated, service_role;

-- Approving, rejecting and executing a refund are finance's (42501), on a given refund (22023); checked in that order.
create function public.refund_require_finance(p_id uuid, p_function text, p_verb text) returns void
language plpgsql stable set search_path = public, pg_temp
as $$
begin
  perform public.require_any_role(array['finance'], format('%s: only finance may %s refunds', p_function, p_verb));
  perform public.fail_if(p_id is null, 'invalid_parameter_value', p_function || ': refund id is required');
end
$$;
revoke execute on function public.refund_require_finance(uuid, text, text) from public, anon, authenticated, service_role;

create function public.approve_refund(p_id uuid, p_note text default null) returns public.refunds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v public.refunds;
  v_old_status text;
begin
  perform public.refund_require_finance(p_id, 'approve_refund', 'approve');
  perform public.fail_if(p_note is not null and length(trim(p_note)) > 2000, 'invalid_parameter_value',
    'approve_refund: the note is longer than 2000 characters');
  -- Two finance users approving at once queue up here; the second then sees the first's approval.
  v := public.refund_lock(p_id, 'approve_refund');
  perform public.fail_if(v.requested_by = v_caller, 'insufficient_privilege',
    'approve_refund: nobody approves their own refund (four eyes)');
  perform public.fail_if(v.first_approved_by = v_caller or v.second_approved_by = v_caller, 'insufficient_privilege',
    'approve_refund: you already approved this refund; a second approval must come from another finance user');
  if v.status <> 'awaiting_approval' then
    raise exception 'approve_refund: refund % is %, not awaiting approval', p_id, v.status
      using errcode = 'PT409';
  end if;
  v_old_status := v.status;
  update public.refunds
     set approvals_needed = approvals_needed - 1,
         status = case when approvals_needed - 1 = 0 then 'approved' else 'awaiting_approval' end,
         first_approved_by = coalesce(first_approved_by, v_caller),
         first_approved_at = case when first_approved_by is null then now() else first_approved_at end,
         second_approved_by = case when first_approved_by is null then null else v_caller end,
         second_approved_at = case when first_approved_by is null then null else now() end,
         updated_at = now()
   where id = v.id
  returning * into v;
  perform public.audit_append('refunds.approved', 'refunds', v.id::text,
    jsonb_build_object('status', v_old_status, 'approvals_needed', v.approvals_needed + 1),
    jsonb_build_object('status', v.status, 'approvals_needed', v.approvals_needed, 'payment_id', v.payment_id,
      'amount', v.amount, 'currency', v.currency, 'requested_by', v.requested_by,
      'note', nullif(trim(p_note), '')));
  return v;
end
$$;

create function public.reject_refund(p_id uuid, p_note text) returns public.refunds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v public.refunds;
  v_old_status text;
begin
  perform public.refund_require_finance(p_id, 'reject_refund', 'reject');
  perform public.fail_if(
    p_note is null or length(trim(p_note)) = 0 or length(trim(p_note)) > 2000,
    'invalid_parameter_value', 'reject_refund: a note (1-2000 characters) saying why is required');
  v := public.refund_lock(p_id, 'reject_refund');
  perform public.fail_if(v.requested_by = v_caller, 'insufficient_privilege',
    'reject_refund: nobody decides their own refund (four eyes)');
  if v.status not in ('awaiting_approval', 'approved') then
    raise exception 'reject_refund: refund % is %; only a refund awaiting approval or approved (not yet executed) can be rejected',
      p_id, v.status using errcode = 'PT409';
  end if;
  v_old_status := v.status;
  update public.refunds
     set status = 'rejected', rejected_by = v_caller, rejected_at = now(), rejection_note = trim(p_note), updated_at = now()
   where id = v.id
  returning * into v;
  perform public.audit_append('refunds.rejected', 'refunds', v.id::text,
    jsonb_build_object('status', v_old_status),
    jsonb_build_object('status', 'rejected', 'payment_id', v.payment_id, 'amount', v.amount, 'currency', v.currency,
      'requested_by', v.requested_by, 'note', v.rejection_note));
  return v;
end
$$;

-- ---------------------------------------------------------------- execute (finance; the Stripe call is in refund-execute)

create function public.refund_begin_execution(p_id uuid) returns json
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v public.refunds;
  v_ids public.payment_stripe_ids;
  v_old_status text;
begin
  perform public.refund_require_finance(p_id, 'refund_begin_execution', 'execute');
  v := public.refund_lock(p_id, 'refund_begin_execution');
  if v.status not in ('approved', 'processing') then
    raise exception 'refund_begin_execution: refund % is already %; only an approved refund (or one still processing, to retry) can be executed',
      p_id, v.status using errcode = 'PT409';
  end if;
  select * into v_ids from public.payment_stripe_ids where payment_id = v.payment_id;
  if v_ids.stripe_charge_id is null then
    raise exception 'refund_begin_execution: payment % has no Stripe charge to refund', v.payment_id
      using errcode = 'PT409';
  end if;
  v_old_status := v.status;
  update public.refunds
     set status = 'processing', execution_attempts = execution_attempts + 1, executed_by = v_caller,
         execution_started_at = now(), updated_at = now()
   where id = v.id
  returning * into v;
  perform public.audit_append('refunds.execution_started', 'refunds', v.id::text,
    jsonb_build_object('status', v_old_status),
    jsonb_build_object('status', 'processing', 'execution_attempts', v.execution_attempts, 'payment_id', v.payment_id,
      'amount', v.amount, 'currency', v.currency));
  return json_build_object(
    'refund_id', v.id, 'amount', v.amount, 'currency', v.currency, 'reason', v.reason,
    'stripe_payment_intent_id', v_ids.stripe_payment_intent_id, 'stripe_charge_id', v_ids.stripe_charge_id,
    'status', v.status);
end
$$;

-- ---------------------------------------------------------------- Stripe results (service_role only)

-- Applies a Stripe refund status to a locked refund row. Returns 'applied' (recorded, or already
-- the same) or 'ignored_older' (out of order: a final status stays, an older non-final one loses).
-- A Stripe status repeated by a newer event (pending → requires_action → pending, delivered newest first) still
-- moves stripe_status_at forward; otherwise the older requires_action event, arriving next, looks newer than the
-- recorded time and wins.
create function public.refund_apply_stripe_status(
  p_id uuid, p_stripe_refund_id text, p_status text, p_failure_reason text, p_stripe_created_at timestamptz,
  p_function text
) returns text
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v public.refunds;
  v_existing_re text;
  v_other uuid;
  v_new_id boolean := false;
  v_change boolean;
  v_balance bigint;
  v_take bigint;
  v_ledger bigint;
begin
  if p_status is null or p_status not in ('pending', 'requires_action', 'succeeded', 'failed', 'canceled') then
    raise exception '%: Stripe status must be one of pending, requires_action, succeeded, failed, canceled (got %)',
      p_function, coalesce(p_status, 'null') using errcode = 'invalid_parameter_value';
  end if;
  if p_stripe_refund_id is null or p_stripe_refund_id !~ '^re_[A-Za-z0-9]+$' then
    raise exception '%: a Stripe refund id (re_...) is required (got %)', p_function, coalesce(p_stripe_refund_id, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if p_failure_reason is not null and length(p_failure_reason) > 500 then
    raise exception '%: failure reason is longer than 500 characters', p_function using errcode = 'invalid_parameter_value';
  end if;
  v := public.refund_lock(p_id, p_function);
  if v.status in ('awaiting_approval', 'approved', 'rejected') then
    raise exception '%: refund % is %, it was never sent to Stripe', p_function, p_id, v.status
      using errcode = 'PT409';
  end if;
  select stripe_refund_id into v_existing_re from public.refund_stripe_ids where refund_id = v.id;
  if v_existing_re is not null and v_existing_re <> p_stripe_refund_id then
    raise exception '%: refund % is already Stripe refund %, not %', p_function, p_id, v_existing_re, p_stripe_refund_id
      using errcode = 'PT409';
  end if;
  if v_existing_re is null then
    select refund_id into v_other from public.refund_stripe_ids where stripe_refund_id = p_stripe_refund_id;
    if found then
      raise exception '%: Stripe refund % belongs to another refund (%)', p_function, p_stripe_refund_id, v_other
        using errcode = 'PT409';
    end if;
    insert into public.refund_stripe_ids (refund_id, stripe_refund_id) values (v.id, p_stripe_refund_id);
    v_new_id := true;
  end if;

  if v.status = p_status then
    v_change := false;
  elsif v.status in ('succeeded', 'failed', 'canceled') then
    v_change := false; -- final: never changes
  elsif v.status = 'processing' or p_status in ('succeeded', 'failed', 'canceled') then
    v_change := true;
  else
    -- both non-final Stripe statuses: the newer one wins
    v_change := v.stripe_status_at is null or (p_stripe_created_at is not null and p_stripe_created_at >= v.stripe_status_at);
  end if;

  if not v_change then
    if v.status = p_status and p_stripe_created_at is not null
       and (v.stripe_status_at is null or p_stripe_created_at > v.stripe_status_at) then
      update public.refunds set stripe_status_at = p_stripe_created_at, updated_at = now() where id = v.id;
    end if;
    if v_new_id then
      perform public.audit_append('refunds.stripe_status', 'refunds', v.id::text,
        jsonb_build_object('status', v.status),
        jsonb_build_object('status', v.status, 'stripe_refund_id', p_stripe_refund_id));
    end if;
    return case when v.status = p_status then 'applied' else 'ignored_older' end;
  end if;

  update public.refunds
     set status = p_status,
         stripe_status_at = coalesce(p_stripe_created_at, stripe_status_at),
         failure_reason = case when p_status in ('failed', 'canceled') then coalesce(nullif(trim(p_failure_reason), ''), failure_reason)
                               else failure_reason end,
         updated_at = now()
   where id = v.id;
  perform public.refund_recompute_payment(v.payment_id);

  -- Claw back the top-up's credits once, when the money actually went back; never below zero.
  if p_status = 'succeeded' and v.clawback_credits > 0 and v.clawback_ledger_entry_id is null then
    perform pg_advisory_xact_lock(hashtext('mfc_credit_customer:' || v.customer_id::text));
    v_balance := public.credit_balance_of(v.customer_id);
    v_take := least(v.clawback_credits::bigint, greatest(v_balance, 0));
    if v_take > 0 then
      insert into public.credit_ledger (customer_id, amount, reason, note, payment_id, actor_staff_id, idempotency_key)
      values (v.customer_id, -v_take::integer, 'refund_clawback',
              'Refund of ' || public.money_format(v.amount, v.currency) || ' (' || v.id::text || ')',
              v.payment_id, v.executed_by, 'refund_clawback:' || v.id::text)
      on conflict (idempotency_key) do nothing
      returning id into v_ledger;
      if v_ledger is not null then
        update public.refunds set clawback_ledger_entry_id = v_ledger where id = v.id;
      end if;
    end if;
  end if;

  perform public.audit_append('refunds.stripe_status', 'refunds', v.id::text,
    jsonb_build_object('status', v.status),
    jsonb_build_object('status', p_status, 'stripe_refund_id', p_stripe_refund_id, 'stripe_created_at', p_stripe_created_at,
      'failure_reason', case when p_status in ('failed', 'canceled') then p_failure_reason end,
      'clawback_ledger_entry_id', v_ledger, 'clawed_back_credits', v_take));
  return 'applied';
end
$$;

create function public.refund_record_stripe_result(
  p_id uuid, p_stripe_refund_id text, p_status text, p_failure_reason text, p_stripe_created_at timestamptz
) returns public.refunds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v public.refunds;
begin
  perform public.fail_if(p_id is null, 'invalid_parameter_value',
    'refund_record_stripe_result: refund id is required');
  perform public.refund_apply_stripe_status(p_id, p_stripe_refund_id, p_status, p_failure_reason, p_stripe_created_at,
    'refund_record_stripe_result');
  select * into v from public.refunds where id = p_id;
  return v;
end
$$;

create function public.refund_record_execution_error(p_id uuid, p_code text, p_message text) returns public.refunds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v public.refunds;
  v_code text := trim(p_code);
begin
  perform public.fail_if(p_id is null, 'invalid_parameter_value',
    'refund_record_execution_error: refund id is required');
  perform public.fail_if(v_code is null or length(v_code) = 0 or length(v_code) > 200, 'invalid_parameter_value',
    'refund_record_execution_error: the Stripe error code is required');
  v := public.refund_lock(p_id, 'refund_record_execution_error');
  if v.status = 'failed' and v.failure_reason is not distinct from v_code then
    return v; -- the same answer recorded twice
  end if;
  if v.status <> 'processing' then
    raise exception 'refund_record_execution_error: refund % is %, not processing', p_id, v.status
      using errcode = 'PT409';
  end if;
  update public.refunds set status = 'failed', failure_reason = v_code, updated_at = now()
   where id = v.id
  returning * into v;
  perform public.refund_recompute_payment(v.payment_id);
  perform public.audit_append('refunds.execution_failed', 'refunds', v.id::text,
    jsonb_build_object('status', 'processing'),
    jsonb_build_object('status', 'failed', 'code', v_code, 'message', left(p_message, 2000)));
  return v;
end
$$;

-- Both ways of recording a Stripe event record it exactly once: true when it is recorded now, false when its id
-- was already taken (a redelivery, which changes nothing).
create function public.stripe_record_event_once(
  p_event_id text, p_type text, p_stripe_created_at timestamptz, p_outcome text, p_refusal text
) returns boolean
language plpgsql volatile set search_path = public, pg_temp
as $$
declare
  v_inserted text;
begin
  insert into public.stripe_webhook_events (id, type, stripe_created_at, outcome, refusal)
  values (p_event_id, p_type, p_stripe_created_at, p_outcome, p_refusal)
  on conflict (id) do nothing
  returning id into v_inserted;
  return v_inserted is not null;
end
$$;
revoke execute on function public.stripe_record_event_once(text, text, timestamptz, text, text)
  from public, anon, authenticated, service_role;

create function public.stripe_record_webhook_event(
  p_event_id text, p_type text, p_stripe_created_at timestamptz, p_refund jsonb
) returns text
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_re text;
  v_console text;
  v_refund_id uuid;
  v_status text;
  v_outcome text;
begin
  perform public.fail_if(p_event_id is null or p_event_id !~ '^evt_[A-Za-z0-9_]+$', 'invalid_parameter_value',
    'stripe_record_webhook_event: a Stripe event id (evt_...) is required');
  perform public.fail_if(p_type is null or length(p_type) = 0 or length(p_type) > 200, 'invalid_parameter_value',
    'stripe_record_webhook_event: event type is required');
  if not public.stripe_record_event_once(p_event_id, p_type, p_stripe_created_at, 'ignored_type', null) then
    return 'duplicate';
  end if;

  if p_type not in ('refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated') then
    return 'ignored_type';
  end if;
  if p_refund is null or jsonb_typeof(p_refund) <> 'object' then
    raise exception 'stripe_record_webhook_event: % needs the Stripe refund object', p_type using errcode = 'invalid_parameter_value';
  end if;
  v_re := p_refund ->> 'id';
  v_status := p_refund ->> 'status';
  v_console := p_refund -> 'metadata' ->> 'console_refund_id';

  select refund_id into v_refund_id from public.refund_stripe_ids where stripe_refund_id = v_re;
  if v_refund_id is null and v_console ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select r.id into v_refund_id from public.refunds r
    where r.id = v_console::uuid
      and not exists (select 1 from public.refund_stripe_ids s where s.refund_id = r.id and s.stripe_refund_id <> v_re);
  end if;
  if v_refund_id is not null
     and not exists (select 1 from public.refunds where id = v_refund_id and status not in ('awaiting_approval', 'approved', 'rejected')) then
    v_refund_id := null; -- never sent to Stripe from here: not ours to move
  end if;
  if v_refund_id is null or v_re is null or v_re !~ '^re_[A-Za-z0-9]+$' then
    v_outcome := 'unmatched';
  elsif v_status is null or v_status not in ('pending', 'requires_action', 'succeeded', 'failed', 'canceled') then
    v_outcome := 'ignored_type';
  else
    v_outcome := public.refund_apply_stripe_status(v_refund_id, v_re, v_status, p_refund ->> 'failure_reason',
      p_stripe_created_at, 'stripe_record_webhook_event');
  end if;
  update public.stripe_webhook_events set outcome = v_outcome, refund_id = v_refund_id where id = p_event_id;
  return v_outcome;
end
$$;

-- A correctly signed event the stripe-webhook function refused (the reason names the fields): recorded once, so
-- finance and auditors see it arrived and why nothing was applied; Stripe's redeliveries of it change nothing.
-- p_type and p_stripe_created_at are null when those were the fields at fault. Returns 'refused', or 'duplicate'
-- when the event id is already recorded (refused before, or processed).
create function public.stripe_record_webhook_refusal(
  p_event_id text, p_type text, p_stripe_created_at timestamptz, p_reason text
) returns text
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
begin
  perform public.fail_if(p_event_id is null or p_event_id !~ '^evt_[A-Za-z0-9_]+$', 'invalid_parameter_value',
    'stripe_record_webhook_refusal: a Stripe event id (evt_...) is required');
  perform public.fail_if(p_type is not null and (length(p_type) = 0 or length(p_type) > 200), 'invalid_parameter_value',
    'stripe_record_webhook_refusal: event type must be 1 to 200 characters, or null');
  perform public.fail_if(
    p_reason is null or length(trim(p_reason)) = 0 or length(p_reason) > 1000,
    'invalid_parameter_value', 'stripe_record_webhook_refusal: the reason is required (at most 1000 characters)');
  return case when public.stripe_record_event_once(p_event_id, p_type, p_stripe_created_at, 'refused', p_reason)
    then 'refused' else 'duplicate' end;
end
$$;

-- ---------------------------------------------------------------- thresholds (admin)

create function public.set_refund_threshold(p_currency text, p_second_approval_above bigint)
returns public.refund_approval_thresholds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_currency text := lower(trim(p_currency));
  v_old public.refund_approval_thresholds;
  v public.refund_approval_thresholds;
begin
  perform public.require_any_role(array['admin'], 'set_refund_threshold: only an admin may change refund approval thresholds');
  if v_currency is null or v_currency !~ '^[a-z]{3}$' then
    raise exception 'set_refund_threshold: currency must be a three-letter code (got %)', coalesce(p_currency, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  perform public.fail_if(p_second_approval_above is null or p_second_approval_above <= 0, 'invalid_parameter_value',
    'set_refund_threshold: the threshold must be a positive amount in minor units');
  select * into v_old from public.refund_approval_thresholds where currency = v_currency for update;
  insert into public.refund_approval_thresholds (currency, second_approval_above, updated_by, updated_at)
  values (v_currency, p_second_approval_above, public.current_staff_id(), now())
  on conflict (currency) do update
    set second_approval_above = excluded.second_approval_above, updated_by = excluded.updated_by, updated_at = excluded.updated_at
  returning * into v;
  perform public.audit_append('refunds.threshold_set', 'refund_approval_thresholds', v_currency,
    case when v_old.currency is null then null else jsonb_build_object('second_approval_above', v_old.second_approval_above) end,
    jsonb_build_object('second_approval_above', v.second_approval_above));
  return v;
end
$$;

-- ---------------------------------------------------------------- privileges

revoke execute on function public.refund_apply_stripe_status(uuid, text, text, text, timestamptz, text)
  from public, anon, authenticated, service_role;
revoke execute on function
  public.request_refund(uuid, bigint, text, text, text, text, integer), public.approve_refund(uuid, text),
  public.reject_refund(uuid, text), public.refund_begin_execution(uuid), public.set_refund_threshold(text, bigint)
  from public, anon;
grant execute on function
  public.request_refund(uuid, bigint, text, text, text, text, integer), public.approve_refund(uuid, text),
  public.reject_refund(uuid, text), public.refund_begin_execution(uuid), public.set_refund_threshold(text, bigint)
  to authenticated;
-- Stripe's answers are recorded by the server-side functions only.
revoke execute on function
  public.refund_record_stripe_result(uuid, text, text, text, timestamptz),
  public.refund_record_execution_error(uuid, text, text),
  public.stripe_record_webhook_event(text, text, timestamptz, jsonb),
  public.stripe_record_webhook_refusal(text, text, timestamptz, text)
  from public, anon, authenticated;
grant execute on function
  public.refund_record_stripe_result(uuid, text, text, text, timestamptz),
  public.refund_record_execution_error(uuid, text, text),
  public.stripe_record_webhook_event(text, text, timestamptz, jsonb),
  public.stripe_record_webhook_refusal(text, text, timestamptz, text)
  to service_role;
