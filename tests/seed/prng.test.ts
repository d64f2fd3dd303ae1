import { describe, expect, it } from "vitest";
import { Random, deriveSeed, sfc32 } from "../../server/seed/prng.ts";

describe("seed PRNG", () => {
  it("repeats the same sequence for the same stream name", () => {
    const a = new Random(7, "customer", 3);
    const b = new Random(7, "customer", 3);
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });

  it("gives different sequences to different stream names", () => {
    const a = new Random(7, "customer", 3);
    const b = new Random(7, "customer", 4);
    expect(Array.from({ length: 8 }, () => a.next())).not.toEqual(Array.from({ length: 8 }, () => b.next()));
  });

  it("keeps 100k customer streams free of uuid collisions (32-bit-state generators fail this)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const rng = new Random(20261126, "customer", i);
      seen.add(rng.uuid());
      seen.add(rng.uuid());
    }
    expect(seen.size).toBe(200_000);
  });

  it("stays inside [0, 1) and int() inside its inclusive bounds", () => {
    const rng = new Random(1);
    const next = sfc32(1, 2, 3, 4);
    for (let i = 0; i < 5000; i++) {
      const x = next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = rng.int(-3, 3);
      expect(n >= -3 && n <= 3 && Number.isInteger(n)).toBe(true);
    }
  });

  it("reaches both ends of int() ranges", () => {
    const rng = new Random(2);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(1, 4)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
  });

  it("formats uuids as RFC 4122 version 4 and ids from their alphabets", () => {
    const rng = new Random(3);
    for (let i = 0; i < 200; i++) {
      expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(rng.base62(27)).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(rng.hex(32)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("never picks a zero-weight entry", () => {
    const rng = new Random(4);
    for (let i = 0; i < 1000; i++) expect(rng.weighted([["a", 1], ["never", 0], ["b", 3]] as const)).not.toBe("never");
  });

  it("rejects impossible requests with a clear error", () => {
    const rng = new Random(5);
    expect(() => rng.int(3, 1)).toThrow(/min <= max/);
    expect(() => rng.int(0.5, 2)).toThrow(/integers/);
    expect(() => rng.pick([])).toThrow(/non-empty/);
    expect(() => rng.weighted([["a", 0]] as const)).toThrow(/positive total/);
    expect(() => new Random()).toThrow(/seed part/);
  });

  it("derives 32-bit seeds that depend on every part", () => {
    expect(deriveSeed(1, "a")).toBe(deriveSeed(1, "a"));
    expect(deriveSeed(1, "a")).not.toBe(deriveSeed(1, "b"));
    expect(deriveSeed("1a")).not.toBe(deriveSeed(1, "a"));
    expect(Number.isInteger(deriveSeed("x")) && deriveSeed("x") >= 0 && deriveSeed("x") < 2 ** 32).toBe(true);
  });
});
