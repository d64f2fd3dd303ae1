/**
 * DSAR test fixtures: queue rows, events, the staff ids they name, and the DSAR tables as each role reads them.
 * Tests render the console with `renderConsole` from src/test.
 */
import { waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect } from "vitest";
import { FAKE_STAFF, staffOf } from "../../test/fakeBackend";
import { customerDataFor } from "../../test/fixtures";
import type { DsarEventRow, DsarQueueRow } from "./types";

export const DPO_ID = staffOf("dpo").id;
export const SUPPORT_ID = staffOf("support").id;

export function dsarRow(overrides: Partial<DsarQueueRow> = {}): DsarQueueRow {
  return {
    id: "aaaaaaaa-0000-4000-8000-000000000001",
    reference: "DSAR-2026-0001",
    type: "access",
    status: "in_progress",
    channel: "email",
    requester_email: "somchai.j@example.co.th",
    customer_id: "11111111-1111-4111-8111-111111111111",
    summary: "Wants a copy of all data",
    received_at: "2026-11-10T03:00:00Z",
    created_by: SUPPORT_ID,
    assignee_id: DPO_ID,
    extension_days: 0,
    extension_reason: null,
    identity_method: "email_link",
    identity_verified_by: DPO_ID,
    identity_verified_at: "2026-11-11T03:00:00Z",
    identity_note: null,
    refusal_ground: null,
    duplicate_of: null,
    closed_at: null,
    created_at: "2026-11-10T03:05:00Z",
    updated_at: "2026-11-11T03:00:00Z",
    customer_email: "somchai.j@example.co.th",
    customer_display_name: "Somchai Jaidee",
    customer_processing_restricted: false,
    assignee_name: "Dpo Person",
    created_by_name: "Support Person",
    promise_due_at: "2026-12-10T17:00:00Z",
    statutory_due_at: "2026-12-10T17:00:00Z",
    due_at: "2026-12-10T17:00:00Z",
    due_on: "2026-12-10",
    statutory_due_on: "2026-12-10",
    days_left: 14,
    is_overdue: false,
    is_open: true,
    ...overrides,
  };
}

export function dsarEvent(overrides: Partial<DsarEventRow> = {}): DsarEventRow {
  return {
    id: 1,
    request_id: "aaaaaaaa-0000-4000-8000-000000000001",
    kind: "created",
    from_status: null,
    to_status: "new",
    note: null,
    details: null,
    actor_staff_id: SUPPORT_ID,
    occurred_at: "2026-11-10T03:05:00Z",
    ...overrides,
  };
}

/** The customers fixture plus DSAR tables, as each role would read them. */
export function dsarDataFor(requests: DsarQueueRow[], events: DsarEventRow[] = [], extra: Record<string, Record<string, unknown>[]> = {}) {
  return (role: string): Record<string, Record<string, unknown>[]> => {
    const base = customerDataFor(role);
    if (role === "finance" || role === "admin") return base;
    const tables: Record<string, Record<string, unknown>[]> = {
      ...base,
      dsar_queue: (role === "support" ? requests.filter((r) => r.created_by === SUPPORT_ID) : requests) as unknown as Record<string, unknown>[],
      dsar_sla_rules: [
        { type: "access", promise_days: 30, statutory_days: 30, statutory_basis: "PDPA s.30" },
        { type: "erasure", promise_days: 30, statutory_days: 90, statutory_basis: "PDPC erasure notification 2024" },
      ],
    };
    if (role === "dpo" || role === "auditor") tables.dsar_events = events as unknown as Record<string, unknown>[];
    if (role === "dpo") {
      tables.staff_members = FAKE_STAFF.map((s) => ({ id: s.id, display_name: s.display_name, email: s.email, active: true, staff_roles: s.roles.map((r) => ({ role: r })) }));
      Object.assign(tables, extra);
    }
    return tables;
  };
}

/**
 * A form that checks before it sends: submitting empty shows `refusal` and sends nothing; after `text` is typed into
 * `field`, submitting sends exactly one call.
 */
export async function expectRefusedUntilFilled(
  scope: HTMLElement,
  rpcCalls: readonly unknown[],
  step: { submit: string; refusal: string; field: string; text: string },
) {
  await userEvent.click(within(scope).getByRole("button", { name: step.submit }));
  expect(await within(scope).findByText(step.refusal)).toBeInTheDocument();
  expect(rpcCalls).toHaveLength(0);
  await userEvent.type(within(scope).getByLabelText(step.field), step.text);
  await userEvent.click(within(scope).getByRole("button", { name: step.submit }));
  await waitFor(() => expect(rpcCalls).toHaveLength(1));
}
