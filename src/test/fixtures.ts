import type { CustomerDirectoryRow } from "../features/customers/types";

export const CUSTOMER_ID = "11111111-1111-4111-8111-111111111111";

export function customerRow(overrides: Partial<CustomerDirectoryRow> = {}): CustomerDirectoryRow {
  return {
    id: CUSTOMER_ID,
    clerk_user_id: "user_2kTq9",
    email: "somchai.j@example.co.th",
    display_name: "Somchai Jaidee",
    profile_image_url: null,
    locale: "th",
    country: "TH",
    created_at: "2026-03-01T02:00:00Z",
    updated_at: "2026-03-02T02:00:00Z",
    deleted_at: null,
    processing_restricted: false,
    restricted_at: null,
    restriction_reason: null,
    credit_balance: 1250,
    stripe_customer_id: "cus_Sj123",
    subscription_plan: "pro",
    subscription_status: "active",
    ...overrides,
  };
}

const STRIPE_ROLES = new Set(["dpo", "finance", "auditor"]);

/** What each role gets back from the server for one customer, mimicking the RLS-backed views. */
export function customerDataFor(role: string): Record<string, Record<string, unknown>[]> {
  const stripe = STRIPE_ROLES.has(role);
  const customer = { ...customerRow(), stripe_customer_id: stripe ? "cus_Sj123" : null };
  const second = {
    ...customerRow({
      id: "22222222-2222-4222-8222-222222222222",
      clerk_user_id: "user_9xYz",
      email: "emma@example.com",
      display_name: "Emma Clarke",
      country: "GB",
      processing_restricted: true,
      restricted_at: "2026-10-01T00:00:00Z",
      restriction_reason: "objection pending",
    }),
    stripe_customer_id: stripe ? "cus_Em456" : null,
  };
  return {
    customer_directory: [customer, second],
    projects: [{ id: "p1", customer_id: CUSTOMER_ID, title: "Songkran jingle", settings: {}, created_at: "2026-04-01T00:00:00Z", updated_at: "2026-04-01T00:00:00Z", deleted_at: null }],
    generations: [{ id: "g1", customer_id: CUSTOMER_ID, project_id: "p1", media: "music", model: "suno-v4.5", prompt: "upbeat luk thung", credits_cost: 40, status: "succeeded", created_at: "2026-04-02T00:00:00Z" }],
    assets: [{ id: "a1", customer_id: CUSTOMER_ID, kind: "generated", r2_key: "gen/user_2kTq9/g1.mp3", content_type: "audio/mpeg", size_bytes: 3145728, created_at: "2026-04-02T00:00:00Z", deleted_at: null }],
    credit_ledger: [{ id: 1, customer_id: CUSTOMER_ID, amount: -40, reason: "generation", note: null, created_at: "2026-04-02T00:00:00Z" }],
    payment_details: [{ id: "pay1", customer_id: CUSTOMER_ID, kind: "top_up", plan: null, amount: 29900, amount_refunded: 0, currency: "thb", status: "succeeded", credits_granted: 1000, created_at: "2026-03-05T00:00:00Z", stripe_payment_intent_id: stripe ? "pi_Abc123" : null, stripe_charge_id: stripe ? "ch_Def456" : null }],
    subscription_details: [{ id: "sub1", customer_id: CUSTOMER_ID, plan: "pro", status: "active", current_period_end: "2026-12-01T00:00:00Z", created_at: "2026-03-01T00:00:00Z", canceled_at: null, stripe_subscription_id: stripe ? "sub_Xyz789" : null }],
    customer_consents: [{ customer_id: CUSTOMER_ID, purpose: "marketing_email", granted: false, policy_version_id: null, updated_at: "2026-05-12T00:00:00Z" }],
    consent_events: [{ id: 7, customer_id: CUSTOMER_ID, purpose: "marketing_email", action: "withdrawn", policy_version_id: null, source: "settings", ip: "203.0.113.0/24", occurred_at: "2026-05-12T00:00:00Z" }],
    // The log keeps the masked network; the address as collected is the DPO's alone (consent_event_ips).
    ...(role === "dpo" ? { consent_event_ips: [{ event_id: 7, ip: "203.0.113.9" }] } : {}),
    api_request_logs: [{ id: 99, customer_id: CUSTOMER_ID, method: "POST", endpoint: "/v1/generations", status_code: 201, ip: "203.0.113.9", user_agent: "Mozilla/5.0", requested_at: "2026-11-20T03:00:00Z" }],
    error_reports: [{ id: "e1", customer_id: CUSTOMER_ID, sentry_event_id: "0123456789abcdef0123456789abcdef", summary: "Timeout calling model", occurred_at: "2026-11-21T00:00:00Z" }],
  };
}
