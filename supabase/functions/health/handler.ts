/**
 * Liveness of the function runtime: status, server time, runtime, and whether the REST API answers
 * (checked only when SUPABASE_URL is known; a failure there is reported, not thrown), and which Stripe the money
 * functions talk to (`stripe.mode`: sandbox | test | live | not_configured; never the key).
 */
import { getFunctionEnv, runtimeName } from "../_shared/env.ts";
import { errorJson, json, preflight } from "../_shared/http.ts";
import { stripeMode } from "../_shared/stripe-env.ts";

const REST_CHECK_TIMEOUT_MS = 2000;

async function checkRestApi(): Promise<"reachable" | "unreachable" | "not_configured"> {
  const url = getFunctionEnv("SUPABASE_URL");
  const key = getFunctionEnv("SUPABASE_ANON_KEY");
  if (!url || !key) return "not_configured";
  try {
    // Any PostgREST answer (even 404 for an unknown function) proves the API and its database are up.
    const response = await fetch(`${url.replace(/\/+$/, "")}/rest/v1/rpc/health_check_probe`, {
      method: "POST",
      headers: { apikey: key, Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(REST_CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status < 500 ? "reachable" : "unreachable";
  } catch {
    return "unreachable";
  }
}

export default async function handler(req: Request): Promise<Response> {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "GET" && req.method !== "POST") {
    return errorJson(405, "method_not_allowed", `health accepts GET or POST, not ${req.method}`);
  }
  return json({
    status: "ok",
    time: new Date().toISOString(),
    runtime: runtimeName(),
    rest_api: await checkRestApi(),
    stripe: { mode: stripeMode() },
  });
}
