import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { restoreObjectUrls } from "./downloads";

// Lazy routes and antd's first render are slow on a shared 2-core runner; waits fail after 10 s, not 1 s.
configure({ asyncUtilTimeout: 10_000 });

// antd reads these browser APIs that jsdom lacks.
if (!window.matchMedia) {
  Object.defineProperty(window, "matchMedia", {
    writable: true,
    // Behave like a wide desktop window: min-width queries match, so antd lays out the desktop sider.
    value: (query: string) => ({
      matches: /min-width/.test(query) && !/max-width/.test(query),
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
}

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (!("ResizeObserver" in window)) {
  Object.defineProperty(window, "ResizeObserver", { writable: true, value: ResizeObserverStub });
  Object.defineProperty(globalThis, "ResizeObserver", { writable: true, value: ResizeObserverStub });
}

// jsdom's getComputedStyle re-cascades every stylesheet antd injects on each call, which makes a full console
// render take tens of seconds. Layout is not what these tests check, so answer from the inline style only.
window.getComputedStyle = ((element: Element) => (element as HTMLElement).style) as typeof window.getComputedStyle;

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  restoreObjectUrls();
});
