import type { ConsoleClient, RpcArgs, RpcName } from "../../lib/database";
import type { RefundRow } from "./types";

/**
 * The refund calls that need no React: the SQL functions (request / approve / reject) and the two edge
 * functions (refund-execute, health). Every refusal becomes a RefundActionError with a sentence staff can act on.
 */

export type StripeMode = "sandbox" | "test" | "live" | "not_configured";

export class RefundActionError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly detail: string | null = null,
  ) {
    super(message);
    this.name = "RefundActionError";
  }
}

/**
 * SQLSTATE → what it means for the person at the form. The database's own message follows when it adds
 * something (e.g. how much remains), so nothing it says is lost.
 */
const SQLSTATE_TEXT: Record<string, string> = {
  "42501": "Not allowed for your role, or you are the requester (nobody approves or rejects their own refund, or approves twice).",
  "22023": "The database refused the values.",
  PT404: "This payment or refund no longer exists.",
  "23505": "This submit was already recorded with different values. Close the form and start again.",
  PT409: "The refund or payment is not in a state that allows this any more. Reload to see where it stands.",
  // PostgREST's expired or invalid token (the credits form says the same); the form keeps what was typed.
  PGRST301: "Your session has expired. Sign in again; the form keeps what you typed.",
};

export function refundErrorText(code: string | null | undefined, message: string | null | undefined): string {
  const base = code ? SQLSTATE_TEXT[code] : undefined;
  const detail = (message ?? "").trim();
  if (!base) return detail || "The request failed.";
  if (!detail) return base;
  // 22023 carries the useful sentence itself ("only ฿120.00 remains refundable").
  if (code === "22023") return detail;
  return `${base} (${detail})`;
}

export async function callRefundRpc<T>(client: ConsoleClient, fn: RpcName, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await client.rpc(fn, args as RpcArgs<typeof fn>);
  if (error) throw new RefundActionError(refundErrorText(error.code, error.message), error.code ?? null, error.message ?? null);
  return data as T;
}

export interface RequestRefundArgs {
  paymentId: string;
  amount: number;
  currency: string;
  reason: string;
  note: string;
  idempotencyKey: string;
  clawbackCredits: number;
}

export function requestRefund(client: ConsoleClient, args: RequestRefundArgs): Promise<RefundRow> {
  return callRefundRpc<RefundRow>(client, "request_refund", {
    p_payment_id: args.paymentId,
    p_amount: args.amount,
    p_currency: args.currency,
    p_reason: args.reason,
    p_note: args.note,
    p_idempotency_key: args.idempotencyKey,
    p_clawback_credits: args.clawbackCredits,
  });
}

export const approveRefund = (client: ConsoleClient, id: string, note: string | null) =>
  callRefundRpc<RefundRow>(client, "approve_refund", { p_id: id, p_note: note });

export const rejectRefund = (client: ConsoleClient, id: string, note: string) =>
  callRefundRpc<RefundRow>(client, "reject_refund", { p_id: id, p_note: note });

const EXECUTE_STATUS_TEXT: Record<number, string> = {
  400: "The refund could not be sent: bad request.",
  401: "Your session has expired; sign in again.",
  403: "Only finance sends refunds to Stripe.",
  404: "This refund no longer exists.",
  409: "The refund is not approved (or already finished); reload to see where it stands.",
  422: "Stripe refused the refund.",
  502: "Stripe did not answer. The refund stays processing; retrying is safe (Stripe sees the same idempotency key).",
  503: "Stripe is not configured on the server.",
};

/** Reads `{code, message}` from a failed function answer (supabase-js puts the Response in error.context). */
async function functionError(error: unknown): Promise<RefundActionError> {
  const context = (error as { context?: unknown }).context;
  if (context instanceof Response) {
    let body: { code?: string; message?: string } = {};
    try {
      body = (await context.clone().json()) as { code?: string; message?: string };
    } catch {
      // not JSON: fall back to the status text
    }
    const base = EXECUTE_STATUS_TEXT[context.status] ?? `The refund function answered ${context.status}.`;
    const detail = body.message?.trim();
    return new RefundActionError(detail && detail !== base ? `${base} ${body.code ? `${body.code}: ` : ""}${detail}` : base, body.code ?? String(context.status), detail ?? null);
  }
  return new RefundActionError(
    "Could not reach the refund function. The refund may be processing; retrying is safe.",
    "network",
    (error as Error)?.message ?? null,
  );
}

export interface ExecuteResult {
  refund: RefundRow;
  stripe_refund_id: string | null;
}

/** Sends an approved (or retries a processing) refund to Stripe through the refund-execute function. */
export async function executeRefund(client: ConsoleClient, refundId: string): Promise<ExecuteResult> {
  const { data, error } = await client.functions.invoke<ExecuteResult>("refund-execute", { body: { refund_id: refundId } });
  if (error) throw await functionError(error);
  if (!data || typeof data !== "object" || !("refund" in data)) throw new RefundActionError("The refund function gave no answer.", null);
  return data;
}

const MODES: readonly StripeMode[] = ["sandbox", "test", "live", "not_configured"];

/** The Stripe mode the server runs with (GET /functions/v1/health → stripe.mode); null when not reported. */
export async function fetchStripeMode(client: ConsoleClient): Promise<StripeMode | null> {
  const { data, error } = await client.functions.invoke<{ stripe?: { mode?: string } }>("health", { method: "GET" });
  if (error) throw await functionError(error);
  const mode = data?.stripe?.mode;
  return mode && (MODES as readonly string[]).includes(mode) ? (mode as StripeMode) : null;
}

export { newIdempotencyKey } from "../../lib/idempotencyKey";
