import type { SupabaseClient } from "@supabase/supabase-js";
import { t } from "../../i18n/provider";
import { invokeFunction, rpcCaller, RpcError, type CallFailure, type ErrorWording } from "../../lib/rpc";
import type { RefundRow } from "./types";
import "../../i18n/messages/en/refunds";

/**
 * The refund calls that need no React: the SQL functions (request / approve / reject) and the refund-execute edge
 * function. Every refusal becomes an RpcError with a sentence staff can act on. The Stripe mode (health) is
 * stripeMode.ts: the header asks it on every page, so it stays out of the desk's words.
 */

export { fetchStripeMode, type StripeMode } from "./stripeMode";

const withDetail = (sentence: () => string) => (failure: CallFailure) => {
  const detail = failure.message.trim();
  return detail ? t("refunds.errors.withDetail", { sentence: sentence(), detail }) : sentence();
};

/**
 * SQLSTATE → what it means for the person at the form. The database's own message follows when it adds
 * something (e.g. how much remains), so nothing it says is lost.
 */
export const REFUND_WORDING: ErrorWording = {
  "42501": withDetail(() => t("refunds.errors.notAllowed")),
  // 22023 carries the useful sentence itself ("only ฿120.00 remains refundable").
  "22023": (failure) => failure.message.trim() || t("refunds.errors.valuesRefused"),
  PT404: withDetail(() => t("refunds.errors.notFound")),
  "23505": withDetail(() => t("refunds.errors.keyReused")),
  PT409: withDetail(() => t("refunds.errors.wrongState")),
  // PostgREST's expired or invalid token (the credits form says the same); the form keeps what was typed.
  PGRST301: withDetail(() => t("refunds.errors.sessionExpiredFormKept")),
  otherwise: (failure) => failure.message.trim() || t("refunds.errors.failed"),
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
const answered = (sentence: () => string) => (failure: CallFailure) => {
  const base = sentence();
  const answer = failure.message.trim();
  if (!answer || answer === base) return base;
  return failure.code ? t("refunds.functionErrors.withCodedAnswer", { sentence: base, code: failure.code, answer }) : t("refunds.functionErrors.withAnswer", { sentence: base, answer });
};

/** The edge functions (refund-execute, health) by HTTP status (docs/money.md, "Error answers of the three functions"). */
export const REFUND_FUNCTION_WORDING: ErrorWording = {
  "400": answered(() => t("refunds.functionErrors.badRequest")),
  "401": answered(() => t("refunds.functionErrors.sessionExpired")),
  "403": answered(() => t("refunds.functionErrors.financeOnly")),
  "404": answered(() => t("refunds.functionErrors.notFound")),
  "409": answered(() => t("refunds.functionErrors.notApproved")),
  "422": answered(() => t("refunds.functionErrors.stripeRefused")),
  "502": answered(() => t("refunds.functionErrors.stripeSilent")),
  "503": answered(() => t("refunds.functionErrors.stripeNotConfigured")),
  network: () => t("refunds.functionErrors.unreachable"),
  otherwise: (failure) => answered(() => t("refunds.functionErrors.answered", { status: String(failure.status) }))(failure),
};

export interface ExecuteResult {
  refund: RefundRow;
  stripe_refund_id: string | null;
}

/** Sends an approved (or retries a processing) refund to Stripe through the refund-execute function. */
export async function executeRefund(client: SupabaseClient, refundId: string): Promise<ExecuteResult> {
  const data = await invokeFunction<ExecuteResult>(client, "refund-execute", { body: { refund_id: refundId } }, REFUND_FUNCTION_WORDING);
  if (!data || typeof data !== "object" || !("refund" in data)) throw new RpcError(t("refunds.functionErrors.noAnswer"), { fn: "refund-execute" });
  return data;
}

export { newIdempotencyKey } from "../../lib/idempotencyKey";
