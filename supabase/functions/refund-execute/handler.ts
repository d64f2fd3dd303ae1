/**
 * POST /functions/v1/refund-execute {refund_id} — sends an approved refund to Stripe.
 *
 * 1. `refund_begin_execution` AS THE CALLER: the database checks the role (finance) and the state (approved, or
 *    processing for a retry) and moves the refund to `processing`.
 * 2. `stripe.refunds.create` with Idempotency-Key = the refund id, so any number of concurrent calls or retries
 *    after a lost answer make exactly one Stripe refund.
 * 3. The result is recorded with the service role (`refund_record_stripe_result`, or `refund_record_execution_error`
 *    when Stripe refused the refund for good). Stripe unreachable / 5xx → 502 and the refund stays `processing`.
 * Answers: 200 {refund, stripe_refund_id}; errors are always {code, message}; the secret key never leaves.
 * A permanent problem (bad body, unknown refund, wrong state, role, Stripe refusing the refund or its idempotency
 * key, the database refusing Stripe's answer) is a 4xx: retrying cannot change it. Only what a retry can get past
 * (Stripe or the database failing or unreachable, a refused Stripe key) is a 502.
 */
import { callerAuthorization, callRpc, RestCallError } from "../_shared/rest.ts";
import { errorJson, json, preflight, readJsonBody } from "../_shared/http.ts";
import { recordFailure, rpcErrorResponse } from "../_shared/rpc-errors.ts";
import { redactSecrets, stripeClient, stripeErrorInfo } from "../_shared/stripe.ts";

/** What refund_begin_execution returns. */
interface BeginExecution {
  refund_id: string;
  amount: number | string;
  currency: string;
  reason: "duplicate" | "fraudulent" | "requested_by_customer";
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
  status: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readRefundId(req: Request): Promise<string | Response> {
  const read = await readJsonBody(req, '{"refund_id": "<uuid>"}');
  if (read instanceof Response) return read;
  const refundId = (read.body as { refund_id?: unknown } | null)?.refund_id;
  if (typeof refundId !== "string" || !UUID.test(refundId)) {
    return errorJson(400, "bad_request", "refund_id must be the refund's uuid", { field: "refund_id" });
  }
  return refundId.toLowerCase();
}

/** A Stripe refusal that no retry can change (the request reached Stripe and was judged). */
function isDefinitiveRefusal(type: string, statusCode: number | undefined): boolean {
  if (type !== "StripeInvalidRequestError" && type !== "StripeCardError") return false;
  // 409 (a concurrent request holds the idempotency key) and 429 are transient.
  return statusCode === undefined || (statusCode >= 400 && statusCode < 500 && statusCode !== 409 && statusCode !== 429);
}

export default async function handler(req: Request): Promise<Response> {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "POST") return errorJson(405, "method_not_allowed", `refund-execute accepts POST, not ${req.method}`);

  const stripe = stripeClient();
  if (!stripe) return errorJson(503, "stripe_not_configured", "Stripe is not configured for this project (STRIPE_SECRET_KEY is not set).");

  let authorization: string;
  try {
    authorization = callerAuthorization(req);
  } catch (err) {
    if (err instanceof RestCallError) return errorJson(err.status, err.code, err.message);
    throw err;
  }
  const refundId = await readRefundId(req);
  if (refundId instanceof Response) return refundId;

  let execution: BeginExecution | null;
  try {
    execution = await callRpc<BeginExecution>("refund_begin_execution", { p_id: refundId }, { authorization });
  } catch (err) {
    if (err instanceof RestCallError) return rpcErrorResponse(err);
    return errorJson(502, "database_unavailable", "Could not reach the database to start the refund.");
  }
  if (!execution) return errorJson(500, "unexpected", "refund_begin_execution returned nothing");

  const target = execution.stripe_payment_intent_id
    ? { payment_intent: execution.stripe_payment_intent_id }
    : execution.stripe_charge_id
      ? { charge: execution.stripe_charge_id }
      : null;
  if (!target) return errorJson(409, "PT409", "The payment has no Stripe charge to refund.");

  let stripeRefund;
  try {
    stripeRefund = await stripe.refunds.create(
      { ...target, amount: Number(execution.amount), reason: execution.reason, metadata: { console_refund_id: refundId } },
      { idempotencyKey: refundId },
    );
  } catch (err) {
    const info = stripeErrorInfo(err);
    if (info?.type === "StripeIdempotencyError") {
      // Stripe already holds a request with this refund's key and other parameters: it may have made that refund,
      // so the refund is neither failed nor retriable; it stays processing for a person (and the webhook) to settle.
      return errorJson(409, "idempotency_conflict",
        `Stripe refused the request: its idempotency key (this refund's id) was used with other parameters (${info.message}). The refund stays processing; check it in Stripe.`);
    }
    if (info && isDefinitiveRefusal(info.type, info.statusCode)) {
      const code = info.code ?? "invalid_request";
      try {
        await callRpc("refund_record_execution_error", { p_id: refundId, p_code: code, p_message: info.message }, { serviceRole: true });
      } catch (recordErr) {
        const failure = recordFailure(recordErr);
        const then = failure.status === 409 ? "reload to see where the refund stands" : "retrying is safe";
        return errorJson(failure.status, failure.code, `Stripe refused the refund (${code}) but recording that failed (${failure.detail}); ${then}.`);
      }
      return errorJson(422, code, info.message);
    }
    const why = info ? `${info.type}${info.code ? ` ${info.code}` : ""}: ${info.message}` : redactSecrets(String(err));
    return errorJson(502, "stripe_unavailable", `Stripe did not confirm the refund (${why}). It stays processing; retrying is safe.`);
  }

  try {
    const refund = await callRpc<Record<string, unknown>>(
      "refund_record_stripe_result",
      {
        p_id: refundId,
        p_stripe_refund_id: stripeRefund.id,
        p_status: stripeRefund.status,
        p_failure_reason: stripeRefund.failure_reason ?? null,
        p_stripe_created_at: new Date(stripeRefund.created * 1000).toISOString(),
      },
      { serviceRole: true },
    );
    return json({ refund, stripe_refund_id: stripeRefund.id });
  } catch (err) {
    const failure = recordFailure(err);
    const then = failure.status === 409
      ? "the refund stays processing; retrying gets the same answer, so compare it with Stripe"
      : "retrying is safe";
    return errorJson(failure.status, failure.code, `Stripe accepted refund ${stripeRefund.id} but recording it failed (${failure.detail}); ${then}.`);
  }
}
