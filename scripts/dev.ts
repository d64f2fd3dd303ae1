/**
 * `npm run dev`: the embedded backend (unless a Supabase project is configured) and Vite, in one process.
 * `npm run preview`: the same with the built app (`npm run build` first).
 */
import { createServer, preview, loadEnv } from "vite";
import { repoRoot } from "../server/config.ts";

const isPreview = process.argv.includes("--preview");
const env = { ...loadEnv(isPreview ? "production" : "development", repoRoot, "VITE_"), ...process.env };
const useSupabaseProject = Boolean(env.VITE_SUPABASE_URL);

const closers: Array<() => Promise<unknown>> = [];
async function shutdown(code: number): Promise<never> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  if (useSupabaseProject) {
    console.log(`Backend: Supabase project at ${env.VITE_SUPABASE_URL} (embedded server not started)`);
  } else {
    const { startEmbeddedServer } = await import("../server/index.ts");
    const started = Date.now();
    const api = await startEmbeddedServer({
      log: (msg: string) => console.log(`[api] ${msg}`),
      // Refunds settle by themselves shortly after they are sent, so the console shows pending → succeeded
      // arriving through the signed webhook, as with Stripe.
      stripeSandboxOptions: { autoSucceedRefundsAfterMs: 1500 },
    });
    closers.push(() => api.close());
    console.log(`[api] embedded Supabase-compatible server on ${api.url} (${Date.now() - started} ms)`);
    // The server has logged the sandbox's address, seed and webhook URL ("[api] Stripe: local sandbox on …").
    console.log(
      api.stripeSandbox ? "Stripe: sandbox refunds settle by themselves 1.5 s after they are sent" : "Stripe: STRIPE_SECRET_KEY from the environment (no local sandbox)",
    );
  }

  if (isPreview) {
    const server = await preview({ root: repoRoot });
    closers.push(() => server.close());
    server.printUrls();
  } else {
    const server = await createServer({ root: repoRoot });
    await server.listen();
    closers.push(() => server.close());
    server.printUrls();
  }
  console.log("Console ready. Sign in with one of the demo staff accounts listed on the sign-in page.");
} catch (err) {
  console.error(`\nCould not start: ${(err as Error).message}`);
  await shutdown(1);
}
