import { describe, expect, it } from "vitest";
import { clawbackOffer, currencyExponent, minorToMajorInput, parseMajorAmount, summarisePayment } from "./money";
import { rpcErrorMessage } from "../../lib/rpc";
import { REFUND_WORDING } from "./api";

/** A refusal of request_refund as the screens word it (no HTTP status: the code alone decides). */
const refundErrorText = (code: string | null, message: string | null) => rpcErrorMessage({ fn: "request_refund", code, status: null, message: message ?? "" }, REFUND_WORDING);

describe("parseMajorAmount: major units typed by staff → minor units", () => {
  it.each([
    ["12.34", "thb", 1234],
    ["12.3", "thb", 1230],
    ["12", "thb", 1200],
    ["0.01", "usd", 1],
    ["1,234.5", "usd", 123450],
    ["  299.00 ", "thb", 29900],
    ["1500", "jpy", 1500],
    ["1,500", "jpy", 1500],
    ["0.29", "eur", 29], // 0.29 * 100 is 28.999… in floating point
    ["1234567.89", "usd", 123456789],
  ])("%s %s → %d", (input, currency, minor) => {
    expect(parseMajorAmount(input, currency)).toEqual({ ok: true, minor });
  });

  it.each([
    ["", "thb", "Enter the amount to refund."],
    ["0", "thb", "The amount must be more than zero."],
    ["0.00", "usd", "The amount must be more than zero."],
    ["-1", "thb", "The amount must be more than zero."],
    ["abc", "thb", '"abc" is not an amount; write it like 123.45.'],
    ["1e3", "usd", '"1e3" is not an amount; write it like 123.45.'],
    ["12,34", "thb", '"12,34" is not an amount; write it like 123.45.'],
    ["1.005", "thb", "THB has 2 decimal places at most."],
    ["1.5", "jpy", "JPY has no decimal places."],
  ])("refuses %j in %s", (input, currency, error) => {
    expect(parseMajorAmount(input, currency)).toEqual({ ok: false, error });
  });

  it("refuses more than remains, saying how much remains", () => {
    expect(parseMajorAmount("219.01", "thb", 21900)).toEqual({ ok: false, error: "At most ฿219.00 remains refundable." });
    expect(parseMajorAmount("219.00", "thb", 21900)).toEqual({ ok: true, minor: 21900 });
    expect(parseMajorAmount("20001", "jpy", 20000)).toEqual({ ok: false, error: "At most ¥20,000 remains refundable." });
  });

  it("exponents and the way back", () => {
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("thb")).toBe(2);
    expect(minorToMajorInput(29900, "thb")).toBe("299.00");
    expect(minorToMajorInput(5, "usd")).toBe("0.05");
    expect(minorToMajorInput(1500, "jpy")).toBe("1500");
  });
});

describe("summarisePayment", () => {
  it("refunded counts Stripe's statuses, reserved the requests not yet at Stripe, released ones free their amount", () => {
    const refunds = [
      { amount: 5000, status: "succeeded" as const },
      { amount: 1000, status: "pending" as const },
      { amount: 3000, status: "awaiting_approval" as const },
      { amount: 700, status: "processing" as const },
      { amount: 2000, status: "rejected" as const },
      { amount: 400, status: "failed" as const },
      { amount: 300, status: "canceled" as const },
    ];
    expect(summarisePayment(29900, refunds)).toEqual({ paid: 29900, refunded: 6000, reserved: 3700, remaining: 29900 - 9700 });
  });
  it("never negative", () => {
    expect(summarisePayment("100", [{ amount: "150", status: "succeeded" }]).remaining).toBe(0);
  });
});

describe("clawbackOffer", () => {
  it("is the unused part of what the top-up granted", () => {
    expect(clawbackOffer(1000, 1250)).toBe(1000);
    expect(clawbackOffer(1000, 640)).toBe(640);
    expect(clawbackOffer(1000, 0)).toBe(0);
    expect(clawbackOffer(null, 500)).toBe(0);
    expect(clawbackOffer(1000, "-20")).toBe(0);
  });
});

describe("refundErrorText", () => {
  it("maps SQLSTATEs to clear text and keeps the database's detail", () => {
    expect(refundErrorText("22023", "amount exceeds what remains refundable: ฿219.00")).toBe("amount exceeds what remains refundable: ฿219.00");
    expect(refundErrorText("42501", "cannot approve own refund")).toMatch(/^Not allowed for your role.*\(cannot approve own refund\)$/);
    expect(refundErrorText("23505", null)).toMatch(/already recorded with different values/);
    expect(refundErrorText("PT404", "unknown payment")).toMatch(/no longer exists/);
    expect(refundErrorText("PT409", "payment is not succeeded")).toMatch(/not in a state.*payment is not succeeded/);
    expect(refundErrorText(null, "network down")).toBe("network down");
    expect(refundErrorText("PGRST301", "JWT expired")).toBe("Your session has expired. Sign in again; the form keeps what you typed. (JWT expired)");
  });
});

describe("newIdempotencyKey", () => {
  it("is a v4 UUID, also where crypto.randomUUID is missing (plain-http pages)", async () => {
    const { newIdempotencyKey } = await import("./api");
    const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newIdempotencyKey()).toMatch(V4);
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
      expect(keys.size).toBe(50);
      for (const k of keys) expect(k).toMatch(V4);
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: original, configurable: true });
    }
  });
});
