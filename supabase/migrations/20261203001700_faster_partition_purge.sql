-- Issue 10, bench: the certified purge of API logs gets the partition drop's benefit (it was barely faster than a plain
-- DELETE: it read every API log through retention_rows, sorted the ids twice, counted each expired partition again
-- before dropping it, then probed every expired id, the dropped partition's included, in its batched deletes).
--
-- retention_run (replaced; same signature, privileges and certificate) now, for api_logs only:
-- - reads the rows past their period straight from api_request_logs, the partitions within retention pruned (the rule
--   of retention_rows, due_at = requested_at + period <= cut-off, and its hold lookup, unchanged), each with its
--   partition; an execution first locks the partitions wholly past the period (share mode) so those rows are all
--   the rows it may drop;
-- - hashes the ids as before (sorted bytewise, joined by newlines: certificates old and new verify alike), sorting once,
--   and keeps lists only where an execution needs them (a dry run keeps none);
-- - drops a partition wholly past the period that holds no held row (as before) once its newest row is due, counting
--   its rows from the rows read (no count(*) again); one kept (a held row) has its other due rows deleted in one
--   statement by the same rule; only the ids outside those partitions (a partition partly within retention, the
--   default partition) go through the batched deletes. The check that each category purged exactly what was due stays.
-- Dry run and execution read the same rows, so their counts and hashes still agree; the other categories are as before.

