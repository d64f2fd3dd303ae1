/**
 * What the customer pages read: generated row types (src/lib/database.types.ts), narrowed to the columns each
 * page selects. A view's columns are all nullable in the generated types (PostgreSQL cannot say otherwise), so a
 * view row takes its table's columns from the table and only the view's own columns from the view.
 */
import type { Tables } from "../../lib/database";

/** inet columns come back as text. */
type Inet = { ip: string | null };

/** A row of the `customer_directory` view (security_invoker: Stripe id is null for roles that may not see it). */
export type CustomerDirectoryRow = Tables<"customers"> &
  Pick<Tables<"customer_directory">, "credit_balance" | "stripe_customer_id" | "subscription_plan" | "subscription_status">;

export type ProjectRow = Pick<Tables<"projects">, "id" | "title" | "settings" | "created_at" | "updated_at" | "deleted_at">;

export type GenerationRow = Pick<
  Tables<"generations">,
  "id" | "project_id" | "media" | "model" | "prompt" | "credits_cost" | "status" | "created_at"
>;

export type AssetRow = Pick<Tables<"assets">, "id" | "kind" | "r2_key" | "content_type" | "size_bytes" | "created_at" | "deleted_at">;

export type CreditLedgerRow = Pick<Tables<"credit_ledger">, "id" | "amount" | "reason" | "note" | "created_at">;

/** A `payment_details` row (the Stripe ids are null for roles that may not see them). */
export type PaymentDetailsRow = Pick<
  Tables<"payments">,
  "id" | "kind" | "plan" | "amount" | "amount_refunded" | "currency" | "status" | "credits_granted" | "created_at"
> &
  Pick<Tables<"payment_details">, "stripe_payment_intent_id" | "stripe_charge_id">;

/** A `subscription_details` row (the Stripe id is null for roles that may not see it). */
export type SubscriptionDetailsRow = Pick<Tables<"subscriptions">, "id" | "plan" | "status" | "current_period_end" | "created_at" | "canceled_at"> &
  Pick<Tables<"subscription_details">, "stripe_subscription_id">;

/** The policy version a consent names (embedded: its document and label), null when it names none. */
type PolicyRef = { policy?: { document: string; version: string } | null };

export type CustomerConsentRow = Pick<Tables<"customer_consents">, "customer_id" | "purpose" | "granted" | "action" | "policy_version_id" | "updated_at"> & PolicyRef;

export type ConsentEventRow = Pick<Tables<"consent_events">, "id" | "purpose" | "action" | "policy_version_id" | "source" | "occurred_at"> & Inet & PolicyRef;

export type ApiRequestLogRow = Pick<
  Tables<"api_request_logs">,
  "id" | "method" | "endpoint" | "status_code" | "user_agent" | "requested_at"
> &
  Inet;

export type ErrorReportRow = Pick<Tables<"error_reports">, "id" | "sentry_event_id" | "summary" | "occurred_at">;
