// The sandbox's state and Stripe's rules. Every operation is synchronous, so a request is applied whole or not at all
// and concurrent HTTP requests cannot interleave inside one.

import { randomBytes } from "node:crypto";
import { StripeApiError, invalidParam, missingParam, resourceMissing, unknownParam } from "./errors.ts";
import type { FormObject, FormValue } from "./form.ts";

export type RefundStatus = "pending" | "requires_action" | "succeeded" | "failed" | "canceled";
export type RefundReason = "duplicate" | "fraudulent" | "requested_by_customer";
export const REFUND_REASONS: readonly RefundReason[] = ["duplicate", "fraudulent", "requested_by_customer"];
const REFUND_STATUSES: readonly RefundStatus[] = ["pending", "requires_action", "succeeded", "failed", "canceled"];
const REFUND_FAILURE_REASONS = ["lost_or_stolen_card", "expired_or_canceled_card", "charge_for_pending_refund_disputed", "insufficient_funds", "declined", "merchant_request", "unknown"];

/** Which refund status may follow which (terminal statuses never change). */
const REFUND_TRANSITIONS: Record<RefundStatus, readonly RefundStatus[]> = {
  pending: ["succeeded", "failed", "requires_action", "canceled"],
  requires_action: ["pending", "succeeded", "failed", "canceled"],
  succeeded: [],
  failed: [],
  canceled: [],
};

export type Metadata = Record<string, string>;

export interface Customer {
  id: string; object: "customer"; created: number; email: string | null; name: string | null;
  metadata: Metadata; livemode: false;
}
export interface PaymentIntent {
  id: string; object: "payment_intent"; amount: number; amount_received: number; currency: string;
  customer: string | null; description: string | null; latest_charge: string; metadata: Metadata;
  status: "succeeded"; created: number; capture_method: "automatic"; payment_method_types: string[]; livemode: false;
}
export interface Charge {
  id: string; object: "charge"; amount: number; amount_captured: number; amount_refunded: number; refunded: boolean;
  balance_transaction: string; captured: true; paid: true; status: "succeeded"; currency: string;
  customer: string | null; description: string | null; payment_intent: string; metadata: Metadata; created: number;
  livemode: false;
}
export interface Refund {
  id: string; object: "refund"; amount: number; balance_transaction: string; charge: string; created: number;
  currency: string; metadata: Metadata; payment_intent: string; reason: RefundReason | null; status: RefundStatus;
  failure_reason?: string; failure_balance_transaction?: string;
}
export interface BalanceTransaction {
  id: string; object: "balance_transaction"; amount: number; available_on: number; created: number; currency: string;
  description: string | null; fee: number; fee_details: { amount: number; currency: string; description: string; type: "stripe_fee" }[];
  net: number; reporting_category: "charge" | "refund" | "refund_failure"; source: string; status: "available" | "pending";
  type: "charge" | "refund" | "payment_failure_refund";
}
export type StripeObject = Customer | PaymentIntent | Charge | Refund | BalanceTransaction;

export interface SeedRefund {
  id?: string; amount: number; reason?: RefundReason | null; status: RefundStatus; created?: number | Date;
  metadata?: Metadata; failure_reason?: string;
}
export interface SeedPayment {
  paymentIntentId?: string; chargeId?: string; balanceTransactionId?: string; customer?: string | null;
  amount: number; currency: string; created?: number | Date; fee?: number; description?: string; metadata?: Metadata;
  refunds?: SeedRefund[];
}
export interface SeedCustomer { id?: string; email?: string; name?: string; created?: number | Date; metadata?: Metadata }
export interface StripeSeed { customers?: SeedCustomer[]; payments?: SeedPayment[] }

/** Something the webhook dispatcher must announce: an event type and the object as it is now. */
export interface StateChange { type: string; object: StripeObject; previous_attributes?: Record<string, unknown> }

