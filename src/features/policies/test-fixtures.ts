/**
 * Policies test fixtures: versions of the privacy policy and the terms, and the table as each role reads it (drafts
 * are the DPO's alone, as RLS has it). Tests render the console with `renderConsole` from src/test.
 */
import { FAKE_STAFF, staffOf } from "../../test/fakeBackend";
import type { PolicyVersionRow } from "./types";

export const DPO = staffOf("dpo");

const SHA = (digit: string) => digit.repeat(64);

export function policyVersion(overrides: Partial<PolicyVersionRow> = {}): PolicyVersionRow {
  return {
    id: "pv000000-0000-4000-8000-000000000001",
    document: "privacy_policy",
    version: "2026-05-12",
    title: "Privacy policy",
    body_markdown: "# Privacy policy\nWe keep account data for 12 months.\nContact the DPO.",
    body_th: null,
    body_sha256: SHA("a"),
    body_th_sha256: null,
    summary_of_changes: null,
    status: "published",
    effective_at: "2026-05-11T17:00:00Z",
    published_at: "2026-05-10T03:00:00Z",
    published_by: DPO.id,
    publisher: { display_name: DPO.display_name },
    change_class: "notify",
    change_reason: null,
    superseded_at: null,
    created_at: "2026-05-01T03:00:00Z",
    ...overrides,
  };
}

export const OLD_PRIVACY = policyVersion({
  id: "pv000000-0000-4000-8000-000000000000",
  version: "2025-01-01",
  title: "Privacy policy (first)",
  body_markdown: "# Privacy policy\nWe keep account data for 24 months.\nContact the DPO.",
  body_sha256: SHA("0"),
  status: "superseded",
  effective_at: "2024-12-31T17:00:00Z",
  published_at: "2024-12-20T03:00:00Z",
  change_class: null,
  superseded_at: "2026-05-10T03:00:00Z",
  created_at: "2024-12-01T03:00:00Z",
});
export const CURRENT_PRIVACY = policyVersion({
  body_th: "# นโยบายความเป็นส่วนตัว\nเราเก็บข้อมูลบัญชี 12 เดือน",
  body_th_sha256: SHA("b"),
  summary_of_changes: "Account data kept 12 months instead of 24.",
});
export const DRAFT_PRIVACY = policyVersion({
  id: "pv000000-0000-4000-8000-000000000002",
  version: "2026-12-01",
  title: "Privacy policy (analytics)",
  body_markdown: "# Privacy policy\nWe keep account data for 12 months.\nWe use product analytics only with consent.\nContact the DPO.",
  body_sha256: SHA("c"),
  status: "draft",
  effective_at: "2026-11-30T17:00:00Z",
  published_at: null,
  published_by: null,
  publisher: null,
  change_class: null,
  created_at: "2026-11-20T03:00:00Z",
});
export const TERMS = policyVersion({
  id: "pv000000-0000-4000-8000-000000000010",
  document: "terms",
  version: "2026-01-15",
  title: "Terms of service",
  body_markdown: "# Terms\nBe nice.",
  body_sha256: SHA("d"),
  effective_at: "2026-01-14T17:00:00Z",
});

export const VERSIONS = [DRAFT_PRIVACY, CURRENT_PRIVACY, OLD_PRIVACY, TERMS];

/** policy_versions and the staff directory as each role reads them: drafts for the DPO only. */
export function policiesDataFor(versions: PolicyVersionRow[] = VERSIONS) {
  return (role: string): Record<string, Record<string, unknown>[]> => ({
    staff_members: FAKE_STAFF.map((s) => ({ id: s.id, display_name: s.display_name, email: s.email })),
    policy_versions: versions.filter((v) => role === "dpo" || v.status !== "draft") as unknown as Record<string, unknown>[],
  });
}
