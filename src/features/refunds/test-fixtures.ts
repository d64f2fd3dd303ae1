/**
 * Refund test fixtures: refund rows, the staff and payment ids they name, and the money tables as each role reads
 * them. Tests render the console with `renderConsole` from src/test.
 */
import { FAKE_STAFF, staffOf } from "../../test/fakeBackend";
import { CUSTOMER_ID, customerDataFor } from "../../test/fixtures";
import type { RefundRow } from "./types";

export const FINANCE_ID = staffOf("finance").id;
export const SUPPORT_ID = staffOf("support").id;
export const OTHER_FINANCE_ID = "00000000-0000-4000-8000-0000000000f2";
export const PAYMENT_ID = "pay1";

export function refundRow(overrides: Partial<RefundRow> = {}): RefundRow {
  return {
    id: "bbbbbbbb-0000-4000-8000-000000000001",
    payment_id: PAYMENT_ID,
    customer_id: CUSTOMER_ID,
    amount: 10000,
    currency: "thb",
    reason: "requested_by_customer",
    note: "Customer asked by email",
    status: "awaiting_approval",
    approvals_needed: 1,
    requested_by: SUPPORT_ID,
    requested_at: "2026-11-20T03:00:00Z",
    idempotency_key: "key-1",
    first_approved_by: null,
    first_approved_at: null,
    second_approved_by: null,
    second_approved_at: null,
    rejected_by: null,
    rejected_at: null,
    rejection_note: null,
    executed_by: null,
    execution_started_at: null,
    execution_attempts: 0,
    stripe_status_at: null,
    failure_reason: null,
    clawback_credits: 0,
    clawback_ledger_entry_id: null,
    updated_at: "2026-11-20T03:00:00Z",
    ...overrides,
  };
}

/** The customers fixture plus the money tables, as each role would read them. */
export function moneyDataFor(refunds: RefundRow[], extra: (role: string) => Record<string, Record<string, unknown>[]> = () => ({})) {
  return (role: string): Record<string, Record<string, unknown>[]> => {
    const base = customerDataFor(role);
    if (role === "admin") return base;
    const tables: Record<string, Record<string, unknown>[]> = {
      ...base,
      refunds: refunds as unknown as Record<string, unknown>[],
      credit_balances: [{ customer_id: CUSTOMER_ID, balance: 1250 }],
      refund_approval_thresholds: [
        { currency: "thb", second_approval_above: 500000 },
        { currency: "usd", second_approval_above: 15000 },
        { currency: "jpy", second_approval_above: 20000 },
      ],
      // The staff directory is readable by every staff member (migration 20261126002300_staff_directory.sql).
      staff_members: FAKE_STAFF.map((s) => ({ id: s.id, display_name: s.display_name })),
    };
    if (role === "auditor") delete tables.customer_directory;
    if (role === "dpo" || role === "finance" || role === "auditor") tables.refund_stripe_ids = [];
    if (role === "finance" || role === "auditor") tables.stripe_webhook_events = [];
    if (role === "dpo" || role === "auditor") tables.audit_log = [];
    return { ...tables, ...extra(role) };
  };
}
