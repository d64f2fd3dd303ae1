/**
 * POST /functions/v1/stripe-webhook — Stripe's events (verify_jwt off: Stripe sends no token; the signature is the
 * authentication). The raw body is verified against `Stripe-Signature` with STRIPE_WEBHOOK_SECRET before anything
 * is written; then `stripe_record_webhook_event` (service role) records the event id exactly once and applies refund
 * events by Stripe's own time, so duplicates and out-of-order deliveries end in the right status.
 * 200 {received: true, outcome}; a bad or missing signature is 400 and writes nothing; a database failure is 500 so
 * Stripe delivers the event again.
 */
import { callRpc, RestCallError } from "../_shared/rest.ts";
import { errorJson, json, preflight } from "../_shared/http.ts";
import { stripeClient, stripeSettings, verifyWebhook } from "../_shared/stripe.ts";

/** Event types whose data.object is the Stripe refund that carries the status. */
export const REFUND_EVENT_TYPES: readonly string[] = ["refund.created", "refund.updated", "refund.failed", "charge.refund.updated"];

export default async function handler(req: Request): Promise<Response> {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "POST") return errorJson(405, "method_not_allowed", `stripe-webhook accepts POST, not ${req.method}`);

  const stripe = stripeClient();
  const secret = stripeSettings()?.webhookSecret;
  if (!stripe || !secret) {
    return errorJson(503, "stripe_not_configured", "Stripe webhooks are not configured (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET).");
  }
  const signature = req.headers.get("stripe-signature");
  if (!signature) return errorJson(400, "missing_signature", "The Stripe-Signature header is missing.");
  const body = await req.text();

  let event;
  try {
    event = await verifyWebhook(stripe, body, signature, secret);
  } catch {
    return errorJson(400, "invalid_signature", "The Stripe-Signature does not match this body (or is too old).");
  }

  const object = event.data.object as { object?: unknown };
  const refund = REFUND_EVENT_TYPES.includes(event.type) && object.object === "refund" ? object : null;
  try {
    const outcome = await callRpc<string>(
      "stripe_record_webhook_event",
      { p_event_id: event.id, p_type: event.type, p_stripe_created_at: new Date(event.created * 1000).toISOString(), p_refund: refund },
      { serviceRole: true },
    );
    return json({ received: true, outcome });
  } catch (err) {
    const detail = err instanceof RestCallError ? `${err.code}: ${err.message}` : "the database did not answer";
    return errorJson(500, "record_failed", `Could not record event ${event.id} (${detail}); Stripe will deliver it again.`);
  }
}
