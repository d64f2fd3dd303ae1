/**
 * Small seeded randomness for the seed generator. Everything the seed writes (uuids, Clerk ids,
 * Stripe ids, times) comes from here, so the same seed and `now` always produce the same rows.
 */

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state, so the many independent
 * streams the seed opens (one per customer) neither collide nor overlap, which a 32-bit-state generator
 * such as mulberry32 does by the thousands at 100k customers.
 */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  let s0 = a | 0;
  let s1 = b | 0;
  let s2 = c | 0;
  let s3 = d | 0;
  const next = (): number => {
    const t = (((s0 + s1) | 0) + s3) | 0;
    s3 = (s3 + 1) | 0;
    s0 = s1 ^ (s1 >>> 9);
    s1 = (s2 + (s2 << 3)) | 0;
    s2 = (s2 << 21) | (s2 >>> 11);
    s2 = (s2 + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs still echo the seed words: discard them.
  for (let i = 0; i < 15; i++) next();
  return next;
}

/**
 * Folds parts into one 32-bit seed (FNV-1a over the joined text, then a murmur finaliser), so a
 * sub-stream such as "customer 42 of seed 7" is independent of how many rows came before it.
 */
export function deriveSeed(...parts: Array<string | number>): number {
  const text = parts.join("\u001f");
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX = "0123456789abcdef";

export class Random {
  private readonly source: () => number;

  /** A stream named by `parts`, e.g. `new Random(seed, "customer", 42)`: 128 bits of state from four hashes. */
  constructor(...parts: Array<string | number>) {
    if (parts.length === 0) throw new RangeError("Random needs at least one seed part");
    this.source = sfc32(deriveSeed(...parts, "a"), deriveSeed(...parts, "b"), deriveSeed(...parts, "c"), deriveSeed(...parts, "d"));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source();
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`Random.int needs integers min <= max, got ${min}..${max}`);
    }
    return min + Math.floor(this.source() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.source() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Random.pick needs a non-empty list");
    return items[Math.floor(this.source() * items.length)] as T;
  }

  /** Picks by relative weight: `[[value, weight], …]`. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    if (!(total > 0)) throw new RangeError("Random.weighted needs a positive total weight");
    let r = this.source() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  private chars(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.source() * alphabet.length)];
    return out;
  }

  base62(length: number): string {
    return this.chars(BASE62, length);
  }

  hex(length: number): string {
    return this.chars(HEX, length);
  }

  /** Unsigned 32-bit integer (the generator's raw output). */
  uint32(): number {
    return Math.floor(this.source() * 4294967296);
  }

  /** RFC 4122 version-4 layout, bits drawn from this stream (not crypto). */
  uuid(): string {
    const hex8 = (n: number): string => n.toString(16).padStart(8, "0");
    const a = hex8(this.uint32());
    const b = hex8(((this.uint32() & 0xffff0fff) | 0x00004000) >>> 0);
    const c = hex8(((this.uint32() & 0x3fffffff) | 0x80000000) >>> 0);
    const d = hex8(this.uint32());
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
  }
}
