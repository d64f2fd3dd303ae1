/**
 * Where the embedded backend keeps its data, resolved once for the server, the CLIs, the bench and e2e.
 * MFC_DATA_DIR overrides the default `.data/` (e2e and bench use their own); DATABASE_URL switches to a real Postgres.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface BackendConfig {
  /** Folder for the JWT secret and, on PGlite, the database files. */
  dataDir: string;
  /** PGlite data directory (inside dataDir). */
  pgliteDir: string;
  /** Set when a real Postgres is used instead of PGlite. */
  databaseUrl: string | undefined;
  port: number;
  /** Port of the local Stripe sandbox (MFC_STRIPE_SANDBOX_PORT); 0 = a free one. */
  stripeSandboxPort: number;
}

export function resolveBackendConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  const dataDir = path.resolve(repoRoot, env.MFC_DATA_DIR || ".data");
  return {
    dataDir,
    pgliteDir: path.join(dataDir, "pglite"),
    databaseUrl: env.DATABASE_URL || undefined,
    port: Number(env.MFC_API_PORT || 54321),
    stripeSandboxPort: Number(env.MFC_STRIPE_SANDBOX_PORT || 0),
  };
}

/**
 * How this process was started: "npm run dev" when npm started it for that script (npm's variables are inherited
 * by every child, so they count only when the script's command names this process's file), else its command line.
 */
export function commandOfThisProcess(): string {
  const file = process.argv[1] ? path.relative(process.cwd(), process.argv[1]) || process.argv[1] : "";
  const { npm_lifecycle_event: event, npm_lifecycle_script: script } = process.env;
  if (event && file && script?.includes(file)) return `npm run ${event}`;
  return [path.basename(process.argv0), ...process.execArgv, file, ...process.argv.slice(2)].filter(Boolean).join(" ");
}
