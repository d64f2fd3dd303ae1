/** server/rest/json.ts: accepts exactly what JSON.parse accepts (below the depth cap) and describes without re-serialising. */
import { describe, expect, it } from "vitest";
import { JsonSyntaxError, MAX_JSON_DEPTH, scanJson } from "../../server/rest/json.ts";

const accepts = (text: string): boolean => {
  try {
    scanJson(text);
    return true;
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return false;
  }
};
const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("scanJson", () => {
  const corpus = [
    "{}", "[]", " {\"a\" : 1 } ", "[1, -0, 0.5, 1e309, -1.5E-3, 9007199254740993]", '"\\u00e9\\n\\"\\\\\\/"', "null", "true", "false",
    '{"a": {"b": [null, {"c": "d"}]}}', '{"a": 1, "a": 2}', '"\\ud800"', "\t\n\r [ ] ",
    // invalid
    "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "-", "1e", "NaN", "Infinity", "'a'", '{"a" 1}', "{a: 1}",
    '"\\x"', '"\\u12"', '"a\u0001"', "[1] [2]", "nul", "truth", "[1 2]", '{"a":1 "b":2}', "\u00a0[]", "\ufeff{}", '"\t"',
  ];
  for (const text of corpus) {
    it(`agrees with JSON.parse on ${JSON.stringify(text)}`, () => {
      expect(accepts(text)).toBe(parses(text));
    });
  }

  it("describes a top-level object and the rows of an array with their own text", () => {
    expect(scanJson(' {"big": 9007199254740993, "b\\u0061d": [1]} ')).toEqual({
      kind: "object", text: '{"big": 9007199254740993, "b\\u0061d": [1]}', keys: ["big", "bad"],
    });
    const shape = scanJson('[{"a": 1e309}, {"a": 2, "b": {"c": 3}}, 7]');
    expect(shape.kind).toBe("array");
    expect(shape.kind === "array" && shape.items.map((i) => [i.kind, i.text, i.kind === "object" ? i.keys : null])).toEqual([
      ["object", '{"a": 1e309}', ["a"]],
      ["object", '{"a": 2, "b": {"c": 3}}', ["a", "b"]],
      ["scalar", "7", null],
    ]);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, without exhausting the stack, at any size`, () => {
    expect(accepts("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH))).toBe(true);
    expect(() => scanJson("[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1))).toThrow(/deeper than/);
    expect(() => scanJson(`{"a":${'{"a":'.repeat(100_000)}1${"}".repeat(100_001)}`)).toThrow(/deeper than/);
  });

  it("agrees with JSON.parse on generated documents, and each row's text parses to that row", () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.3) return [null, true, false, random() * 1e6 - 5e5, "tä\"x\\", ""][Math.floor(random() * 6)];
      if (r < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}\n`, value(depth + 1)]));
    };
    for (let n = 0; n < 200; n++) {
      const rows = Array.from({ length: 3 }, () => value(0));
      const text = JSON.stringify(rows, null, n % 2 ? 2 : undefined);
      const shape = scanJson(text);
      expect(shape.kind === "array" && shape.items.map((i) => JSON.parse(i.text) as unknown)).toEqual(rows);
    }
  });
});
