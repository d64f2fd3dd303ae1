/**
 * Errors in PostgREST's JSON shape and with its HTTP status mapping, so supabase-js and
 * Refine see exactly what they would see from a Supabase project.
 */
export interface ApiErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string | null;
  readonly hint: string | null;
  /** Extra response headers (a `raise sqlstate 'PGRST'` may set them). */
  headers: Record<string, string> = {};
  /** HTTP reason phrase, when not the standard one. */
  statusText: string | null = null;

  constructor(status: number, code: string, message: string, details: string | null = null, hint: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, details: this.details, hint: this.hint };
  }
}

/** PGRST100-style request parse errors: 400 and a message naming the part that could not be read. */
export const parseError = (message: string, details: string | null = null): ApiError =>
  new ApiError(400, "PGRST100", message, details);

/** Syntax or options this server knowingly does not implement; never ignored silently. */
export const unsupported = (what: string): ApiError =>
  new ApiError(400, "PGRST100", `Unsupported by the embedded server: ${what}`, null,
    "The embedded server implements the PostgREST subset the console uses; see server/rest/README.md");

/** Thrown when an identifier is not in the catalog; the handler refreshes the catalog once and retries. */
export class CatalogMissError extends ApiError {}

export const unknownColumn = (relation: string, column: string): CatalogMissError =>
  new CatalogMissError(400, "42703", `column ${relation}.${column} does not exist`);

export const unknownRelation = (relation: string): CatalogMissError =>
  new CatalogMissError(404, "PGRST205", `Could not find the table 'public.${relation}' in the schema cache`);

interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
}

export function isPgError(err: unknown): err is PgErrorLike & { code: string; message: string } {
  return (
    typeof err === "object" && err !== null && typeof (err as PgErrorLike).code === "string" &&
    /^[0-9A-Z]{5}$/.test((err as PgErrorLike).code as string) && typeof (err as PgErrorLike).message === "string"
  );
}

/** PostgREST 12's SQLSTATE → HTTP status table (`pgErrorStatus` in its Error.hs), for errors Postgres raised. */
export function statusForSqlState(code: string, role: string, message = ""): number {
  if (code === "42501") return role === "anon" ? 401 : 403;
  if (code.startsWith("PT")) return statusForPtCode(code);
  if (code === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500; // pg-safeupdate vs a real fault
  if (code === "42883") return message.startsWith("function xmlagg(") ? 406 : 404;
  const exact: Record<string, number> = {
    "23503": 409, "23505": 409, "25006": 405, "53400": 500, "57P01": 503, "P0001": 400, "42P01": 404, "42P17": 500,
  };
  if (exact[code] !== undefined) return exact[code];
  const byClass: Record<string, number> = {
    "08": 503, "09": 500, "0L": 403, "0P": 403, "25": 500, "28": 403, "2D": 500, "38": 500, "39": 500,
    "3B": 500, "40": 500, "53": 503, "54": 500, "55": 500, "57": 500, "58": 500, F0: 500, HV: 500, P0: 500, XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

/** A reason phrase Node can send: the message of a PTxxx refusal, as PostgREST uses it, when it is plain Latin-1. */
function reasonPhrase(message: string): string | null {
  return message !== "" && message.length <= 200 && /^[\x20-\x7e\xa0-\xff]*$/.test(message) ? message : null;
}

/**
 * `raise sqlstate 'PGRST' using message = '{"code":…,"message":…}', detail = '{"status":…,"headers":{…}}'`:
 * PostgREST's way for a function to choose the whole answer. A malformed one is PostgREST's PGRST121 (500).
 */
function fromPgrstRaise(message: string, detail: unknown): ApiError {
  const parse = (text: string): Record<string, unknown> | null => {
    try {
      const value = JSON.parse(text) as unknown;
      return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const parseFailure = (details: string, hint: string): ApiError =>
    new ApiError(500, "PGRST121", `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`, details, hint);
  const body = parse(message);
  if (!body || typeof body.code !== "string" || typeof body.message !== "string") {
    return parseFailure(`Invalid JSON value for MESSAGE: '${message}'`,
      "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.");
  }
  const detailHint = "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.";
  if (typeof detail !== "string" || detail === "") return parseFailure("DETAIL is missing in the RAISE statement", detailHint);
  const control = parse(detail);
  const headers = control?.headers;
  if (!control || typeof control.status !== "number" || typeof headers !== "object" || headers === null || Array.isArray(headers)
      || !Object.values(headers).every((v) => typeof v === "string")) {
    return parseFailure(`Invalid JSON value for DETAIL: '${detail}'`, detailHint);
  }
  const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
  const err = new ApiError(control.status, body.code, body.message, text(body.details), text(body.hint));
  err.headers = headers as Record<string, string>;
  err.statusText = text(control.status_text);
  return err;
}

/**
 * `raise sqlstate 'PT404'` (or `using errcode = 'PT409'`): the function chooses its HTTP status, as PostgREST allows.
 * PostgREST reads the three characters after PT as a number and answers 500 when they are not one. A number
 * below 100 (PT000–PT099) is no HTTP status Node can send, so it is a 500 here too.
 */
function statusForPtCode(code: string): number {
  const digits = code.slice(2);
  const status = /^\d{3}$/.test(digits) ? Number(digits) : NaN;
  return status >= 100 ? status : 500;
}

export function fromPgError(err: PgErrorLike & { code: string; message: string }, role: string): ApiError {
  if (err.code === "PGRST") return fromPgrstRaise(err.message, err.detail);
  const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
  const apiError = new ApiError(statusForSqlState(err.code, role, err.message), err.code, err.message, text(err.detail), text(err.hint));
  if (/^PT\d{3}$/.test(err.code)) apiError.statusText = reasonPhrase(err.message);
  return apiError;
}

/** Anything unexpected: a 500 that does not leak internals beyond the message. */
export function toApiError(err: unknown, role: string): ApiError {
  if (err instanceof ApiError) return err;
  if (isPgError(err)) return fromPgError(err, role);
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(500, "PGRST000", `Internal server error: ${message}`);
}
