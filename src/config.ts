/**
 * Which backend the console talks to. Three variables all set → production (Clerk + a Supabase project);
 * none set → the embedded server `npm run dev` starts (on Supabase's local port unless MFC_API_PORT moves it; the
 * build gets its URL as VITE_MFC_API_URL, see vite.config.ts). Anything in between is a mistake we surface on
 * screen rather than guessing which half the operator meant.
 */
import { t } from "./i18n/provider";

export const DEFAULT_EMBEDDED_SUPABASE_URL = "http://127.0.0.1:54321";
// The embedded server authenticates by the bearer token only; supabase-js still insists on some key.
export const EMBEDDED_ANON_KEY = "embedded-anon-key-placeholder";

export const CONFIG_VARIABLES = ["VITE_SUPABASE_URL", "VITE_SUPABASE_ANON_KEY", "VITE_CLERK_PUBLISHABLE_KEY"] as const;
export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

export type AppConfig =
  | { mode: "embedded"; supabaseUrl: string; supabaseAnonKey: string }
  | { mode: "production"; supabaseUrl: string; supabaseAnonKey: string; clerkPublishableKey: string };

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; missing: ConfigVariable[]; message: string };

type EnvLike = Partial<Record<string, string | boolean | undefined>>;

function readVariable(env: EnvLike, name: string): string | undefined {
  const raw = env[name];
  if (typeof raw !== "string") return undefined;
  const trimmed = raw.trim();
  return trimmed === "" ? undefined : trimmed;
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export function resolveConfig(env: EnvLike): ConfigResult {
  const values = CONFIG_VARIABLES.map((name) => [name, readVariable(env, name)] as const);
  const missing = values.filter(([, value]) => value === undefined).map(([name]) => name);

  if (missing.length === CONFIG_VARIABLES.length) {
    const embeddedUrl = readVariable(env, "VITE_MFC_API_URL") ?? DEFAULT_EMBEDDED_SUPABASE_URL;
    if (!isUrl(embeddedUrl)) {
      return { ok: false, missing: [], message: t("common.config.embeddedUrlInvalid", { url: embeddedUrl }) };
    }
    return {
      ok: true,
      config: { mode: "embedded", supabaseUrl: embeddedUrl.replace(/\/+$/, ""), supabaseAnonKey: EMBEDDED_ANON_KEY },
    };
  }
  if (missing.length > 0) {
    return {
      ok: false,
      missing,
      message: t("common.config.incomplete", { count: missing.length, names: missing.join(", "), all: CONFIG_VARIABLES.join(", ") }),
    };
  }

  const supabaseUrl = readVariable(env, "VITE_SUPABASE_URL") as string;
  if (!isUrl(supabaseUrl)) return { ok: false, missing: [], message: t("common.config.supabaseUrlInvalid", { url: supabaseUrl }) };
  return {
    ok: true,
    config: {
      mode: "production",
      supabaseUrl: supabaseUrl.replace(/\/+$/, ""),
      supabaseAnonKey: readVariable(env, "VITE_SUPABASE_ANON_KEY") as string,
      clerkPublishableKey: readVariable(env, "VITE_CLERK_PUBLISHABLE_KEY") as string,
    },
  };
}

/** The configuration of this build, read once from Vite's environment. */
export const appConfig: ConfigResult = resolveConfig(import.meta.env as EnvLike);
