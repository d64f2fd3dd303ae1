/**
 * Consent test fixtures: events, current state and policy versions, and the consent tables as each role reads them
 * (RLS: consent_events for the DPO and the auditor, who reads no customer contact data; customer_consents also for
 * support; finance and admin none of it). Tests render the console with `renderConsole` from src/test.
 */
import { CUSTOMER_ID, customerDataFor } from "../../test/fixtures";
import type { ConsentEventRow, CustomerConsentState, PolicyVersionRef } from "./types";

export const SECOND_CUSTOMER_ID = "22222222-2222-4222-8222-222222222222";
export const PRIVACY_NOW = "aaaaaaaa-0000-4000-8000-000000000002";
export const PRIVACY_BEFORE = "aaaaaaaa-0000-4000-8000-000000000001";
export const COOKIES_NOW = "aaaaaaaa-0000-4000-8000-000000000003";

export const VERSIONS: PolicyVersionRef[] = [
  { id: COOKIES_NOW, document: "cookie_policy", version: "2026-01-10", status: "published", effective_at: "2026-01-10T00:00:00Z" },
  { id: PRIVACY_NOW, document: "privacy_policy", version: "2026-05-12", status: "published", effective_at: "2026-05-12T00:00:00Z" },
  { id: PRIVACY_BEFORE, document: "privacy_policy", version: "2025-11-01", status: "superseded", effective_at: "2025-11-01T00:00:00Z" },
];

const SOMCHAI = { display_name: "Somchai Jaidee", email: "somchai.j@example.co.th" };
const EMMA = { display_name: "Emma Clarke", email: "emma@example.com" };

export function eventRow(overrides: Partial<ConsentEventRow> = {}): ConsentEventRow {
  return {
    id: 1,
    customer_id: CUSTOMER_ID,
    purpose: "privacy_policy",
    action: "granted",
    policy_version_id: PRIVACY_NOW,
    language: "en",
    source: "signup",
    collection_method: "checkbox",
    ip: "203.0.113.0/24",
    user_agent: "Mozilla/5.0",
    recorded_by: null,
    occurred_at: "2026-05-12T03:00:00Z",
    customer: SOMCHAI,
    policy: { document: "privacy_policy", version: "2026-05-12" },
    ...overrides,
  };
}

/** Newest first, as the explorer asks by default. */
export const EVENTS: ConsentEventRow[] = [
  eventRow({ id: 5, purpose: "marketing_email", action: "withdrawn", policy_version_id: PRIVACY_NOW, source: "settings", collection_method: "toggle", occurred_at: "2026-05-20T03:00:00Z", user_agent: "=HYPERLINK(\"x\")" }),
  eventRow({ id: 4, customer_id: SECOND_CUSTOMER_ID, customer: EMMA, purpose: "analytics", action: "refused", policy_version_id: COOKIES_NOW, policy: { document: "cookie_policy", version: "2026-01-10" }, source: "banner", collection_method: "banner", language: "th", ip: "198.51.100.0/24", occurred_at: "2026-05-15T03:00:00Z" }),
  eventRow({ id: 3, purpose: "marketing_email", action: "granted", source: "signup", occurred_at: "2026-05-12T03:00:00Z" }),
  eventRow({ id: 2, action: "re_accepted", source: "reprompt", collection_method: "prompt", occurred_at: "2026-05-12T02:00:00Z" }),
  eventRow({ id: 1, policy_version_id: PRIVACY_BEFORE, policy: { document: "privacy_policy", version: "2025-11-01" }, occurred_at: "2025-12-01T03:00:00Z" }),
];

export const CURRENT: CustomerConsentState[] = [
  { customer_id: CUSTOMER_ID, purpose: "marketing_email", granted: false, action: "withdrawn", event_id: 5, policy_version_id: PRIVACY_NOW, language: "en", updated_at: "2026-05-20T03:00:00Z" },
  { customer_id: CUSTOMER_ID, purpose: "privacy_policy", granted: true, action: "re_accepted", event_id: 2, policy_version_id: PRIVACY_NOW, language: "en", updated_at: "2026-05-12T02:00:00Z" },
];

