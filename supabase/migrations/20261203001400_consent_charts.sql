-- Consent charts (issue 10): the figures behind the consent explorer's overview and the re-acceptance coverage chart,
-- as aggregates only (counts per bucket, never a customer), for the DPO and the auditor.
--
-- "Active" is the schema's own notion (policy_reacceptance): a customer not deleted. Over time it is "active at an
-- instant T": created at or before T and not deleted at T (deleted_at null or after T). Processing-restricted
-- customers are active (they still have accounts and consents).
--
-- The state at an instant is the rule of customer_consents and consent_state_as_of, computed for every customer at
-- once: per customer and purpose, the event with the greatest (occurred_at, id) at or before T wins; granted means its
-- action is granted or re_accepted. Set-based: each event holds from its occurred_at until the next event of the same
-- customer and purpose in (occurred_at, id) order (a window over consent_events_state_idx; of two at one instant the
-- earlier id holds for no time at all), intersected with the customer's active window; each such span adds 1 on the
-- Bangkok day it starts to count and removes 1 on the day it stops, a running sum per purpose over the period's days
-- gives the count at the end of every day, and a bucket reads its last day's. One pass over the events (no loop per
-- customer or per bucket). tests/db/consent-charts.db.test.ts checks the
-- result against consent_state_as_of customer by customer and against counts built independently in TypeScript.
--
-- Buckets are Asia/Bangkok calendar days, ISO weeks (Monday) or months. A bucket's figures are as of its end: the
-- first instant of the next Bangkok day after its last day (events strictly before it count), the last bucket
-- clipped to the period's last day, the first to its first day.

-- The Bangkok calendar day of an instant, as a day number (days since 1970-01-01; Bangkok is UTC+7 all year, no
-- daylight saving): plain arithmetic, so a million rows need no time zone lookup. A language sql function without
-- attributes, so the planner inlines it (stable, as date_part on a timestamptz is: an immutable wrapper would not be
-- inlined, and a call per row costs more than the rest of the query). Internal: no API role may call it.
create function public.bangkok_day_number(p_at timestamptz) returns integer
language sql stable
as $$ select floor((date_part('epoch', p_at) + 25200) / 86400)::integer $$;
revoke execute on function public.bangkok_day_number(timestamptz) from public, anon, authenticated, service_role;

-- The state per customer and purpose read in (occurred_at, id) order, straight from an index (no sort, no heap
-- access once the visibility map is set): the walk every chart below starts with.
create index consent_events_state_idx on public.consent_events (customer_id, purpose, occurred_at desc, id desc)
  include (action);

-- ---------------------------------------------------------------- opt-in rate per purpose over time

create function public.consent_opt_in_over_time(p_from date, p_to date, p_bucket text default 'week')
returns table (bucket_start date, bucket_end date, as_of timestamptz, purpose text, active_customers bigint,
               granted bigint, rate numeric)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v_today date := (now() at time zone 'Asia/Bangkok')::date;
  v_first date;
  v_buckets integer;
  v_first_n integer;
  v_last_n integer;
