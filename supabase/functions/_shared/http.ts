/** Small response helpers shared by the function handlers (web-standard only). */
export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "authorization, x-client-info, apikey, content-type",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...CORS_HEADERS, ...headers },
  });
}

/** The preflight answer Supabase's docs recommend handling inside each function. */
export function preflight(req: Request): Response | null {
  return req.method === "OPTIONS" ? new Response(null, { status: 204, headers: CORS_HEADERS }) : null;
}

/** Every error answer is `{code, message}`; `extra` adds what names the problem further (e.g. `field`). */
export function errorJson(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return json({ ...extra, code, message }, status);
}

/** The request body as JSON, or a 400 `malformed_json` answer that says what was expected. */
export async function readJsonBody(req: Request, expected: string): Promise<{ body: unknown } | Response> {
  const text = await req.text();
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return errorJson(400, "malformed_json", `The body must be JSON: ${expected}`);
  }
}
