/**
 * One way to call the database and the edge functions, and one way to say what went wrong. Every failed call
 * becomes an RpcError whose message is already the sentence for the person at the screen, worded by the feature
 * (`ErrorWording`) over shared defaults; the code, HTTP status and the database's own sentence stay on the error.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database, Json } from "./database.types";
import { t } from "../i18n/provider";

/** What a failed call told: PostgREST's code (SQLSTATE, PTnnn, PGRSTnnn) or the function's, its HTTP status, its sentence. */
export interface CallFailure {
  /** The database function, table or edge function called (named in the fallback sentence). */
  fn: string;
  code: string | null;
  /** 0: the server was not reached; null: not known (the failure did not come from an HTTP answer). */
  status: number | null;
  /** The database's (or function's) own sentence; "" when it gave none. */
  message: string;
}

/** A sentence, or a way to build one from the failure (to keep the database's specifics: which limit, how much). */
export type Words = string | ((failure: CallFailure) => string);

/**
 * A feature's sentences, by code ("42501", "PT409", "PGRST301") or HTTP status ("403", "502"; "network" when the
 * server was not reached); `otherwise` for anything it does not name. A code is looked up before the status.
 */
export type ErrorWording = { [codeOrStatus: string]: Words | undefined; otherwise?: Words };

export const SESSION_EXPIRED = t("common.errors.sessionExpiredShort");
export const SERVER_UNREACHABLE = t("common.errors.serverUnreachable");

/** What every feature says unless it words the case itself. */
const SHARED_WORDING: ErrorWording = {
  // PostgREST's expired or invalid token (and a 401 without a code): the auth provider signs out.
  PGRST301: SESSION_EXPIRED,
  PGRST302: SESSION_EXPIRED,
  PGRST303: SESSION_EXPIRED,
  "401": SESSION_EXPIRED,
  network: SERVER_UNREACHABLE,
};

/** The last resort: the database's own sentence, or (a gateway's empty 5xx, an empty answer) what kind of failure it was. */
function sharedOtherwise(failure: CallFailure): string {
  if (failure.message.trim()) return failure.message;
  if (failure.status !== null && failure.status >= 500) return t("common.errors.serverNoAnswer", { status: String(failure.status) });
  return t("common.errors.callFailed", { name: failure.fn });
}

const statusKey = (status: number | null): string | null => (status === null ? null : status === 0 ? "network" : String(status));

/**
 * The one map from a failure to plain words: the feature's sentence for the code, then for the status, then the
 * shared one (expired session, server not reached), then the feature's `otherwise`, then the database's own sentence.
 */
export function rpcErrorMessage(failure: CallFailure, wording: ErrorWording = {}): string {
  const status = statusKey(failure.status);
  const pick = (map: ErrorWording, key: string | null): Words | undefined => (key === null || key === "otherwise" ? undefined : map[key]);
  const words =
    pick(wording, failure.code) ??
    pick(wording, status) ??
    pick(SHARED_WORDING, failure.code) ??
    pick(SHARED_WORDING, status) ??
    wording.otherwise ??
    sharedOtherwise;
  return typeof words === "function" ? words(failure) : words;
}

/** A failed call: `message` is the sentence to show; `code`, `status` and `detail` (the database's own words) for code. */
export class RpcError extends Error {
  readonly code: string | null;
  readonly status: number | null;
  readonly detail: string | null;
  readonly fn: string;

  constructor(message: string, failure: Partial<CallFailure> & { fn: string }) {
    super(message);
    this.name = "RpcError";
    this.fn = failure.fn;
    this.status = failure.status ?? null;
    // A failure without a code of its own is known by its status ("409"), or as "network" when nothing answered.
    this.code = failure.code ?? (failure.status === 0 ? "network" : failure.status ? String(failure.status) : null);
    this.detail = failure.message?.trim() ? failure.message : null;
  }
}

/** What supabase-js answers: `{ error, status }` of a query, an rpc or a count. */
export interface PostgrestAnswer {
  error: { code?: string | null; message?: string | null } | null;
  status?: number;
}

/** A PostgREST failure (rpc, read or count) as an RpcError worded by the feature. */
export function toRpcError(fn: string, answer: PostgrestAnswer, wording: ErrorWording = {}): RpcError {
  const failure: CallFailure = { fn, code: answer.error?.code || null, status: answer.status ?? null, message: answer.error?.message ?? "" };
  return new RpcError(rpcErrorMessage(failure, wording), failure);
}

/** One database function: its arguments and what it returns (the shape of supabase's generated `Functions`). */
export interface RpcSignature {
  Args: unknown;
  Returns: unknown;
}

/**
 * The functions a caller may call, by name. Features type theirs by hand (`DsarFunctions` …: narrower rows and
 * argument types than the generator can know, e.g. a status union for text), and `KnownToSchema` holds those names
 * and arguments to the generated `Database`.
 */
export type PublicFunctions = Record<string, { Args: Record<string, unknown>; Returns: unknown }>;

/**
 * The one RPC caller, bound to a feature's functions and wording: `call(client, "dsar_add_note", { p_request_id, p_note })`
 * returns the function's data or throws an RpcError with the feature's sentence.
 */
