-- Money dashboard: the figures of the money desk's charts in one call. Refunds per week (Monday, Asia/Bangkok) by
-- reason and currency (refunds not rejected, failed or canceled, by request date), adjustments by reason and
-- status, and, for finance and auditors, the latest reconciliation runs.
create function public.money_stats(p_weeks integer default 12) returns json
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_from timestamptz;
begin
  perform public.require_any_role(array['dpo', 'finance', 'auditor', 'support'], 'money_stats: only dpo, support, finance or auditor may read money statistics');
  if p_weeks is null or p_weeks < 1 or p_weeks > 156 then
    raise exception 'money_stats: weeks must be between 1 and 156 (got %)', coalesce(p_weeks::text, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  v_from := (date_trunc('week', now() at time zone 'Asia/Bangkok') - make_interval(weeks => p_weeks - 1)) at time zone 'Asia/Bangkok';
  return json_build_object(
    'refunds_per_week', coalesce((
      select json_agg(json_build_object('week', w.week, 'reason', w.reason, 'currency', w.currency, 'count', w.n, 'amount', w.amount)
        order by w.week, w.reason, w.currency)
      from (
        select date_trunc('week', r.requested_at at time zone 'Asia/Bangkok')::date as week, r.reason, r.currency,
               count(*) as n, sum(r.amount) as amount
        from public.refunds r
        where r.requested_at >= v_from and r.status not in ('rejected', 'failed', 'canceled')
        group by 1, 2, 3
      ) w), '[]'::json),
    'adjustments_by_reason', coalesce((
      select json_agg(json_build_object('reason', a.reason, 'status', a.status, 'count', a.n, 'credits', a.credits)
        order by a.reason, a.status)
      from (
        select c.reason, c.status, count(*) as n, sum(c.amount) as credits
        from public.credit_adjustments c
        where c.requested_at >= v_from
        group by 1, 2
      ) a), '[]'::json),
    'reconciliation_runs', case when public.has_any_role(array['finance', 'auditor']) then coalesce((
      select json_agg(json_build_object('id', x.id, 'created_at', x.created_at, 'source', x.source, 'file_name', x.file_name,
          'discrepancies', (select count(*) from public.reconciliation_discrepancies d where d.run_id = x.id))
        order by x.created_at desc, x.id)
      from (select * from public.reconciliation_runs order by created_at desc, id limit 30) x), '[]'::json)
      else '[]'::json end);
end
$$;

revoke execute on function public.money_stats(integer) from public, anon;
grant execute on function public.money_stats(integer) to authenticated;
