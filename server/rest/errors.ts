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

/** PostgREST's SQLSTATE → HTTP status table (docs: "HTTP status codes" / errors reference). */
export function statusForSqlState(code: string, role: string): number {
  if (code === "42501") return role === "anon" ? 401 : 403;
  if (code.startsWith("PT")) return statusForPtCode(code);
  const exact: Record<string, number> = {
    "23503": 409, "23505": 409, "25006": 405, "P0001": 400, "42883": 404, "42P01": 404, "42P17": 500,
  };
  if (exact[code] !== undefined) return exact[code];
  const byClass: Record<string, number> = {
    "08": 503, "09": 500, "0L": 403, "0P": 403, "25": 500, "28": 403, "2D": 500, "38": 500, "39": 500,
    "3B": 500, "40": 500, "53": 503, "54": 500, "55": 500, "57": 500, "58": 500, F0: 500, HV: 500, P0: 500, XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
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
  const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
  return new ApiError(statusForSqlState(err.code, role), err.code, err.message, text(err.detail), text(err.hint));
}

/** Anything unexpected: a 500 that does not leak internals beyond the message. */
export function toApiError(err: unknown, role: string): ApiError {
  if (err instanceof ApiError) return err;
  if (isPgError(err)) return fromPgError(err, role);
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(500, "PGRST000", `Internal server error: ${message}`);
}
