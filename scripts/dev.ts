/**
 * `npm run dev`: the embedded backend (unless a Supabase project is configured) and Vite, in one process.
 * `npm run preview`: the same with the built app (`npm run build` first).
 * MFC_API_PORT and MFC_APP_PORT move the API and the app; the app is handed the API's actual URL.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createServer, preview, loadEnv } from "vite";
import { apiUrlFor, BUILT_API_URL_FILE, portTakenMessage, repoRoot, resolveBackendConfig } from "../server/config.ts";

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

/** A build has the embedded API's URL built in: preview refuses to start a server the built app would not reach. */
function assertBuiltForApi(apiUrl: string): void {
  const file = path.join(repoRoot, "dist", BUILT_API_URL_FILE);
  if (!existsSync(file)) return;
  const built = (JSON.parse(readFileSync(file, "utf8")) as { apiUrl?: string }).apiUrl;
  if (built && built !== apiUrl) {
    throw new Error(`dist/ was built for the API at ${built}, but this preview would start it at ${apiUrl}: build again with the same MFC_API_PORT (npm run build), or preview with the port the build used`);
  }
}

try {
  const config = resolveBackendConfig();
  if (useSupabaseProject) {
    console.log(`Backend: Supabase project at ${env.VITE_SUPABASE_URL} (embedded server not started)`);
  } else {
    if (isPreview) {
      if (config.port === 0) throw new Error("npm run preview needs a fixed MFC_API_PORT: the build has the API's URL built in");
      assertBuiltForApi(apiUrlFor(config.port));
    }
    const { startEmbeddedServer } = await import("../server/index.ts");
    const started = Date.now();
    const api = await startEmbeddedServer({
      log: (msg: string) => console.log(`[api] ${msg}`),
      // Refunds settle by themselves shortly after they are sent, so the console shows pending → succeeded
      // arriving through the signed webhook, as with Stripe.
      stripeSandboxOptions: { autoSucceedRefundsAfterMs: 1500 },
    });
    closers.push(() => api.close());
    // vite.config.ts builds this into the app (also when MFC_API_PORT=0 picked a free port).
    process.env.VITE_MFC_API_URL = api.url;
    console.log(`[api] embedded Supabase-compatible server on ${api.url} (${Date.now() - started} ms)`);
    // The server has logged the sandbox's address, seed and webhook URL ("[api] Stripe: local sandbox on …").
    console.log(
      api.stripeSandbox ? "Stripe: sandbox refunds settle by themselves 1.5 s after they are sent" : "Stripe: STRIPE_SECRET_KEY from the environment (no local sandbox)",
    );
  }

  try {
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
  } catch (err) {
    // Vite's own words are "Port 5173 is already in use"; say what else to do.
    const taken = /Port (\d+) is already in use/.exec((err as Error).message);
    throw taken ? new Error(portTakenMessage(Number(taken[1]), isPreview ? "preview" : "app")) : err;
  }
  console.log("Console ready. Sign in with one of the demo staff accounts listed on the sign-in page.");
} catch (err) {
  console.error(`\nCould not start: ${(err as Error).message}`);
  await shutdown(1);
}
