/**
 * Row shapes the seed inserts: the schema's rows as generated from the migrations (src/lib/database.types.ts), so a
 * renamed or retyped column fails to compile here. Text columns under a check constraint are narrowed to their
 * values; identity and derived columns the database fills are left out. Times are ISO strings (UTC).
 */
import type { Tables } from "../../src/lib/database.types.ts";

export type CustomerRow = Omit<Tables<"customers">, "locale"> & { locale: "en" | "th" };

export type CustomerStripeIdRow = Tables<"customer_stripe_ids">;

export type ProjectRow = Omit<Tables<"projects">, "settings"> & { settings: Record<string, unknown> };

export type GenerationRow = Omit<Tables<"generations">, "media" | "metadata" | "status"> & {
  media: "music" | "image" | "video";
  metadata: Record<string, unknown>;
  status: "queued" | "running" | "succeeded" | "failed";
};

export type AssetRow = Omit<Tables<"assets">, "kind"> & { kind: "upload" | "generated" };

export type SubscriptionStatus = "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "incomplete";
type Plan = "creator" | "pro" | "studio";

export type SubscriptionRow = Omit<Tables<"subscriptions">, "plan" | "status"> & { plan: Plan; status: SubscriptionStatus };

export type SubscriptionStripeIdRow = Tables<"subscription_stripe_ids">;

export type PaymentStatus = "requires_payment_method" | "requires_action" | "processing" | "succeeded" | "canceled";

export type PaymentRow = Omit<Tables<"payments">, "kind" | "plan" | "status"> & {
  kind: "subscription" | "top_up";
  plan: Plan | null;
  status: PaymentStatus;
};

export type PaymentStripeIdRow = Tables<"payment_stripe_ids">;

export type LedgerReason =
  | "purchase"
  | "subscription_grant"
  | "generation"
  | "goodwill"
  | "failed_generation"
  | "correction"
  | "promotion"
  | "refund_clawback";

/** Without id: the ledger's ids are the database's. */
export type CreditLedgerRow = Omit<Tables<"credit_ledger">, "id" | "reason"> & { reason: LedgerReason };

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

/** A console refund (supabase/migrations/20261126002100_refunds.sql); every column is written but the clawback's ledger link. */
export type RefundRow = Omit<Tables<"refunds">, "reason" | "status" | "clawback_ledger_entry_id"> & {
  reason: "duplicate" | "fraudulent" | "requested_by_customer";
  status: RefundStatus;
};

export type RefundStripeIdRow = Tables<"refund_stripe_ids">;

/** Without id (an identity column); inet is written as text. */
export type ConsentEventRow = Omit<Tables<"consent_events">, "id" | "purpose" | "action" | "source" | "ip" | "language" | "collection_method"> & {
  purpose: "terms" | "privacy_policy" | "cookie_policy" | "analytics" | "marketing_email";
  action: "granted" | "refused" | "withdrawn" | "re_accepted" | "expired" | "invalidated";
  source: "signup" | "settings" | "banner" | "reprompt" | "dsar" | "console";
  /** null: the database derives it (language from the customer's locale, method from the source). */
  language: "en" | "th" | null;
  collection_method: "checkbox" | "toggle" | "banner" | "prompt" | "written_request" | "staff_entry" | "system" | null;
  /** As collected; the database keeps it in consent_event_ips and masks consent_events.ip. */
  ip: string | null;
};

export type ErrorReportRow = Tables<"error_reports">;

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
  consent_events: ["customer_id", "purpose", "action", "policy_version_id", "language", "source", "collection_method", "ip", "user_agent", "recorded_by", "occurred_at"],
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
