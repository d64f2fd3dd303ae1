import { useLayoutEffect } from "react";
import { render } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import { MemoryRouter, useLocation } from "react-router";
import { vi } from "vitest";
import { ConsoleRoutes } from "../App";
import { EmbeddedSignInPage } from "../features/auth/EmbeddedSignInPage";
import { createEmbeddedServices } from "../providers/auth/EmbeddedRoot";
import { createFakeBackend, TEST_API_URL, type FakeBackendOptions } from "./fakeBackend";

/** The router's address as of the last render (path and query), for tests of what a page keeps in the URL. */
let renderedLocation = "/";

function LocationProbe() {
  const location = useLocation();
  useLayoutEffect(() => {
    renderedLocation = `${location.pathname}${location.search}`;
  }, [location]);
  return null;
}

/** The address the console is at now. */
export function currentLocation(): URL {
  return new URL(renderedLocation, "http://console.test");
}

/** The address the console is at now, as `/path?query`. */
export function currentPath(): string {
  return renderedLocation;
}

/**
 * Mounts the real console (embedded providers, routes, layout) at `path` against a fake backend with `options`
 * (rows per role, RPC and edge function answers, failures, delays). Returns the render result, the backend (every
 * request, `rpcCalls`, `functionCalls`, `lastQuery`) and the services.
 */
export function renderConsole(path: string, options: FakeBackendOptions = {}) {
  const backend = createFakeBackend(options);
  vi.stubGlobal("fetch", vi.fn(backend.fetch));
  renderedLocation = path;
  // No retries: a failing request should show its error at once, not after react-query's backoff.
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
  return { ...view, backend, services, rpcCalls: backend.rpcCalls, functionCalls: backend.functionCalls };
}
