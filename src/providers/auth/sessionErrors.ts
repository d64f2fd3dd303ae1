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
