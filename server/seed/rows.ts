/**
 * Row shapes the seed inserts, named and typed exactly as the columns in
 * supabase/migrations (20261203000200_customers.sql and the domains after it). Times are ISO strings (UTC).
 */

export interface CustomerRow {
  id: string;
  clerk_user_id: string;
  email: string;
  display_name: string | null;
  profile_image_url: string | null;
  locale: "en" | "th";
  country: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  processing_restricted: boolean;
  restricted_at: string | null;
  restriction_reason: string | null;
}

export interface CustomerStripeIdRow {
  customer_id: string;
  stripe_customer_id: string;
  created_at: string;
}

export interface ProjectRow {
  id: string;
  customer_id: string;
  title: string;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface GenerationRow {
  id: string;
  customer_id: string;
  project_id: string | null;
  media: "music" | "image" | "video";
  model: string;
  prompt: string;
  metadata: Record<string, unknown>;
  credits_cost: number;
  status: "queued" | "running" | "succeeded" | "failed";
  created_at: string;
}

export interface AssetRow {
  id: string;
  customer_id: string;
  project_id: string | null;
  generation_id: string | null;
  kind: "upload" | "generated";
  r2_key: string;
  content_type: string;
  size_bytes: number;
  created_at: string;
  deleted_at: string | null;
}

export type SubscriptionStatus = "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "incomplete";

export interface SubscriptionRow {
  id: string;
  customer_id: string;
  plan: "creator" | "pro" | "studio";
  status: SubscriptionStatus;
  current_period_end: string | null;
  created_at: string;
  canceled_at: string | null;
}

export interface SubscriptionStripeIdRow {
  subscription_id: string;
  stripe_subscription_id: string;
}

export type PaymentStatus = "requires_payment_method" | "requires_action" | "processing" | "succeeded" | "canceled";

export interface PaymentRow {
  id: string;
  customer_id: string;
  subscription_id: string | null;
  kind: "subscription" | "top_up";
  plan: "creator" | "pro" | "studio" | null;
  amount: number;
  amount_refunded: number;
  currency: string;
  status: PaymentStatus;
  credits_granted: number;
  created_at: string;
}

export interface PaymentStripeIdRow {
  payment_id: string;
  stripe_payment_intent_id: string;
  stripe_charge_id: string | null;
}

export type LedgerReason =
  | "purchase"
  | "subscription_grant"
  | "generation"
  | "goodwill"
  | "failed_generation"
  | "correction"
  | "promotion"
  | "refund_clawback";

export interface CreditLedgerRow {
  customer_id: string;
  amount: number;
  reason: LedgerReason;
  note: string | null;
  generation_id: string | null;
  payment_id: string | null;
  actor_staff_id: string | null;
  idempotency_key: string | null;
  created_at: string;
}

export type RefundStatus =
  | "awaiting_approval"
  | "approved"
  | "rejected"
  | "processing"
  | "pending"
  | "requires_action"
  | "succeeded"
  | "failed"
  | "canceled";

/** A console refund (supabase/migrations/20261203000600_refunds.sql); every column is written. */
export interface RefundRow {
  id: string;
  payment_id: string;
  customer_id: string;
  amount: number;
  currency: string;
  reason: "duplicate" | "fraudulent" | "requested_by_customer";
  note: string;
  status: RefundStatus;
  approvals_needed: number;
  requested_by: string;
  requested_at: string;
  idempotency_key: string;
  first_approved_by: string | null;
  first_approved_at: string | null;
  second_approved_by: string | null;
  second_approved_at: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  rejection_note: string | null;
  executed_by: string | null;
  execution_started_at: string | null;
  execution_attempts: number;
  stripe_status_at: string | null;
  failure_reason: string | null;
  clawback_credits: number;
  updated_at: string;
}

export interface RefundStripeIdRow {
  refund_id: string;
  stripe_refund_id: string;
}

export interface ConsentEventRow {
  customer_id: string;
  purpose: "terms" | "privacy_policy" | "analytics" | "marketing_email";
  action: "granted" | "withdrawn";
  policy_version_id: string | null;
  source: "signup" | "settings" | "reprompt" | "dsar" | "console";
  ip: string | null;
  user_agent: string | null;
  recorded_by: string | null;
  occurred_at: string;
}

export interface ErrorReportRow {
  id: string;
  customer_id: string | null;
  sentry_event_id: string;
  summary: string;
  occurred_at: string;
}

/** Everything one batch of customers produces, in foreign-key order. */
export interface CustomerBatch {
  customers: CustomerRow[];
  customer_stripe_ids: CustomerStripeIdRow[];
  projects: ProjectRow[];
  generations: GenerationRow[];
  assets: AssetRow[];
  subscriptions: SubscriptionRow[];
  subscription_stripe_ids: SubscriptionStripeIdRow[];
  payments: PaymentRow[];
  payment_stripe_ids: PaymentStripeIdRow[];
  credit_ledger: CreditLedgerRow[];
  refunds: RefundRow[];
  refund_stripe_ids: RefundStripeIdRow[];
  consent_events: ConsentEventRow[];
}

export const REFUND_COLUMNS: ReadonlyArray<keyof RefundRow & string> = [
  "id", "payment_id", "customer_id", "amount", "currency", "reason", "note", "status", "approvals_needed",
  "requested_by", "requested_at", "idempotency_key", "first_approved_by", "first_approved_at", "second_approved_by",
  "second_approved_at", "rejected_by", "rejected_at", "rejection_note", "executed_by", "execution_started_at",
  "execution_attempts", "stripe_status_at", "failure_reason", "clawback_credits", "updated_at",
];

/**
 * The columns written per table, in insert order (foreign keys first). Identity and derived columns are
 * left out on purpose: the database fills them (credit_ledger.id, consent_events.id).
 */
export const BATCH_COLUMNS: { readonly [T in keyof CustomerBatch]: ReadonlyArray<keyof CustomerBatch[T][number] & string> } = {
  customers: [
    "id", "clerk_user_id", "email", "display_name", "profile_image_url", "locale", "country",
    "created_at", "updated_at", "deleted_at", "processing_restricted", "restricted_at", "restriction_reason",
  ],
  customer_stripe_ids: ["customer_id", "stripe_customer_id", "created_at"],
  projects: ["id", "customer_id", "title", "settings", "created_at", "updated_at", "deleted_at"],
  generations: ["id", "customer_id", "project_id", "media", "model", "prompt", "metadata", "credits_cost", "status", "created_at"],
  assets: ["id", "customer_id", "project_id", "generation_id", "kind", "r2_key", "content_type", "size_bytes", "created_at", "deleted_at"],
  subscriptions: ["id", "customer_id", "plan", "status", "current_period_end", "created_at", "canceled_at"],
  subscription_stripe_ids: ["subscription_id", "stripe_subscription_id"],
  payments: ["id", "customer_id", "subscription_id", "kind", "plan", "amount", "amount_refunded", "currency", "status", "credits_granted", "created_at"],
  payment_stripe_ids: ["payment_id", "stripe_payment_intent_id", "stripe_charge_id"],
  // Rows are in time order per customer: the balance trigger sees a running total that never dips below 0.
  credit_ledger: ["customer_id", "amount", "reason", "note", "generation_id", "payment_id", "actor_staff_id", "idempotency_key", "created_at"],
  // clawback_ledger_entry_id is linked after the insert (the ledger's ids are the database's).
  refunds: REFUND_COLUMNS,
  refund_stripe_ids: ["refund_id", "stripe_refund_id"],
  consent_events: ["customer_id", "purpose", "action", "policy_version_id", "source", "ip", "user_agent", "recorded_by", "occurred_at"],
};

export function emptyBatch(): CustomerBatch {
  return {
    customers: [],
    customer_stripe_ids: [],
    projects: [],
    generations: [],
    assets: [],
    subscriptions: [],
    subscription_stripe_ids: [],
    payments: [],
    payment_stripe_ids: [],
    credit_ledger: [],
    refunds: [],
    refund_stripe_ids: [],
    consent_events: [],
  };
}

/** What the API-log generator needs to know about a live customer. */
export interface LogSubject {
  id: string;
  /** Epoch seconds from which this customer can appear in the logs. */
  fromSec: number;
  /** Usual address (their API calls mostly come from it). */
  ip: string;
  /** Index into USER_AGENTS of their usual device. */
  userAgentIndex: number;
}
