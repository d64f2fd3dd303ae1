-- Money desk, credits (issue 4): manual credit adjustments with limits, four-eyes approval and
-- idempotent submits. The ledger stays append-only; every adjustment is a request row in
-- credit_adjustments, and only an applied one adds a credit_ledger row. Writes go through the
-- functions below (security definer, role-checked, one transaction, audited); nothing is
-- written when a check fails. Errors (HTTP status through PostgREST): 42501 not allowed (403),
-- 22023 bad argument (400), PT404 not found (404), 23505 idempotency key reused with other parameters (409),
-- PT409 wrong state (not pending, balance, deleted customer; 409).

-- ---------------------------------------------------------------- limits (configurable data)

-- One row per role that may adjust. An adjustment whose size exceeds per_adjustment_max, or that
-- would take the requester's applied total of the day (Asia/Bangkok) past per_day_max, waits as
-- pending for a second finance user.
create table public.credit_limits (
  role public.staff_role primary key check (role in ('support', 'finance')),
  per_adjustment_max integer not null check (per_adjustment_max > 0),
  per_day_max integer not null check (per_day_max > 0),
  check (per_day_max >= per_adjustment_max),
  updated_by uuid references public.staff_members (id),
  updated_at timestamptz not null default now()
);
insert into public.credit_limits (role, per_adjustment_max, per_day_max) values
  ('support', 500, 2000),
  ('finance', 5000, 20000);

-- ---------------------------------------------------------------- adjustment requests

create table public.credit_adjustments (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete restrict,
  amount integer not null check (amount <> 0 and abs(amount) <= 1000000),
  reason text not null check (reason in ('goodwill', 'failed_generation', 'correction', 'promotion', 'refund_clawback')),
  note text not null check (length(trim(note)) between 1 and 2000),
  idempotency_key text not null unique check (idempotency_key ~ '^[A-Za-z0-9_.:-]{8,200}$'),
  requested_by uuid not null references public.staff_members (id),
  requested_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'applied', 'rejected')),
  -- Why it waits (null when applied at once): over_per_adjustment_limit, over_daily_limit,
  -- negative_balance_correction.
  pending_reason text check (pending_reason in ('over_per_adjustment_limit', 'over_daily_limit', 'negative_balance_correction')),
  decided_by uuid references public.staff_members (id),
  decided_at timestamptz,
  decision_note text,
  ledger_entry_id bigint unique references public.credit_ledger (id),
  check ((status = 'applied') = (ledger_entry_id is not null)),
  check ((decided_by is null) = (decided_at is null)),
  check (status <> 'pending' or decided_by is null),
  check (status <> 'rejected' or decided_by is not null),
  check (decided_by is null or decided_by <> requested_by),
  check ((pending_reason is null) = (status = 'applied' and decided_by is null))
);
create index credit_adjustments_customer_idx on public.credit_adjustments (customer_id, requested_at desc);
create index credit_adjustments_requester_day_idx on public.credit_adjustments (requested_by, requested_at)
  where status = 'applied' and decided_by is null;
create index credit_adjustments_pending_idx on public.credit_adjustments (requested_at) where status = 'pending';

-- The ledger's reason/actor/date filters across customers (credits page).
create index credit_ledger_created_idx on public.credit_ledger (created_at desc);
create index credit_ledger_actor_idx on public.credit_ledger (actor_staff_id, created_at desc)
  where actor_staff_id is not null;

select public.enable_row_level_security('public.credit_limits', 'public.credit_adjustments');
select public.grant_api_read_only('public.credit_limits', 'public.credit_adjustments');

create policy credit_limits_select on public.credit_limits for select to authenticated
  using ((select public.current_staff_id()) is not null);
create policy credit_adjustments_select on public.credit_adjustments for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));

-- ---------------------------------------------------------------- internal helpers

-- Start of the caller's business day (Bangkok) that the daily limit counts from.
create function public.credit_day_start(p_at timestamptz) returns timestamptz
language sql
immutable
parallel safe
set search_path = public, pg_temp
as $$ select date_trunc('day', p_at at time zone 'Asia/Bangkok') at time zone 'Asia/Bangkok' $$;

