// Webhook events signed exactly as Stripe signs them (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`),
// delivered with retries, and replayable on demand so consumers can be tested for exactly-once and out-of-order handling.

import { createHmac } from "node:crypto";
import { newId, type StateChange, type StripeObject } from "./store.ts";

export const SANDBOX_API_VERSION = "2025-09-30.clover";

export interface StripeEvent {
  id: string; object: "event"; api_version: string; created: number; livemode: false; pending_webhooks: number;
  type: string; data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  request: { id: string | null; idempotency_key: string | null };
}

export interface DeliveryAttempt { at: number; status: number | null; error?: string }
export interface EventRecord { event: StripeEvent; attempts: DeliveryAttempt[]; delivered: boolean }

export function signPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export interface WebhookOptions {
  url?: string;
  secret: string;
  /** Attempts per delivery, including the first (default 4). */
  maxAttempts?: number;
  /** Delay before retry n is retryDelayMs * 2^(n-1) (default 100 ms; Stripe waits hours, tests cannot). */
  retryDelayMs?: number;
}

export class WebhookDispatcher {
  readonly events: EventRecord[] = [];
  private readonly queued: string[] = [];
  private paused = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: WebhookOptions) {
    if (typeof options.secret !== "string" || options.secret.length === 0) throw new Error("webhookSecret is required (e.g. whsec_…)");
  }

  /** Records events for the changes and delivers them (or queues them while paused). */
  emit(changes: readonly StateChange[], request: { id: string; idempotencyKey: string | null }): StripeEvent[] {
    const created = changes.map((change): StripeEvent => ({
      id: newId("evt"), object: "event", api_version: SANDBOX_API_VERSION, created: Math.floor(Date.now() / 1000),
      livemode: false, pending_webhooks: this.options.url ? 1 : 0, type: change.type,
      data: change.previous_attributes ? { object: change.object, previous_attributes: change.previous_attributes } : { object: change.object },
      request: { id: request.id, idempotency_key: request.idempotencyKey },
    }));
    for (const event of created) {
      this.events.push({ event, attempts: [], delivered: false });
      if (!this.options.url) continue;
      if (this.paused) this.queued.push(event.id);
      else void this.deliver(event.id).catch(() => undefined);
    }
    return created;
  }

  find(eventId: string): EventRecord | undefined {
    return this.events.find((record) => record.event.id === eventId);
  }

  /** Holds new events until `resume()` or explicit `deliver()` calls (to deliver them in any order). */
  pause(): void { this.paused = true; }

  /** Delivers the held events in the order given (default: the order they happened), then resumes automatic delivery. */
  resume(order?: readonly string[]): Promise<void> {
    return this.track(this.deliverHeld(order));
  }

  private async deliverHeld(order?: readonly string[]): Promise<void> {
    const ids = order ?? [...this.queued];
    this.paused = false;
    for (const id of ids) {
      const at = this.queued.indexOf(id);
      if (at >= 0) this.queued.splice(at, 1);
      await this.deliver(id);
    }
    for (const id of this.queued.splice(0)) await this.deliver(id);
  }

  heldEventIds(): string[] { return [...this.queued]; }

  /** Delivers (or re-delivers) one event now, with retries on non-2xx; resolves to the last attempt. */
  deliver(eventId: string): Promise<DeliveryAttempt> {
    // Delivering a held event by hand takes it out of the held queue.
    const held = this.queued.indexOf(eventId);
    if (held >= 0) this.queued.splice(held, 1);
    return this.track(this.send(eventId));
  }

  private async send(eventId: string): Promise<DeliveryAttempt> {
    const record = this.find(eventId);
    if (!record) throw new Error(`no such event: ${eventId}`);
    const url = this.options.url;
    if (!url) throw new Error("the sandbox has no webhookUrl to deliver to");
    const maxAttempts = this.options.maxAttempts ?? 4;
    const retryDelayMs = this.options.retryDelayMs ?? 100;
    const payload = JSON.stringify(record.event, null, 2);
    let last: DeliveryAttempt = { at: Date.now(), status: null };
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      // Each attempt is signed afresh, as Stripe does, so the timestamp is within the tolerance.
      last = { at: Date.now(), status: null };
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": signPayload(payload, this.options.secret), "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks) (m-factory sandbox)" },
          body: payload,
        });
        await response.arrayBuffer();
        last.status = response.status;
      } catch (error) {
        last.error = error instanceof Error ? error.message : String(error);
      }
      record.attempts.push(last);
      if (last.status !== null && last.status >= 200 && last.status < 300) {
        record.delivered = true;
        return last;
      }
      if (attempt < maxAttempts) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
    }
    return last;
  }

  /** Resolves once every delivery started so far has finished (succeeded or exhausted its retries). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(delivery: Promise<T>): Promise<T> {
    const tracked = delivery.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return delivery;
  }
}
