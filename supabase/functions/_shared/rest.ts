/**
 * Calls the project's REST API (PostgREST) from a function, web-standard fetch only.
 * With the caller's Authorization the database applies the caller's RLS — that is how a function
 * verifies who is calling; with the service role key it acts as the server (never expose that key).
 */
import { getFunctionEnv } from "./env.ts";

export class RestCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RestCallError";
  }
}

export type Credentials = { authorization: string } | { serviceRole: true };

function requireEnv(name: "SUPABASE_URL" | "SUPABASE_ANON_KEY" | "SUPABASE_SERVICE_ROLE_KEY"): string {
  const value = getFunctionEnv(name);
  if (!value) throw new RestCallError(500, "config", `${name} is not set for this function`);
  return value;
}

/** POST /rest/v1/rpc/<fn> with named arguments; returns the parsed JSON (null for 204). */
export async function callRpc<T>(fn: string, args: Record<string, unknown>, credentials: Credentials): Promise<T | null> {
  const base = requireEnv("SUPABASE_URL").replace(/\/+$/, "");
  const apikey = "serviceRole" in credentials ? requireEnv("SUPABASE_SERVICE_ROLE_KEY") : requireEnv("SUPABASE_ANON_KEY");
  const authorization = "serviceRole" in credentials ? `Bearer ${apikey}` : credentials.authorization;
  const response = await fetch(`${base}/rest/v1/rpc/${encodeURIComponent(fn)}`, {
    method: "POST",
    headers: { apikey, Authorization: authorization, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  if (!response.ok) {
    let code = String(response.status);
    let message = text;
    try {
      const body = JSON.parse(text) as { code?: unknown; message?: unknown };
      if (typeof body.code === "string") code = body.code;
      if (typeof body.message === "string") message = body.message;
    } catch {
      // not JSON: keep the raw text
    }
    throw new RestCallError(response.status, code, message);
  }
  return text === "" ? null : (JSON.parse(text) as T);
}

/** The caller's Authorization header, or a 401 RestCallError when there is none. */
export function callerAuthorization(req: Request): string {
  const authorization = req.headers.get("authorization");
  if (!authorization || !/^Bearer\s+\S+$/i.test(authorization)) {
    throw new RestCallError(401, "unauthorized", "Missing Authorization: Bearer <token>");
  }
  return authorization;
}