-- Appends the ledger row of an adjustment (actor = who made it take effect) and returns its id.
create function public.credit_write_ledger(
  p_customer_id uuid, p_amount integer, p_reason text, p_note text, p_actor uuid, p_idempotency_key text
) returns bigint
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_id bigint;
begin
  insert into public.credit_ledger (customer_id, amount, reason, note, actor_staff_id, idempotency_key)
  values (p_customer_id, p_amount, p_reason, p_note, p_actor, 'credit_adjustment:' || p_idempotency_key)
  returning id into v_id;
  return v_id;
end
$$;

create function public.credit_balance_of(p_customer_id uuid) returns bigint
language sql stable security definer set search_path = public, pg_temp
as $$ select coalesce((select balance from public.credit_balances where customer_id = p_customer_id), 0) $$;

revoke execute on function public.credit_day_start(timestamptz),
  public.credit_write_ledger(uuid, integer, text, text, uuid, text), public.credit_balance_of(uuid)
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- adjust

create function public.adjust_credits(
  p_customer_id uuid, p_amount integer, p_reason text, p_note text, p_idempotency_key text
) returns public.credit_adjustments
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v_role text := public.caller_role_among(array['finance', 'support'],
    'adjust_credits: only support or finance may adjust credits');
  v_limit public.credit_limits;
  v_note text := trim(p_note);
  v_existing public.credit_adjustments;
  v_customer public.customers;
  v_today bigint;
  v_balance bigint;
  v_pending_reason text;
  v_row public.credit_adjustments;
  v_ledger_id bigint;
begin
  perform public.require_idempotency_key(p_idempotency_key, 'adjust_credits');
  -- Same key submitted twice at once: the second waits here, then finds the first one's row.
  perform pg_advisory_xact_lock(hashtext('mfc_credit_idempotency:' || p_idempotency_key));
  select * into v_existing from public.credit_adjustments where idempotency_key = p_idempotency_key;
  if found then
    perform public.fail_if_idempotency_key_reused(
      v_existing.customer_id is distinct from p_customer_id or v_existing.amount is distinct from p_amount
        or v_existing.reason is distinct from p_reason or v_existing.note is distinct from v_note
        or v_existing.requested_by is distinct from v_caller,
      'adjust_credits', p_idempotency_key, 'adjustment');
    return v_existing; -- a retry: the first result, nothing added
  end if;

  perform public.fail_if(p_customer_id is null, 'invalid_parameter_value', 'adjust_credits: customer is required');
  if p_amount is null or p_amount = 0 or abs(p_amount) > 1000000 then
    raise exception 'adjust_credits: amount must be a non-zero number of credits between -1000000 and 1000000 (got %)',
      coalesce(p_amount::text, 'null') using errcode = 'invalid_parameter_value';
  end if;
  if p_reason is null or p_reason not in ('goodwill', 'failed_generation', 'correction', 'promotion', 'refund_clawback') then
    raise exception 'adjust_credits: reason must be one of goodwill, failed_generation, correction, promotion, refund_clawback (got %)',
      coalesce(p_reason, 'null') using errcode = 'invalid_parameter_value';
  end if;
  perform public.fail_if(v_note is null or length(v_note) = 0 or length(v_note) > 2000, 'invalid_parameter_value',
    'adjust_credits: a note (1-2000 characters) is required');
  select * into v_customer from public.customers where id = p_customer_id;
  if not found then
    raise exception 'adjust_credits: customer % does not exist', p_customer_id using errcode = 'PT404';
  end if;
  if v_customer.deleted_at is not null then
    raise exception 'adjust_credits: customer % is deleted', p_customer_id using errcode = 'PT409';
  end if;

  -- Order: requester, then customer (approvals take only the customer lock), so no cycle.
  -- The requester lock makes the daily total exact under concurrency; the customer lock makes
  -- the balance check exact.
  perform pg_advisory_xact_lock(hashtext('mfc_credit_requester:' || v_caller::text));
  perform pg_advisory_xact_lock(hashtext('mfc_credit_customer:' || p_customer_id::text));
  select * into v_limit from public.credit_limits where role = v_role::public.staff_role;
  select coalesce(sum(abs(amount)), 0) into v_today
  from public.credit_adjustments
  where requested_by = v_caller and status = 'applied' and decided_by is null
    and requested_at >= public.credit_day_start(now());
  v_balance := public.credit_balance_of(p_customer_id);

  if v_balance + p_amount < 0 then
    if p_reason <> 'correction' then
      raise exception 'adjust_credits: the balance of % credits cannot go below zero (adjustment %); only an approved correction may do that',
        v_balance, p_amount using errcode = 'PT409';
    end if;
    v_pending_reason := 'negative_balance_correction';
  elsif abs(p_amount) > v_limit.per_adjustment_max then
    v_pending_reason := 'over_per_adjustment_limit';
  elsif v_today + abs(p_amount) > v_limit.per_day_max then
    v_pending_reason := 'over_daily_limit';
  end if;

  if v_pending_reason is null then
    v_ledger_id := public.credit_write_ledger(p_customer_id, p_amount, p_reason, v_note, v_caller, p_idempotency_key);
  end if;
  insert into public.credit_adjustments
    (customer_id, amount, reason, note, idempotency_key, requested_by, requested_at, status, pending_reason, ledger_entry_id)
  values (p_customer_id, p_amount, p_reason, v_note, p_idempotency_key, v_caller, now(),
          case when v_pending_reason is null then 'applied' else 'pending' end, v_pending_reason, v_ledger_id)
  returning * into v_row;
  perform public.audit_append('credits.adjustment_requested', 'credit_adjustments', v_row.id::text, null,
    jsonb_build_object('customer_id', v_row.customer_id, 'amount', v_row.amount, 'reason', v_row.reason,
      'status', v_row.status, 'pending_reason', v_row.pending_reason, 'idempotency_key', v_row.idempotency_key));
  return v_row;
