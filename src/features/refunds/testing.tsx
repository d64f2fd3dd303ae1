import { useEffect } from "react";
import { render } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import { MemoryRouter, useLocation } from "react-router";
import { vi } from "vitest";
import { ConsoleRoutes } from "../../App";
import { EmbeddedSignInPage } from "../auth";
import { createEmbeddedServices } from "../../providers/auth/EmbeddedRoot";
import { answerRead, createFakeBackend, FAKE_STAFF, TEST_API_URL, type FakeBackendOptions } from "../../test/fakeBackend";
import { CUSTOMER_ID, customerDataFor } from "../../test/fixtures";
import { compare, RESERVED } from "../credits/testing";
import type { RefundRow } from "./types";

/**
 * Refund component tests: the real console against the shared fake backend, plus what the refund screens need
 * from it: RPCs (`/rest/v1/rpc/*_refund`) and edge functions (`/functions/v1/*`) answered by the test, and
 * PostgREST comparison filters (eq, in, gte, lt) on the money tables so lists and counts answer like the database.
 */
export const FINANCE_ID = FAKE_STAFF.find((s) => s.roles.includes("finance"))!.id;
export const SUPPORT_ID = FAKE_STAFF.find((s) => s.roles.includes("support"))!.id;
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
    updated_at: null,
    ...overrides,
  };
}

export type Answer = { status?: number; body: unknown };
export interface RefundBackendOptions extends FakeBackendOptions {
  rpc?: (fn: string, args: Record<string, unknown>) => Answer | undefined;
  functions?: (name: string, method: string, body: unknown) => Answer | undefined;
}

/** The last URL the app navigated to (for URL-state assertions). */
export const locationSpy: { current: string } = { current: "" };
function LocationSpy() {
  const location = useLocation();
  useEffect(() => {
    locationSpy.current = `${location.pathname}${location.search}`;
  }, [location]);
  return null;
}

export function renderRefunds(path: string, options: RefundBackendOptions = {}) {
  const rowsFor = options.rowsFor ?? customerDataFor;
  const base = createFakeBackend({ ...options, rowsFor });
  const rpcCalls: { fn: string; args: Record<string, unknown>; role: string }[] = [];
  const functionCalls: { name: string; method: string; body: unknown; role: string | null }[] = [];

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input));
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers ?? request?.headers ?? undefined);
    const rawBody = typeof init?.body === "string" ? init.body : null;
    const token = headers.get("Authorization")?.replace(/^Bearer /, "");
    const member = FAKE_STAFF.find((s) => s.token === token);
    const table = url.pathname.replace(/^\/rest\/v1\//, "");

    if (url.pathname.startsWith("/functions/v1/")) {
      const name = url.pathname.slice("/functions/v1/".length);
      const body = rawBody ? (JSON.parse(rawBody) as unknown) : null;
      functionCalls.push({ name, method, body, role: member?.roles[0] ?? null });
      base.requests.push({ method, url, path: url.pathname, headers, body: rawBody });
      const answer = options.functions?.(name, method, body);
      if (!answer) return Response.json({ code: "not_found", message: `function ${name} is not stubbed` }, { status: 404 });
      return Response.json(answer.body, { status: answer.status ?? 200 });
    }

    if (member && url.pathname.startsWith("/rest/v1/rpc/") && table !== "rpc/current_staff") {
      const fn = table.slice(4);
      const args = JSON.parse(rawBody || "{}") as Record<string, unknown>;
      rpcCalls.push({ fn, args, role: member.roles[0]! });
      base.requests.push({ method, url, path: url.pathname, headers, body: rawBody });
      const answer = options.rpc?.(fn, args);
      if (!answer) return Response.json({ code: "42883", message: `function ${fn} is not stubbed in this test`, details: null, hint: null }, { status: 404 });
      return Response.json(answer.body, { status: answer.status ?? 200 });
    }

    if (member && url.pathname.startsWith("/rest/v1/")) {
      const rows = rowsFor(member.roles[0]!)[table];
      const failure = options.failures?.[url.pathname];
      if (rows && !failure) {
        base.requests.push({ method, url, path: url.pathname, headers, body: null });
        let result = rows;
        for (const [key, value] of url.searchParams) {
          if (RESERVED.has(key)) continue;
          result = result.filter((row) => compare(row, key, value));
        }
        const order = url.searchParams.get("order");
        if (order) {
          const [field, direction] = order.split(",")[0]!.split(".");
          result = [...result].sort((a, b) => (String(a[field!]) < String(b[field!]) ? -1 : String(a[field!]) > String(b[field!]) ? 1 : 0) * (direction === "desc" ? -1 : 1));
        }
        return answerRead(result, url, method, headers);
      }
    }
    return base.fetch(input, init);
  };

  vi.stubGlobal("fetch", vi.fn(fetchImpl));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
  const services = createEmbeddedServices(TEST_API_URL, "test-anon-key", window.sessionStorage, queryClient);
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <ConfigProvider>
        <AntdApp>
          <LocationSpy />
          <ConsoleRoutes services={services} loginPage={<EmbeddedSignInPage apiUrl={TEST_API_URL} />} />
        </AntdApp>
      </ConfigProvider>
    </MemoryRouter>,
  );
  return { ...view, backend: base, rpcCalls, functionCalls };
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
