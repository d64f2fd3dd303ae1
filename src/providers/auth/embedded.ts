import type { AuthProvider } from "@refinedev/core";
import { t } from "../../i18n/provider";
import { isSessionEndedError, sessionEnded, signInFailed } from "./sessionErrors";
import { createCurrentStaffLoader, type StaffIdentity } from "./staff";

/** A demo staff member the embedded server lets you sign in as (GET /embedded/v1/staff). */
export interface EmbeddedStaffOption {
  email: string;
  display_name: string;
  roles: string[];
}

interface StoredSession {
  accessToken: string;
  expiresAtMs: number;
  email: string;
}

export const EMBEDDED_SESSION_KEY = "m-factory.embedded-session";

async function readErrorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown; error?: unknown };
    if (typeof body.message === "string") return body.message;
    if (typeof body.error === "string") return body.error;
  } catch {
    // Not JSON: fall back to the status line.
  }
  return `${response.status} ${response.statusText}`.trim();
}

/** `expires_at` may be Unix seconds (Supabase's shape), milliseconds or an ISO timestamp. */
export function parseExpiresAt(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === "string" && value.trim() !== "") {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return parseExpiresAt(asNumber);
    const parsed = Date.parse(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new Error(t("auth.embedded.noExpiry"));
}

export async function fetchEmbeddedStaff(apiUrl: string): Promise<EmbeddedStaffOption[]> {
  const response = await globalThis.fetch(`${apiUrl}/embedded/v1/staff`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(t("auth.embedded.staffListFailed", { reason: await readErrorMessage(response) }));
  const body = (await response.json()) as unknown;
  const list = Array.isArray(body) ? body : (body as { staff?: unknown })?.staff;
  if (!Array.isArray(list)) throw new Error(t("auth.embedded.staffListUnexpected"));
  return list.map((item) => {
    const row = item as Record<string, unknown>;
    return {
      email: String(row.email ?? ""),
      display_name: String(row.display_name ?? row.email ?? ""),
      roles: Array.isArray(row.roles) ? row.roles.map(String) : [],
    };
  });
}

export interface EmbeddedAuthOptions {
  apiUrl: string;
  storage: Storage;
  /** Asks the database who the current token belongs to (RPC current_staff). */
  lookupStaff: () => Promise<StaffIdentity | null>;
  now?: () => number;
  /** Called after sign-in and sign-out so cached rows of the previous person are dropped. */
  onSessionChange?: () => void;
}

export function createEmbeddedAuth({ apiUrl, storage, lookupStaff, now = Date.now, onSessionChange }: EmbeddedAuthOptions) {
  function readSession(): StoredSession | null {
    const raw = storage.getItem(EMBEDDED_SESSION_KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof parsed.accessToken !== "string" || typeof parsed.expiresAtMs !== "number") throw new Error("bad");
      if (parsed.expiresAtMs <= now()) {
        storage.removeItem(EMBEDDED_SESSION_KEY);
        return null;
      }
      return { accessToken: parsed.accessToken, expiresAtMs: parsed.expiresAtMs, email: String(parsed.email ?? "") };
    } catch {
      storage.removeItem(EMBEDDED_SESSION_KEY);
      return null;
    }
  }

  const getAccessToken = async () => readSession()?.accessToken ?? null;
  const staff = createCurrentStaffLoader(lookupStaff, getAccessToken);

  function endSession() {
    storage.removeItem(EMBEDDED_SESSION_KEY);
    staff.reset();
    onSessionChange?.();
  }

  const authProvider: AuthProvider = {
    login: async (params: { email?: unknown }) => {
      const email = typeof params?.email === "string" ? params.email.trim().toLowerCase() : "";
      if (!email) return signInFailed(t("auth.embedded.chooseStaff"));
      let response: Response;
      try {
        response = await globalThis.fetch(`${apiUrl}/embedded/v1/token`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ email }),
        });
      } catch (cause) {
        const detail = cause instanceof Error ? cause.message : String(cause);
        return signInFailed(t("auth.embedded.serverNotReachable", { detail }));
      }
      if (!response.ok) {
        return signInFailed(await readErrorMessage(response));
      }
      try {
        const body = (await response.json()) as { access_token?: unknown; expires_at?: unknown };
        if (typeof body.access_token !== "string" || body.access_token === "") throw new Error(t("auth.embedded.noAccessToken"));
        const session: StoredSession = { accessToken: body.access_token, expiresAtMs: parseExpiresAt(body.expires_at), email };
        staff.reset();
        onSessionChange?.();
        storage.setItem(EMBEDDED_SESSION_KEY, JSON.stringify(session));
      } catch (cause) {
        return signInFailed(cause instanceof Error ? cause.message : String(cause));
      }
      return { success: true, redirectTo: "/" };
    },
    logout: async () => {
      endSession();
      return { success: true, redirectTo: "/login" };
    },
    check: async () => {
      if (readSession()) return { authenticated: true };
      return { authenticated: false, logout: true, redirectTo: "/login" };
    },
    // A rejected token ends the session; a 403 is a permission answer and is shown where it happened.
    onError: async (error: unknown) => {
      if (isSessionEndedError(error)) {
        endSession();
        return sessionEnded();
      }
      return {};
    },
    getIdentity: async () => staff.load(),
    getPermissions: async () => (await staff.load())?.roles ?? [],
  };

  return {
    authProvider,
    /** The token supabase-js sends; null once expired, so an old token is never replayed. */
    getAccessToken,
    /** Milliseconds until the session expires, or null when signed out. */
    msUntilExpiry: () => {
      const session = readSession();
      return session ? session.expiresAtMs - now() : null;
    },
  };
}
export type EmbeddedAuth = ReturnType<typeof createEmbeddedAuth>;