begin
  perform public.require_any_role(array['dpo', 'auditor'],
    'consent_opt_in_over_time: only the DPO or an auditor may read consent statistics');
  perform public.fail_if(p_bucket is null or p_bucket not in ('day', 'week', 'month'), 'invalid_parameter_value',
    'consent_opt_in_over_time: bucket must be day, week or month');
  perform public.fail_if(p_from is null or p_to is null, 'invalid_parameter_value',
    'consent_opt_in_over_time: a first and a last day are required');
  perform public.fail_if(p_from > p_to, 'invalid_parameter_value',
    format('consent_opt_in_over_time: the period starts (%s) after it ends (%s)', p_from, p_to));
  perform public.fail_if(p_to > v_today, 'invalid_parameter_value',
    format('consent_opt_in_over_time: the period ends on %s, after today (%s, Bangkok)', p_to, v_today));
  v_first := date_trunc(p_bucket, p_from::timestamp)::date;
  v_buckets := case p_bucket
    when 'day' then p_to - p_from + 1
    when 'week' then (date_trunc('week', p_to::timestamp)::date - v_first) / 7 + 1
    else (extract(year from p_to)::integer - extract(year from p_from)::integer) * 12
         + extract(month from p_to)::integer - extract(month from p_from)::integer + 1 end;
  perform public.fail_if(v_buckets > 366, 'invalid_parameter_value',
    format('consent_opt_in_over_time: %s buckets of a %s; at most 366 (choose a longer bucket or a shorter period)',
      v_buckets, p_bucket));

  v_first_n := p_from - date '1970-01-01';
  v_last_n := p_to - date '1970-01-01';

  return query
  with buckets as (
    select greatest(b::date, p_from) as first_day,
           least((b + ('1 ' || p_bucket)::interval)::date - 1, p_to) as last_day
    from generate_series(v_first::timestamp, date_trunc(p_bucket, p_to::timestamp), ('1 ' || p_bucket)::interval) b
  ),
  purposes (purpose, ord) as (
    values ('terms', 1), ('privacy_policy', 2), ('cookie_policy', 3), ('analytics', 4), ('marketing_email', 5)
  ),
  -- Each event's time in force: until the next event of its customer and purpose (occurred_at, id). Events after
  -- the period cannot change a day inside it, so they are left out before the window.
  held as (
    select e.customer_id, e.purpose, e.action in ('granted', 're_accepted') as is_granted, e.occurred_at as since,
           lag(e.occurred_at) over (partition by e.customer_id, e.purpose order by e.occurred_at desc, e.id desc) as until
    from public.consent_events e
    where e.occurred_at < ((p_to + 1)::timestamp at time zone 'Asia/Bangkok')
  ),
  -- Granted while active, and active: least/greatest skip nulls, so a null end (no later event, not deleted) stays
  -- open. 'active' spans are the customers themselves.
  spans as (
    select h.purpose, greatest(h.since, c.created_at) as lo, least(h.until, c.deleted_at) as hi
    from held h join public.customers c on c.id = h.customer_id
    where h.is_granted
    union all
    select 'active', c.created_at, c.deleted_at from public.customers c
    where c.created_at < ((p_to + 1)::timestamp at time zone 'Asia/Bangkok')
  ),
  -- A span counts from the day it starts (a day counts what happened before its end) until the day it ends; what
  -- starts before the period counts from its first day, what happens after it not at all.
  deltas as (
    select s.purpose, greatest(public.bangkok_day_number(s.lo), v_first_n) as n, 1 as delta
    from spans s where (s.hi is null or s.lo < s.hi) and public.bangkok_day_number(s.lo) <= v_last_n
    union all
    select s.purpose, greatest(public.bangkok_day_number(s.hi), v_first_n), -1
    from spans s where s.hi is not null and s.lo < s.hi and public.bangkok_day_number(s.hi) <= v_last_n
  ),
  by_day as (
    select d.purpose, d.n, sum(d.delta) as delta from deltas d group by 1, 2
  ),
  running as (
    select p.purpose, p.ord, dn.n,
      sum(coalesce(g.delta, 0)) over (partition by p.purpose order by dn.n)::bigint as granted_n,
      sum(coalesce(a.delta, 0)) over (partition by p.purpose order by dn.n)::bigint as active_n
    from generate_series(v_first_n, v_last_n) dn(n) cross join purposes p
    left join by_day a on a.purpose = 'active' and a.n = dn.n
    left join by_day g on g.purpose = p.purpose and g.n = dn.n
  )
  select bk.first_day, bk.last_day, ((bk.last_day + 1)::timestamp at time zone 'Asia/Bangkok'), r.purpose,
    r.active_n, r.granted_n,
    case when r.active_n > 0 then round(r.granted_n::numeric / r.active_n, 4) end
  from buckets bk join running r on r.n = bk.last_day - date '1970-01-01'
  order by bk.first_day, r.ord;