end
$$;

-- ---------------------------------------------------------------- decide (finance, never own)

-- The pending adjustment, locked (two finance users deciding at once queue up; the second one
-- then finds it decided), after the role and four-eyes checks common to approve and reject.
create function public.credit_lock_pending(p_id uuid, p_function text) returns public.credit_adjustments
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v public.credit_adjustments;
begin
  if not public.has_role('finance') then
    raise exception '%: only finance may decide credit adjustments', p_function using errcode = 'insufficient_privilege';
  end if;
  if p_id is null then
    raise exception '%: adjustment id is required', p_function using errcode = 'invalid_parameter_value';
  end if;
  select * into v from public.credit_adjustments where id = p_id for update;
  if not found then
    raise exception '%: credit adjustment % does not exist', p_function, p_id using errcode = 'PT404';
  end if;
  if v.requested_by = public.current_staff_id() then
    raise exception '%: nobody decides their own credit adjustment (four eyes)', p_function
      using errcode = 'insufficient_privilege';
  end if;
  if v.status <> 'pending' then
    raise exception '%: credit adjustment % is already %', p_function, p_id, v.status
      using errcode = 'PT409';
  end if;
  return v;
end
$$;
revoke execute on function public.credit_lock_pending(uuid, text) from public, anon, authenticated, service_role;

create function public.approve_credit_adjustment(p_id uuid, p_note text default null)
returns public.credit_adjustments
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v public.credit_adjustments;
  v_balance bigint;
  v_ledger_id bigint;
begin
  v := public.credit_lock_pending(p_id, 'approve_credit_adjustment');
  perform public.fail_if(p_note is not null and length(trim(p_note)) > 2000, 'invalid_parameter_value',
    'approve_credit_adjustment: the note is longer than 2000 characters');
  perform pg_advisory_xact_lock(hashtext('mfc_credit_customer:' || v.customer_id::text));
  v_balance := public.credit_balance_of(v.customer_id);
  -- The balance may have dropped since the request: only a correction may take it below zero.
  if v_balance + v.amount < 0 and v.reason <> 'correction' then
    raise exception 'approve_credit_adjustment: the balance of % credits cannot go below zero (adjustment %); reject it or request a correction',
      v_balance, v.amount using errcode = 'PT409';
  end if;
  v_ledger_id := public.credit_write_ledger(v.customer_id, v.amount, v.reason, v.note, v_caller, v.idempotency_key);
  update public.credit_adjustments
     set status = 'applied', decided_by = v_caller, decided_at = now(),
         decision_note = nullif(trim(p_note), ''), ledger_entry_id = v_ledger_id
   where id = v.id
  returning * into v;
  perform public.audit_append('credits.adjustment_approved', 'credit_adjustments', v.id::text,
    jsonb_build_object('status', 'pending'),
    jsonb_build_object('status', 'applied', 'customer_id', v.customer_id, 'amount', v.amount, 'reason', v.reason,
      'requested_by', v.requested_by, 'ledger_entry_id', v_ledger_id));
  return v;
