-- Figures for the DSAR charts, computed in one call. Weeks start on Monday and months on the 1st,
-- both in Asia/Bangkok; every bucket of the window is present (zero when empty) so charts need no gap filling.

create function public.dsar_stats() returns jsonb
language plpgsql
stable
security definer
set search_path = public, pg_temp
as $$
declare
  v_today date := (now() at time zone 'Asia/Bangkok')::date;
  v_week0 date := date_trunc('week', (now() at time zone 'Asia/Bangkok'))::date - 11 * 7;
  v_month0 date := (date_trunc('month', (now() at time zone 'Asia/Bangkok')) - interval '11 months')::date;
  v_types constant text[] := array['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'complaint'];
begin
  if not public.has_any_role(array['dpo', 'auditor']) then
    raise exception 'dsar_stats: only the DPO or the auditor may read DSAR statistics' using errcode = 'insufficient_privilege';
  end if;
  return jsonb_build_object(
    'generated_at', now(),
    'open_by_days_left', (
      with buckets(ord, bucket) as (values (1, 'overdue'), (2, '0-7'), (3, '8-14'), (4, '15-30'), (5, '31+')),
      open_requests as (
        select public.dsar_due_on(public.dsar_due_at(received_at, type, extension_days)) - v_today as days_left
        from public.dsar_requests
        where status in ('new', 'awaiting_verification', 'in_progress', 'awaiting_subject')
      )
      select jsonb_agg(jsonb_build_object('bucket', b.bucket, 'count', (
        select count(*) from open_requests o where case
          when o.days_left < 0 then 'overdue' when o.days_left <= 7 then '0-7' when o.days_left <= 14 then '8-14'
          when o.days_left <= 30 then '15-30' else '31+' end = b.bucket)) order by b.ord)
      from buckets b),
    'requests_per_week', (
      with weeks as (select (v_week0 + 7 * i) as week from generate_series(0, 11) i),
      counted as (
        select date_trunc('week', received_at at time zone 'Asia/Bangkok')::date as week, type, count(*) as n
        from public.dsar_requests
        where received_at >= (v_week0::timestamp at time zone 'Asia/Bangkok')
        group by 1, 2
      )
      select jsonb_agg(
        (select jsonb_object_agg(t, coalesce((select c.n from counted c where c.week = w.week and c.type = t), 0))
         from unnest(v_types) t) || jsonb_build_object('week', w.week) order by w.week)
      from weeks w),
    'on_time_by_month', (
      with months as (select (v_month0 + make_interval(months => i))::date as month from generate_series(0, 11) i),
      closed as (
        select date_trunc('month', closed_at at time zone 'Asia/Bangkok')::date as month,
               closed_at < public.dsar_due_at(received_at, type, extension_days) as on_time,
               extract(epoch from closed_at - received_at) / 86400.0 as days_to_close
        from public.dsar_requests
        where closed_at >= (v_month0::timestamp at time zone 'Asia/Bangkok')
      )
      select jsonb_agg(jsonb_build_object(
        'month', m.month,
        'on_time', (select count(*) from closed c where c.month = m.month and c.on_time),
        'late', (select count(*) from closed c where c.month = m.month and not c.on_time),
        'median_days_to_close', (select round(percentile_cont(0.5) within group (order by c.days_to_close)::numeric, 1)
                                 from closed c where c.month = m.month)) order by m.month)
      from months m)
  );
end
$$;
revoke execute on function public.dsar_stats() from public, anon, service_role;
grant execute on function public.dsar_stats() to authenticated;
