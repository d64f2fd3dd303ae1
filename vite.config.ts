import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The embedded backend listens on 54321 (Supabase's local port); the app itself on 5173.
export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: { sourcemap: false, chunkSizeWarningLimit: 1500 },
});
