/**
 * Feature boundaries: a feature uses another feature only through that feature's public `index.ts`. Anything
 * shared by several features lives in src/lib (or is exported from its owner's index), so no feature becomes the
 * unofficial library of the others again (issue 9). This test names the file and what it reaches into.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const FEATURES = path.dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

/** `import … from "x"`, `export … from "x"`, `import "x"`, `import("x")`, `vi.mock("x")`. */
const SPECIFIERS = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\s*["']([^"']+)["']|(?:import|vi\.mock|vi\.doMock)\(\s*["']([^"']+)["']/g;

/** The feature folder a path lies in (null outside src/features), and the path inside it. */
function featureOf(file: string): { feature: string; inside: string } | null {
  const relative = path.relative(FEATURES, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
  const [feature, ...rest] = relative.split(path.sep);
  return rest.length === 0 ? null : { feature: feature!, inside: rest.join("/") };
}

/** The specifiers in `text` (the file at `file`) that reach into another feature's folder past its index. */
function internalImports(file: string, text: string): string[] {
  const from = featureOf(file);
  if (!from) return [];
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIERS)) {
    const specifier = match[1] ?? match[2] ?? match[3]!;
    if (!specifier.startsWith(".")) continue;
    const target = path.resolve(path.dirname(file), specifier);
    const to = featureOf(target) ?? (path.dirname(target) === FEATURES ? { feature: path.basename(target), inside: "" } : null);
    if (!to || to.feature === from.feature) continue;
    if (/^(index(\.tsx?)?)?$/.test(to.inside)) continue;
    found.push(specifier);
  }
  return found;
}

describe("feature boundaries", () => {
  it("no file in src/features/X imports src/features/Y/<anything but its index>", () => {
    const files = sourceFiles(FEATURES);
    expect(files.length).toBeGreaterThan(50);
    const violations = files.flatMap((file) =>
      internalImports(file, readFileSync(file, "utf8")).map((specifier) => `${path.relative(FEATURES, file)} imports ${specifier}`),
    );
    expect(
      violations,
      "Import another feature through its index.ts (export what it should share there), or move the shared piece to src/lib",
    ).toEqual([]);
  });

  it("recognises every way of reaching into another feature, and lets the index and the feature's own files through", () => {
    const file = path.join(FEATURES, "credits", "list.tsx");
    expect(internalImports(file, 'import { useCustomerSearch } from "../dsar/customerSearch";')).toEqual(["../dsar/customerSearch"]);
    expect(internalImports(file, 'import type { RefundRow } from "../refunds/types";')).toEqual(["../refunds/types"]);
    expect(internalImports(file, 'export { csvCell } from "../dsar/export/csv";')).toEqual(["../dsar/export/csv"]);
    expect(internalImports(file, 'import "../dsar/styles";')).toEqual(["../dsar/styles"]);
    expect(internalImports(file, 'const page = await import("../refunds/list");')).toEqual(["../refunds/list"]);
    expect(internalImports(file, 'vi.mock("../refunds/api", () => ({}));')).toEqual(["../refunds/api"]);
    expect(internalImports(path.join(FEATURES, "dsar", "export", "readExport.ts"), 'import { x } from "../../refunds/money";')).toEqual(["../../refunds/money"]);
    expect(
      internalImports(
        file,
        [
          'import { useCustomerSearch } from "../customers";',
          'import { reasonLabel } from "../refunds/index";',
          'import { REASONS } from "../refunds/index.ts";',
          'import { adjustCredits } from "./api";',
          'import { withFilters } from "../../lib/postgrestFilters";',
          'import { useList } from "@refinedev/core";',
        ].join("\n"),
      ),
    ).toEqual([]);
    // Outside src/features (the app shell, providers, src/test) the rule does not apply.
    expect(internalImports(path.join(FEATURES, "..", "App.tsx"), 'import X from "./features/refunds/list";')).toEqual([]);
  });
});
