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
import type { AdjustmentRow, LedgerRow } from "./types";

/**
 * Credits component tests: the real console against the shared fake backend, plus what the credits pages need
 * that it lacks: RPCs answered by the test (recorded with their arguments), PostgREST comparison filters on the
 * credit tables, and HEAD counts.
 */
export const staffOf = (role: string) => FAKE_STAFF.find((s) => s.roles.includes(role))!;
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

export type RpcAnswer = { status?: number; body: unknown; delayMs?: number };
export type RpcHandler = (fn: string, args: Record<string, unknown>) => RpcAnswer | undefined;

export interface CreditsBackendOptions extends FakeBackendOptions {
  rpc?: RpcHandler;
}

/** One PostgREST comparison (`amount=gte.100`, `status=in.(a,b)`) against a fixture row; numbers compare as numbers. */
export function compare(row: Record<string, unknown>, key: string, raw: string): boolean {
  const value = row[key];
  const [op, ...rest] = raw.split(".");
  const operand = rest.join(".");
  const numeric = typeof value === "number";
  switch (op) {
    case "eq":
      return String(value) === operand;
    case "neq":
      return String(value) !== operand;
    case "in":
      return operand.replace(/^\(|\)$/g, "").split(",").map((v) => v.replace(/^"|"$/g, "")).includes(String(value));
    case "gte":
      return numeric ? (value as number) >= Number(operand) : String(value) >= operand;
    case "lte":
      return numeric ? (value as number) <= Number(operand) : String(value) <= operand;
    case "gt":
      return numeric ? (value as number) > Number(operand) : String(value) > operand;
    case "lt":
      return numeric ? (value as number) < Number(operand) : String(value) < operand;
    case "is":
      return operand === "null" ? value === null || value === undefined : String(value) === operand;
    default:
      return true;
  }
}

const FILTERED_TABLES = new Set(["credit_ledger", "credit_adjustments", "credit_limits", "staff_members"]);
/** Query parameters that are not column filters. */
export const RESERVED = new Set(["select", "offset", "limit", "order", "or", "columns"]);

/** Shows the router's current address, so tests can assert what the page keeps in the URL. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location" hidden>{`${location.pathname}${location.search}`}</output>;
}

/** The address the page is at now (path and query). */
export function currentLocation(): URL {
  const text = document.querySelector('[data-testid="location"]')?.textContent ?? "";
  return new URL(text, "http://console.test");
}

export function renderCredits(path: string, options: CreditsBackendOptions = {}) {
  const rowsFor = options.rowsFor ?? creditsDataFor([], []);
  const base = createFakeBackend({ ...options, rowsFor });
  const rpcCalls: { fn: string; args: Record<string, unknown>; role: string }[] = [];

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers ?? undefined);
    const token = headers.get("Authorization")?.replace(/^Bearer /, "");
    const member = FAKE_STAFF.find((s) => s.token === token);
    const table = url.pathname.replace(/^\/rest\/v1\//, "");

    if (member && url.pathname.startsWith("/rest/v1/rpc/") && table !== "rpc/current_staff") {
      const fn = table.slice(4);
      const args = JSON.parse(typeof init?.body === "string" && init.body ? init.body : "{}") as Record<string, unknown>;
      rpcCalls.push({ fn, args, role: member.roles[0]! });
      base.requests.push({ method, url, path: url.pathname, headers, body: typeof init?.body === "string" ? init.body : null });
      const answer = options.rpc?.(fn, args);
      if (!answer) return Response.json({ code: "42883", message: `function ${fn} is not stubbed in this test`, details: null, hint: null }, { status: 404 });
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      return Response.json(answer.body, { status: answer.status ?? 200 });
    }

    if (member && FILTERED_TABLES.has(table)) {
      const rows = rowsFor(member.roles[0]!)[table];
      if (rows) {
        base.requests.push({ method, url, path: url.pathname, headers, body: null });
        let result = rows;
        for (const [key, value] of url.searchParams) {
          if (RESERVED.has(key)) continue;
          result = result.filter((row) => compare(row, key, value));
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
          <ConsoleRoutes services={services} loginPage={<EmbeddedSignInPage apiUrl={TEST_API_URL} />} />
          <LocationProbe />
        </AntdApp>
      </ConfigProvider>
    </MemoryRouter>,
  );
  return { ...view, backend: base, rpcCalls };
}

/** The last GET of a table, as PostgREST query parameters. */
export function lastQuery(backend: ReturnType<typeof renderCredits>["backend"], table: string): URLSearchParams {
  const gets = backend.requestsTo(`/rest/v1/${table}`).filter((r) => r.method === "GET");
  if (gets.length === 0) throw new Error(`no GET of ${table}`);
  return gets[gets.length - 1]!.url.searchParams;
}
