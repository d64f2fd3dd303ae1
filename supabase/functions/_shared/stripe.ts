/**
 * The Stripe client for the money functions, configured from the function environment:
 *   STRIPE_SECRET_KEY      sk_test_… / sk_live_… (or a restricted rk_… key). Never leaves the function.
 *   STRIPE_WEBHOOK_SECRET  whsec_… (the endpoint's signing secret)
 *   STRIPE_API_HOST/PORT/PROTOCOL  optional: point the official SDK at the local sandbox (server/stripe-sandbox/).
 * The fetch HTTP client and SubtleCrypto make the same code run under Deno (Supabase) and Node (embedded server).
 */
import Stripe from "stripe";
import { stripeSettings } from "./stripe-env.ts";

export { stripeMode, stripeSettings, type StripeMode, type StripeSettings } from "./stripe-env.ts";

/** How long one Stripe request may take before it counts as lost (the SDK default is 80 s). */
export const STRIPE_TIMEOUT_MS = 20_000;
/** The SDK retries network errors and 5xx itself, with the same Idempotency-Key, so a retry is always safe. */
export const STRIPE_MAX_NETWORK_RETRIES = 2;

let cached: { fingerprint: string; client: Stripe } | null = null;

/** The SDK client for the current settings, or null when STRIPE_SECRET_KEY is not set. */
export function stripeClient(): Stripe | null {
  const settings = stripeSettings();
  if (!settings) return null;
  const fingerprint = JSON.stringify([settings.secretKey, settings.host, settings.port, settings.protocol]);
  if (cached?.fingerprint === fingerprint) return cached.client;
  const client = new Stripe(settings.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
    timeout: STRIPE_TIMEOUT_MS,
    appInfo: { name: "m-factory-console" },
    ...(settings.host ? { host: settings.host } : {}),
    ...(settings.port ? { port: settings.port } : {}),
    ...(settings.protocol ? { protocol: settings.protocol } : {}),
  });
  cached = { fingerprint, client };
  return client;
}

let subtle: ReturnType<typeof Stripe.createSubtleCryptoProvider> | null = null;

/**
 * Verifies a webhook body against its Stripe-Signature header (throws StripeSignatureVerificationError), and only
 * that: `constructEventAsync` would also JSON.parse the body after a valid signature and throw a SyntaxError for
 * malformed JSON, which a caller catching both would mistake for a bad signature. The body is parsed and checked
 * by the webhook itself.
 */
export async function verifyWebhookSignature(client: Stripe, body: string, signature: string, secret: string): Promise<void> {
  const verifier = client.webhooks.signature;
  if (!verifier) throw new Error("the stripe SDK has no webhook signature helper");
  subtle ??= Stripe.createSubtleCryptoProvider();
  await verifier.verifyHeaderAsync(body, signature, secret, undefined, subtle);
}

/** The fields of a Stripe SDK error the functions act on. */
export interface StripeErrorInfo {
  /** SDK class name: StripeInvalidRequestError, StripeConnectionError, StripeAPIError, … */
  type: string;
  code: string | undefined;
  statusCode: number | undefined;
  message: string;
}

export function stripeErrorInfo(err: unknown): StripeErrorInfo | null {
  if (!(err instanceof Error)) return null;
  const e = err as Error & { type?: unknown; code?: unknown; statusCode?: unknown };
  if (typeof e.type !== "string" || !e.type.startsWith("Stripe")) return null;
  return {
    type: e.type,
    code: typeof e.code === "string" ? e.code : undefined,
    statusCode: typeof e.statusCode === "number" ? e.statusCode : undefined,
    message: redactSecrets(e.message),
  };
}

/** Removes the secret key, the webhook secret and anything shaped like a Stripe secret from a text shown to callers. */
export function redactSecrets(text: string): string {
  let out = text;
  const settings = stripeSettings();
  for (const secret of [settings?.secretKey, settings?.webhookSecret]) {
    if (secret) out = out.split(secret).join("[redacted]");
  }
  return out.replace(/\b(sk|rk)_(test|live)_[A-Za-z0-9_]+/g, "[redacted]").replace(/\bwhsec_[A-Za-z0-9_]+/g, "[redacted]");
}
