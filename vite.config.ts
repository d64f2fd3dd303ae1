import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { appApiUrl, BUILT_API_URL_FILE, resolveBackendConfig } from "./server/config.ts";

// Packages that Refine's single-file bundles import for features the console does not use from them
// (CSV import/export, markdown fields). They have no import-time effects, so declaring that lets the
// bundler drop them when unused instead of shipping them in the first load. Later features that import
// papaparse themselves still get it, in their own lazy chunk.
const PURE_UNLESS_USED = [/node_modules\/papaparse\//, /node_modules\/react-markdown\//, /node_modules\/remark-gfm\//];

// What belongs to later, lazily loaded pages and must never be part of the first load: the heavy libraries, and
// every desk's strings (each catalogue namespace but the shell's travels with the desk that imports it).
const NOT_IN_FIRST_LOAD = [
  /node_modules[\\/](recharts|papaparse|jszip)[\\/]/,
  /src[\\/]i18n[\\/]messages[\\/][\w-]+[\\/](?!(common|auth|index)\.ts$)[\w-]+\.ts$/,
];
// What loads before any page: the entry and the two roots (embedded sign-in, Clerk), with their static imports.
const FIRST_LOAD_ROOTS = /src[\\/](main\.tsx|providers[\\/]auth[\\/](EmbeddedRoot|ClerkRoot)\.tsx)$/;

/** Fails the build when a first-load chunk statically contains a module NOT_IN_FIRST_LOAD names. */
function guardFirstLoad(): Plugin {
  return {
    name: "m-factory:guard-first-load",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === "chunk" ? [[item.fileName, item] as const] : [])));
      const pending = [...chunks.values()].filter((chunk) => chunk.facadeModuleId && FIRST_LOAD_ROOTS.test(chunk.facadeModuleId));
      const seen = new Set<string>();
      const offenders: string[] = [];
      while (pending.length > 0) {
        const chunk = pending.pop()!;
        if (seen.has(chunk.fileName)) continue;
        seen.add(chunk.fileName);
        for (const id of chunk.moduleIds) if (NOT_IN_FIRST_LOAD.some((test) => test.test(id))) offenders.push(`${chunk.fileName}: ${id}`);
        for (const imported of chunk.imports) {
          const next = chunks.get(imported);
          if (next) pending.push(next);
        }
      }
      if (offenders.length > 0) this.error(`first-load chunks contain lazy-only libraries:\n${offenders.join("\n")}`);
    },
  };
}

/** Leaves the built-in API URL beside the build, for `npm run preview` to check. */
function recordBuiltApiUrl(apiUrl: string): Plugin {
  return {
    name: "m-factory:record-built-api-url",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: BUILT_API_URL_FILE, source: JSON.stringify({ apiUrl }) });
    },
  };
}

// The embedded backend listens on 54321 (Supabase's local port) and the app on 5173 (preview 4173) unless
// MFC_API_PORT / MFC_APP_PORT move them; the app gets the API's URL built in (src/config.ts).
const backend = resolveBackendConfig();
const apiUrl = appApiUrl();

export default defineConfig({
  plugins: [react(), guardFirstLoad(), recordBuiltApiUrl(apiUrl)],
  define: { "import.meta.env.VITE_MFC_API_URL": JSON.stringify(apiUrl) },
  server: { port: backend.appPort, strictPort: true },
  preview: { port: backend.previewPort, strictPort: true },
  build: {
    sourcemap: false,
    // dist/.vite/manifest.json: `npm run bench` reads it to measure what the first page needs.
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      treeshake: { moduleSideEffects: PURE_UNLESS_USED.map((test) => ({ test, sideEffects: false })) },
      // Both recommended by rolldown when groups do not include dependencies: chunks stay valid.
      preserveEntrySignatures: "allow-extension",
      output: {
        strictExecutionOrder: true,
        // Left to itself the bundler may fold its small runtime (shared by every chunk) into the chunk of a
        // CommonJS library such as papaparse, which then loads with the first page. Pin the runtime and the
        // heavy feature libraries to chunks of their own so they load only with the pages that use them.
        codeSplitting: {
          // A group must not drag in what its modules depend on: recharts depends on react, and a "recharts"
          // chunk holding react would be imported by every page, first load included.
          includeDependenciesRecursively: false,
          groups: [
            { name: "rolldown-runtime", test: /rolldown[\\/]runtime/, priority: 3 },
            { name: "papaparse", test: /node_modules[\\/]papaparse[\\/]/, priority: 2 },
            { name: "jszip", test: /node_modules[\\/]jszip[\\/]/, priority: 2 },
            { name: "recharts", test: /node_modules[\\/]recharts[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
});
