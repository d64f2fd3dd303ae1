// The HTTP surface: Stripe's routes, auth, form bodies, idempotency keys and error shapes, over SandboxState.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StripeApiError, invalidParam } from "./errors.ts";
import { canonicalParams, parseForm, type FormObject } from "./form.ts";
import {
  SandboxState, newId, defaultFee, type FeeRule, type RefundStatus, type StateChange, type StripeSeed,
  type Charge, type Customer, type PaymentIntent, type Refund, type BalanceTransaction,
} from "./store.ts";
import { WebhookDispatcher, SANDBOX_API_VERSION } from "./webhooks.ts";

/** Stripe keeps idempotency keys for at least 24 hours; the sandbox keeps them exactly that long. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;

export interface StripeSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  webhookUrl?: string;
  webhookSecret: string;
  seed?: StripeSeed;
  /** Status of a newly created refund (default pending, so tests drive it with the status test helper). */
  initialRefundStatus?: Extract<RefundStatus, "pending" | "succeeded">;
  fee?: FeeRule;
  webhookMaxAttempts?: number;
  webhookRetryDelayMs?: number;
  /**
   * Moves each refund created through the API from `pending` to `succeeded` this many ms later (with its
   * `refund.updated` event), as card refunds settle in Stripe. Off by default (tests drive the status); the dev stack
   * turns it on so the console shows pending → succeeded through the webhook.
   */
  autoSucceedRefundsAfterMs?: number;
}

/** A fault to inject into the sandbox's next matching responses (tests of lost answers). */
export interface ResponseFault {
  /** `drop`: the request is applied, then the connection is closed without an answer (a lost answer). */
  mode: "drop";
  method?: "GET" | "POST";
  /** Exact path, e.g. `/v1/refunds`. */
  path?: string;
}

export interface StripeSandbox {
  url: string; host: string; port: number; protocol: "http";
  state: SandboxState;
  webhooks: WebhookDispatcher;
  /** Moves a refund's status (as the test-helper route does) and sends the resulting events. */
  setRefundStatus(refundId: string, status: RefundStatus, failureReason?: string): Refund;
  /** Applies the next `count` matching requests but loses their answers (see ResponseFault). */
  failNextResponses(count: number, fault: ResponseFault): void;
  close(): Promise<void>;
}

interface StoredResponse { fingerprint: string; status: number; body: string; storedAt: number }

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  /** Returns the response body and the state changes to announce as webhook events. */
  handle(params: FormObject, match: RegExpMatchArray): { body: unknown; changes?: StateChange[] };
}