end
$$;
revoke execute on function public.consent_opt_in_over_time(date, date, text) from public, anon, service_role;
grant execute on function public.consent_opt_in_over_time(date, date, text) to authenticated;

-- ---------------------------------------------------------------- share of active customers per version, now

-- Per document, the active (not deleted) customers by the version of their latest acceptance (the greatest
-- (occurred_at, id) event of that purpose whose action is granted or re_accepted): the version in force now
-- (policy_version_in_force), an older one, an upcoming one (published for a later date), an acceptance that names
-- no version ('unversioned'), or none ever ('never'). A customer whose latest answer is a refusal counts by the
-- acceptance before it. Every published or superseded version of the document has its row, zero or not.
create function public.policy_version_share()
returns table (document text, policy_version_id uuid, version text, effective_at timestamptz, standing text,
               customers bigint, active_customers bigint, share numeric)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
begin
  perform public.require_any_role(array['dpo', 'auditor'],
    'policy_version_share: only the DPO or an auditor may read consent statistics');
  return query
  with documents (document, ord) as (
    values ('privacy_policy', 1), ('terms', 2), ('cookie_policy', 3)
  ),
  in_force as (
    select d.document, (select f.id from public.policy_version_in_force(d.document, now()) f) as id,
           (select f.effective_at from public.policy_version_in_force(d.document, now()) f) as effective_at
    from documents d
  ),
  active as (
    select count(*) as n from public.customers c where c.deleted_at is null
  ),
  latest as (
    select distinct on (e.customer_id, e.purpose) e.customer_id, e.purpose, e.policy_version_id
    from public.consent_events e
    join public.customers c on c.id = e.customer_id and c.deleted_at is null
    where e.purpose in ('privacy_policy', 'terms', 'cookie_policy') and e.action in ('granted', 're_accepted')
    order by e.customer_id, e.purpose, e.occurred_at desc, e.id desc
  ),
  per_version as (
    select l.purpose, l.policy_version_id, count(*) as n from latest l group by 1, 2
  ),
  rows_ as (
    select v.document, v.id, v.version, v.effective_at,
      case when v.id = f.id then 'current'
           when f.id is null or v.effective_at > f.effective_at then 'upcoming'
           else 'older' end as standing,
      coalesce(pv.n, 0) as n
    from public.policy_versions v
    join in_force f on f.document = v.document
    left join per_version pv on pv.purpose = v.document and pv.policy_version_id = v.id
    where v.status <> 'draft'
    union all
    select pv.purpose, null::uuid, null::text, null::timestamptz, 'unversioned', pv.n
    from per_version pv where pv.policy_version_id is null
    union all
    select d.document, null, null, null, 'never',
      (select a.n from active a) - coalesce((select sum(pv.n) from per_version pv where pv.purpose = d.document), 0)
    from documents d
  )
  select r.document, r.id, r.version, r.effective_at, r.standing, r.n::bigint, a.n::bigint,
    case when a.n > 0 then round(r.n::numeric / a.n, 4) end
  from rows_ r cross join active a
  join documents d on d.document = r.document
  order by d.ord, array_position(array['current', 'older', 'upcoming', 'unversioned', 'never'], r.standing),
    r.effective_at desc nulls last, r.version;
end
$$;
revoke execute on function public.policy_version_share() from public, anon, service_role;
grant execute on function public.policy_version_share() to authenticated;

-- ---------------------------------------------------------------- re-acceptance coverage over time

-- Per Bangkok day from the day the version was published to today (the last 366 days at most), among the customers
-- active at the end of that day: accepted / declined / pending by the latest event about this version at or before
-- the end of the day, mapped as policy_reacceptance maps it (granted / re_accepted → accepted, refused / withdrawn →
-- declined, none or expired / invalidated → pending). Today's row equals policy_reacceptance_summary (an event dated
-- after today is the one thing the summary counts and today's row does not).
create function public.policy_reacceptance_over_time(p_policy_version_id uuid)
returns table (day date, as_of timestamptz, active_customers bigint, accepted bigint, declined bigint, pending bigint)
language plpgsql stable security definer set search_path = public, pg_temp
as $$
declare
  v public.policy_versions;
  v_today date := (now() at time zone 'Asia/Bangkok')::date;
  v_first date;
  v_first_n integer;
  v_last_n integer;
