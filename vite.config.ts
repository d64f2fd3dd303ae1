import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Packages that Refine's single-file bundles import for features the console does not use from them
// (CSV import/export, markdown fields). They have no import-time effects, so declaring that lets the
// bundler drop them when unused instead of shipping them in the first load. Later features that import
// papaparse themselves still get it, in their own lazy chunk.
const PURE_UNLESS_USED = [/node_modules\/papaparse\//, /node_modules\/react-markdown\//, /node_modules\/remark-gfm\//];

// The embedded backend listens on 54321 (Supabase's local port); the app itself on 5173.
export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      treeshake: { moduleSideEffects: PURE_UNLESS_USED.map((test) => ({ test, sideEffects: false })) },
    },
  },
});
