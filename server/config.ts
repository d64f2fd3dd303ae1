/**
 * Where the embedded backend keeps its data and which ports the stack uses, resolved once for the server, the CLIs,
 * Vite, the bench and e2e. MFC_DATA_DIR overrides the default `.data/` (e2e and bench use their own); DATABASE_URL
 * switches to a real Postgres; MFC_API_PORT, MFC_APP_PORT and MFC_STRIPE_SANDBOX_PORT move the ports.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Supabase's local API port, so the console's defaults match a Supabase project's local setup. */
export const DEFAULT_API_PORT = 54321;
export const DEFAULT_APP_PORT = 5173;
export const DEFAULT_PREVIEW_PORT = 4173;

export interface BackendConfig {
  /** Folder for the JWT secret and, on PGlite, the database files. */
  dataDir: string;
  /** PGlite data directory (inside dataDir). */
  pgliteDir: string;
  /** Set when a real Postgres is used instead of PGlite. */
  databaseUrl: string | undefined;
  /** The embedded API's port on 127.0.0.1 (MFC_API_PORT); 0 = a free one. */
  port: number;
  /** The console's port under `npm run dev` (MFC_APP_PORT). */
  appPort: number;
  /** The console's port under `npm run preview` (MFC_APP_PORT too). */
  previewPort: number;
  /** Port of the local Stripe sandbox (MFC_STRIPE_SANDBOX_PORT); 0 = a free one. */
  stripeSandboxPort: number;
}

function parsePort<Fallback extends number | null>(env: NodeJS.ProcessEnv, name: string, fallback: Fallback, allowZero: boolean): number | Fallback {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= (allowZero ? 0 : 1) && port <= 65535)) {
    throw new Error(`${name} must be a port number from ${allowZero ? "0 (a free one)" : "1"} to 65535, got "${raw}"`);
  }
  return port;
}

export function resolveBackendConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  const dataDir = path.resolve(repoRoot, env.MFC_DATA_DIR || ".data");
  // One port for the console under dev and preview alike when set.
  const appPort = parsePort(env, "MFC_APP_PORT", null, false);
  return {
    dataDir,
    pgliteDir: path.join(dataDir, "pglite"),
    databaseUrl: env.DATABASE_URL || undefined,
    port: parsePort(env, "MFC_API_PORT", DEFAULT_API_PORT, true),
    appPort: appPort ?? DEFAULT_APP_PORT,
    previewPort: appPort ?? DEFAULT_PREVIEW_PORT,
    stripeSandboxPort: parsePort(env, "MFC_STRIPE_SANDBOX_PORT", 0, true),
  };
}

/** The embedded API's base URL on a port. */
export function apiUrlFor(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * The API URL built into the app (`import.meta.env.VITE_MFC_API_URL`, read by src/config.ts): the one `npm run dev`
 * hands over once its server listens, else the one MFC_API_PORT names. Port 0 (a free one) is only known at start.
 */
export function appApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const handedOver = env.VITE_MFC_API_URL?.trim();
  if (handedOver) return handedOver;
  const { port } = resolveBackendConfig(env);
  if (port === 0) {
    throw new Error("MFC_API_PORT=0 picks a free port when the server starts, so the app cannot be built for it: start the stack with npm run dev, or give a fixed port");
  }
  return apiUrlFor(port);
}

/** Where a build (in dist/) records the API URL it has built in; `npm run preview` refuses a server elsewhere. */
export const BUILT_API_URL_FILE = ".vite/embedded-api-url.json";

/** The browser origins the console is served from (dev and preview, by name and by address): the API's CORS list. */
export function appOrigins(config: Pick<BackendConfig, "appPort" | "previewPort">): string[] {
  const ports = [...new Set([config.appPort, config.previewPort])];
  return ports.flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
}

type PortUser = "api" | "app" | "preview" | "stripe";

const PORT_USERS: Record<PortUser, { what: string; variable: string; commonly: string }> = {
  api: {
    what: "the embedded API",
    variable: "MFC_API_PORT",
    commonly: "Supabase's own local stack (`supabase start` listens on 54321 too) or another `npm run dev`",
  },
  app: { what: "the console (Vite)", variable: "MFC_APP_PORT", commonly: "another `npm run dev` or Vite project" },
  preview: { what: "the console preview (Vite)", variable: "MFC_APP_PORT", commonly: "another `npm run preview` or Vite project" },
  stripe: { what: "the local Stripe sandbox", variable: "MFC_STRIPE_SANDBOX_PORT", commonly: "another `npm run dev`" },
};

/**
 * What to say when a port is taken: which port, what usually holds it, and the exact command that picks another.
 * `command` is how the stack was started (default: this process's npm script, else `npm run dev` / `npm run preview`).
 */
export function portTakenMessage(port: number, user: PortUser, command = npmScriptOfThisProcess() ?? (user === "preview" ? "npm run preview" : "npm run dev")): string {
  const { what, variable, commonly } = PORT_USERS[user];
  // A nearby port (54321 → 54331, 5173 → 5183); the sandbox can simply take a free one.
  const other = user === "stripe" ? 0 : port + 10 <= 65535 ? port + 10 : port - 10;
  return `Port ${port} for ${what} is already in use — often by ${commonly}. ` +
    `Stop that, or pick another port: ${variable}=${other} ${command}`;
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

function npmScriptOfThisProcess(): string | null {
  const command = commandOfThisProcess();
  return command.startsWith("npm run ") ? command : null;
}
