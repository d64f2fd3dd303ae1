import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Two projects: node (database, server, pure logic) and jsdom (React components).
// Database suites start PGlite (WASM) per file; two workers match the two cores.
export default defineConfig({
  plugins: [react()],
  test: {
    globals: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["tests/**/*.test.ts", "server/**/*.test.ts", "src/**/*.test.ts", "supabase/functions/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "components",
          environment: "jsdom",
          include: ["src/**/*.test.tsx"],
          setupFiles: ["src/test/setup.ts"],
          // Refine's packages must share the app's react-router instance (externalised they load a second copy).
          server: { deps: { inline: [/@refinedev\//] } },
        },
      },
    ],
  },
});
