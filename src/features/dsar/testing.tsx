import { render } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import { ConsoleRoutes } from "../../App";
import { EmbeddedSignInPage } from "../auth";
import { createEmbeddedServices } from "../../providers/auth/EmbeddedRoot";
import { answerRead, createFakeBackend, FAKE_STAFF, TEST_API_URL, type FakeBackendOptions } from "../../test/fakeBackend";
import { customerDataFor } from "../../test/fixtures";
import type { DsarEventRow, DsarQueueRow } from "./types";

/**
 * DSAR component tests: the real console against the shared fake backend, plus the two things the DSAR pages
 * need from it that the shared fake does not do: RPC calls (`/rest/v1/rpc/dsar_*`, answered by the test) and
 * PostgREST comparison filters on the request rows (so tab counts and filters answer like the database).
 */
export const DPO_ID = FAKE_STAFF.find((s) => s.roles.includes("dpo"))!.id;
export const SUPPORT_ID = FAKE_STAFF.find((s) => s.roles.includes("support"))!.id;

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

export type RpcAnswer = { status?: number; body: unknown };
export type RpcHandler = (fn: string, args: Record<string, unknown>) => RpcAnswer | undefined;

export interface DsarBackendOptions extends FakeBackendOptions {
  rpc?: RpcHandler;
}

function compare(row: Record<string, unknown>, key: string, raw: string): boolean {
  const value = row[key];
  const [op, ...rest] = raw.split(".");
  const operand = rest.join(".");
  const asNumber = (v: unknown) => Number(v);
  switch (op) {
    case "eq":
      return String(value) === operand;
    case "neq":
      return String(value) !== operand;
    case "in":
      return operand.replace(/^\(|\)$/g, "").split(",").map((v) => v.replace(/^"|"$/g, "")).includes(String(value));
    case "gte":
      return typeof value === "number" ? value >= asNumber(operand) : String(value) >= operand;
    case "lte":
      return typeof value === "number" ? value <= asNumber(operand) : String(value) <= operand;
    case "gt":
      return typeof value === "number" ? value > asNumber(operand) : String(value) > operand;
    case "lt":
      return typeof value === "number" ? value < asNumber(operand) : String(value) < operand;
    case "is":
      return operand === "null" ? value === null || value === undefined : String(value) === operand;
    default:
      return true;
  }
}

const FILTERED_TABLES = new Set(["dsar_queue", "dsar_events", "dsar_processor_tasks"]);
const RESERVED = new Set(["select", "offset", "limit", "order", "or", "columns"]);

/**
 * PostgREST returns only the selected columns; the shared fake returns whole fixture rows. The export module
 * checks the columns it asked for, so plain column lists (no embeds, no *) are applied here.
 */
async function projectColumns(response: Response, select: string | null): Promise<Response> {
  if (!select || select === "*" || /[(*!:]/.test(select) || !response.ok) return response;
  const columns = select.split(",").map((c) => c.trim());
  const body = (await response.json()) as Record<string, unknown>[] | Record<string, unknown> | null;
  const pick = (row: Record<string, unknown>) => Object.fromEntries(columns.filter((c) => c in row).map((c) => [c, row[c]]));
  const projected = Array.isArray(body) ? body.map(pick) : body && typeof body === "object" ? pick(body) : body;
  return new Response(JSON.stringify(projected), { status: response.status, headers: response.headers });
}

/** Renders the console at `path` with DSAR-aware fetch handling; returns the recorded requests. */
export function renderDsar(path: string, options: DsarBackendOptions = {}) {
  const rowsFor = options.rowsFor ?? customerDataFor;
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
    const response = await base.fetch(input, init);
    return method === "GET" ? projectColumns(response, url.searchParams.get("select")) : response;
  };

  vi.stubGlobal("fetch", vi.fn(fetchImpl));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
  const services = createEmbeddedServices(TEST_API_URL, "test-anon-key", window.sessionStorage, queryClient);
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <ConfigProvider>
        <AntdApp>
          <ConsoleRoutes services={services} loginPage={<EmbeddedSignInPage apiUrl={TEST_API_URL} />} />
        </AntdApp>
      </ConfigProvider>
    </MemoryRouter>,
  );
  return { ...view, backend: base, rpcCalls };
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
