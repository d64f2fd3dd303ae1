/** A row of the `customer_directory` view (security_invoker: Stripe id is null for roles that may not see it). */
export interface CustomerDirectoryRow {
  id: string;
  clerk_user_id: string;
  email: string;
  display_name: string | null;
  profile_image_url: string | null;
  locale: string;
  country: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  processing_restricted: boolean;
  restricted_at: string | null;
  restriction_reason: string | null;
  credit_balance: number | string | null;
  stripe_customer_id: string | null;
  subscription_plan: string | null;
  subscription_status: string | null;
}

export interface ProjectRow {
  id: string;
  title: string;
  settings: unknown;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface GenerationRow {
  id: string;
  project_id: string | null;
  media: string;
  model: string;
  prompt: string;
  credits_cost: number;
  status: string;
  created_at: string;
}

export interface AssetRow {
  id: string;
  kind: string;
  r2_key: string;
  content_type: string;
  size_bytes: number | string;
  created_at: string;
  deleted_at: string | null;
}

export interface CreditLedgerRow {
  id: number | string;
  amount: number;
  reason: string;
  note: string | null;
  created_at: string;
}

export interface PaymentDetailsRow {
  id: string;
  kind: string;
  plan: string | null;
  amount: number | string;
  amount_refunded: number | string;
  currency: string;
  status: string;
  credits_granted: number;
  created_at: string;
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
}

export interface SubscriptionDetailsRow {
  id: string;
  plan: string;
  status: string;
  current_period_end: string | null;
  created_at: string;
  canceled_at: string | null;
  stripe_subscription_id: string | null;
}

export interface CustomerConsentRow {
  customer_id: string;
  purpose: string;
  granted: boolean;
  policy_version_id: string | null;
  updated_at: string;
}

export interface ConsentEventRow {
  id: number | string;
  purpose: string;
  action: string;
  policy_version_id: string | null;
  source: string;
  ip: string | null;
  occurred_at: string;
}

export interface ApiRequestLogRow {
  id: number | string;
  method: string;
  endpoint: string;
  status_code: number;
  ip: string | null;
  user_agent: string | null;
  requested_at: string;
}

export interface ErrorReportRow {
  id: string;
  sentry_event_id: string;
  summary: string;
  occurred_at: string;
}
