/**
 * Credits test fixtures: ledger and adjustment rows, the per-role limits, and the credit tables as each role reads
 * them. Tests render the console with `renderConsole` from src/test.
 */
import { FAKE_STAFF, staffOf } from "../../test/fakeBackend";
import { CUSTOMER_ID, customerDataFor } from "../../test/fixtures";
import type { AdjustmentRow, LedgerRow } from "./types";

export const SUPPORT = staffOf("support");
export const FINANCE = staffOf("finance");
export const SECOND_CUSTOMER_ID = "22222222-2222-4222-8222-222222222222";

export function ledgerRow(overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id: 1,
    customer_id: CUSTOMER_ID,
    amount: 200,
    reason: "goodwill",
    note: "Sorry about the outage",
    actor_staff_id: SUPPORT.id,
    created_at: "2026-11-20T03:00:00Z",
    customer: { display_name: "Somchai Jaidee", email: "somchai.j@example.co.th" },
    actor: { display_name: SUPPORT.display_name, email: SUPPORT.email },
    ...overrides,
  };
}

export function adjustmentRow(overrides: Partial<AdjustmentRow> = {}): AdjustmentRow {
  return {
    id: "adj00000-0000-4000-8000-000000000001",
    customer_id: CUSTOMER_ID,
    amount: 800,
    reason: "goodwill",
    note: "Long outage on 18 Nov",
    idempotency_key: "key-00000001",
    requested_by: SUPPORT.id,
    requested_at: "2026-11-25T03:00:00Z",
    status: "pending",
    pending_reason: "over_per_adjustment_limit",
    decided_by: null,
    decided_at: null,
    decision_note: null,
    ledger_entry_id: null,
    customer: { display_name: "Somchai Jaidee", email: "somchai.j@example.co.th" },
    requester: { display_name: SUPPORT.display_name },
    decider: null,
    ...overrides,
  };
}

export const LIMITS = [
  { role: "support", per_adjustment_max: 500, per_day_max: 2000 },
  { role: "finance", per_adjustment_max: 5000, per_day_max: 20000 },
];

/** The customers fixture plus the credit tables, as each role would read them (admin reads none of it). */
export function creditsDataFor(ledger: LedgerRow[], adjustments: AdjustmentRow[]) {
  return (role: string): Record<string, Record<string, unknown>[]> => {
    const base = customerDataFor(role);
    const tables: Record<string, Record<string, unknown>[]> = { ...base, credit_limits: LIMITS };
    if (role === "admin") return tables;
    // Every staff member reads the staff directory; the auditor reads no customer contact data.
    tables.staff_members = FAKE_STAFF.map((s) => ({ id: s.id, display_name: s.display_name, email: s.email }));
    const hideCustomer = <T extends { customer?: unknown }>(row: T): T => (role === "auditor" ? { ...row, customer: null } : row);
    tables.credit_ledger = ledger.map(hideCustomer) as unknown as Record<string, unknown>[];
    tables.credit_adjustments = adjustments.map(hideCustomer) as unknown as Record<string, unknown>[];
    return tables;
  };
}
