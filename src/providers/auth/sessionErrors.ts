import type { AuthActionResponse, OnErrorResponse } from "@refinedev/core";
import { t } from "../../i18n/provider";

/** A failed sign-in as Refine's login expects it, the same for every sign-in mode. */
export const signInFailed = (message: string): AuthActionResponse => ({ success: false, error: { name: t("auth.failed"), message } });

/** What onError answers when the token is no longer accepted: sign out, and say why on the sign-in page. */
export const sessionEnded = (): OnErrorResponse => ({ logout: true, redirectTo: "/login", error: new Error(t("auth.sessionEnded")) });

// PostgREST's JWT error codes (invalid, missing, claims/expiry); supabase-js surfaces only the body's code,
// so these stand in for the HTTP 401 the dataProvider does not pass on.
const SESSION_ENDED_CODES = new Set(["PGRST301", "PGRST302", "PGRST303"]);

/** True when a data/auth error means the token is no longer accepted and the session is over. */
export function isSessionEndedError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { statusCode, status, code } = error as { statusCode?: unknown; status?: unknown; code?: unknown };
  if (Number(statusCode) === 401 || Number(status) === 401) return true;
  return typeof code === "string" && SESSION_ENDED_CODES.has(code);
}
