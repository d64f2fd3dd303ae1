/**
 * Reconciliation component tests: the real console against the shared fake backend, with the RPCs the page calls
 * (reconciliation_records, record_reconciliation_run) answered by the test and recorded.
 */
import { render } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import { ConsoleRoutes } from "../../App";
import { EmbeddedSignInPage } from "../auth/EmbeddedSignInPage";
import { createEmbeddedServices } from "../../providers/auth/EmbeddedRoot";
import { createFakeBackend, TEST_API_URL, type FakeBackendOptions } from "../../test/fakeBackend";

export interface RpcCall {
  fn: string;
  args: Record<string, unknown>;
}

export type RpcHandler = (fn: string, args: Record<string, unknown>) => { status?: number; body: unknown } | undefined;

export function renderReconciliation(path: string, options: FakeBackendOptions & { rpc?: RpcHandler } = {}) {
  const backend = createFakeBackend(options);
  const rpcCalls: RpcCall[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const match = /^\/rest\/v1\/rpc\/(reconciliation_records|record_reconciliation_run)$/.exec(url.pathname);
    if (match) {
      const args = JSON.parse(typeof init?.body === "string" ? init.body : "{}") as Record<string, unknown>;
      rpcCalls.push({ fn: match[1]!, args });
      const answer = options.rpc?.(match[1]!, args) ?? { status: 404, body: { code: "PGRST202", message: `no answer for ${match[1]}` } };
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
