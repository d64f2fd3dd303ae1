/**
 * Maps a failed REST/RPC call to the function's answer: a refusal (the same call would be refused again) is a 4xx,
 * a database that failed or could not be reached is a 502, so only what can change on a retry is answered as such.
 *
 * The REST API's own 4xx status decides first: PostgREST's (400, 401, 403, 404, 409 …) and a SQL function's chosen
 * one (unknown ids `PT404` → 404, wrong states `PT409` → 409). A 5xx is read by its SQLSTATE only for the codes
 * below, which are refusals whatever status carried them; any other 5xx is a 502.
 */
import { RestCallError } from "./rest.ts";
import { errorJson } from "./http.ts";

/**
 * 42501 not allowed, 22023/22P02 bad argument, 23505 key reused differently; P0002 (no such row) and 55000 (wrong
 * state) in case Postgres itself raises them inside a function, which PostgREST 12 answers with 500.
 */
const STATUS_BY_SQLSTATE: Record<string, number> = {
  "42501": 403,
  "22023": 400,
  "22P02": 400,
  P0002: 404,
  "23505": 409,
  "55000": 409,
};

/** The HTTP status for an RPC error made with the caller's token. */
export function rpcErrorStatus(err: RestCallError): number {
  // PostgREST's JWT errors (PGRST301 …) and a missing Authorization are the caller's problem: 401.
  if (err.status === 401 || /^PGRST30\d$/.test(err.code)) return 401;
  if (err.status >= 400 && err.status < 500) return err.status;
  return STATUS_BY_SQLSTATE[err.code] ?? 502;
}

export function rpcErrorResponse(err: RestCallError): Response {
  return errorJson(rpcErrorStatus(err), err.code, err.message);
}

/** Why a call made with the service role (recording Stripe's answers) failed, and how to answer it. */
export interface RecordFailure {
  /** 409: the database refused the values (the same call would be refused again); 502: try again later. */
  status: 409 | 502;
  code: "record_refused" | "record_failed" | "database_unavailable";
  /** `<code>: <message>` from the database, or that it did not answer. */
  detail: string;
}

export function recordFailure(err: unknown): RecordFailure {
  if (!(err instanceof RestCallError)) return { status: 502, code: "database_unavailable", detail: "the database did not answer" };
  const status = rpcErrorStatus(err);
  const detail = `${err.code}: ${err.message}`;
  // 401/403 here mean this function's own service key was refused: a deployment error that a retry after the fix
  // gets past, not a refusal of the values.
  if (status < 500 && status !== 401 && status !== 403) return { status: 409, code: "record_refused", detail };
  return { status: 502, code: "record_failed", detail };
}

export { RestCallError };