type SchemaFunctions = Database["public"]["Functions"];

/** A value without null or undefined: nullability is not compared (see `ValueMisfit`). */
type Present<T> = Exclude<T, null | undefined>;

/** The schema says Json (jsonb, json): any shape the feature writes is a refinement of it. */
type IsJson<S> = [NonNullable<Json>] extends [Present<S>] ? true : false;

/**
 * Why a hand-typed value cannot be the schema's (never when it can): its non-null part must fit the schema's, as a
 * status union fits text. Nullability is not compared: the generator types `returns table` columns as never null and
 * view columns as always nullable, and the feature knows better (`WithNullable`).
 */
type ValueMisfit<H, S> = unknown extends H
  ? never
  : IsJson<S> extends true
    ? never
    : [Present<H>] extends [Present<S>]
      ? never
      : { declared: H; database: S };

/**
 * The columns of a hand-typed row the schema's row cannot hold: a required column it does not have, or a value of
 * another type. An optional one it does not have can be absent (an embed that only a select adds, as in `AdjustmentRow`).
 */
type RowMisfits<H, S> = {
  [K in keyof H]-?: K extends keyof S
    ? [ValueMisfit<H[K], S[K]>] extends [never]
      ? never
      : K
    : Record<never, never> extends Pick<H, K>
      ? never
      : K;
}[keyof H];

/**
 * Why a hand-typed `Returns` cannot be what the function returns (never when it can). A row may name fewer columns
 * than the schema's; a set (`setof`, `returns table`) must be typed as an array of rows and a single row or value not;
 * each member of a union must be possible.
 */
type ReturnsMisfit<H, S> = unknown extends H
  ? never
  : IsJson<S> extends true
    ? never
    : H extends unknown
      ? [Present<S>] extends [never]
        ? [H] extends [void | null | undefined]
          ? never
          : "a value where the function returns nothing"
        : [Present<S>] extends [readonly (infer SRow)[]]
          ? H extends readonly (infer HRow)[]
            ? ReturnsMisfit<HRow, SRow>
            : "one value where the function returns a set"
          : H extends readonly unknown[]
            ? "a set where the function returns one value"
            : H extends object
              ? Present<S> extends object
                ? RowMisfits<H, Present<S>>
                : "a row where the function returns a scalar"
              : [Present<H>] extends [Present<S>]
                ? never
                : "a scalar of another type"
      : never;

/**
 * A feature's hand-typed functions, held to the generated schema: each name must be a function of the database,
 * each argument one it declares, and `Returns` something the function can return (a renamed function, argument or
 * column, or a changed return type, fails `npm run typecheck`, not a call at run time).
 */
export type KnownToSchema<F> = {
  [K in keyof F]: K extends keyof SchemaFunctions
    ? F[K] extends { Args: infer A }
      ? [Exclude<keyof A, keyof SchemaFunctions[K]["Args"]>] extends [never]
        ? F[K] extends { Returns: infer R }
          ? [ReturnsMisfit<R, SchemaFunctions[K]["Returns"]>] extends [never]
            ? RpcSignature
            : { error: "a return type the database function cannot return"; misfit: ReturnsMisfit<R, SchemaFunctions[K]["Returns"]> }
          : RpcSignature
        : { error: "an argument the database function does not declare"; arguments: Exclude<keyof A, keyof SchemaFunctions[K]["Args"]> }
      : RpcSignature
    : { error: "not a function of the database"; name: K };
};

export function rpcCaller<F extends { [K in keyof F]: RpcSignature } & KnownToSchema<F> = PublicFunctions & KnownToSchema<PublicFunctions>>(wording: ErrorWording = {}) {
  return async function callRpc<Fn extends keyof F & string>(client: SupabaseClient, fn: Fn, args: F[Fn]["Args"]): Promise<F[Fn]["Returns"]> {
    const { data, error, status } = await client.rpc(fn, args as Record<string, unknown>);
    if (error) throw toRpcError(fn, { error, status }, wording);
    return data as F[Fn]["Returns"];
  };
}

/**
 * Calls an edge function (`/functions/v1/<name>`); a refusal is read from its `{ code, message }` answer and worded
 * by status (the functions answer with HTTP statuses, docs/money.md), a failure to reach it as "network".
 */
export async function invokeFunction<T>(
  client: SupabaseClient,
  name: string,
  options: { body?: Record<string, unknown>; method?: "GET" | "POST"; signal?: AbortSignal },
  wording: ErrorWording = {},
): Promise<T | null> {
  const { data, error } = await client.functions.invoke<T>(name, options);
  if (!error) return data;
  const context = (error as { context?: unknown }).context;
  let failure: CallFailure = { fn: name, code: null, status: 0, message: (error as Error).message ?? "" };
  if (context instanceof Response) {
    let body: { code?: string; message?: string } = {};
    try {
      body = (await context.clone().json()) as { code?: string; message?: string };
    } catch {
      // not JSON: the status says enough
    }
    failure = { fn: name, code: body.code ?? null, status: context.status, message: body.message?.trim() ?? "" };
  }
  throw new RpcError(rpcErrorMessage(failure, wording), failure);
}

/** The sentence of anything thrown (an RpcError's is already worded). */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
