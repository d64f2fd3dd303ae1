-- Customers: what M-Factory holds about each customer (privacy policy §2) apart from consents and request logs:
-- the profile, Stripe ids, service usage (projects, generations, assets), subscriptions, payments and the credit
-- ledger; the security_invoker views the console lists them through; and index-assisted search under RLS.
-- Money is in minor units (satang, cents) with an ISO currency in lower case, as Stripe stores it.

-- ---------------------------------------------------------------- customers

-- Contact-level profile. Stripe ids live in customer_stripe_ids so RLS can hide them per role.
create table public.customers (
  id uuid primary key default gen_random_uuid(),
  clerk_user_id text not null unique check (clerk_user_id ~ '^user_[A-Za-z0-9]+$'),
  email text not null check (position('@' in email) > 1),
  display_name text,
  profile_image_url text,
  locale text not null default 'en' check (locale in ('en', 'th')),
  country text check (country ~ '^[A-Z]{2}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  processing_restricted boolean not null default false,
  restricted_at timestamptz,
  restriction_reason text,
  check (processing_restricted = (restricted_at is not null))
);
create unique index customers_email_key on public.customers (lower(email)) where deleted_at is null;
create index customers_created_at_idx on public.customers (created_at desc, id);
-- Trigram indexes serve the console's `ilike '%term%'` search without scanning.
create index customers_email_trgm_idx on public.customers using gin (email extensions.gin_trgm_ops);
create index customers_display_name_trgm_idx on public.customers using gin (display_name extensions.gin_trgm_ops);
create index customers_clerk_user_id_trgm_idx on public.customers using gin (clerk_user_id extensions.gin_trgm_ops);

-- Stripe identifiers sit in their own *_stripe_ids tables: RLS on those tables is what lets
-- support see a customer, payment or subscription without seeing its Stripe ids.
create table public.customer_stripe_ids (
  customer_id uuid primary key references public.customers (id) on delete cascade,
  stripe_customer_id text not null unique check (stripe_customer_id ~ '^cus_[A-Za-z0-9]+$'),
  created_at timestamptz not null default now()
);

-- ---------------------------------------------------------------- service usage

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  title text not null,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index projects_customer_idx on public.projects (customer_id, created_at desc);

create table public.generations (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  project_id uuid references public.projects (id) on delete set null,
  media text not null check (media in ('music', 'image', 'video')),
  model text not null, -- e.g. suno-v4.5, nano-banana, seedance-1-pro (KIE.AI)
  prompt text not null,
  metadata jsonb not null default '{}'::jsonb,
  credits_cost integer not null check (credits_cost >= 0),
  status text not null default 'succeeded' check (status in ('queued', 'running', 'succeeded', 'failed')),
  created_at timestamptz not null default now()
);
create index generations_customer_idx on public.generations (customer_id, created_at desc);
create index generations_project_idx on public.generations (project_id);

create table public.assets (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  project_id uuid references public.projects (id) on delete set null,
  generation_id uuid references public.generations (id) on delete set null,
  kind text not null check (kind in ('upload', 'generated')),
  r2_key text not null unique,
  content_type text not null,
  size_bytes bigint not null check (size_bytes >= 0),
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index assets_customer_idx on public.assets (customer_id, created_at desc);
create index assets_generation_idx on public.assets (generation_id);
-- Erasure deletes a subject's projects; each deleted project makes PostgreSQL look for the assets that reference
-- it (ON DELETE SET NULL), which without this index reads the whole assets table.
create index assets_project_idx on public.assets (project_id) where project_id is not null;

-- ---------------------------------------------------------------- payments

create table public.subscriptions (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete restrict,
  plan text not null check (plan in ('creator', 'pro', 'studio')),
  status text not null check (status in ('trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete')),
  current_period_end timestamptz,
  created_at timestamptz not null default now(),
  canceled_at timestamptz
);
create index subscriptions_customer_idx on public.subscriptions (customer_id, created_at desc);

create table public.subscription_stripe_ids (
  subscription_id uuid primary key references public.subscriptions (id) on delete cascade,
  stripe_subscription_id text not null unique check (stripe_subscription_id ~ '^sub_[A-Za-z0-9]+$')
);

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete restrict,
  subscription_id uuid references public.subscriptions (id),
  kind text not null check (kind in ('subscription', 'top_up')),
  plan text check (plan in ('creator', 'pro', 'studio')),
  amount bigint not null check (amount > 0),
  amount_refunded bigint not null default 0 check (amount_refunded >= 0),
  currency text not null check (currency ~ '^[a-z]{3}$'),
  status text not null check (status in ('requires_payment_method', 'requires_action', 'processing', 'succeeded', 'canceled')),
  credits_granted integer not null default 0 check (credits_granted >= 0),
  created_at timestamptz not null default now(),
  check (amount_refunded <= amount)
);
create index payments_customer_idx on public.payments (customer_id, created_at desc);
create index payments_created_idx on public.payments (created_at);

create table public.payment_stripe_ids (
  payment_id uuid primary key references public.payments (id) on delete cascade,
  stripe_payment_intent_id text not null unique check (stripe_payment_intent_id ~ '^pi_[A-Za-z0-9]+$'),
  stripe_charge_id text unique check (stripe_charge_id ~ '^ch_[A-Za-z0-9]+$')
);

-- ---------------------------------------------------------------- credits

-- Append-only; the balance is derived (credit_balances is a checkpoint kept by trigger).
create table public.credit_ledger (
  id bigint generated always as identity primary key,
  customer_id uuid not null references public.customers (id) on delete restrict,
  amount integer not null check (amount <> 0),
  reason text not null check (reason in (
    'purchase', 'subscription_grant', 'generation', 'goodwill', 'failed_generation',
    'correction', 'promotion', 'refund_clawback'
  )),
  note text,
  generation_id uuid references public.generations (id) on delete set null,
  payment_id uuid references public.payments (id),
  actor_staff_id uuid references public.staff_members (id),
  idempotency_key text unique,
  created_at timestamptz not null default now()
);
create index credit_ledger_customer_idx on public.credit_ledger (customer_id, created_at desc);
-- Erasure deletes a subject's generations (ON DELETE SET NULL here) and asks which ones the ledger refers to:
-- without this index each lookup reads the whole ledger, 1,000 scans of millions of rows for a heavy subject.
create index credit_ledger_generation_idx on public.credit_ledger (generation_id) where generation_id is not null;

create table public.credit_balances (
  customer_id uuid primary key references public.customers (id) on delete cascade,
  balance bigint not null default 0,
  updated_at timestamptz not null default now()
);

create function public.credit_ledger_apply_balance() returns trigger
language plpgsql security definer set search_path = public, pg_temp
as $$
begin
  insert into public.credit_balances as b (customer_id, balance, updated_at)
  values (new.customer_id, new.amount, new.created_at)
  on conflict (customer_id) do update
    set balance = b.balance + excluded.balance, updated_at = greatest(b.updated_at, excluded.updated_at);
  return new;
end
$$;
select public.make_history_projection('public.credit_ledger', 'public.credit_ledger_apply_balance');
select public.make_history_append_only('public.credit_ledger');

-- ---------------------------------------------------------------- audit

-- Customer rows carry PII: audit_row_change records only the changed columns, PII values replaced by a marker.
create trigger customers_audit after update on public.customers
  for each row execute function public.audit_row_change();

-- ---------------------------------------------------------------- RLS, grants and policies

-- Policies are written against the staff helpers, wrapped in a scalar subquery so the role check runs once per
-- statement, not once per row.
select public.enable_row_level_security('public.customers', 'public.customer_stripe_ids', 'public.projects',
  'public.generations', 'public.assets', 'public.subscriptions', 'public.subscription_stripe_ids', 'public.payments',
  'public.payment_stripe_ids', 'public.credit_ledger', 'public.credit_balances');
revoke update, delete on public.credit_ledger from service_role;

create policy customers_select on public.customers for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance'])));

create policy customer_stripe_ids_select on public.customer_stripe_ids for select to authenticated
  using ((select public.has_any_role(array['dpo', 'finance', 'auditor'])));
create policy payment_stripe_ids_select on public.payment_stripe_ids for select to authenticated
  using ((select public.has_any_role(array['dpo', 'finance', 'auditor'])));
create policy subscription_stripe_ids_select on public.subscription_stripe_ids for select to authenticated
  using ((select public.has_any_role(array['dpo', 'finance', 'auditor'])));

-- ---------------------------------------------------------------- service usage

create policy projects_select on public.projects for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support'])));
create policy generations_select on public.generations for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support'])));
create policy assets_select on public.assets for select to authenticated
  using ((select public.has_any_role(array['dpo'])));

-- ---------------------------------------------------------------- money

create policy credit_ledger_select on public.credit_ledger for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));
create policy credit_balances_select on public.credit_balances for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));
create policy subscriptions_select on public.subscriptions for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));
create policy payments_select on public.payments for select to authenticated
  using ((select public.has_any_role(array['dpo', 'support', 'finance', 'auditor'])));

