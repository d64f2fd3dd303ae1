/**
 * Reconciliation component tests: the real console against the shared fake backend, with the RPCs the page calls
 * (reconciliation_records, record_reconciliation_run) answered by the test and recorded; the records answer is
 * paged and capped at max_rows as the API does.
 */
import { render } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import { ConsoleRoutes } from "../../App";
import { EmbeddedSignInPage } from "../auth";
import { createEmbeddedServices } from "../../providers/auth/EmbeddedRoot";
import { answerRead, createFakeBackend, TEST_API_URL, type FakeBackendOptions } from "../../test/fakeBackend";

export interface RpcCall {
  fn: string;
  args: Record<string, unknown>;
  /** POST reads (or calls); HEAD only counts a set-returning function's rows. */
  method: string;
}

export type RpcHandler = (fn: string, args: Record<string, unknown>) => { status?: number; body: unknown } | undefined;

export function renderReconciliation(path: string, options: FakeBackendOptions & { rpc?: RpcHandler } = {}) {
  const backend = createFakeBackend(options);
  const rpcCalls: RpcCall[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const match = /^\/rest\/v1\/rpc\/(reconciliation_records|record_reconciliation_run)$/.exec(url.pathname);
    if (match) {
      const method = (init?.method ?? "POST").toUpperCase();
      const body = typeof init?.body === "string" ? init.body : null;
      // POST carries the arguments in the body; GET/HEAD (a count) in the query, beside offset/limit/order.
      const args =
        method === "POST"
          ? (JSON.parse(body ?? "{}") as Record<string, unknown>)
          : Object.fromEntries([...url.searchParams].filter(([key]) => key.startsWith("p_")));
      rpcCalls.push({ fn: match[1]!, args, method });
      backend.requests.push({ method, url, path: url.pathname, headers: new Headers(init?.headers ?? undefined), body });
      const answer = options.rpc?.(match[1]!, args) ?? { status: 404, body: { code: "PGRST202", message: `no answer for ${match[1]}` } };
      // reconciliation_records is set-returning: paged and capped like a read.
      if (match[1] === "reconciliation_records" && (answer.status ?? 200) === 200 && Array.isArray(answer.body)) {
        return answerRead(answer.body, url, method, new Headers(init?.headers ?? undefined));
      }
      return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { "Content-Type": "application/json" } });
    }
    return backend.fetch(input, init);
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
  return { ...view, backend, rpcCalls };
}