const HISTORY_ROLES = new Set(["dpo", "auditor"]);
const STATE_ROLES = new Set(["dpo", "support", "auditor"]);

/** A recorded decline of a re_accept version (policy_declines, with its version embedded as the page reads it). */
export function declineRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1,
    customer_id: CUSTOMER_ID,
    policy_version_id: PRIVACY_NOW,
    consent_event_id: 6,
    withdrawn_purposes: ["analytics", "marketing_email"],
    account_restricted: true,
    declined_at: "2026-05-25T03:00:00Z",
    policy: { document: "privacy_policy", version: "2026-05-12" },
    ...overrides,
  };
}

/** The customers fixture plus the consent tables (and recorded declines), as each role would read them. */
export function consentDataFor(events: ConsentEventRow[] = EVENTS, current: CustomerConsentState[] = CURRENT, declines: Record<string, unknown>[] = []) {
  return (role: string): Record<string, Record<string, unknown>[]> => {
    const { consent_events: _events, customer_consents: _state, consent_event_ips: _ips, ...base } = customerDataFor(role);
    const tables: Record<string, Record<string, unknown>[]> = { ...base, policy_versions: VERSIONS as unknown as Record<string, unknown>[] };
    if (role === "auditor") delete tables.customer_directory;
    if (HISTORY_ROLES.has(role)) {
      const rows = role === "auditor" ? events.map((e) => ({ ...e, customer: null })) : events;
      tables.consent_events = rows as unknown as Record<string, unknown>[];
      tables.policy_declines = declines;
    }
    if (STATE_ROLES.has(role)) tables.customer_consents = current as unknown as Record<string, unknown>[];
    return tables;
  };
}

// ---------------------------------------------------------------- the overview's functions (DPO and auditor)

type Row = Record<string, unknown>;
const optInRow = (bucket_start: string, bucket_end: string, purpose: string, active: number, granted: number): Row => ({
  bucket_start, bucket_end, as_of: `${bucket_end}T17:00:00Z`, purpose, active_customers: active, granted,
  rate: active > 0 ? Math.round((granted / active) * 10000) / 10000 : null,
});

/** Two weeks of consent_opt_in_over_time: 8 then 10 active customers. */
export const OPT_IN_ROWS: Row[] = [
  optInRow("2026-06-01", "2026-06-07", "terms", 8, 8),
  optInRow("2026-06-01", "2026-06-07", "privacy_policy", 8, 7),
  optInRow("2026-06-01", "2026-06-07", "cookie_policy", 8, 4),
  optInRow("2026-06-01", "2026-06-07", "analytics", 8, 3),
  optInRow("2026-06-01", "2026-06-07", "marketing_email", 8, 2),
  optInRow("2026-06-08", "2026-06-10", "terms", 10, 9),
  optInRow("2026-06-08", "2026-06-10", "privacy_policy", 10, 9),
  optInRow("2026-06-08", "2026-06-10", "cookie_policy", 10, 5),
  optInRow("2026-06-08", "2026-06-10", "analytics", 10, 4),
  optInRow("2026-06-08", "2026-06-10", "marketing_email", 10, 1),
];

const shareRow = (document: string, standing: string, customers: number, version: string | null = null, id: string | null = null): Row => ({
  document, policy_version_id: id, version, effective_at: version ? `${version}T00:00:00Z` : null, standing, customers,
  active_customers: 16, share: Math.round((customers / 16) * 10000) / 10000,
});

/** policy_version_share over 16 active customers. */
export const SHARE_ROWS: Row[] = [
  shareRow("privacy_policy", "current", 10, "2026-05-12", PRIVACY_NOW),
  shareRow("privacy_policy", "older", 4, "2025-11-01", PRIVACY_BEFORE),
  shareRow("privacy_policy", "never", 2),
  shareRow("terms", "never", 16),
  shareRow("cookie_policy", "current", 3, "2026-01-10", COOKIES_NOW),
  shareRow("cookie_policy", "never", 13),
];
