// The local Stripe stand-in: see README.md.
export { startStripeSandbox, IDEMPOTENCY_KEY_TTL_MS, type StripeSandbox, type StripeSandboxOptions, type ResponseFault } from "./server.ts";
export { SandboxState, REFUND_REASONS, defaultFee, type StripeSeed, type SeedPayment, type SeedRefund, type SeedCustomer, type RefundStatus, type RefundReason } from "./store.ts";
export { WebhookDispatcher, signPayload, SANDBOX_API_VERSION, type StripeEvent, type EventRecord } from "./webhooks.ts";
export { StripeApiError } from "./errors.ts";
export { parseForm } from "./form.ts";