-- ---------------------------------------------------------------- views

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

select public.grant_api_read_only('public.customer_directory', 'public.payment_details', 'public.subscription_details');

-- ---------------------------------------------------------------- search

-- Index-assisted `like` / `ilike` search under RLS, where this migration may grant it.
--
-- PostgreSQL evaluates a non-LEAKPROOF operator only after the RLS policy has accepted the row, so
-- under RLS `email ilike '%term%'` can never be answered from the trigram indexes: every row is read.
-- textlike/texticlike are not marked LEAKPROOF because an invalid *pattern* raises an error. Here the
-- pattern is always the caller's own search value (the REST layer only builds `column ilike value`,
-- and no view or policy in this project uses a column as a pattern), so the error reveals nothing
-- about hidden rows; the result itself is only a boolean that the RLS qual still filters.
-- Rule that keeps this sound: never write `<value> like <column>` in a view, policy or function.
--
-- Only a superuser may mark a function LEAKPROOF. The embedded server (PGlite) and a local PostgreSQL
-- migrate as superuser and get the index; a Supabase project does not allow it, and there the search
-- stays correct but reads every customer row (docs/roles.md, "Search under RLS").
do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    alter function pg_catalog.textlike(text, text) leakproof;
    alter function pg_catalog.texticlike(text, text) leakproof;
  else
    raise notice 'not a superuser: like/ilike stay non-leakproof, so customer search under RLS cannot use the trigram indexes';
  end if;
end
$$;

-- Tell the planner what a pattern match really costs. Built-in textlike/texticlike carry cost 1 (as cheap as
-- `=`), so at 100,000 customers the planner preferred evaluating `ilike '%term%'` three times per row in a
-- sequential scan (1.4 s on PGlite) over the trigram indexes (≈ 50–150 ms). Measured on the bench data: any
-- cost ≥ 10 flips the plan to a BitmapOr over the trigram indexes; 20 leaves margin without affecting
-- equality plans. Like 0700, this needs a superuser (the embedded server, a local PostgreSQL); on a Supabase
-- project it is skipped and the search stays correct but slower (docs/roles.md, "Search under RLS").
do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    alter function pg_catalog.textlike(text, text) cost 20;
    alter function pg_catalog.texticlike(text, text) cost 20;
  else
    raise notice 'not a superuser: like/ilike keep their default cost; customer search may choose a sequential scan';
  end if;
end
$$;
