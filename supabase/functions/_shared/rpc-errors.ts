/**
 * Maps a failed REST/RPC call (RestCallError carrying the SQLSTATE or PostgREST code) to the function's answer.
 * The SQLSTATEs are the ones every money function uses: 42501 not allowed, 22023 bad argument, 23505 idempotency
 * key reused differently. Unknown ids (PT404) and wrong states (PT409) already arrive as 404 and 409: the
 * database picks those statuses itself (PostgREST's `PTnnn` codes), so the status PostgREST answered is kept.
 */
import { RestCallError } from "./rest.ts";
import { errorJson } from "./http.ts";

const STATUS_BY_SQLSTATE: Record<string, number> = {
  "42501": 403,
  "22023": 400,
  "22P02": 400,
  "23505": 409,
};

/** The HTTP status for an RPC error made with the caller's token. */
export function rpcErrorStatus(err: RestCallError): number {
  const mapped = STATUS_BY_SQLSTATE[err.code];
  if (mapped) return mapped;
  // PostgREST's JWT errors (PGRST301 …) and a missing Authorization are the caller's problem: 401.
  if (err.status === 401 || /^PGRST30\d$/.test(err.code)) return 401;
  if (err.status === 403) return 403;
  return err.status >= 400 && err.status < 500 ? err.status : 500;
}

export function rpcErrorResponse(err: RestCallError): Response {
  return errorJson(rpcErrorStatus(err), err.code, err.message);
}

export { RestCallError };