begin
  perform public.require_any_role(array['dpo', 'auditor'],
    'policy_reacceptance_over_time: only the DPO or an auditor may track re-acceptance');
  perform public.fail_if(p_policy_version_id is null, 'invalid_parameter_value',
    'policy_reacceptance_over_time: policy version id is required');
  select * into v from public.policy_versions pv where pv.id = p_policy_version_id;
  if not found then
    raise exception 'policy_reacceptance_over_time: policy version % does not exist', p_policy_version_id
      using errcode = 'PT404';
  end if;
  if v.change_class is distinct from 're_accept' then
    raise exception 'policy_reacceptance_over_time: % version % is % (%); only a version published as re_accept asks customers to accept again',
      v.document, v.version, v.status, coalesce(v.change_class, 'unclassified') using errcode = 'PT409';
  end if;
  v_first := greatest(least((v.published_at at time zone 'Asia/Bangkok')::date, v_today), v_today - 365);
  v_first_n := v_first - date '1970-01-01';
  v_last_n := v_today - date '1970-01-01';

  return query
  with days as (
    select g::date as d from generate_series(v_first::timestamp, v_today::timestamp, interval '1 day') g
  ),
  held as (
    select e.customer_id,
           case when e.action in ('granted', 're_accepted') then 'accepted'
                when e.action in ('refused', 'withdrawn') then 'declined' end as status,
           e.occurred_at as since,
           lag(e.occurred_at) over (partition by e.customer_id order by e.occurred_at desc, e.id desc) as until
    from public.consent_events e
    where e.purpose = v.document and e.policy_version_id = v.id
      and e.occurred_at < ((v_today + 1)::timestamp at time zone 'Asia/Bangkok')
  ),
  spans as (
    select h.status, greatest(h.since, c.created_at) as lo, least(h.until, c.deleted_at) as hi
    from held h join public.customers c on c.id = h.customer_id
    where h.status is not null
    union all
    select 'active', c.created_at, c.deleted_at from public.customers c
    where c.created_at < ((v_today + 1)::timestamp at time zone 'Asia/Bangkok')
  ),
  deltas as (
    select s.status, greatest(public.bangkok_day_number(s.lo), v_first_n) as n, 1 as delta
    from spans s where (s.hi is null or s.lo < s.hi) and public.bangkok_day_number(s.lo) <= v_last_n
    union all
    select s.status, greatest(public.bangkok_day_number(s.hi), v_first_n), -1
    from spans s where s.hi is not null and s.lo < s.hi and public.bangkok_day_number(s.hi) <= v_last_n
  ),
  by_day as (
    select d.n,
      sum(d.delta) filter (where d.status = 'active') as active_delta,
      sum(d.delta) filter (where d.status = 'accepted') as accepted_delta,
      sum(d.delta) filter (where d.status = 'declined') as declined_delta
    from deltas d group by 1
  ),
  counted as (
    select ds.d,
      sum(coalesce(b.active_delta, 0)) over w as active_n,
      sum(coalesce(b.accepted_delta, 0)) over w as accepted_n,
      sum(coalesce(b.declined_delta, 0)) over w as declined_n
    from days ds left join by_day b on b.n = ds.d - date '1970-01-01'
    window w as (order by ds.d)
  )
  select c.d, ((c.d + 1)::timestamp at time zone 'Asia/Bangkok'), c.active_n::bigint, c.accepted_n::bigint,
    c.declined_n::bigint, (c.active_n - c.accepted_n - c.declined_n)::bigint
  from counted c
  order by c.d;
end
$$;
revoke execute on function public.policy_reacceptance_over_time(uuid) from public, anon, service_role;
grant execute on function public.policy_reacceptance_over_time(uuid) to authenticated;
