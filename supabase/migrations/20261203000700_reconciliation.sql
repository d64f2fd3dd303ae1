-- Money desk, reconciliation (issue 4): finance matches Stripe's records (an uploaded balance
-- report or payments export, or a pull from the Stripe API) against the database and saves the
-- run with its discrepancies. Matching happens in the browser/worker (src/features/reconciliation);
-- the database provides its side (reconciliation_records) and stores finished runs
-- (record_reconciliation_run), atomically and audited. Read: finance, auditor.
-- Errors: 42501 not allowed, 22023 bad argument.

create table public.reconciliation_runs (
  id uuid primary key default gen_random_uuid(),
  created_by uuid not null references public.staff_members (id),
  created_at timestamptz not null default now(),
  source text not null check (source in ('upload', 'pull')),
  file_kind text not null check (file_kind in ('balance_report', 'payments_export', 'stripe_api')),
  file_name text check (length(file_name) between 1 and 255),
  file_sha256 text check (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_rows integer not null check (file_rows >= 0),
  period_from timestamptz,
  period_to timestamptz,
  counts jsonb not null check (jsonb_typeof(counts) = 'object'),
  totals jsonb not null check (jsonb_typeof(totals) = 'array'),
  check ((source = 'pull') = (file_kind = 'stripe_api')),
  check (period_from is null or period_to is null or period_from <= period_to)
);
create index reconciliation_runs_created_idx on public.reconciliation_runs (created_at desc);

create table public.reconciliation_discrepancies (
  run_id uuid not null references public.reconciliation_runs (id) on delete cascade,
  seq integer not null check (seq >= 1),
  kind text not null check (kind in ('amount_mismatch', 'status_mismatch', 'refund_mismatch', 'missing_in_database', 'missing_in_stripe')),
  stripe_id text check (length(stripe_id) between 1 and 255),
  payment_id uuid,
  refund_id uuid,
  currency text check (currency ~ '^[a-z]{3}$'),
  stripe_amount bigint,
  database_amount bigint,
  stripe_status text check (length(stripe_status) <= 100),
  database_status text check (length(database_status) <= 100),
  line integer check (line >= 1),
  detail text not null check (length(detail) between 1 and 2000),
  primary key (run_id, seq)
);
create index reconciliation_discrepancies_kind_idx on public.reconciliation_discrepancies (run_id, kind, seq);

-- The database side of matching filters refunds by when they went to Stripe.
create index refunds_execution_started_idx on public.refunds (execution_started_at) where execution_started_at is not null;

select public.enable_row_level_security('public.reconciliation_runs', 'public.reconciliation_discrepancies');
select public.grant_api_read_only('public.reconciliation_runs', 'public.reconciliation_discrepancies');

create policy reconciliation_runs_select on public.reconciliation_runs for select to authenticated
  using ((select public.has_any_role(array['finance', 'auditor'])));
create policy reconciliation_discrepancies_select on public.reconciliation_discrepancies for select to authenticated
  using ((select public.has_any_role(array['finance', 'auditor'])));

-- ---------------------------------------------------------------- shape checks (internal)

-- True when v is a JSON integer (no fraction) within bigint range, or JSON null when p_nullable.
create function public.reconciliation_is_int(v jsonb, p_nullable boolean) returns boolean
language sql immutable set search_path = public, pg_temp
as $$
  select case
    when v is null or jsonb_typeof(v) = 'null' then p_nullable
    when jsonb_typeof(v) <> 'number' then false
    else (v #>> '{}') ~ '^-?[0-9]{1,18}$'
  end
$$;

-- True when v is a JSON string of 1..p_max characters matching p_pattern (or null when p_nullable).
create function public.reconciliation_is_text(v jsonb, p_nullable boolean, p_max integer, p_pattern text default null) returns boolean
language sql immutable set search_path = public, pg_temp
as $$
  select case
    when v is null or jsonb_typeof(v) = 'null' then p_nullable
    when jsonb_typeof(v) <> 'string' then false
    else length(v #>> '{}') between 1 and p_max and (p_pattern is null or (v #>> '{}') ~ p_pattern)
  end
$$;

-- An element of totals or discrepancies must be an object holding only the given fields (22023 otherwise).
create function public.reconciliation_require_object(p_value jsonb, p_fields text[], p_name text) returns void
language plpgsql immutable set search_path = public, pg_temp
as $$
declare
  v_key text;
begin
  if jsonb_typeof(p_value) <> 'object' then
    raise exception 'record_reconciliation_run: % must be an object', p_name using errcode = 'invalid_parameter_value';
  end if;
  select k into v_key from jsonb_object_keys(p_value) k where k <> all (p_fields) limit 1;
  if v_key is not null then
    raise exception 'record_reconciliation_run: % has an unknown field %', p_name, v_key using errcode = 'invalid_parameter_value';
  end if;
end
$$;

revoke execute on function public.reconciliation_is_int(jsonb, boolean), public.reconciliation_is_text(jsonb, boolean, integer, text),
  public.reconciliation_require_object(jsonb, text[], text)
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- record a run (finance)

create function public.record_reconciliation_run(p_run jsonb, p_discrepancies jsonb) returns public.reconciliation_runs
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  c_kinds constant text[] := array['amount_mismatch', 'status_mismatch', 'refund_mismatch', 'missing_in_database', 'missing_in_stripe'];
  c_counts constant text[] := array['matched', 'amount_mismatch', 'status_mismatch', 'refund_mismatch', 'missing_in_database', 'missing_in_stripe'];
  c_uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  c_iso constant text := '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$';
  c_run_keys constant text[] := array['source', 'file_kind', 'file_name', 'file_sha256', 'file_rows', 'period_from', 'period_to', 'counts', 'totals'];
  c_total_keys constant text[] := array['currency', 'category', 'stripe_count', 'stripe_amount', 'database_count', 'database_amount'];
  c_disc_keys constant text[] := array['kind', 'stripe_id', 'payment_id', 'refund_id', 'currency', 'stripe_amount', 'database_amount',
    'stripe_status', 'database_status', 'line', 'detail'];
  v_key text;
  v_el jsonb;
  v_i bigint;
  v_kind text;
  v_from timestamptz;
  v_to timestamptz;
  v_row public.reconciliation_runs;
begin
  perform public.require_any_role(array['finance'], 'record_reconciliation_run: only finance may record reconciliation runs');

  -- The run.
  perform public.fail_if(p_run is null or jsonb_typeof(p_run) <> 'object', 'invalid_parameter_value',
    'record_reconciliation_run: the run must be a JSON object');
  select k into v_key from jsonb_object_keys(p_run) k where k <> all (c_run_keys) limit 1;
  if v_key is not null then
    raise exception 'record_reconciliation_run: unknown run field %', v_key using errcode = 'invalid_parameter_value';
  end if;
  perform public.fail_if(
    not public.reconciliation_is_text(p_run -> 'source', false, 10, '^(upload|pull)$'),
    'invalid_parameter_value', 'record_reconciliation_run: source must be upload or pull');
  perform public.fail_if(
    not public.reconciliation_is_text(p_run -> 'file_kind', false, 20, '^(balance_report|payments_export|stripe_api)$'),
    'invalid_parameter_value', 'record_reconciliation_run: file_kind must be balance_report, payments_export or stripe_api');
  perform public.fail_if(
    (p_run ->> 'source' = 'pull') <> (p_run ->> 'file_kind' = 'stripe_api'),
    'invalid_parameter_value', 'record_reconciliation_run: a pull reads the Stripe API (file_kind stripe_api); an upload is a balance report or payments export');
  perform public.fail_if(not public.reconciliation_is_text(p_run -> 'file_name', true, 255), 'invalid_parameter_value',
    'record_reconciliation_run: file_name must be a string of at most 255 characters, or null');
  perform public.fail_if(
    not public.reconciliation_is_text(p_run -> 'file_sha256', true, 64, '^[0-9a-f]{64}$'),
    'invalid_parameter_value', 'record_reconciliation_run: file_sha256 must be 64 lowercase hex characters, or null');
  perform public.fail_if(
    not public.reconciliation_is_int(p_run -> 'file_rows', false) or (p_run ->> 'file_rows')::bigint not between 0 and 100000000,
    'invalid_parameter_value', 'record_reconciliation_run: file_rows must be a non-negative integer');
  -- ISO 8601 only (PostgreSQL would also read words such as 'yesterday').
  if not public.reconciliation_is_text(p_run -> 'period_from', true, 40, c_iso)
     or not public.reconciliation_is_text(p_run -> 'period_to', true, 40, c_iso) then
    raise exception 'record_reconciliation_run: period_from and period_to must be timestamps (ISO 8601) or null'
      using errcode = 'invalid_parameter_value';
  end if;
  begin
    v_from := (p_run ->> 'period_from')::timestamptz;
    v_to := (p_run ->> 'period_to')::timestamptz;
  exception when others then
    raise exception 'record_reconciliation_run: period_from and period_to must be timestamps (ISO 8601) or null'
      using errcode = 'invalid_parameter_value';
  end;
  perform public.fail_if(v_from > v_to, 'invalid_parameter_value',
    'record_reconciliation_run: the period must be two timestamps with period_from <= period_to');

  -- counts: exactly the six categories, non-negative integers.
  perform public.fail_if(jsonb_typeof(p_run -> 'counts') is distinct from 'object', 'invalid_parameter_value',
    'record_reconciliation_run: counts must be an object');
  select k into v_key from jsonb_object_keys(p_run -> 'counts') k where k <> all (c_counts) limit 1;
  if v_key is not null then
    raise exception 'record_reconciliation_run: unknown counts field %', v_key using errcode = 'invalid_parameter_value';
  end if;
  foreach v_key in array c_counts loop
    if not public.reconciliation_is_int(p_run -> 'counts' -> v_key, false) or (p_run -> 'counts' ->> v_key)::bigint < 0 then
      raise exception 'record_reconciliation_run: counts.% must be a non-negative integer', v_key using errcode = 'invalid_parameter_value';
    end if;
  end loop;

  -- totals: an array of per-currency, per-category sums.
  perform public.fail_if(jsonb_typeof(p_run -> 'totals') is distinct from 'array', 'invalid_parameter_value',
    'record_reconciliation_run: totals must be an array');
  for v_el, v_i in select e, n from jsonb_array_elements(p_run -> 'totals') with ordinality as t(e, n) loop
    perform public.reconciliation_require_object(v_el, c_total_keys, format('totals[%s]', v_i - 1));
    if not public.reconciliation_is_text(v_el -> 'currency', false, 3, '^[a-z]{3}$')
       or not public.reconciliation_is_text(v_el -> 'category', false, 100)
       or not public.reconciliation_is_int(v_el -> 'stripe_count', false) or (v_el ->> 'stripe_count')::bigint < 0
       or not public.reconciliation_is_int(v_el -> 'database_count', false) or (v_el ->> 'database_count')::bigint < 0
       or not public.reconciliation_is_int(v_el -> 'stripe_amount', false)
       or not public.reconciliation_is_int(v_el -> 'database_amount', false) then
      raise exception 'record_reconciliation_run: totals[%] needs currency (3 lowercase letters), category, and integer stripe_count, stripe_amount, database_count, database_amount',
        v_i - 1 using errcode = 'invalid_parameter_value';
    end if;
  end loop;

  -- The discrepancies.
  perform public.fail_if(p_discrepancies is null or jsonb_typeof(p_discrepancies) <> 'array', 'invalid_parameter_value',
    'record_reconciliation_run: discrepancies must be a JSON array (possibly empty)');
  perform public.fail_if(jsonb_array_length(p_discrepancies) > 200000, 'invalid_parameter_value',
    'record_reconciliation_run: at most 200000 discrepancies per run');
  for v_el, v_i in select e, n from jsonb_array_elements(p_discrepancies) with ordinality as t(e, n) loop
    perform public.reconciliation_require_object(v_el, c_disc_keys, format('discrepancies[%s]', v_i - 1));
    v_kind := v_el ->> 'kind';
    if jsonb_typeof(v_el -> 'kind') is distinct from 'string' or v_kind <> all (c_kinds) then
      raise exception 'record_reconciliation_run: discrepancies[%].kind must be one of %', v_i - 1, array_to_string(c_kinds, ', ')
        using errcode = 'invalid_parameter_value';
    end if;
    if not public.reconciliation_is_text(v_el -> 'detail', false, 2000) then
      raise exception 'record_reconciliation_run: discrepancies[%].detail is required (1-2000 characters)', v_i - 1
        using errcode = 'invalid_parameter_value';
    end if;
    if not public.reconciliation_is_text(v_el -> 'stripe_id', true, 255)
       or not public.reconciliation_is_text(v_el -> 'payment_id', true, 36, c_uuid)
       or not public.reconciliation_is_text(v_el -> 'refund_id', true, 36, c_uuid)
       or not public.reconciliation_is_text(v_el -> 'currency', true, 3, '^[a-z]{3}$')
       or not public.reconciliation_is_int(v_el -> 'stripe_amount', true)
       or not public.reconciliation_is_int(v_el -> 'database_amount', true)
       or not public.reconciliation_is_text(v_el -> 'stripe_status', true, 100)
       or not public.reconciliation_is_text(v_el -> 'database_status', true, 100)
       or not public.reconciliation_is_int(v_el -> 'line', true)
       or coalesce((v_el ->> 'line')::bigint not between 1 and 2147483647, false) then
      raise exception 'record_reconciliation_run: discrepancies[%] has a malformed field (ids as uuid strings, currency 3 lowercase letters, amounts and line as integers, line >= 1)',
        v_i - 1 using errcode = 'invalid_parameter_value';
    end if;
  end loop;
  -- The counts must agree with the discrepancies recorded.
  foreach v_kind in array c_kinds loop
    if (p_run -> 'counts' ->> v_kind)::bigint <> (select count(*) from jsonb_array_elements(p_discrepancies) e where e ->> 'kind' = v_kind) then
      raise exception 'record_reconciliation_run: counts.% is %, but % discrepancies of that kind were given', v_kind,
        p_run -> 'counts' ->> v_kind, (select count(*) from jsonb_array_elements(p_discrepancies) e where e ->> 'kind' = v_kind)
        using errcode = 'invalid_parameter_value';
    end if;
  end loop;

  insert into public.reconciliation_runs
    (created_by, created_at, source, file_kind, file_name, file_sha256, file_rows, period_from, period_to, counts, totals)
  values (public.current_staff_id(), now(), p_run ->> 'source', p_run ->> 'file_kind', p_run ->> 'file_name', p_run ->> 'file_sha256',
          (p_run ->> 'file_rows')::integer, v_from, v_to, p_run -> 'counts', p_run -> 'totals')
  returning * into v_row;
  insert into public.reconciliation_discrepancies
    (run_id, seq, kind, stripe_id, payment_id, refund_id, currency, stripe_amount, database_amount, stripe_status, database_status, line, detail)
  select v_row.id, t.n, t.e ->> 'kind', t.e ->> 'stripe_id', (t.e ->> 'payment_id')::uuid, (t.e ->> 'refund_id')::uuid, t.e ->> 'currency',
         (t.e ->> 'stripe_amount')::bigint, (t.e ->> 'database_amount')::bigint, t.e ->> 'stripe_status', t.e ->> 'database_status',
         (t.e ->> 'line')::integer, t.e ->> 'detail'
  from jsonb_array_elements(p_discrepancies) with ordinality as t(e, n);
  perform public.audit_append('reconciliation.run_recorded', 'reconciliation_runs', v_row.id::text, null,
    jsonb_build_object('source', v_row.source, 'file_kind', v_row.file_kind, 'file_name', v_row.file_name,
      'file_sha256', v_row.file_sha256, 'file_rows', v_row.file_rows, 'period_from', v_row.period_from,
      'period_to', v_row.period_to, 'counts', v_row.counts, 'discrepancies', jsonb_array_length(p_discrepancies)));
  return v_row;
end
$$;

-- ---------------------------------------------------------------- the database side of matching

-- One row per payment created in [p_from, p_to), and per refund requested, sent to Stripe or given
-- a Stripe status in that range that has a Stripe refund id or is not rejected. created_at of a
-- refund is when it went to Stripe (else when it was requested).
create function public.reconciliation_records(p_from timestamptz, p_to timestamptz)
returns table (
  record_type text, id uuid, payment_id uuid, stripe_payment_intent_id text, stripe_charge_id text, stripe_refund_id text,
  amount bigint, amount_refunded bigint, currency text, status text, created_at timestamptz
)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
begin
  perform public.require_any_role(array['finance', 'auditor'], 'reconciliation_records: only finance or auditor may read reconciliation records');
  perform public.fail_if(p_from is null or p_to is null or p_from >= p_to, 'invalid_parameter_value',
    'reconciliation_records: a range with from before to is required');
  if p_to - p_from > interval '400 days' then
    raise exception 'reconciliation_records: the range is at most 400 days (got % days)', ceil(extract(epoch from p_to - p_from) / 86400)
      using errcode = 'invalid_parameter_value';
  end if;
  return query
    select 'payment'::text, p.id, p.id, s.stripe_payment_intent_id, s.stripe_charge_id, null::text,
           p.amount, p.amount_refunded, p.currency, p.status, p.created_at
    from public.payments p
    left join public.payment_stripe_ids s on s.payment_id = p.id
    where p.created_at >= p_from and p.created_at < p_to
    union all
    select 'refund'::text, r.id, r.payment_id, s.stripe_payment_intent_id, s.stripe_charge_id, rs.stripe_refund_id,
           r.amount, null::bigint, r.currency, r.status, coalesce(r.execution_started_at, r.requested_at)
    from public.refunds r
    left join public.payment_stripe_ids s on s.payment_id = r.payment_id
    left join public.refund_stripe_ids rs on rs.refund_id = r.id
    where ((r.requested_at >= p_from and r.requested_at < p_to)
           or (r.execution_started_at >= p_from and r.execution_started_at < p_to)
           or (r.stripe_status_at >= p_from and r.stripe_status_at < p_to))
      and (rs.stripe_refund_id is not null or r.status <> 'rejected')
    order by 11, 2;
end
$$;

revoke execute on function public.record_reconciliation_run(jsonb, jsonb), public.reconciliation_records(timestamptz, timestamptz)
  from public, anon;
grant execute on function public.record_reconciliation_run(jsonb, jsonb), public.reconciliation_records(timestamptz, timestamptz)
  to authenticated;
