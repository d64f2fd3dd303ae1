import type { SupabaseClient } from "@supabase/supabase-js";
import { invokeFunction, rpcCaller, RpcError, type CallFailure, type ErrorWording } from "../../lib/rpc";
import type { RefundRow } from "./types";

/**
 * The refund calls that need no React: the SQL functions (request / approve / reject) and the two edge
 * functions (refund-execute, health). Every refusal becomes an RpcError with a sentence staff can act on.
 */

export type StripeMode = "sandbox" | "test" | "live" | "not_configured";

const withDetail = (base: string) => (failure: CallFailure) => {
  const detail = failure.message.trim();
  return detail ? `${base} (${detail})` : base;
};

/**
 * SQLSTATE → what it means for the person at the form. The database's own message follows when it adds
 * something (e.g. how much remains), so nothing it says is lost.
 */
export const REFUND_WORDING: ErrorWording = {
  "42501": withDetail("Not allowed for your role, or you are the requester (nobody approves or rejects their own refund, or approves twice)."),
  // 22023 carries the useful sentence itself ("only ฿120.00 remains refundable").
  "22023": (failure) => failure.message.trim() || "The database refused the values.",
  PT404: withDetail("This payment or refund no longer exists."),
  "23505": withDetail("This submit was already recorded with different values. Close the form and start again."),
  PT409: withDetail("The refund or payment is not in a state that allows this any more. Reload to see where it stands."),
  // PostgREST's expired or invalid token (the credits form says the same); the form keeps what was typed.
  PGRST301: withDetail("Your session has expired. Sign in again; the form keeps what you typed."),
  otherwise: (failure) => failure.message.trim() || "The request failed.",
};

/** The refund functions' arguments and answers (hand-typed until the generated Database type lands). */
type RefundFunctions = {
  request_refund: {
    Args: {
      p_payment_id: string;
      p_amount: number;
      p_currency: string;
      p_reason: string;
      p_note: string;
      p_idempotency_key: string;
      p_clawback_credits: number;
    };
    Returns: RefundRow;
  };
  approve_refund: { Args: { p_id: string; p_note: string | null }; Returns: RefundRow };
  reject_refund: { Args: { p_id: string; p_note: string }; Returns: RefundRow };
};

const callRefunds = rpcCaller<RefundFunctions>(REFUND_WORDING);

export interface RequestRefundArgs {
  paymentId: string;
  amount: number;
  currency: string;
  reason: string;
  note: string;
  idempotencyKey: string;
  clawbackCredits: number;
}

export function requestRefund(client: SupabaseClient, args: RequestRefundArgs): Promise<RefundRow> {
  return callRefunds(client, "request_refund", {
    p_payment_id: args.paymentId,
    p_amount: args.amount,
    p_currency: args.currency,
    p_reason: args.reason,
    p_note: args.note,
    p_idempotency_key: args.idempotencyKey,
    p_clawback_credits: args.clawbackCredits,
  });
}

export const approveRefund = (client: SupabaseClient, id: string, note: string | null) => callRefunds(client, "approve_refund", { p_id: id, p_note: note });

export const rejectRefund = (client: SupabaseClient, id: string, note: string) => callRefunds(client, "reject_refund", { p_id: id, p_note: note });

/** The answer after the sentence: the function's code and message, when they add something. */
const answered = (base: string) => (failure: CallFailure) => {
  const detail = failure.message.trim();
  return detail && detail !== base ? `${base} ${failure.code ? `${failure.code}: ` : ""}${detail}` : base;
};

/** The edge functions (refund-execute, health) by HTTP status (docs/money.md, "Error answers of the three functions"). */
export const REFUND_FUNCTION_WORDING: ErrorWording = {
  "400": answered("The refund could not be sent: bad request."),
  "401": answered("Your session has expired; sign in again."),
  "403": answered("Only finance sends refunds to Stripe."),
  "404": answered("This refund no longer exists."),
  "409": answered("The refund is not approved (or already finished); reload to see where it stands."),
  "422": answered("Stripe refused the refund."),
  "502": answered("Stripe did not answer. The refund stays processing; retrying is safe (Stripe sees the same idempotency key)."),
  "503": answered("Stripe is not configured on the server."),
  network: "Could not reach the refund function. The refund may be processing; retrying is safe.",
  otherwise: (failure) => answered(`The refund function answered ${failure.status}.`)(failure),
};

export interface ExecuteResult {
  refund: RefundRow;
  stripe_refund_id: string | null;
}

/** Sends an approved (or retries a processing) refund to Stripe through the refund-execute function. */
export async function executeRefund(client: SupabaseClient, refundId: string): Promise<ExecuteResult> {
  const data = await invokeFunction<ExecuteResult>(client, "refund-execute", { body: { refund_id: refundId } }, REFUND_FUNCTION_WORDING);
  if (!data || typeof data !== "object" || !("refund" in data)) throw new RpcError("The refund function gave no answer.", { fn: "refund-execute" });
  return data;
}

const MODES: readonly StripeMode[] = ["sandbox", "test", "live", "not_configured"];

/** The Stripe mode the server runs with (GET /functions/v1/health → stripe.mode); null when not reported. */
export async function fetchStripeMode(client: SupabaseClient): Promise<StripeMode | null> {
  const data = await invokeFunction<{ stripe?: { mode?: string } }>(client, "health", { method: "GET" }, REFUND_FUNCTION_WORDING);
  const mode = data?.stripe?.mode;
  return mode && (MODES as readonly string[]).includes(mode) ? (mode as StripeMode) : null;
}

export { newIdempotencyKey } from "../../lib/idempotencyKey";
