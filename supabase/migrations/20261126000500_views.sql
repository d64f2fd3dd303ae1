-- Column-level limits through security_invoker views: each view runs the caller's RLS on every
-- table it joins, so a role that may see a row but not its Stripe ids gets null there.

create view public.customer_directory with (security_invoker = true) as
select
  c.id,
  c.clerk_user_id,
  c.email,
  c.display_name,
  c.profile_image_url,
  c.locale,
  c.country,
  c.created_at,
  c.updated_at,
  c.deleted_at,
  c.processing_restricted,
  c.restricted_at,
  c.restriction_reason,
  coalesce(b.balance, 0)::bigint as credit_balance,
  s.stripe_customer_id,
  -- Current subscription = the latest one. Scalar subqueries (one index probe per listed row) rather
  -- than a lateral join: a count(*) over the view then skips them, and the planner removes the two
  -- left joins on primary keys too, so counting the list scans customers alone.
  (select sub.plan from public.subscriptions sub
    where sub.customer_id = c.id order by sub.created_at desc, sub.id desc limit 1) as subscription_plan,
  (select sub.status from public.subscriptions sub
    where sub.customer_id = c.id order by sub.created_at desc, sub.id desc limit 1) as subscription_status
from public.customers c
left join public.credit_balances b on b.customer_id = c.id
left join public.customer_stripe_ids s on s.customer_id = c.id;

create view public.payment_details with (security_invoker = true) as
select
  p.id,
  p.customer_id,
  p.subscription_id,
  p.kind,
  p.plan,
  p.amount,
  p.amount_refunded,
  p.currency,
  p.status,
  p.credits_granted,
  p.created_at,
  ps.stripe_payment_intent_id,
  ps.stripe_charge_id
from public.payments p
left join public.payment_stripe_ids ps on ps.payment_id = p.id;

create view public.subscription_details with (security_invoker = true) as
select
  s.id,
  s.customer_id,
  s.plan,
  s.status,
  s.current_period_end,
  s.created_at,
  s.canceled_at,
  ss.stripe_subscription_id
from public.subscriptions s
left join public.subscription_stripe_ids ss on ss.subscription_id = s.id;

revoke all on public.customer_directory, public.payment_details, public.subscription_details from anon;
revoke insert, update, delete, truncate, references, trigger
  on public.customer_directory, public.payment_details, public.subscription_details from authenticated, service_role;
grant select on public.customer_directory, public.payment_details, public.subscription_details to authenticated, service_role;
