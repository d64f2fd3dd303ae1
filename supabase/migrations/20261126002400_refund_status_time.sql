-- A Stripe status repeated by a newer event (pending → requires_action → pending, delivered newest first) must
-- still move stripe_status_at forward; otherwise the older requires_action event, arriving next, looks newer than
-- the recorded time and wins. Same function as in 20261126002100, with that one change in the no-change branch.
create or replace function public.refund_apply_stripe_status(
  p_id uuid, p_stripe_refund_id text, p_status text, p_failure_reason text, p_stripe_created_at timestamptz,
  p_function text
) returns text
language plpgsql
volatile
security definer
set search_path = public, pg_temp
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
  select * into v from public.refunds where id = p_id for update;
  if not found then
    raise exception '%: refund % does not exist', p_function, p_id using errcode = 'PT404';
  end if;
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
