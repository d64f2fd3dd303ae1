import { render } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import { ConsoleRoutes } from "../App";
import { EmbeddedSignInPage } from "../features/auth/EmbeddedSignInPage";
import { createEmbeddedServices } from "../providers/auth/EmbeddedRoot";
import { createFakeBackend, TEST_API_URL, type FakeBackendOptions } from "./fakeBackend";

/** Mounts the real console (embedded providers, routes, layout) at `path` against a fake backend. */
export function renderConsole(path: string, backendOptions: FakeBackendOptions = {}) {
  const backend = createFakeBackend(backendOptions);
  vi.stubGlobal("fetch", vi.fn(backend.fetch));
  // No retries: a failing request should show its error at once, not after react-query's backoff.
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
  return { ...view, backend, services };
}
