-- M-Factory Console: what M-Factory holds about its customers (privacy policy §2),
-- plus the console's own staff tables. Security (RLS, grants, helpers) follows in later migrations.
-- Money is in minor units (satang, cents) with an ISO currency in lower case, as Stripe stores it.

create extension if not exists pg_trgm with schema extensions;

create type public.staff_role as enum ('dpo', 'support', 'finance', 'admin', 'auditor');

-- ---------------------------------------------------------------- staff

create table public.staff_members (
  id uuid primary key default gen_random_uuid(),
  clerk_user_id text not null unique check (clerk_user_id ~ '^user_[A-Za-z0-9]+$'),
  email text not null unique check (email = lower(email) and position('@' in email) > 1),
  display_name text not null check (length(trim(display_name)) > 0),
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table public.staff_roles (
  staff_member_id uuid not null references public.staff_members (id) on delete cascade,
  role public.staff_role not null,
  granted_by uuid references public.staff_members (id),
  granted_at timestamptz not null default now(),
  primary key (staff_member_id, role)
);

-- ---------------------------------------------------------------- customers

-- Contact-level profile. Stripe ids live in stripe_customers so RLS can hide them per role.
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

create table public.credit_balances (
  customer_id uuid primary key references public.customers (id) on delete cascade,
  balance bigint not null default 0,
  updated_at timestamptz not null default now()
);

create function public.credit_ledger_apply_balance() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  insert into public.credit_balances as b (customer_id, balance, updated_at)
  values (new.customer_id, new.amount, new.created_at)
  on conflict (customer_id) do update
    set balance = b.balance + excluded.balance, updated_at = greatest(b.updated_at, excluded.updated_at);
  return new;
end
$$;
create trigger credit_ledger_apply_balance after insert on public.credit_ledger
  for each row execute function public.credit_ledger_apply_balance();

-- ---------------------------------------------------------------- logs (retention-bound)

-- 90-day retention at millions of rows: monthly range partitions, dropped whole by the purge.
create table public.api_request_logs (
  id bigint generated always as identity,
  customer_id uuid,            -- no FK: logs outlive nothing and are dropped by partition
  method text not null,
  endpoint text not null,
  status_code smallint not null check (status_code between 100 and 599),
  ip inet,
  user_agent text,
  requested_at timestamptz not null,
  primary key (requested_at, id)
) partition by range (requested_at);
create index api_request_logs_customer_idx on public.api_request_logs (customer_id, requested_at desc);

create table public.api_request_logs_default partition of public.api_request_logs default;

-- Creates monthly partitions covering [from_month, from_month + months). Idempotent.
create function public.ensure_api_request_log_partitions(from_month date, months integer)
returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  m date := date_trunc('month', from_month)::date;
  created integer := 0;
  part text;
begin
  for i in 0 .. months - 1 loop
    part := format('api_request_logs_%s', to_char(m, 'YYYY_MM'));
    if to_regclass('public.' || part) is null then
      execute format(
        'create table public.%I partition of public.api_request_logs for values from (%L) to (%L)',
        part, m, (m + interval '1 month')::date);
      execute format('alter table public.%I enable row level security', part);
      created := created + 1;
    end if;
    m := (m + interval '1 month')::date;
  end loop;
  return created;
end
$$;
select public.ensure_api_request_log_partitions((now() - interval '4 months')::date, 8);

create table public.error_reports (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid references public.customers (id) on delete set null,
  sentry_event_id text not null unique check (sentry_event_id ~ '^[0-9a-f]{32}$'),
  summary text not null,             -- PII-redacted, as sent to Sentry
  occurred_at timestamptz not null default now()  -- retention: 30 days from here (policy §6)
);
create index error_reports_customer_idx on public.error_reports (customer_id, occurred_at desc);

-- ---------------------------------------------------------------- consent and policy

create table public.policy_versions (
  id uuid primary key default gen_random_uuid(),
  version text not null unique check (version ~ '^\d{4}-\d{2}-\d{2}$'),
  title text not null,
  body_markdown text not null,
  status text not null default 'draft' check (status in ('draft', 'published', 'superseded')),
  effective_at timestamptz,
  published_at timestamptz,
  published_by uuid references public.staff_members (id),
  created_at timestamptz not null default now(),
  check ((status = 'draft') = (published_at is null))
);

-- Append-only proof of consent (retained until account deletion + 30 days).
create table public.consent_events (
  id bigint generated always as identity primary key,
  customer_id uuid not null references public.customers (id) on delete restrict,
  purpose text not null check (purpose in ('terms', 'privacy_policy', 'analytics', 'marketing_email')),
  action text not null check (action in ('granted', 'withdrawn')),
  policy_version_id uuid references public.policy_versions (id),
  source text not null check (source in ('signup', 'settings', 'reprompt', 'dsar', 'console')),
  ip inet,
  user_agent text,
  recorded_by uuid references public.staff_members (id),
  occurred_at timestamptz not null default now()
);
create index consent_events_customer_idx on public.consent_events (customer_id, purpose, occurred_at desc);

-- Current state per customer and purpose, kept by trigger: roles that may see the state
-- (support) need not see the log itself.
create table public.customer_consents (
  customer_id uuid not null references public.customers (id) on delete cascade,
  purpose text not null,
  granted boolean not null,
  policy_version_id uuid references public.policy_versions (id),
  updated_at timestamptz not null,
  primary key (customer_id, purpose)
);

create function public.consent_events_apply_state() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  insert into public.customer_consents as c (customer_id, purpose, granted, policy_version_id, updated_at)
  values (new.customer_id, new.purpose, new.action = 'granted', new.policy_version_id, new.occurred_at)
  on conflict (customer_id, purpose) do update
    set granted = excluded.granted, policy_version_id = excluded.policy_version_id, updated_at = excluded.updated_at
    where c.updated_at <= excluded.updated_at;
  return new;
end
$$;
create trigger consent_events_apply_state after insert on public.consent_events
  for each row execute function public.consent_events_apply_state();

-- ---------------------------------------------------------------- audit

-- Written only by triggers and security-definer functions; append-only; hash-chained.
create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default clock_timestamp(),
  actor_sub text,                          -- auth.jwt()->>'sub', null for system jobs
  actor_staff_id uuid,
  action text not null,                    -- e.g. staff_role.grant, customer.update
  table_name text,
  record_id text,
  old_data jsonb,
  new_data jsonb,
  prev_hash text not null,
  hash text not null unique
);
