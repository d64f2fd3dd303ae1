/**
 * POST /functions/v1/stripe-webhook — Stripe's events (verify_jwt off: Stripe sends no token; the signature is the
 * authentication). The raw body is verified against `Stripe-Signature` with STRIPE_WEBHOOK_SECRET before anything
 * is read from it; then `stripe_record_webhook_event` (service role) records the event id exactly once and applies
 * refund events by Stripe's own time, so duplicates and out-of-order deliveries end in the right status.
 *
 * Answers (Stripe treats every non-2xx as undelivered and redelivers it for up to three days, so the status tells
 * a person reading Stripe's delivery log what happened; only a 2xx ends the redeliveries):
 * - 200 {received: true, outcome}: recorded (and applied, where it applies).
 * - 400 missing_signature / invalid_signature: not from Stripe; nothing read, nothing written.
 * - 400 malformed_json / invalid_event: correctly signed but unusable (the answer names the fields). With a usable
 *   `evt_…` id it is recorded once as `refused` with the reason (`stripe_record_webhook_refusal`) and nothing is
 *   applied, so a redelivery changes nothing either; without one it cannot be recorded, and `recorded: false` says so.
 * - 409 record_refused: the database refused the event's values; nothing applied or recorded.
 * - 502 database_unavailable / record_failed: the database failed or was unreachable; Stripe's redelivery retries it.
 */
import { callRpc } from "../_shared/rest.ts";
import { errorJson, json, preflight } from "../_shared/http.ts";
import { recordFailure } from "../_shared/rpc-errors.ts";
import { stripeClient, stripeSettings, verifyWebhookSignature } from "../_shared/stripe.ts";

/** Event types whose data.object is the Stripe refund that carries the status. */
export const REFUND_EVENT_TYPES: readonly string[] = ["refund.created", "refund.updated", "refund.failed", "charge.refund.updated"];

/** The same rules as the stripe_webhook_events table and refund_apply_stripe_status. */
const EVENT_ID = /^evt_[A-Za-z0-9_]+$/;
const MAX_TYPE_LENGTH = 200;
const MAX_FAILURE_REASON_LENGTH = 500;
/** 9999-12-31T23:59:59Z: the last second an ISO timestamp (and so the database) takes without an extended year. */
const MAX_CREATED = 253_402_300_799;

interface Problem {
  field: string;
  message: string;
}

/** What could be read from a signed body: the usable fields (null when at fault) and every problem found. */
interface CheckedEvent {
  id: string | null;
  type: string | null;
  createdAt: string | null;
  /** The refund a refund event carries, else null. */
  refund: Record<string, unknown> | null;
  problems: Problem[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function checkEvent(payload: unknown): CheckedEvent {
  if (!isObject(payload)) {
    return { id: null, type: null, createdAt: null, refund: null, problems: [{ field: "event", message: "the body must be a JSON object (a Stripe event)" }] };
  }
  const problems: Problem[] = [];
  const { id, type, created, data } = payload;
  const usableId = typeof id === "string" && EVENT_ID.test(id) ? id : null;
  if (!usableId) problems.push({ field: "id", message: "id must be a Stripe event id (evt_…)" });
  const usableType = typeof type === "string" && type.length >= 1 && type.length <= MAX_TYPE_LENGTH ? type : null;
  if (!usableType) problems.push({ field: "type", message: `type must be the event type (1 to ${MAX_TYPE_LENGTH} characters)` });
  const usableCreated = typeof created === "number" && Number.isInteger(created) && created > 0 && created <= MAX_CREATED ? created : null;
  if (usableCreated === null) problems.push({ field: "created", message: "created must be a Unix timestamp in seconds (a positive integer)" });
  const object = isObject(data) && isObject(data.object) ? data.object : null;
  if (!object) problems.push({ field: "data.object", message: "data.object must be the object the event is about" });

  let refund: Record<string, unknown> | null = null;
  if (object && usableType && REFUND_EVENT_TYPES.includes(usableType)) {
    if (object.object !== "refund") {
      problems.push({ field: "data.object.object", message: `a ${usableType} event must carry a refund (data.object.object = "refund")` });
    } else {
      const reason = object.failure_reason;
      if (reason != null && (typeof reason !== "string" || reason.length > MAX_FAILURE_REASON_LENGTH)) {
        problems.push({ field: "data.object.failure_reason", message: `data.object.failure_reason must be text of at most ${MAX_FAILURE_REASON_LENGTH} characters` });
      } else {
        refund = object;
      }
    }
  }
  const createdAt = usableCreated === null ? null : new Date(usableCreated * 1000).toISOString();
  return { id: usableId, type: usableType, createdAt, refund, problems };
}

const isSignatureError = (err: unknown): boolean =>
  err instanceof Error && (err as { type?: unknown }).type === "StripeSignatureVerificationError";

/** 400 naming the fields; recorded once as refused when the event has a usable id. */
async function refuse(checked: CheckedEvent): Promise<Response> {
  const fields = checked.problems.map((p) => p.field);
  const what = checked.problems.map((p) => p.message).join("; ");
  if (!checked.id) {
    return errorJson(400, "invalid_event",
      `The event is correctly signed but unusable: ${what}. Not recorded (without an evt_… id it cannot be stored) and nothing applied; Stripe's delivery log keeps this answer.`,
      { field: fields[0], fields, recorded: false });
  }
  let outcome: string | null;
  try {
    outcome = await callRpc<string>(
      "stripe_record_webhook_refusal",
      { p_event_id: checked.id, p_type: checked.type, p_stripe_created_at: checked.createdAt, p_reason: what },
      { serviceRole: true },
    );
  } catch (err) {
    const failure = recordFailure(err);
    return errorJson(failure.status, failure.code, `Event ${checked.id} is unusable (${what}) and recording that failed (${failure.detail}); nothing applied.`);
  }
  return errorJson(400, "invalid_event",
    `Event ${checked.id} is correctly signed but unusable: ${what}. Recorded as refused; nothing applied.`,
    { field: fields[0], fields, event_id: checked.id, recorded: true, outcome });
}

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

  try {
    await verifyWebhookSignature(stripe, body, signature, secret);
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    return errorJson(400, "invalid_signature", "The Stripe-Signature does not match this body (or is too old).");
  }

  // From here the body is Stripe's: whatever is wrong with it will be wrong on every redelivery.
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return errorJson(400, "malformed_json",
      "The body is correctly signed but is not JSON. Not recorded (no event id can be read from it) and nothing applied; Stripe's delivery log keeps this answer.",
      { recorded: false });
  }
  const checked = checkEvent(payload);
  if (checked.problems.length > 0) return refuse(checked);

  try {
    const outcome = await callRpc<string>(
      "stripe_record_webhook_event",
      { p_event_id: checked.id, p_type: checked.type, p_stripe_created_at: checked.createdAt, p_refund: checked.refund },
      { serviceRole: true },
    );
    return json({ received: true, outcome });
  } catch (err) {
    const failure = recordFailure(err);
    const then = failure.status === 409 ? "nothing applied" : "Stripe will deliver it again";
    return errorJson(failure.status, failure.code, `Could not record event ${checked.id} (${failure.detail}); ${then}.`);
  }
}