function routes(state: SandboxState, webhooks: WebhookDispatcher, onRefundCreated: (refund: Refund) => void): Route[] {
  const byCustomer = (value: { customer: string | null }, params: FormObject) =>
    params.customer === undefined || value.customer === params.customer;
  return [
    { method: "POST", pattern: /^\/v1\/customers$/, handle: (params) => ({ body: state.createCustomer(params) }) },
    { method: "GET", pattern: /^\/v1\/customers$/, handle: (params) => ({ body: state.list<Customer>("customers", params, ["email"], (c, p) => p.email === undefined || c.email === p.email) }) },
    { method: "GET", pattern: /^\/v1\/customers\/([^/]+)$/, handle: (_, m) => ({ body: state.getCustomer(m[1] ?? "") }) },

    { method: "POST", pattern: /^\/v1\/payment_intents$/, handle: (params) => ({ body: state.createPaymentIntent(params) }) },
    { method: "GET", pattern: /^\/v1\/payment_intents$/, handle: (params) => ({ body: state.list<PaymentIntent>("payment_intents", params, ["customer"], byCustomer) }) },
    { method: "GET", pattern: /^\/v1\/payment_intents\/([^/]+)$/, handle: (_, m) => ({ body: state.getPaymentIntent(m[1] ?? "") }) },

    { method: "GET", pattern: /^\/v1\/charges$/, handle: (params) => ({ body: state.list<Charge>("charges", params, ["customer", "payment_intent"], (c, p) => byCustomer(c, p) && (p.payment_intent === undefined || c.payment_intent === p.payment_intent)) }) },
    { method: "GET", pattern: /^\/v1\/charges\/([^/]+)$/, handle: (_, m) => ({ body: state.getCharge(m[1] ?? "") }) },

    { method: "POST", pattern: /^\/v1\/refunds$/, handle: (params) => { const { refund, changes } = state.createRefund(params); onRefundCreated(refund); return { body: refund, changes }; } },
    { method: "GET", pattern: /^\/v1\/refunds$/, handle: (params) => ({ body: state.list<Refund>("refunds", params, ["charge", "payment_intent"], (r, p) => (p.charge === undefined || r.charge === p.charge) && (p.payment_intent === undefined || r.payment_intent === p.payment_intent)) }) },
    { method: "GET", pattern: /^\/v1\/refunds\/([^/]+)$/, handle: (_, m) => ({ body: state.getRefund(m[1] ?? "") }) },
    { method: "POST", pattern: /^\/v1\/refunds\/([^/]+)$/, handle: (params, m) => { const { refund, changes } = state.updateRefund(m[1] ?? "", params); return { body: refund, changes }; } },
    {
      method: "POST", pattern: /^\/v1\/test_helpers\/refunds\/([^/]+)\/status$/,
      handle: (params, m) => {
        for (const key of Object.keys(params)) if (key !== "status" && key !== "failure_reason") throw invalidParam(key, `Received unknown parameter: ${key}`, "parameter_unknown");
        if (typeof params.status !== "string") throw invalidParam("status", "Missing required param: status.", "parameter_missing");
        const failureReason = typeof params.failure_reason === "string" ? params.failure_reason : undefined;
        const { refund, changes } = state.moveRefund(m[1] ?? "", params.status, failureReason);
        return { body: refund, changes };
      },
    },

    {
      method: "GET", pattern: /^\/v1\/events\/([^/]+)$/,
      handle: (_, m) => {
        const record = webhooks.find(m[1] ?? "");
        if (!record) throw new StripeApiError(404, "invalid_request_error", `No such event: '${m[1] ?? ""}'`, "resource_missing", "id");
        return { body: record.event };
      },
    },
    {
      // Test helper: (re-)deliver one event now, e.g. a second time to test exactly-once processing.
      method: "POST", pattern: /^\/v1\/test_helpers\/events\/([^/]+)\/deliver$/,
      handle: (params, m) => {
        if (Object.keys(params).length > 0) throw invalidParam(Object.keys(params)[0] ?? "", "This test helper takes no parameters.", "parameter_unknown");
        const record = webhooks.find(m[1] ?? "");
        if (!record) throw new StripeApiError(404, "invalid_request_error", `No such event: '${m[1] ?? ""}'`, "resource_missing", "id");
        void webhooks.deliver(record.event.id).catch(() => undefined);
        return { body: record.event };
      },
    },
    {
      // Test helper: hold new events (to deliver them later in any order).
      method: "POST", pattern: /^\/v1\/test_helpers\/webhooks\/pause$/,
      handle: () => { webhooks.pause(); return { body: { object: "webhook_delivery", paused: true, held: webhooks.heldEventIds() } }; },
    },
    {
      // Test helper: deliver the held events in `order[]` (default: as they happened) and resume automatic delivery.
      method: "POST", pattern: /^\/v1\/test_helpers\/webhooks\/resume$/,
      handle: (params) => {
        for (const key of Object.keys(params)) if (key !== "order") throw invalidParam(key, `Received unknown parameter: ${key}`, "parameter_unknown");
        const order = params.order;
        if (order !== undefined && (!Array.isArray(order) || order.some((id) => typeof id !== "string"))) throw invalidParam("order", "order must be a list of event ids.");
        const ids = order as string[] | undefined;
        const held = webhooks.heldEventIds();
        for (const id of ids ?? []) if (!held.includes(id)) throw invalidParam("order", `Event ${id} is not held.`);
        void webhooks.resume(ids).catch(() => undefined);
        return { body: { object: "webhook_delivery", paused: false, delivering: ids ?? held } };
      },
    },

    { method: "GET", pattern: /^\/v1\/balance_transactions$/, handle: (params) => ({ body: state.list<BalanceTransaction>("balance_transactions", params, ["type", "source", "currency"], (t, p) => (p.type === undefined || t.type === p.type) && (p.source === undefined || t.source === p.source) && (p.currency === undefined || t.currency === p.currency)) }) },
    { method: "GET", pattern: /^\/v1\/balance_transactions\/([^/]+)$/, handle: (_, m) => ({ body: state.getBalanceTransaction(m[1] ?? "") }) },
  ];
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new StripeApiError(413, "invalid_request_error", "Request body too large."));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function authenticate(header: string | undefined): void {
  let key: string | undefined;
  if (header?.startsWith("Bearer ")) key = header.slice("Bearer ".length).trim();
  else if (header?.startsWith("Basic ")) key = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8").split(":")[0];
  if (!key) {
    throw new StripeApiError(401, "invalid_request_error", "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
  }
  if (!/^sk_test_[A-Za-z0-9_]+$/.test(key)) {
    const shown = key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(8)}${key.slice(-4)}` : "********";
    throw new StripeApiError(401, "invalid_request_error", `Invalid API Key provided: ${shown}. The local Stripe sandbox accepts test secret keys (sk_test_…) only.`, "api_key_invalid");
  }
}

export async function startStripeSandbox(options: StripeSandboxOptions): Promise<StripeSandbox> {
  if (options.webhookUrl !== undefined) new URL(options.webhookUrl); // refuses a malformed URL at start, not at the first event
  const state = new SandboxState(options.fee ?? defaultFee, options.initialRefundStatus ?? "pending");
  if (options.seed) state.seed(options.seed);
  const webhooks = new WebhookDispatcher({
    url: options.webhookUrl, secret: options.webhookSecret,
    maxAttempts: options.webhookMaxAttempts, retryDelayMs: options.webhookRetryDelayMs,
  });
  const autoSucceedTimers = new Set<ReturnType<typeof setTimeout>>();
  const moveAndAnnounce = (refundId: string, status: RefundStatus, failureReason?: string): Refund => {
    const { refund, changes } = state.moveRefund(refundId, status, failureReason);
    webhooks.emit(changes, { id: newId("req"), idempotencyKey: null });
    return refund;
  };
  const onRefundCreated = (refund: Refund): void => {
    const delay = options.autoSucceedRefundsAfterMs;
    if (delay === undefined || refund.status !== "pending") return;
    const timer = setTimeout(() => {
      autoSucceedTimers.delete(timer);
      // A test or a person may have moved it meanwhile; only a refund still pending settles.
      if (state.refunds.get(refund.id)?.value.status === "pending") moveAndAnnounce(refund.id, "succeeded");
    }, delay);
    timer.unref?.();
    autoSucceedTimers.add(timer);
  };
  const table = routes(state, webhooks, onRefundCreated);
  const idempotent = new Map<string, StoredResponse>();
  const faults: { remaining: number; fault: ResponseFault }[] = [];
  const takeFault = (method: string, pathname: string): ResponseFault | null => {
    const entry = faults.find((f) => f.remaining > 0 && (f.fault.method ?? method) === method && (f.fault.path ?? pathname) === pathname);
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining === 0) faults.splice(faults.indexOf(entry), 1);
    return entry.fault;
  };

  const pruneKeys = (now: number) => {
    for (const [key, stored] of idempotent) if (now - stored.storedAt > IDEMPOTENCY_KEY_TTL_MS) idempotent.delete(key);
  };

  const send = (response: ServerResponse, status: number, body: string, requestId: string, extra: Record<string, string> = {}) => {
    if (lostAnswers.has(response)) {
      response.socket?.destroy();
      return;
    }
    response.writeHead(status, {
      "Content-Type": "application/json", "Request-Id": requestId, "Stripe-Version": SANDBOX_API_VERSION,
      "Cache-Control": "no-cache, no-store", ...extra,
    });
    response.end(body);
  };

  const lostAnswers = new WeakSet<ServerResponse>();
  const server = createServer((request, response) => {
    const requestId = newId("req");
    void (async () => {
      try {
        authenticate(request.headers.authorization);
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        const method = request.method ?? "GET";
        if (takeFault(method, url.pathname)) lostAnswers.add(response);
        const route = table.find((candidate) => candidate.method === method && candidate.pattern.test(url.pathname));
        if (!route) {
          throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${url.pathname}). The local Stripe sandbox implements only the routes listed in server/stripe-sandbox/README.md.`);
        }
        const raw = method === "GET" ? url.search.slice(1) : await readBody(request);
        let params: FormObject;
        try {
          params = parseForm(raw);
        } catch (error) {
          throw new StripeApiError(400, "invalid_request_error", `Invalid request body: ${(error as Error).message}`);
        }
        if ("expand" in params) throw invalidParam("expand", "The local Stripe sandbox does not implement expand; retrieve the related object by its id.", "parameter_unknown");
        const match = url.pathname.match(route.pattern) as RegExpMatchArray;
        const idempotencyKey = method === "POST" ? (request.headers["idempotency-key"] as string | undefined) ?? null : null;

        // From here on the request is handled synchronously: a concurrent request with the same key sees the stored response.
        if (idempotencyKey !== null) {
          if (idempotencyKey.length === 0 || idempotencyKey.length > 255) {
            throw new StripeApiError(400, "invalid_request_error", "Idempotency-Key must be 1 to 255 characters.", "idempotency_key_invalid");
          }
          const now = Date.now();
          pruneKeys(now);
          const fingerprint = `${method} ${url.pathname} ${canonicalParams(params)}`;
          const stored = idempotent.get(idempotencyKey);
          if (stored) {
            if (stored.fingerprint !== fingerprint) {
              throw new StripeApiError(400, "idempotency_error", `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`);
            }
            send(response, stored.status, stored.body, requestId, { "Idempotency-Key": idempotencyKey, "Idempotent-Replayed": "true" });
            return;
          }
          try {
            const { body, changes } = route.handle(params, match);
            const text = JSON.stringify(body);
            idempotent.set(idempotencyKey, { fingerprint, status: 200, body: text, storedAt: now });
            if (changes?.length) webhooks.emit(changes, { id: requestId, idempotencyKey });
            send(response, 200, text, requestId, { "Idempotency-Key": idempotencyKey });
          } catch (error) {
            // Stripe saves a result only once the endpoint has started executing; validation errors are not saved.
            if (error instanceof StripeApiError && error.replayable) {
              idempotent.set(idempotencyKey, { fingerprint, status: error.status, body: JSON.stringify(error.toBody()), storedAt: now });
            }
            throw error;
          }
          return;
        }
        const { body, changes } = route.handle(params, match);
        if (changes?.length) webhooks.emit(changes, { id: requestId, idempotencyKey: null });
        send(response, 200, JSON.stringify(body), requestId);
      } catch (error) {
        const apiError = error instanceof StripeApiError
          ? error
          : new StripeApiError(500, "api_error", `The local Stripe sandbox failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) send(response, apiError.status, JSON.stringify(apiError.toBody()), requestId);
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => { server.off("error", reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`, host: "127.0.0.1", port, protocol: "http", state, webhooks,
    setRefundStatus: moveAndAnnounce,
    failNextResponses(count, fault) {
      if (!Number.isInteger(count) || count < 1) throw new Error("count must be a positive integer");
      faults.push({ remaining: count, fault });
    },
    async close() {
      for (const timer of autoSucceedTimers) clearTimeout(timer);
      autoSucceedTimers.clear();
      await webhooks.settled();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
