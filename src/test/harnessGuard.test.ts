/**
 * One test harness: component tests mount the console and answer its requests only through src/test
 * (`renderConsole`, the fake backend). A feature that imports the app shell or stubs fetch itself is growing a
 * harness of its own again; this test names the file and the line.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FEATURES = path.join(SRC, "features");
const APP = path.join(SRC, "App");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const FETCH_STUBS = [
  /stubGlobal\(\s*["'`]fetch["'`]/,
  /\b(?:globalThis|window|global|self)\.fetch\s*=(?!=)/,
  /spyOn\(\s*(?:globalThis|window|global|self)\s*,\s*["'`]fetch["'`]/,
];
const OBJECT_URL_STUB = /\bURL\.(?:createObjectURL|revokeObjectURL)\s*=(?!=)/;

/** What in `text` (the file at `file`) builds a harness of its own: imports of the app shell, ConsoleRoutes, fetch and object-URL stubs. */
function harnessViolations(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2]!;
    if (!specifier.startsWith(".")) continue;
    const target = path.resolve(path.dirname(file), specifier).replace(/\.(tsx?|jsx?)$/, "");
    if (target === APP) found.push(`imports the app shell (${specifier})`);
  }
  text.split("\n").forEach((line, index) => {
    if (/\bConsoleRoutes\b/.test(line)) found.push(`line ${index + 1} uses ConsoleRoutes`);
    if (FETCH_STUBS.some((stub) => stub.test(line))) found.push(`line ${index + 1} stubs fetch`);
    if (OBJECT_URL_STUB.test(line)) found.push(`line ${index + 1} stubs object URLs (use captureDownloads)`);
  });
  return found;
}

describe("one test harness", () => {
  it("no file under src/features mounts the console or stubs fetch or downloads itself: tests use src/test (renderConsole, captureDownloads)", () => {
    const files = sourceFiles(FEATURES);
    expect(files.some((file) => file.endsWith(".test.tsx"))).toBe(true);
    const violations = files.flatMap((file) =>
      harnessViolations(file, readFileSync(file, "utf8")).map((what) => `${path.relative(SRC, file)}: ${what}`),
    );
    expect(
      violations,
      "One test harness (issue 9): mount with renderConsole, answer requests through its fake backend options, capture downloads with captureDownloads",
    ).toEqual([]);
  });

  it("recognises each way of building a harness", () => {
    const file = path.join(FEATURES, "refunds", "list.test.tsx");
    expect(harnessViolations(file, 'import { ConsoleRoutes } from "../../App";')).toEqual([
      "imports the app shell (../../App)",
      "line 1 uses ConsoleRoutes",
    ]);
    expect(harnessViolations(file, 'const { App } = await import("../../App.tsx");')).toEqual(["imports the app shell (../../App.tsx)"]);
    expect(harnessViolations(file, 'vi.stubGlobal("fetch", vi.fn());')).toEqual(["line 1 stubs fetch"]);
    expect(harnessViolations(file, "globalThis.fetch = fake;")).toEqual(["line 1 stubs fetch"]);
    expect(harnessViolations(file, 'vi.spyOn(window, "fetch");')).toEqual(["line 1 stubs fetch"]);
    expect(harnessViolations(file, "URL.createObjectURL = vi.fn();")).toEqual(["line 1 stubs object URLs (use captureDownloads)"]);
    expect(harnessViolations(file, "URL.revokeObjectURL = original;")).toEqual(["line 1 stubs object URLs (use captureDownloads)"]);
    expect(harnessViolations(file, 'const url = URL.createObjectURL(blob);')).toEqual([]);
    expect(harnessViolations(file, 'import { renderConsole } from "../../test/renderConsole";\nif (window.fetch === f) {}')).toEqual([]);
  });
});