end
$$;

create function public.reject_credit_adjustment(p_id uuid, p_note text)
returns public.credit_adjustments
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_caller uuid := public.current_staff_id();
  v public.credit_adjustments;
begin
  v := public.credit_lock_pending(p_id, 'reject_credit_adjustment');
  perform public.fail_if(
    p_note is null or length(trim(p_note)) = 0 or length(trim(p_note)) > 2000,
    'invalid_parameter_value', 'reject_credit_adjustment: a note (1-2000 characters) saying why is required');
  update public.credit_adjustments
     set status = 'rejected', decided_by = v_caller, decided_at = now(), decision_note = trim(p_note)
   where id = v.id
  returning * into v;
  perform public.audit_append('credits.adjustment_rejected', 'credit_adjustments', v.id::text,
    jsonb_build_object('status', 'pending'),
    jsonb_build_object('status', 'rejected', 'customer_id', v.customer_id, 'amount', v.amount, 'reason', v.reason,
      'requested_by', v.requested_by));
  return v;
end
$$;

-- ---------------------------------------------------------------- limits

-- Admin sets any role's limits; finance sets support's only (raising its own limit would undo the
-- four-eyes rule it is subject to).
create function public.set_credit_limit(p_role public.staff_role, p_per_adjustment_max integer, p_per_day_max integer)
returns public.credit_limits
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_old public.credit_limits;
  v public.credit_limits;
begin
  perform public.fail_if(
    not (public.has_role('admin') or (public.has_role('finance') and p_role = 'support')),
    'insufficient_privilege', 'set_credit_limit: only an admin, or finance for support''s limits, may change credit limits');
  if p_role is null or p_role not in ('support', 'finance') then
    raise exception 'set_credit_limit: limits exist for support and finance only (got %)', coalesce(p_role::text, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if p_per_adjustment_max is null or p_per_day_max is null or p_per_adjustment_max <= 0
     or p_per_day_max < p_per_adjustment_max or p_per_day_max > 1000000 then
    raise exception 'set_credit_limit: limits must be positive, the daily one at least the per-adjustment one and at most 1000000'
      using errcode = 'invalid_parameter_value';
  end if;
  select * into v_old from public.credit_limits where role = p_role for update;
  if not found then
    raise exception 'set_credit_limit: no limits row for %', p_role using errcode = 'PT404';
  end if;
  update public.credit_limits
     set per_adjustment_max = p_per_adjustment_max, per_day_max = p_per_day_max,
         updated_by = public.current_staff_id(), updated_at = now()
   where role = p_role
  returning * into v;
  perform public.audit_append('credits.limit_set', 'credit_limits', p_role::text,
    jsonb_build_object('per_adjustment_max', v_old.per_adjustment_max, 'per_day_max', v_old.per_day_max),
    jsonb_build_object('per_adjustment_max', v.per_adjustment_max, 'per_day_max', v.per_day_max));
  return v;
end
$$;

revoke execute on function public.adjust_credits(uuid, integer, text, text, text),
  public.approve_credit_adjustment(uuid, text), public.reject_credit_adjustment(uuid, text),
  public.set_credit_limit(public.staff_role, integer, integer)
  from public, anon;
grant execute on function public.adjust_credits(uuid, integer, text, text, text),
  public.approve_credit_adjustment(uuid, text), public.reject_credit_adjustment(uuid, text),
  public.set_credit_limit(public.staff_role, integer, integer)
  to authenticated;