export type FeeRule = (amount: number, currency: string) => number;
/** Default processing fee: 3.65% (Stripe Thailand's card rate), at least nothing, never more than the charge. */
export const defaultFee: FeeRule = (amount) => Math.min(amount, Math.round(amount * 0.0365));

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  let id = "";
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}_${id}`;
}

function toUnix(value: number | Date | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  return value;
}

const nowUnix = (): number => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------- parameter helpers

function onlyKnown(params: FormObject, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) if (!allowed.includes(key)) throw unknownParam(key);
}

function stringParam(params: FormObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidParam(name, `Invalid string: ${name} must be a string.`);
  return value;
}

function positiveIntegerParam(params: FormObject, name: string): number | undefined {
  const raw = stringParam(params, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidParam(name, `Invalid integer: ${raw}`, "parameter_invalid_integer");
  const value = Number(raw);
  if (value <= 0 || !Number.isSafeInteger(value)) {
    throw invalidParam(name, `Invalid positive integer: ${raw}`, "parameter_invalid_integer");
  }
  return value;
}

function metadataParam(params: FormObject): Metadata | undefined {
  const value = params.metadata;
  if (value === undefined) return undefined;
  if (value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParam("metadata", "Invalid metadata: must be an object of strings.");
  const metadata: Metadata = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") throw invalidParam(`metadata[${key}]`, "Invalid metadata: values must be strings.");
    if (key.length > 40) throw invalidParam(`metadata[${key}]`, "Metadata keys can have up to 40 characters.");
    if (entry.length > 500) throw invalidParam(`metadata[${key}]`, "Metadata values can have up to 500 characters.");
    metadata[key] = entry;
  }
  if (Object.keys(metadata).length > 50) throw invalidParam("metadata", "Metadata can have up to 50 keys.");
  return metadata;
}

function currencyParam(value: string | undefined, name = "currency"): string {
  if (value === undefined) throw missingParam(name);
  const currency = value.toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidParam(name, `Invalid currency: ${value}.`);
  return currency;
}

export interface ListRange { gt?: number; gte?: number; lt?: number; lte?: number }

function createdFilter(params: FormObject): ListRange | undefined {
  const value = params.created;
  if (value === undefined) return undefined;
  const asInt = (raw: FormValue | undefined, name: string): number | undefined => {
    if (raw === undefined) return undefined;
    if (typeof raw !== "string" || !/^\d+$/.test(raw)) throw invalidParam(name, `Invalid integer: ${String(raw)}`, "parameter_invalid_integer");
    return Number(raw);
  };
  if (typeof value === "string") {
    const exact = asInt(value, "created");
    return { gte: exact, lte: exact };
  }
  if (Array.isArray(value)) throw invalidParam("created", "Invalid created: expected an integer or a range.");
  for (const key of Object.keys(value)) if (!["gt", "gte", "lt", "lte"].includes(key)) throw unknownParam(`created[${key}]`);
  return {
    gt: asInt(value.gt, "created[gt]"), gte: asInt(value.gte, "created[gte]"),
    lt: asInt(value.lt, "created[lt]"), lte: asInt(value.lte, "created[lte]"),
  };
}

function inRange(created: number, range: ListRange | undefined): boolean {
  if (!range) return true;
  if (range.gt !== undefined && !(created > range.gt)) return false;
  if (range.gte !== undefined && !(created >= range.gte)) return false;
  if (range.lt !== undefined && !(created < range.lt)) return false;
  if (range.lte !== undefined && !(created <= range.lte)) return false;
  return true;
}

export interface ListPage<T> { object: "list"; data: T[]; has_more: boolean; url: string }

// ---------------------------------------------------------------- the state

interface Stored<T> { value: T; sequence: number }

export class SandboxState {
  readonly customers = new Map<string, Stored<Customer>>();
  readonly paymentIntents = new Map<string, Stored<PaymentIntent>>();
  readonly charges = new Map<string, Stored<Charge>>();
  readonly refunds = new Map<string, Stored<Refund>>();
  readonly balanceTransactions = new Map<string, Stored<BalanceTransaction>>();
  private sequence = 0;

  constructor(private readonly fee: FeeRule = defaultFee, private readonly initialRefundStatus: RefundStatus = "pending") {}

  private put<T extends { id: string }>(map: Map<string, Stored<T>>, value: NoInfer<T>): T {
    if (map.has(value.id)) throw new Error(`duplicate id ${value.id}`);
    this.sequence += 1;
    map.set(value.id, { value, sequence: this.sequence });
    return value;
  }

  // ------------------------------------------------------------ seeding

  seed(seed: StripeSeed): void {
    const now = nowUnix();
    for (const customer of seed.customers ?? []) {
      this.put(this.customers, {
        id: customer.id ?? newId("cus"), object: "customer", created: toUnix(customer.created, now),
        email: customer.email ?? null, name: customer.name ?? null, metadata: { ...customer.metadata }, livemode: false,
      });
    }
    for (const payment of seed.payments ?? []) {
      if (!Number.isSafeInteger(payment.amount) || payment.amount <= 0) throw new Error(`seed payment amount must be a positive integer, got ${payment.amount}`);
      const currency = payment.currency.toLowerCase();
      if (!/^[a-z]{3}$/.test(currency)) throw new Error(`seed payment currency must be a three-letter code, got ${payment.currency}`);
      if (payment.customer && !this.customers.has(payment.customer)) {
        // Seeded payments may name customers the caller did not list; create them so retrieval works.
        this.put(this.customers, { id: payment.customer, object: "customer", created: toUnix(payment.created, now), email: null, name: null, metadata: {}, livemode: false });
      }
      const charge = this.recordPayment({
        amount: payment.amount, currency, customer: payment.customer ?? null, created: toUnix(payment.created, now),
        description: payment.description ?? null, metadata: { ...payment.metadata }, fee: payment.fee,
        ids: { paymentIntent: payment.paymentIntentId, charge: payment.chargeId, balanceTransaction: payment.balanceTransactionId },
      });
      for (const refund of payment.refunds ?? []) {
        const created = this.applyRefund(charge, {
          id: refund.id, amount: refund.amount, reason: refund.reason ?? null, metadata: { ...refund.metadata },
          created: toUnix(refund.created, charge.created), status: "pending",
        });
        if (refund.status !== "pending") this.moveRefund(created.id, refund.status, refund.failure_reason);
      }
    }
  }

  // ------------------------------------------------------------ payments

  private recordPayment(input: {
    amount: number; currency: string; customer: string | null; created: number; description: string | null;
    metadata: Metadata; fee?: number; ids?: { paymentIntent?: string; charge?: string; balanceTransaction?: string };
  }): Charge {
    const paymentIntentId = input.ids?.paymentIntent ?? newId("pi");
    const chargeId = input.ids?.charge ?? newId("ch");
    const balanceTransactionId = input.ids?.balanceTransaction ?? newId("txn");
    if (!/^pi_[A-Za-z0-9]+$/.test(paymentIntentId)) throw new Error(`payment intent id must look like pi_…, got ${paymentIntentId}`);
    if (!/^ch_[A-Za-z0-9]+$/.test(chargeId)) throw new Error(`charge id must look like ch_…, got ${chargeId}`);
    const fee = input.fee ?? this.fee(input.amount, input.currency);
    if (!Number.isSafeInteger(fee) || fee < 0 || fee > input.amount) throw new Error(`fee must be an integer between 0 and the amount, got ${fee}`);
    this.put(this.balanceTransactions, {
      id: balanceTransactionId, object: "balance_transaction", amount: input.amount, available_on: input.created + 2 * 86_400,
      created: input.created, currency: input.currency, description: input.description, fee,
      fee_details: fee > 0 ? [{ amount: fee, currency: input.currency, description: "Stripe processing fees", type: "stripe_fee" }] : [],
      net: input.amount - fee, reporting_category: "charge", source: chargeId, status: "available", type: "charge",
    });
    const charge = this.put(this.charges, {
      id: chargeId, object: "charge", amount: input.amount, amount_captured: input.amount, amount_refunded: 0, refunded: false,
      balance_transaction: balanceTransactionId, captured: true, paid: true, status: "succeeded", currency: input.currency,
      customer: input.customer, description: input.description, payment_intent: paymentIntentId, metadata: input.metadata,
      created: input.created, livemode: false,
    });
    this.put(this.paymentIntents, {
      id: paymentIntentId, object: "payment_intent", amount: input.amount, amount_received: input.amount, currency: input.currency,
      customer: input.customer, description: input.description, latest_charge: chargeId, metadata: input.metadata,
      status: "succeeded", created: input.created, capture_method: "automatic", payment_method_types: ["card"], livemode: false,
    });
    return charge;
  }

  /** POST /v1/payment_intents: the sandbox creates the intent already confirmed and succeeded (card test payment). */
  createPaymentIntent(params: FormObject): PaymentIntent {
    onlyKnown(params, ["amount", "currency", "customer", "description", "metadata", "confirm", "payment_method", "payment_method_types"]);
    const amount = positiveIntegerParam(params, "amount");
    if (amount === undefined) throw missingParam("amount");
    const currency = currencyParam(stringParam(params, "currency"));
    const customer = stringParam(params, "customer") ?? null;
    if (customer !== null && !this.customers.has(customer)) throw resourceMissing("customer", customer);
    const charge = this.recordPayment({
      amount, currency, customer, created: nowUnix(), description: stringParam(params, "description") ?? null,
      metadata: metadataParam(params) ?? {},
    });
    return this.getPaymentIntent(charge.payment_intent);
  }

  createCustomer(params: FormObject): Customer {
    onlyKnown(params, ["email", "name", "metadata"]);
    return this.put(this.customers, {
      id: newId("cus"), object: "customer", created: nowUnix(), email: stringParam(params, "email") ?? null,
      name: stringParam(params, "name") ?? null, metadata: metadataParam(params) ?? {}, livemode: false,
    });
  }

  getCustomer(id: string): Customer { return this.get(this.customers, "customer", id); }
  getPaymentIntent(id: string): PaymentIntent { return this.get(this.paymentIntents, "payment_intent", id); }
  getCharge(id: string): Charge { return this.get(this.charges, "charge", id); }
  getRefund(id: string): Refund { return this.get(this.refunds, "refund", id); }
  getBalanceTransaction(id: string): BalanceTransaction { return this.get(this.balanceTransactions, "balance_transaction", id); }

  private get<T>(map: Map<string, Stored<T>>, kind: string, id: string): T {
    const found = map.get(id);
    if (!found) throw resourceMissing(kind, id);
    return found.value;
  }

  // ------------------------------------------------------------ refunds

  /** POST /v1/refunds. Returns the refund and the changes to announce. */
  createRefund(params: FormObject): { refund: Refund; changes: StateChange[] } {
    onlyKnown(params, ["payment_intent", "charge", "amount", "reason", "metadata", "currency"]);
    const paymentIntentId = stringParam(params, "payment_intent");
    const chargeId = stringParam(params, "charge");
    if (paymentIntentId === undefined && chargeId === undefined) {
      throw new StripeApiError(400, "invalid_request_error", "One of the following params should be provided for this request: payment_intent or charge.", "parameter_missing", "payment_intent");
    }
    let charge: Charge;
    if (paymentIntentId !== undefined) {
      const intent = this.paymentIntents.get(paymentIntentId)?.value;
      if (!intent) throw new StripeApiError(400, "invalid_request_error", `No such payment_intent: '${paymentIntentId}'`, "resource_missing", "payment_intent");
      charge = this.getCharge(intent.latest_charge);
      if (chargeId !== undefined && chargeId !== charge.id) {
        throw invalidParam("charge", `The charge ${chargeId} does not belong to payment_intent ${paymentIntentId}.`);
      }
    } else {
      const found = this.charges.get(chargeId as string)?.value;
      if (!found) throw new StripeApiError(400, "invalid_request_error", `No such charge: '${chargeId}'`, "resource_missing", "charge");
      charge = found;
    }
    const amount = positiveIntegerParam(params, "amount");
    const reason = stringParam(params, "reason");
    if (reason !== undefined && !(REFUND_REASONS as readonly string[]).includes(reason)) {
      throw invalidParam("reason", `Invalid reason: must be one of ${REFUND_REASONS.join(", ")}`);
    }
    const currency = stringParam(params, "currency");
    if (currency !== undefined && currency.toLowerCase() !== charge.currency) {
      throw invalidParam("currency", `The refund currency (${currency}) must match the charge currency (${charge.currency}).`);
    }
    const metadata = metadataParam(params) ?? {};
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0) {
      throw new StripeApiError(400, "invalid_request_error", `Charge ${charge.id} has already been refunded.`, "charge_already_refunded", undefined, true);
    }
    const refundAmount = amount ?? remaining;
    if (refundAmount > remaining) {
      throw new StripeApiError(400, "invalid_request_error",
        `Refund amount (${refundAmount} ${charge.currency}) is greater than unrefunded amount on charge (${remaining} ${charge.currency})`,
        "amount_too_large", "amount", true);
    }
    const refund = this.applyRefund(charge, {
      amount: refundAmount, reason: (reason as RefundReason | undefined) ?? null, metadata, created: nowUnix(),
      status: this.initialRefundStatus,
    });
    const changes: StateChange[] = [
      { type: "charge.refunded", object: structuredClone(charge), previous_attributes: { amount_refunded: charge.amount_refunded - refundAmount } },
      { type: "refund.created", object: structuredClone(refund) },
    ];
    return { refund, changes };
  }

  private applyRefund(charge: Charge, input: { id?: string; amount: number; reason: RefundReason | null; metadata: Metadata; created: number; status: RefundStatus }): Refund {
    const remaining = charge.amount - charge.amount_refunded;
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0 || input.amount > remaining) {
      throw new Error(`refund of ${input.amount} on ${charge.id} is not within the remaining ${remaining}`);
    }
    const refundId = input.id ?? newId("re");
    if (!/^re_[A-Za-z0-9]+$/.test(refundId)) throw new Error(`refund id must look like re_…, got ${refundId}`);
    const transaction = this.put(this.balanceTransactions, {
      id: newId("txn"), object: "balance_transaction", amount: -input.amount, available_on: input.created, created: input.created,
      currency: charge.currency, description: "REFUND FOR CHARGE", fee: 0, fee_details: [], net: -input.amount,
      reporting_category: "refund", source: refundId, status: "available", type: "refund",
    });
    charge.amount_refunded += input.amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return this.put(this.refunds, {
      id: refundId, object: "refund", amount: input.amount, balance_transaction: transaction.id, charge: charge.id,
      created: input.created, currency: charge.currency, metadata: input.metadata, payment_intent: charge.payment_intent,
      reason: input.reason, status: input.status,
    });
  }

  /** POST /v1/refunds/:id — only metadata may change, as with Stripe. */
  updateRefund(id: string, params: FormObject): { refund: Refund; changes: StateChange[] } {
    onlyKnown(params, ["metadata"]);
    const refund = this.getRefund(id);
    const metadata = metadataParam(params);
    if (metadata === undefined) return { refund, changes: [] };
    const previous = { metadata: { ...refund.metadata } };
    // Stripe merges metadata; an empty value unsets a key.
    for (const [key, value] of Object.entries(metadata)) {
      if (value === "") delete refund.metadata[key];
      else refund.metadata[key] = value;
    }
    return { refund, changes: [{ type: "refund.updated", object: structuredClone(refund), previous_attributes: previous }] };
  }

  /** Test helper: moves a refund along Stripe's lifecycle. A failed or canceled refund returns its amount to the charge. */
  moveRefund(id: string, status: string, failureReason?: string): { refund: Refund; changes: StateChange[] } {
    const refund = this.getRefund(id);
    if (!(REFUND_STATUSES as readonly string[]).includes(status)) {
      throw invalidParam("status", `Invalid status: must be one of ${REFUND_STATUSES.join(", ")}`);
    }
    const next = status as RefundStatus;
    if (!REFUND_TRANSITIONS[refund.status].includes(next)) {
      throw new StripeApiError(400, "invalid_request_error", `Refund ${id} cannot move from ${refund.status} to ${next}.`, "refund_status_transition_invalid", "status");
    }
    if (failureReason !== undefined && next !== "failed") throw invalidParam("failure_reason", "failure_reason is only allowed with status failed.");
    if (failureReason !== undefined && !REFUND_FAILURE_REASONS.includes(failureReason)) {
      throw invalidParam("failure_reason", `Invalid failure_reason: must be one of ${REFUND_FAILURE_REASONS.join(", ")}`);
    }
    const previous: Record<string, unknown> = { status: refund.status };
    refund.status = next;
    const changes: StateChange[] = [];
    if (next === "failed" || next === "canceled") {
      const charge = this.getCharge(refund.charge);
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
      const reversal = this.put(this.balanceTransactions, {
        id: newId("txn"), object: "balance_transaction", amount: refund.amount, available_on: nowUnix(), created: nowUnix(),
        currency: refund.currency, description: `REFUND ${next.toUpperCase()} FOR CHARGE`, fee: 0, fee_details: [], net: refund.amount,
        reporting_category: "refund_failure", source: refund.id, status: "available", type: "payment_failure_refund",
      });
      if (next === "failed") {
        refund.failure_reason = failureReason ?? "unknown";
        refund.failure_balance_transaction = reversal.id;
        previous.failure_reason = null;
      }
      changes.push({ type: "refund.updated", object: structuredClone(refund), previous_attributes: previous });
      if (next === "failed") changes.push({ type: "refund.failed", object: structuredClone(refund), previous_attributes: previous });
      changes.push({ type: "charge.refund.updated", object: structuredClone(refund), previous_attributes: previous });
    } else {
      changes.push({ type: "refund.updated", object: structuredClone(refund), previous_attributes: previous });
    }
    return { refund, changes };
  }

  // ------------------------------------------------------------ lists

  list<T extends { id: string; created: number }>(
    kind: "customers" | "payment_intents" | "charges" | "refunds" | "balance_transactions",
    params: FormObject,
    filters: readonly string[],
    match: (value: T, params: FormObject) => boolean,
  ): ListPage<T> {
    onlyKnown(params, ["limit", "starting_after", "ending_before", "created", ...filters]);
    const limitRaw = stringParam(params, "limit");
    let limit = 10;
    if (limitRaw !== undefined) {
      if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 100) {
        throw invalidParam("limit", `Invalid limit: must be an integer between 1 and 100, got ${limitRaw}.`);
      }
      limit = Number(limitRaw);
    }
    const startingAfter = stringParam(params, "starting_after");
    const endingBefore = stringParam(params, "ending_before");
    if (startingAfter !== undefined && endingBefore !== undefined) {
      throw new StripeApiError(400, "invalid_request_error", "You may only specify one of these parameters: starting_after, ending_before.", "parameter_invalid", "starting_after");
    }
    const map = this.mapFor(kind) as unknown as Map<string, Stored<T>>;
    const range = createdFilter(params);
    // Newest first, as Stripe lists; ties broken by creation order so pages are stable.
    const ordered = [...map.values()]
      .filter((entry) => inRange(entry.value.created, range) && match(entry.value, params))
      .sort((a, b) => b.value.created - a.value.created || b.sequence - a.sequence)
      .map((entry) => entry.value);
    const cursorIndex = (cursor: string, param: string): number => {
      if (!map.has(cursor)) throw new StripeApiError(400, "invalid_request_error", `No such object: '${cursor}'`, "resource_missing", param);
      const index = ordered.findIndex((value) => value.id === cursor);
      if (index < 0) throw invalidParam(param, `The object ${cursor} is not part of this list's filters.`);
      return index;
    };
    let data: T[];
    let hasMore: boolean;
    if (startingAfter !== undefined) {
      const from = cursorIndex(startingAfter, "starting_after") + 1;
      data = ordered.slice(from, from + limit);
      hasMore = from + limit < ordered.length;
    } else if (endingBefore !== undefined) {
      const to = cursorIndex(endingBefore, "ending_before");
      const from = Math.max(0, to - limit);
      data = ordered.slice(from, to);
      hasMore = from > 0;
    } else {
      data = ordered.slice(0, limit);
      hasMore = limit < ordered.length;
    }
    return { object: "list", data, has_more: hasMore, url: `/v1/${kind}` };
  }

  private mapFor(kind: string): Map<string, Stored<StripeObject>> {
    switch (kind) {
      case "customers": return this.customers as Map<string, Stored<StripeObject>>;
      case "payment_intents": return this.paymentIntents as Map<string, Stored<StripeObject>>;
      case "charges": return this.charges as Map<string, Stored<StripeObject>>;
      case "refunds": return this.refunds as Map<string, Stored<StripeObject>>;
      default: return this.balanceTransactions as Map<string, Stored<StripeObject>>;
    }
  }
}
