-- Retention (issue 10): the privacy policy's §6 schedule as data, the status per data category, legal holds, and
-- purges (dry run, execution, certificate chained into the audit log), scheduled daily with pg_cron where it exists.
--
-- Time rules, the same everywhere (status, dry run, execution):
-- - a row's due time is its trigger time (created, account deleted, parent deleted) plus the rule's period;
-- - a row is past its period, and purged, when due time <= the cut-off (a row exactly 90 days old at the cut-off goes;
--   one a microsecond younger stays; a customer deleted exactly 12 months before the cut-off is anonymised);
-- - a due row not purged within the rule's grace is overdue.
-- Holds: a row is held when an active legal hold matches it on every field the hold sets (customer, category, and a
-- date range over the row's own date: created_at, requested_at, occurred_at). Held rows are never purged, and the
-- guard triggers below refuse any delete or erasure of them (DSAR erasure included) with PT409.

-- ---------------------------------------------------------------- the schedule as data

create table public.retention_rules (
  id uuid primary key default gen_random_uuid(),
  category text not null check (category in
    ('account_data', 'payment_records', 'generated_assets', 'api_logs', 'error_reports', 'consent_logs')),
  version integer not null check (version >= 1),
  title text not null check (length(trim(title)) > 0),
  tables text[] not null check (cardinality(tables) > 0),
  trigger text not null check (trigger in ('since_creation', 'since_account_deletion', 'with_parent')),
  period interval not null check (period >= interval '0'),
  -- A due row still there after the grace makes the category overdue (the daily purge should have taken it).
  grace interval not null default interval '7 days' check (grace >= interval '0'),
  action text not null check (action in ('delete', 'anonymise', 'drop_partition')),
  action_detail text not null,
  legal_basis text not null check (length(trim(legal_basis)) > 0),
  owner text not null check (length(trim(owner)) > 0),
  -- How long a purged row may survive in backups (PDPC's 2024 erasure notification: erasure within 90 days, backups
  -- included): grace + backup_lag stays within 90 days.
  backup_lag interval not null check (backup_lag >= interval '0'),
  source text not null,
  effective_from timestamptz not null default now(),
  superseded_at timestamptz,
  unique (category, version),
  check (grace + backup_lag <= interval '90 days')
);
-- One version in force per category; a purge names the versions it applied.
create unique index retention_rules_current_idx on public.retention_rules (category) where superseded_at is null;

insert into public.retention_rules
  (category, version, title, tables, trigger, period, action, action_detail, legal_basis, owner, backup_lag, source,
   effective_from)
values
  ('account_data', 1, 'Account data', array['customers'], 'since_account_deletion', interval '12 months', 'anonymise',
   'The profile is anonymised for good: email, Clerk id, name, avatar and country removed; the id stays for the payment records kept 7 years',
   'Performance of contract while the account is active; legitimate interest (tax and audit records) for up to 12 months after deletion',
   'DPO', interval '30 days', 'Privacy policy 2026-05-12 §6: kept while the account is active and for up to 12 months after deletion',
   '2026-05-12T00:00:00Z'),
  ('payment_records', 1, 'Payment records', array['payments', 'payment_stripe_ids'], 'since_creation', interval '7 years',
   'anonymise',
   'The Stripe payment intent and charge ids are deleted; the amount, currency and date stay as anonymous accounting figures',
   'Legal obligation: Thai tax law (Revenue Code) requires payment records for 7 years',
   'Finance lead', interval '30 days', 'Privacy policy 2026-05-12 §6: payment records 7 years (Thai tax law)',
   '2026-05-12T00:00:00Z'),
  ('generated_assets', 1, 'Generated assets', array['assets'], 'with_parent', interval '0', 'delete',
   'The asset row is deleted once the asset, its project or its account is deleted (the R2 object goes with the parent)',
   'Performance of contract: kept only while the project or account that holds them exists',
   'Engineering lead', interval '30 days', 'Privacy policy 2026-05-12 §6: generated assets are deleted with their project or account',
   '2026-05-12T00:00:00Z'),
  ('api_logs', 1, 'API request logs', array['api_request_logs'], 'since_creation', interval '90 days', 'drop_partition',
   'Whole monthly partitions past 90 days are dropped; expired rows in a partition still partly within retention are deleted in batches',
   'Legitimate interest: service abuse and fraud prevention',
   'Engineering lead', interval '7 days', 'Privacy policy 2026-05-12 §6: API logs 90 days',
   '2026-05-12T00:00:00Z'),
  ('error_reports', 1, 'Error reports', array['error_reports'], 'since_creation', interval '30 days', 'delete',
   'Rows are deleted in batches (Sentry expires its own copy after 30 days)',
   'Legitimate interest: operating the service',
   'Engineering lead', interval '7 days', 'Privacy policy 2026-05-12 §6: error reports 30 days',
   '2026-05-12T00:00:00Z'),
  ('consent_logs', 1, 'Consent logs', array['consent_events', 'customer_consents'], 'since_account_deletion',
   interval '30 days', 'delete',
   'The consent events and the current state of a deleted account are deleted in batches',
   'Legal obligation: proof of consent (PDPA s.19) until the account is deleted and 30 days after',
   'DPO', interval '30 days', 'Privacy policy 2026-05-12 §6: consent logs retained as proof until account deletion + 30 days',
   '2026-05-12T00:00:00Z');

-- ---------------------------------------------------------------- legal holds

create table public.legal_holds (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid references public.customers (id) on delete restrict,
  category text check (category in
    ('account_data', 'payment_records', 'generated_assets', 'api_logs', 'error_reports', 'consent_logs')),
  held_from timestamptz,
  held_until timestamptz,
  reason text not null check (length(trim(reason)) > 0),
  review_on date not null,
  placed_by uuid not null references public.staff_members (id),
  placed_at timestamptz not null default now(),
  released_at timestamptz,
  released_by uuid references public.staff_members (id),
  release_note text,
  check (customer_id is not null or category is not null or held_from is not null or held_until is not null),
  check (held_from < held_until),
  check ((released_at is null) = (released_by is null)),
  check ((released_at is null) = (release_note is null))
);
create index legal_holds_active_idx on public.legal_holds (placed_at) where released_at is null;
create index legal_holds_customer_idx on public.legal_holds (customer_id) where customer_id is not null;

-- The active hold (earliest placed) that covers a row of p_category owned by p_customer_id and dated p_row_at.
create function public.legal_hold_covering(p_category text, p_customer_id uuid, p_row_at timestamptz) returns uuid
language sql stable security definer set search_path = public, pg_temp
as $$
  select h.id from public.legal_holds h
  where h.released_at is null
    and (h.category is null or h.category = p_category)
    and (h.customer_id is null or h.customer_id = p_customer_id)
    and (h.held_from is null or p_row_at >= h.held_from)
    and (h.held_until is null or p_row_at < h.held_until)
  order by h.placed_at, h.id
  limit 1
$$;

-- Guard: refuses to delete (or, for customers and generations, to erase) a row an active legal hold covers, whoever
-- does it: DSAR erasure, a purge, anyone. Arguments: category, the row's date column, its customer column.
create function public.legal_hold_guard() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  v_row jsonb;
  v_hold public.legal_holds;
begin
  if not exists (select 1 from public.legal_holds where released_at is null) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  v_row := to_jsonb(old);
  select * into v_hold from public.legal_holds
  where id = public.legal_hold_covering(tg_argv[0], (v_row ->> tg_argv[2])::uuid, (v_row ->> tg_argv[1])::timestamptz);
  if found then
    raise exception '% row % is under legal hold % (%; review by %): it cannot be erased or purged until the hold is released',
      tg_table_name, coalesce(v_row ->> 'id', '?'), v_hold.id, v_hold.reason, v_hold.review_on
      using errcode = 'PT409',
            hint = 'Release the hold (legal_hold_release) or refuse this part of the request on a legal ground (PDPA s.33).';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

create trigger legal_hold_guard before delete on public.assets
  for each row execute function public.legal_hold_guard('generated_assets', 'created_at', 'customer_id');
create trigger legal_hold_guard before delete on public.projects
  for each row execute function public.legal_hold_guard('account_data', 'created_at', 'customer_id');
create trigger legal_hold_guard before delete on public.generations
  for each row execute function public.legal_hold_guard('account_data', 'created_at', 'customer_id');
create trigger legal_hold_guard_erase before update on public.generations
  for each row when (new.prompt = '[erased]' and old.prompt is distinct from new.prompt)
  execute function public.legal_hold_guard('account_data', 'created_at', 'customer_id');
create trigger legal_hold_guard before delete on public.api_request_logs
  for each row execute function public.legal_hold_guard('api_logs', 'requested_at', 'customer_id');
create trigger legal_hold_guard before delete on public.error_reports
  for each row execute function public.legal_hold_guard('error_reports', 'occurred_at', 'customer_id');
create trigger legal_hold_guard before delete on public.consent_events
  for each row execute function public.legal_hold_guard('consent_logs', 'occurred_at', 'customer_id');
-- Erasing a profile (DSAR erasure or the purge) replaces the email with the erased marker.
create trigger legal_hold_guard_erase before update on public.customers
  for each row when (old.email is distinct from new.email and new.email like 'erased-%@erased.invalid')
  execute function public.legal_hold_guard('account_data', 'created_at', 'id');

-- payment_stripe_ids has neither the customer nor a date: the guard reads them from the payment.
create function public.legal_hold_guard_payment_ids() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
declare
  v_payment public.payments;
  v_hold uuid;
begin
  if exists (select 1 from public.legal_holds where released_at is null) then
    select * into v_payment from public.payments where id = old.payment_id;
    v_hold := public.legal_hold_covering('payment_records', v_payment.customer_id, v_payment.created_at);
    if v_hold is not null then
      raise exception 'payment_stripe_ids row % is under legal hold %: it cannot be erased or purged until the hold is released',
        old.payment_id, v_hold using errcode = 'PT409';
    end if;
  end if;
  return old;
end
$$;
create trigger legal_hold_guard before delete on public.payment_stripe_ids
  for each row execute function public.legal_hold_guard_payment_ids();

revoke execute on function public.legal_hold_covering(text, uuid, timestamptz), public.legal_hold_guard(),
  public.legal_hold_guard_payment_ids()
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- purge runs

create table public.purge_runs (
  id uuid primary key default gen_random_uuid(),
  mode text not null check (mode in ('dry_run', 'execute')),
  cutoff timestamptz not null,
  started_via text not null check (started_via in ('console', 'schedule', 'seed')),
  status text not null default 'running' check (status in ('running', 'done')),
  started_by uuid references public.staff_members (id),
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  -- For a dry run: the rows an execution with the same cut-off would purge.
  rows_purged bigint,
  -- Executions only: rule versions, counts and id hashes per category, who and when (no personal data).
  certificate jsonb,
  certificate_sha256 text check (certificate_sha256 ~ '^[0-9a-f]{64}$'),
  audit_log_id bigint references public.audit_log (id),
  -- The transaction that runs it: while it runs, the append-only guard of consent_events lets this purge delete.
  txid bigint not null default txid_current(),
  check ((status = 'done') = (finished_at is not null)),
  check (mode = 'execute' or certificate is null)
);
create index purge_runs_started_idx on public.purge_runs (started_at desc);

-- One row per category per run: the backlog chart reads rows_past_period over time.
create table public.purge_run_categories (
  run_id uuid not null references public.purge_runs (id),
  category text not null,
  rule_id uuid not null references public.retention_rules (id),
  rule_version integer not null,
  rows_past_period bigint not null check (rows_past_period >= 0),
  rows_on_hold bigint not null check (rows_on_hold >= 0),
  rows_purged bigint not null check (rows_purged >= 0),
  ids_sha256 text not null check (ids_sha256 ~ '^[0-9a-f]{64}$'),
  partitions_dropped text[] not null default '{}',
  primary key (run_id, category),
  check (rows_purged + rows_on_hold = rows_past_period)
);

-- ---------------------------------------------------------------- which rows, when

-- Every row a category holds now (rows already purged or anonymised are not held any more), with its own date, its
-- due time under the rule (null: not running yet) and the hold covering it.
create function public.retention_rows(p_rule public.retention_rules)
returns table (row_id text, row_at timestamptz, due_at timestamptz, customer_id uuid, hold_id uuid)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_holds boolean := exists (select 1 from public.legal_holds where released_at is null);
  v_cat text := p_rule.category;
begin
  if v_cat not in ('account_data', 'payment_records', 'generated_assets', 'api_logs', 'error_reports', 'consent_logs') then
    raise exception 'retention_rows: unknown category %', v_cat using errcode = 'invalid_parameter_value';
  end if;
  -- One branch runs (the others are pruned on v_cat); the active holds of the category are read once, and each row
  -- looks its hold up among them (the rule of legal_hold_covering, inline: a function call per row cost 10x).
  return query
    with holds as materialized (
      select h.id, h.customer_id, h.held_from, h.held_until, h.placed_at from public.legal_holds h
      where h.released_at is null and (h.category is null or h.category = v_cat)
    ), candidates as (
      select c.id::text as rid, c.created_at as rat, c.deleted_at + p_rule.period as rdue, c.id as rcustomer
      from public.customers c
      where v_cat = 'account_data'
        and not (c.email = public.dsar_erased_email(c.id) and c.display_name is null
                 and c.profile_image_url is null and c.country is null)
      union all
      select p.id::text, p.created_at, p.created_at + p_rule.period, p.customer_id
      from public.payments p
      where v_cat = 'payment_records' and exists (select 1 from public.payment_stripe_ids s where s.payment_id = p.id)
      union all
      select a.id::text, a.created_at, least(a.deleted_at, pr.deleted_at, c.deleted_at) + p_rule.period, a.customer_id
      from public.assets a
      join public.customers c on c.id = a.customer_id
      left join public.projects pr on pr.id = a.project_id
      where v_cat = 'generated_assets'
      union all
      select l.id::text, l.requested_at, l.requested_at + p_rule.period, l.customer_id
      from public.api_request_logs l where v_cat = 'api_logs'
      union all
      select e.id::text, e.occurred_at, e.occurred_at + p_rule.period, e.customer_id
      from public.error_reports e where v_cat = 'error_reports'
      union all
      select e.id::text, e.occurred_at, c.deleted_at + p_rule.period, e.customer_id
      from public.consent_events e join public.customers c on c.id = e.customer_id
      where v_cat = 'consent_logs'
    )
    select x.rid, x.rat, x.rdue, x.rcustomer,
           case when v_holds then (
             select h.id from holds h
             where (h.customer_id is null or h.customer_id = x.rcustomer)
               and (h.held_from is null or x.rat >= h.held_from)
               and (h.held_until is null or x.rat < h.held_until)
             order by h.placed_at, h.id limit 1) end
    from candidates x;
end
$$;

-- The status may be read by dpo, admin and auditor; also by a database session that is not an API request
-- (migrations, pg_cron, the owner), which has no JWT claims.
create function public.retention_may_read() returns boolean
language sql stable security definer set search_path = public, pg_temp
as $$
  select public.has_any_role(array['dpo', 'admin', 'auditor'])
      or coalesce(nullif(current_setting('request.jwt.claims', true), ''), nullif(current_setting('request.jwt.claim', true), '')) is null
$$;

revoke execute on function public.retention_rows(public.retention_rules), public.retention_may_read()
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- status per category

-- One row per category as of p_at (p_category: that one only). dpo, admin and auditor; anyone else 42501.
create function public.retention_status_at(p_at timestamptz, p_category text default null)
returns table (
  category text, title text, rule_id uuid, rule_version integer, tables text[], trigger text, period interval,
  action text, grace interval, backup_lag interval, owner text, legal_basis text,
  rows_held bigint, rows_on_hold bigint, rows_past_period bigint, rows_past_period_on_hold bigint,
  oldest_row_at timestamptz, oldest_row_age interval, oldest_due_at timestamptz,
  next_due_at timestamptz, rows_due_next_30_days bigint,
  last_purge_at timestamptz, last_purge_run_id uuid, last_purge_rows bigint,
  state text, as_of timestamptz
)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_at timestamptz := coalesce(p_at, now());
begin
  perform public.fail_if(not public.retention_may_read(), 'insufficient_privilege',
    'retention_status_at: only the DPO, the admin and the auditor may read the retention status');
  perform public.fail_if(p_category is not null and not exists (select 1 from public.retention_rules r where r.category = p_category),
    'invalid_parameter_value', format('retention_status_at: unknown data category %s', p_category));
  return query
  select r.category, r.title, r.id, r.version, r.tables, r.trigger, r.period, r.action, r.grace, r.backup_lag,
         r.owner, r.legal_basis,
         s.held, s.on_hold, s.past, s.past_on_hold,
         s.oldest, v_at - s.oldest, s.oldest_due, s.next_due, s.due_soon,
         lp.finished_at, lp.id, lp.rows_purged,
         case
           when s.past - s.past_on_hold > 0 and s.oldest_due + r.grace <= v_at then 'overdue'
           when s.past - s.past_on_hold > 0 then 'due'
           when s.past_on_hold > 0 then 'held'
           else 'compliant'
         end,
         v_at
  from public.retention_rules r
  cross join lateral (
    select count(*) as held,
           count(*) filter (where x.hold_id is not null) as on_hold,
           count(*) filter (where x.due_at <= v_at) as past,
           count(*) filter (where x.due_at <= v_at and x.hold_id is not null) as past_on_hold,
           min(x.row_at) as oldest,
           min(x.due_at) filter (where x.due_at <= v_at and x.hold_id is null) as oldest_due,
           min(x.due_at) filter (where x.due_at > v_at) as next_due,
           count(*) filter (where x.due_at > v_at and x.due_at <= v_at + interval '30 days') as due_soon
    from public.retention_rows(r) x
  ) s
  left join lateral (
    select pr.id, pr.finished_at, c.rows_purged from public.purge_runs pr
    join public.purge_run_categories c on c.run_id = pr.id and c.category = r.category
    where pr.mode = 'execute' and pr.status = 'done'
    order by pr.finished_at desc limit 1
  ) lp on true
  where r.superseded_at is null and (p_category is null or r.category = p_category)
  order by array_position(array['account_data', 'payment_records', 'generated_assets', 'api_logs', 'error_reports',
                                'consent_logs'], r.category);
end
$$;

-- The status now, one row per category. Rows come from retention_rules first, whose RLS shows them to dpo, admin and
-- auditor only: for anyone else the status function is never called and the view is empty, as RLS makes tables.
create view public.retention_status with (security_invoker = true) as
select s.*
from public.retention_rules r
cross join lateral public.retention_status_at(now(), r.category) s
where r.superseded_at is null
order by array_position(array['account_data', 'payment_records', 'generated_assets', 'api_logs', 'error_reports',
                              'consent_logs'], r.category);

-- ---------------------------------------------------------------- purge engine

-- True while the current transaction is executing a purge (set by retention_run): the only time the append-only guard
-- of consent_events lets a row go.
create function public.retention_purge_in_progress() returns boolean
language sql stable security definer set search_path = public, pg_temp
as $$
  select exists (
    select 1 from public.purge_runs
    where id = nullif(current_setting('mfc.retention_purge_run', true), '')::uuid
      and status = 'running' and mode = 'execute' and txid = txid_current())
$$;

-- History stays append-only, with one exception: the retention purge deletes consent events past their period
-- (policy §6: until account deletion + 30 days). Everything else is refused as before.
create or replace function public.reject_history_change() returns trigger
language plpgsql set search_path = public, pg_temp
as $$
begin
  -- Nested, so the check runs only for a row deleted from consent_events (as the owner: no API role may delete it).
  if tg_level = 'ROW' and tg_op = 'DELETE' and tg_table_name = 'consent_events' then
    if public.retention_purge_in_progress() then
      return old;
    end if;
  end if;
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'restrict_violation',
          hint = 'History is never changed; record a correction as a new row.';
end
$$;

-- The monthly partitions of api_request_logs (not the default one) with their upper bound.
create function public.retention_api_log_partitions()
returns table (relid regclass, relname text, upper_bound timestamptz)
language sql stable security definer set search_path = public, pg_temp set datestyle = 'ISO, YMD'
as $$
  select c.oid::regclass, c.relname::text,
         substring(pg_get_expr(c.relpartbound, c.oid) from 'TO \(''([^'']+)''\)')::timestamptz
  from pg_inherits i join pg_class c on c.oid = i.inhrelid
  where i.inhparent = 'public.api_request_logs'::regclass
    and pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
  order by 3
$$;

-- One run: a dry run counts and hashes what an execution would purge; an execution purges exactly those rows, in
-- batches, and checks it did. Internal: the DPO reaches it through retention_dry_run / retention_purge, pg_cron through
-- retention_purge_scheduled.
create function public.retention_run(p_cutoff timestamptz, p_execute boolean, p_started_via text, p_function text)
returns public.purge_runs
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  c_batch constant integer := 5000;
  v_cutoff timestamptz := coalesce(p_cutoff, now());
  v_run public.purge_runs;
  v_rule public.retention_rules;
  v_ids text[];
  v_ats timestamptz[];
  v_past bigint;
  v_on_hold bigint;
  v_hash text;
  v_done bigint;
  v_n bigint;
  v_parts text[];
  v_part record;
  v_held boolean;
  v_finished timestamptz;
  v_total bigint := 0;
  v_categories jsonb := '[]'::jsonb;
  v_certificate jsonb;
  v_staff uuid := public.current_staff_id();
begin
  perform public.fail_if(v_cutoff > now(), 'invalid_parameter_value',
    format('%s: the cut-off %s is in the future; purges measure retention up to now or an earlier moment',
      p_function, v_cutoff));
  -- One purge at a time (the daily job and the DPO's button queue up).
  perform pg_advisory_xact_lock(hashtext('mfc_retention_purge'));
  insert into public.purge_runs (mode, cutoff, started_via, started_by)
  values (case when p_execute then 'execute' else 'dry_run' end, v_cutoff, p_started_via, v_staff)
  returning * into v_run;
  if p_execute then
    perform set_config('mfc.retention_purge_run', v_run.id::text, true);
  end if;

  for v_rule in
    select * from public.retention_rules where superseded_at is null
    order by array_position(array['account_data', 'payment_records', 'generated_assets', 'api_logs', 'error_reports',
                                  'consent_logs'], category)
  loop
    select coalesce(array_agg(x.row_id order by x.row_id collate "C") filter (where x.hold_id is null), '{}'),
           coalesce(array_agg(x.row_at order by x.row_id collate "C") filter (where x.hold_id is null), '{}'),
           count(*), count(*) filter (where x.hold_id is not null)
    into v_ids, v_ats, v_past, v_on_hold
    from public.retention_rows(v_rule) x
    where x.due_at <= v_cutoff;
    v_hash := encode(sha256(convert_to(array_to_string(v_ids, E'\n'), 'UTF8')), 'hex');
    v_parts := '{}';
    v_done := 0;

    if p_execute then
      if v_rule.category = 'api_logs' then
        -- Whole partitions past the period (empty ones too), with no held row, are dropped.
        for v_part in select * from public.retention_api_log_partitions() p where p.upper_bound <= v_cutoff - v_rule.period
        loop
          if v_on_hold > 0 then
            execute format('select exists (select 1 from %s l where public.legal_hold_covering(%L, l.customer_id, l.requested_at) is not null)',
              v_part.relid, v_rule.category) into v_held;
            continue when v_held;
          end if;
          execute format('select count(*) from %s', v_part.relid) into v_n;
          execute format('drop table %s', v_part.relid);
          v_done := v_done + v_n;
          v_parts := v_parts || v_part.relname;
        end loop;
        -- What is left (rows in a partition partly within retention, the default partition): in batches.
        for i in 1 .. cardinality(v_ids) by c_batch loop
          delete from public.api_request_logs l
          using unnest(v_ats[i : i + c_batch - 1], v_ids[i : i + c_batch - 1]) as b(at, id)
          where l.requested_at = b.at and l.id = b.id::bigint;
          get diagnostics v_n = row_count;
          v_done := v_done + v_n;
        end loop;
      else
        for i in 1 .. cardinality(v_ids) by c_batch loop
          if v_rule.category = 'account_data' then
            update public.customers c
            set email = public.dsar_erased_email(c.id),
                clerk_user_id = 'user_erased' || replace(c.id::text, '-', ''),
                display_name = null, profile_image_url = null, country = null,
                processing_restricted = true, restricted_at = coalesce(c.restricted_at, now()),
                restriction_reason = coalesce(c.restriction_reason, 'Account deleted; anonymised by the retention purge'),
                updated_at = now()
            where c.id = any (v_ids[i : i + c_batch - 1]::uuid[]);
          elsif v_rule.category = 'payment_records' then
            delete from public.payment_stripe_ids where payment_id = any (v_ids[i : i + c_batch - 1]::uuid[]);
          elsif v_rule.category = 'generated_assets' then
            delete from public.assets where id = any (v_ids[i : i + c_batch - 1]::uuid[]);
          elsif v_rule.category = 'error_reports' then
            delete from public.error_reports where id = any (v_ids[i : i + c_batch - 1]::uuid[]);
          elsif v_rule.category = 'consent_logs' then
            delete from public.consent_events where id = any (v_ids[i : i + c_batch - 1]::bigint[]);
          end if;
          get diagnostics v_n = row_count;
          v_done := v_done + v_n;
        end loop;
        if v_rule.category = 'consent_logs' then
          -- The current state of a purpose whose whole log is gone goes with it.
          delete from public.customer_consents cc
          where not exists (select 1 from public.consent_events e where e.customer_id = cc.customer_id and e.purpose = cc.purpose)
            and exists (select 1 from public.customers c where c.id = cc.customer_id and c.deleted_at + v_rule.period <= v_cutoff);
        end if;
      end if;
      perform public.fail_if(v_done <> cardinality(v_ids), 'PT409',
        format('%s: %s purged %s rows where %s were due; nothing was purged (rows changed during the run, run it again)',
          p_function, v_rule.category, v_done, cardinality(v_ids)));
    end if;

    insert into public.purge_run_categories
      (run_id, category, rule_id, rule_version, rows_past_period, rows_on_hold, rows_purged, ids_sha256, partitions_dropped)
    values (v_run.id, v_rule.category, v_rule.id, v_rule.version, v_past, v_on_hold, cardinality(v_ids), v_hash, v_parts);
    v_total := v_total + cardinality(v_ids);
    v_categories := v_categories || jsonb_build_object(
      'category', v_rule.category, 'rule_id', v_rule.id, 'rule_version', v_rule.version, 'action', v_rule.action,
      'period', v_rule.period::text, 'rows_purged', cardinality(v_ids), 'rows_on_hold', v_on_hold,
      'ids_sha256', v_hash, 'partitions_dropped', to_jsonb(v_parts));
  end loop;

  v_finished := clock_timestamp();
  if p_execute then
    v_certificate := jsonb_build_object(
      'certificate', 'retention_purge',
      'run_id', v_run.id,
      'cutoff', v_cutoff,
      'started_at', v_run.started_at,
      'finished_at', v_finished,
      'started_via', p_started_via,
      'executed_by', case when v_staff is null then null
                          else jsonb_build_object('staff_id', v_staff,
                                 'display_name', (select display_name from public.staff_members where id = v_staff)) end,
      'rows_purged', v_total,
      'categories', v_categories,
      -- One hash over the per-category hashes, in the order above.
      'ids_sha256', encode(sha256(convert_to(
         (select string_agg((e ->> 'category') || ':' || (e ->> 'ids_sha256'), E'\n' order by ord)
          from jsonb_array_elements(v_categories) with ordinality as t(e, ord)), 'UTF8')), 'hex'));
  end if;

  update public.purge_runs
  set status = 'done', finished_at = v_finished, rows_purged = v_total, certificate = v_certificate,
      certificate_sha256 = case when v_certificate is null then null
                                else encode(sha256(convert_to(v_certificate::text, 'UTF8')), 'hex') end,
      audit_log_id = public.audit_append(
        case when p_execute then 'retention.purge_executed' else 'retention.dry_run' end, 'purge_runs', v_run.id::text,
        null,
        jsonb_build_object('cutoff', v_cutoff, 'started_via', p_started_via, 'rows_purged', v_total,
          'counts', (select jsonb_object_agg(e ->> 'category', (e ->> 'rows_purged')::bigint) from jsonb_array_elements(v_categories) e),
          'certificate_sha256', case when v_certificate is null then null
                                     else encode(sha256(convert_to(v_certificate::text, 'UTF8')), 'hex') end))
  where id = v_run.id
  returning * into v_run;
  perform set_config('mfc.retention_purge_run', '', true);
  return v_run;
end
$$;

revoke execute on function public.retention_purge_in_progress(), public.retention_api_log_partitions(),
  public.retention_run(timestamptz, boolean, text, text)
  from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------- what the DPO calls

create function public.retention_dry_run(p_cutoff timestamptz default null) returns public.purge_runs
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
begin
  perform public.require_any_role(array['dpo'], 'retention_dry_run: only the DPO may run retention purges');
  return public.retention_run(p_cutoff, false, 'console', 'retention_dry_run');
end
$$;

create function public.retention_purge(p_cutoff timestamptz default null) returns public.purge_runs
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
begin
  perform public.require_any_role(array['dpo'], 'retention_purge: only the DPO may run retention purges');
  return public.retention_run(p_cutoff, true, 'console', 'retention_purge');
end
$$;

-- The daily job (pg_cron, as the database owner): next months' log partitions, then an execution as of now.
create function public.retention_purge_scheduled() returns public.purge_runs
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
begin
  perform public.ensure_api_request_log_partitions(current_date, 3);
  return public.retention_run(now(), true, 'schedule', 'retention_purge_scheduled');
end
$$;

create function public.legal_hold_place(
  p_reason text, p_review_on date, p_customer_id uuid default null, p_category text default null,
  p_held_from timestamptz default null, p_held_until timestamptz default null
) returns public.legal_holds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_hold public.legal_holds;
begin
  perform public.require_any_role(array['dpo'], 'legal_hold_place: only the DPO may place a legal hold');
  perform public.fail_if(p_reason is null or length(trim(p_reason)) = 0, 'invalid_parameter_value',
    'legal_hold_place: a reason is required (the claim, investigation or order the data is kept for)');
  perform public.fail_if(p_review_on is null, 'invalid_parameter_value',
    'legal_hold_place: a review date is required');
  perform public.fail_if(p_review_on < current_date, 'invalid_parameter_value',
    format('legal_hold_place: the review date %s is in the past', p_review_on));
  perform public.fail_if(p_customer_id is null and p_category is null and p_held_from is null and p_held_until is null,
    'invalid_parameter_value', 'legal_hold_place: say what the hold covers: a customer, a data category, a date range, or several');
  perform public.fail_if(p_held_from >= p_held_until, 'invalid_parameter_value',
    format('legal_hold_place: the date range must end after it starts (%s to %s)', p_held_from, p_held_until));
  perform public.fail_if(p_category is not null
      and not exists (select 1 from public.retention_rules where category = p_category),
    'invalid_parameter_value', format('legal_hold_place: unknown data category %s', p_category));
  perform public.fail_if(p_customer_id is not null and not exists (select 1 from public.customers where id = p_customer_id),
    'PT404', format('legal_hold_place: customer %s does not exist', p_customer_id));
  insert into public.legal_holds (customer_id, category, held_from, held_until, reason, review_on, placed_by)
  values (p_customer_id, p_category, p_held_from, p_held_until, trim(p_reason), p_review_on, public.current_staff_id())
  returning * into v_hold;
  -- The reason may name a claim or a person: the audit row keeps the scope, not the text.
  perform public.audit_append('retention.hold_placed', 'legal_holds', v_hold.id::text, null,
    jsonb_build_object('customer_id', v_hold.customer_id, 'category', v_hold.category, 'held_from', v_hold.held_from,
      'held_until', v_hold.held_until, 'review_on', v_hold.review_on,
      'reason_sha256', encode(sha256(convert_to(v_hold.reason, 'UTF8')), 'hex')));
  return v_hold;
end
$$;

create function public.legal_hold_release(p_hold_id uuid, p_note text) returns public.legal_holds
language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
  v_hold public.legal_holds;
begin
  perform public.require_any_role(array['dpo'], 'legal_hold_release: only the DPO may release a legal hold');
  perform public.fail_if(p_hold_id is null, 'invalid_parameter_value', 'legal_hold_release: hold id is required');
  perform public.fail_if(p_note is null or length(trim(p_note)) = 0, 'invalid_parameter_value',
    'legal_hold_release: a note is required (why the data need not be kept any more)');
  select * into v_hold from public.legal_holds where id = p_hold_id for update;
  perform public.fail_if(not found, 'PT404', format('legal_hold_release: legal hold %s does not exist', p_hold_id));
  perform public.fail_if(v_hold.released_at is not null, 'PT409',
    format('legal_hold_release: legal hold %s was already released on %s', p_hold_id, v_hold.released_at));
  update public.legal_holds
  set released_at = now(), released_by = public.current_staff_id(), release_note = trim(p_note)
  where id = p_hold_id
  returning * into v_hold;
  perform public.audit_append('retention.hold_released', 'legal_holds', v_hold.id::text,
    jsonb_build_object('released_at', null), jsonb_build_object('released_at', v_hold.released_at));
  return v_hold;
end
$$;

revoke execute on function public.retention_purge_scheduled() from public, anon, authenticated, service_role;
revoke execute on function public.retention_status_at(timestamptz, text), public.retention_dry_run(timestamptz),
  public.retention_purge(timestamptz),
  public.legal_hold_place(text, date, uuid, text, timestamptz, timestamptz), public.legal_hold_release(uuid, text)
  from public, anon, service_role;
grant execute on function public.retention_status_at(timestamptz, text), public.retention_dry_run(timestamptz),
  public.retention_purge(timestamptz),
  public.legal_hold_place(text, date, uuid, text, timestamptz, timestamptz), public.legal_hold_release(uuid, text)
  to authenticated;

-- ---------------------------------------------------------------- DSAR erasure respects holds

-- The erasure rows a hold keeps, per category of dsar_erasure_plan: erasing them is refused (PT409, by the guard
-- triggers) until the hold is released.
create function public.legal_hold_erasure_blockers(p_customer_id uuid)
returns table (category text, action text, row_count bigint, reason text)
language sql stable security definer set search_path = public, pg_temp
as $$
  with held as (
    select 'profile' as category, public.legal_hold_covering('account_data', c.id, c.created_at) as hold_id
      from public.customers c where c.id = p_customer_id and c.email <> public.dsar_erased_email(c.id)
    union all select 'projects', public.legal_hold_covering('account_data', p.customer_id, p.created_at)
      from public.projects p where p.customer_id = p_customer_id
    union all select 'assets', public.legal_hold_covering('generated_assets', a.customer_id, a.created_at)
      from public.assets a where a.customer_id = p_customer_id
    union all select 'generations', public.legal_hold_covering('account_data', g.customer_id, g.created_at)
      from public.generations g where g.customer_id = p_customer_id and g.prompt <> '[erased]'
    union all select 'api_request_logs', public.legal_hold_covering('api_logs', l.customer_id, l.requested_at)
      from public.api_request_logs l where l.customer_id = p_customer_id
    union all select 'error_reports', public.legal_hold_covering('error_reports', e.customer_id, e.occurred_at)
      from public.error_reports e where e.customer_id = p_customer_id
  )
  select held.category, 'held', count(*),
         format('Legal hold %s: %s (placed %s by %s, review by %s). Erasing these rows is refused until the hold is released.',
           h.id, h.reason, to_char(h.placed_at at time zone 'Asia/Bangkok', 'YYYY-MM-DD'),
           coalesce(s.display_name, 'unknown'), h.review_on)
  from held
  join public.legal_holds h on h.id = held.hold_id
  left join public.staff_members s on s.id = h.placed_by
  where exists (select 1 from public.legal_holds where released_at is null)
  group by held.category, h.id, h.reason, h.placed_at, s.display_name, h.review_on
  order by held.category, h.placed_at
$$;
revoke execute on function public.legal_hold_erasure_blockers(uuid) from public, anon, authenticated, service_role;

-- The preview also lists what legal holds keep (action 'held'), after the plan.
create or replace function public.dsar_erasure_preview(p_request_id uuid)
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
  if not found then
    raise exception 'dsar_erasure_preview: request % does not exist', p_request_id using errcode = 'PT404';
  end if;
  if v_req.type <> 'erasure' then
    raise exception 'dsar_erasure_preview: % is a % request, not an erasure request', v_req.reference, v_req.type
      using errcode = 'PT409';
  end if;
  perform public.dsar_require_customer(v_req, 'dsar_erasure_preview');
  return query
    select * from public.dsar_erasure_plan(v_req.customer_id)
    union all
    select * from public.legal_hold_erasure_blockers(v_req.customer_id);
end
$$;

-- ---------------------------------------------------------------- RLS and grants

alter table public.retention_rules enable row level security;
alter table public.legal_holds enable row level security;
alter table public.purge_runs enable row level security;
alter table public.purge_run_categories enable row level security;

-- Nobody writes these through the API: holds and runs are the functions above; rules change by migration.
revoke all on public.retention_rules, public.legal_holds, public.purge_runs, public.purge_run_categories,
  public.retention_status from anon;
revoke insert, update, delete, truncate, references, trigger on public.retention_rules, public.legal_holds,
  public.purge_runs, public.purge_run_categories, public.retention_status from authenticated;
revoke insert, update, delete, truncate, references, trigger on public.retention_rules, public.legal_holds,
  public.purge_runs, public.purge_run_categories, public.retention_status from service_role;
grant select on public.retention_rules, public.legal_holds, public.purge_runs, public.purge_run_categories,
  public.retention_status to authenticated, service_role;

create policy retention_rules_select on public.retention_rules for select to authenticated
  using ((select public.has_any_role(array['dpo', 'admin', 'auditor'])));
create policy purge_runs_select on public.purge_runs for select to authenticated
  using ((select public.has_any_role(array['dpo', 'admin', 'auditor'])));
create policy purge_run_categories_select on public.purge_run_categories for select to authenticated
  using ((select public.has_any_role(array['dpo', 'admin', 'auditor'])));
-- A hold's reason may name a claim or a person: the DPO and the auditor only.
create policy legal_holds_select on public.legal_holds for select to authenticated
  using ((select public.has_any_role(array['dpo', 'auditor'])));

-- ---------------------------------------------------------------- the daily schedule

-- pg_cron exists on Supabase (created in pg_catalog, as Supabase's docs do); the embedded database (PGlite) and CI's
-- PostgreSQL have no such extension and skip this. Where the package is installed but not preloaded (a self-hosted
-- server without shared_preload_libraries = 'pg_cron'), creating it fails: the migration goes on, with a warning.
-- 19:30 UTC is 02:30 in Bangkok.
do $$
begin
  if exists (select from pg_available_extensions where name = 'pg_cron') then
    begin
      create extension if not exists pg_cron with schema pg_catalog;
      perform cron.schedule('mfc-retention-purge', '30 19 * * *', 'select public.retention_purge_scheduled()');
    exception when others then
      raise warning 'pg_cron is available but could not be enabled (%): schedule select public.retention_purge_scheduled() daily another way', sqlerrm;
    end;
  else
    raise notice 'pg_cron is not available: the daily retention purge is not scheduled (the DPO runs retention_purge from the console)';
  end if;
end
$$;