create or replace function public.retention_run(p_cutoff timestamptz, p_execute boolean, p_started_via text, p_function text)
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
  v_due bigint;
  v_in_drop oid[];
  v_held_tabs oid[];
  v_drop oid[];
  v_dropped oid[];
  v_max timestamptz;
  v_rest_ids text[];
  v_rest_ats timestamptz[];
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
    v_parts := '{}';
    v_done := 0;
    if v_rule.category = 'api_logs' then
      -- The partitions wholly past the period. An execution locks them first (share mode: readable, but no row enters,
      -- changes or leaves them) so that the rows read below are all the rows it may drop.
      select coalesce(array_agg(p.relid::oid order by p.upper_bound), '{}') into v_drop
      from public.retention_api_log_partitions() p where p.upper_bound <= v_cutoff - v_rule.period;
      if p_execute then
        for i in 1 .. cardinality(v_drop) loop
          execute format('lock table %s in share mode', v_drop[i]::regclass);
        end loop;
      end if;
      -- The rows retention_rows lists for api_logs, with due_at <= the cut-off, read straight from the table: the
      -- bound 7 days past cut-off - period (wider than any day, month or DST shift can move it) prunes the partitions
      -- within retention, the exact rule decides. Each row's partition comes along (tableoid), and the ids are
      -- sorted once, for the hash only (same definition as before: sorted bytewise, joined by newlines).
      with holds as materialized (
        select h.id, h.customer_id, h.held_from, h.held_until, h.placed_at from public.legal_holds h
        where h.released_at is null and (h.category is null or h.category = v_rule.category)
      ), x as (
        select l.id::text as row_id, l.requested_at as row_at, l.tableoid as tab,
               case when exists (select 1 from holds) then (
                 select h.id from holds h
                 where (h.customer_id is null or h.customer_id = l.customer_id)
                   and (h.held_from is null or l.requested_at >= h.held_from)
                   and (h.held_until is null or l.requested_at < h.held_until)
                 order by h.placed_at, h.id limit 1) end as hold_id
        from public.api_request_logs l
        where l.requested_at <= v_cutoff - v_rule.period + interval '7 days'
          and l.requested_at + v_rule.period <= v_cutoff
      )
      -- An execution keeps the ids and dates of the rows outside those partitions (to delete them in batches), and
      -- only the partition of each row inside them; a dry run keeps no list.
      select coalesce(array_agg(x.row_id) filter (where x.hold_id is null and p_execute and x.tab <> all (v_drop)), '{}'),
             coalesce(array_agg(x.row_at) filter (where x.hold_id is null and p_execute and x.tab <> all (v_drop)), '{}'),
             coalesce(array_agg(x.tab) filter (where x.hold_id is null and p_execute and x.tab = any (v_drop)), '{}'),
             coalesce(array_agg(distinct x.tab) filter (where x.hold_id is not null), '{}'),
             encode(sha256(convert_to(coalesce(string_agg(x.row_id, E'\n' order by x.row_id collate "C")
                                                 filter (where x.hold_id is null), ''), 'UTF8')), 'hex'),
             count(*), count(*) filter (where x.hold_id is not null), count(*) filter (where x.hold_id is null)
      into v_rest_ids, v_rest_ats, v_in_drop, v_held_tabs, v_hash, v_past, v_on_hold, v_due
      from x;
    else
      select coalesce(array_agg(x.row_id order by x.row_id collate "C") filter (where x.hold_id is null), '{}'),
             coalesce(array_agg(x.row_at order by x.row_id collate "C") filter (where x.hold_id is null), '{}'),
             count(*), count(*) filter (where x.hold_id is not null)
      into v_ids, v_ats, v_past, v_on_hold
      from public.retention_rows(v_rule) x
      where x.due_at <= v_cutoff;
      v_hash := encode(sha256(convert_to(array_to_string(v_ids, E'\n'), 'UTF8')), 'hex');
      v_due := cardinality(v_ids);
    end if;

    if p_execute then
      if v_rule.category = 'api_logs' then
        -- Whole partitions past the period (empty ones too) with no held row are dropped. Every row of such a
        -- partition is due (its newest row is, read from the primary key) and was read above, unheld: its rows
        -- purged are those ids, already counted and hashed, and the partition is not counted again.
        v_dropped := '{}';
        for i in 1 .. cardinality(v_drop) loop
          v_max := null;
          if not v_drop[i] = any (v_held_tabs) then
            execute format('select max(requested_at) from %s', v_drop[i]::regclass) into v_max;
          end if;
          if v_drop[i] = any (v_held_tabs) or v_max + v_rule.period > v_cutoff then
            -- Kept (a held row, or a row not yet due): its due rows that no hold covers are deleted, by the rule the
            -- rows were read with (the guard refuses held ones anyway).
            execute format('delete from %s l where l.requested_at + $1 <= $2 and not exists (select 1 from public.legal_holds h
                              where h.released_at is null and (h.category is null or h.category = $3)
                                and (h.customer_id is null or h.customer_id = l.customer_id)
                                and (h.held_from is null or l.requested_at >= h.held_from)
                                and (h.held_until is null or l.requested_at < h.held_until))', v_drop[i]::regclass)
              using v_rule.period, v_cutoff, v_rule.category;
            get diagnostics v_n = row_count;
            v_done := v_done + v_n;
          else
            v_parts := v_parts || (select c.relname::text from pg_class c where c.oid = v_drop[i]);
            execute format('drop table %s', v_drop[i]::regclass);
            v_dropped := v_dropped || v_drop[i];
          end if;
        end loop;
        v_done := v_done + case when cardinality(v_dropped) = cardinality(v_drop) then cardinality(v_in_drop)
                                else (select count(*) from unnest(v_in_drop) t where t = any (v_dropped)) end;
        -- What is left (rows in a partition partly within retention, in the default partition): in batches.
        for i in 1 .. cardinality(v_rest_ids) by c_batch loop
          delete from public.api_request_logs l
          using unnest(v_rest_ats[i : i + c_batch - 1], v_rest_ids[i : i + c_batch - 1]) as b(at, id)
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
      perform public.fail_if(v_done <> v_due, 'PT409',
        format('%s: %s purged %s rows where %s were due; nothing was purged (rows changed during the run, run it again)',
          p_function, v_rule.category, v_done, v_due));
    end if;

    insert into public.purge_run_categories
      (run_id, category, rule_id, rule_version, rows_past_period, rows_on_hold, rows_purged, ids_sha256, partitions_dropped)
    values (v_run.id, v_rule.category, v_rule.id, v_rule.version, v_past, v_on_hold, v_due, v_hash, v_parts);
    v_total := v_total + v_due;
    v_categories := v_categories || jsonb_build_object(
      'category', v_rule.category, 'rule_id', v_rule.id, 'rule_version', v_rule.version, 'action', v_rule.action,
      'period', v_rule.period::text, 'rows_purged', v_due, 'rows_on_hold', v_on_hold,
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
