import { describe, expect, it } from "vitest";
import { canonicalParams, parseForm } from "../../server/stripe-sandbox/form.ts";

describe("parseForm (Stripe's form encoding)", () => {
  it("nests bracketed keys into objects", () => {
    expect(parseForm("amount=500&metadata%5Border%5D=42&metadata%5Bnote%5D=a%20b&created%5Bgte%5D=10")).toEqual({
      amount: "500", metadata: { order: "42", note: "a b" }, created: { gte: "10" },
    });
  });

  it("collects a[]= and indexed a[0]= values into arrays", () => {
    expect(parseForm("expand[]=a&expand[]=b")).toEqual({ expand: ["a", "b"] });
    expect(parseForm("payment_method_types[0]=card")).toEqual({ payment_method_types: ["card"] });
  });

  it("refuses a malformed key and a key that is both a value and an object", () => {
    expect(() => parseForm("a[b=1")).toThrow(/malformed/);
    expect(() => parseForm("a=1&a[b]=2")).toThrow(/both a value and an object/);
  });
});

describe("canonicalParams", () => {
  it("ignores key order but not values", () => {
    expect(canonicalParams(parseForm("a=1&b=2&m[x]=1&m[y]=2"))).toBe(canonicalParams(parseForm("m[y]=2&b=2&m[x]=1&a=1")));
    expect(canonicalParams(parseForm("a=1&b=2"))).not.toBe(canonicalParams(parseForm("a=1&b=3")));
  });
});
