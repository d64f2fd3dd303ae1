/** Pure parsing of PostgREST's URL grammar and headers (server/rest/parse.ts). */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../server/rest/errors.ts";
import {
  parseAccept, parseColumnList, parseFilterValue, parseLogic, parseOrder, parsePrefer, preferenceApplied, parseRangeHeader, parseSelect,
  MAX_NESTING, RangeHeaderError, splitTopLevel, unquote,
} from "../../server/rest/parse.ts";
import { statusForSqlState } from "../../server/rest/errors.ts";

describe("parseSelect", () => {
  it("reads columns, aliases, casts, quoted names and nested embeds with hints", () => {
    expect(parseSelect('id,n:name::text,"odd name",writer:authors!fk_a!inner(name,books(id))')).toEqual([
      { kind: "column", name: "id", alias: null, cast: null },
      { kind: "column", name: "name", alias: "n", cast: "text" },
      { kind: "column", name: "odd name", alias: null, cast: null },
      {
        kind: "embed", relation: "authors", alias: "writer", hints: ["fk_a"], inner: true,
        items: [{ kind: "column", name: "name", alias: null, cast: null }, { kind: "embed", relation: "books", alias: null, hints: [], inner: false, items: [{ kind: "column", name: "id", alias: null, cast: null }] }],
      },
    ]);
  });
  it("accepts * and an empty embed used only for filtering", () => {
    expect(parseSelect("*,authors()")).toEqual([{ kind: "star" }, { kind: "embed", relation: "authors", alias: null, hints: [], inner: false, items: [] }]);
  });
  it.each(["id;drop table x", "id)", "(select 1)", "id,", "a::int;x", "authors(name", "id --"])("refuses %j with a 400 parse error", (text) => {
    expect(() => parseSelect(text)).toThrow(ApiError);
  });
  it("names unsupported select features", () => {
    expect(() => parseSelect("...authors(name)")).toThrow(/spread/);
    expect(() => parseSelect("meta->lang")).toThrow(/JSON path/);
    expect(() => parseSelect("pages.sum()")).toThrow(/aggregate/);
  });
});

describe("nesting limits", () => {
  it("refuses select and logic trees nested beyond MAX_NESTING with a 400, not a stack overflow", () => {
    const deepSelect = `${"a(".repeat(5000)}id${")".repeat(5000)}`;
    expect(() => parseSelect(deepSelect)).toThrow(/nested deeper/);
    const deepLogic = `(${"and(".repeat(5000)}a.eq.1${")".repeat(5000)})`;
    expect(() => parseLogic("or", false, deepLogic)).toThrow(/nested deeper/);
    expect(parseSelect(`${"a(".repeat(MAX_NESTING)}id${")".repeat(MAX_NESTING)}`)).toHaveLength(1);
  });
});

describe("parseFilterValue", () => {
  it("reads operator, negation and value (the value keeps its dots)", () => {
    expect(parseFilterValue("v", "not.eq.1.5", "v")).toMatchObject({ negate: true, operator: "eq", value: "1.5", quantifier: null });
  });
  it("reads in-lists with quoted items", () => {
    expect(parseFilterValue("t", 'in.(a,"b,c","d\\"e")', "t").value).toEqual(["a", "b,c", 'd"e']);
    expect(parseFilterValue("t", "in.()", "t").value).toEqual([]);
  });
  it("reads is keywords case-insensitively and refuses others", () => {
    expect(parseFilterValue("t", "is.NULL", "t").value).toBe("null");
    expect(() => parseFilterValue("t", "is.maybe", "t")).toThrow(ApiError);
  });
  it("reads (any)/(all) quantifiers", () => {
    expect(parseFilterValue("t", "like(all).{a*,*b}", "t")).toMatchObject({ operator: "like", quantifier: "all", value: "{a*,*b}" });
  });
  it("refuses unknown and full-text operators by name", () => {
    expect(() => parseFilterValue("t", "approx.1", "t")).toThrow(/approx/);
    expect(() => parseFilterValue("t", "fts.x", "t")).toThrow(/fts/);
    expect(() => parseFilterValue("t", "eq", "t")).toThrow(ApiError);
  });
});

describe("parseLogic", () => {
  it("builds nested trees with negation and unquoted values", () => {
    expect(parseLogic("or", false, '(a.eq.1,not.and(b.gt.2,c.ilike."x,y"))')).toEqual({
      kind: "logic", op: "or", negate: false,
      children: [
        { kind: "filter", column: "a", negate: false, operator: "eq", quantifier: null, value: "1" },
        {
          kind: "logic", op: "and", negate: true,
          children: [
            { kind: "filter", column: "b", negate: false, operator: "gt", quantifier: null, value: "2" },
            { kind: "filter", column: "c", negate: false, operator: "ilike", quantifier: null, value: "x,y" },
          ],
        },
      ],
    });
  });
  it.each(["a.eq.1", "(a.eq.1", "()", "(a.eq.1))"])("refuses %j", (text) => {
    expect(() => parseLogic("or", false, text)).toThrow(ApiError);
  });
});

describe("parseOrder", () => {
  it("reads direction, nulls position and related columns", () => {
    expect(parseOrder("a.desc.nullslast,b,authors(name).asc,c.nullsfirst")).toEqual([
      { relation: null, column: "a", descending: true, nulls: "last" },
      { relation: null, column: "b", descending: false, nulls: null },
      { relation: "authors", column: "name", descending: false, nulls: null },
      { relation: null, column: "c", descending: false, nulls: "first" },
    ]);
  });
  it.each(["a.sideways", "a;drop", "a.desc.nullslast.x", "", "pg_sleep(1)x"])("refuses %j", (text) => {
    expect(() => parseOrder(text)).toThrow(ApiError);
  });
});

describe("headers", () => {
  it("Prefer: PostgREST 12's values parse, the first of each kind wins, tx is recognised but never honoured", () => {
    expect(parsePrefer("return=representation, count=planned,resolution=merge-duplicates,missing=default,tx=rollback,max-affected=3, count=exact")).toEqual({
      return: "representation", count: "planned", resolution: "merge-duplicates", missing: "default", handling: null, params: null,
      timezone: null, maxAffected: 3, invalid: [],
    });
    expect(parsePrefer("handling=strict, timezone=Asia/Bangkok, params=single-object, return=headers-only")).toMatchObject({
      handling: "strict", timezone: "Asia/Bangkok", params: "single-object", return: "headers-only", invalid: [],
    });
  });
  it("Prefer: unknown preferences are collected (an error only with handling=strict), not thrown", () => {
    expect(parsePrefer("count=sometimes, anything, return = minimal, tx=maybe").invalid).toEqual(["count=sometimes", "anything", "return = minimal", "tx=maybe"]);
    expect(parsePrefer("count=sometimes").count).toBeNull();
  });
  it("Preference-Applied lists what applies to the action, in PostgREST's order", () => {
    const prefs = parsePrefer("max-affected=5, count=exact, return=minimal, handling=strict, resolution=ignore-duplicates");
    expect(preferenceApplied(prefs, ["count", "handling", "timezone"])).toBe("count=exact, handling=strict");
    expect(preferenceApplied(prefs, ["resolution", "missing", "return", "count", "handling", "timezone"]))
      .toBe("resolution=ignore-duplicates, return=minimal, count=exact, handling=strict");
    expect(preferenceApplied(prefs, ["return", "max-affected"])).toBe("return=minimal, max-affected=5");
    expect(preferenceApplied(parsePrefer("max-affected=5"), ["max-affected"])).toBeNull(); // lenient: not applied
  });
  it("Range header: PostgREST's grammar; unreadable → ignored, reversed bounds → refused", () => {
    expect(parseRangeHeader("0-24")).toEqual({ offset: 0, limit: 25 });
    expect(parseRangeHeader("10-")).toEqual({ offset: 10, limit: null });
    expect(parseRangeHeader(undefined)).toBeNull();
    expect(() => parseRangeHeader("5-1")).toThrow(RangeHeaderError);
    expect(parseRangeHeader("abc")).toBeNull();
    expect(parseRangeHeader("items=0-1")).toBeNull();
  });
  it("Accept picks array, object, CSV, or nothing we can produce", () => {
    expect(parseAccept(undefined)).toBe("array");
    expect(parseAccept("*/*")).toBe("array");
    expect(parseAccept("application/vnd.pgrst.object+json")).toBe("object");
    expect(parseAccept("text/csv")).toBe("csv");
    expect(parseAccept("application/xml")).toBeNull();
  });
  it("column lists", () => {
    expect(parseColumnList("columns", '"a","b c",d')).toEqual(["a", "b c", "d"]);
    expect(() => parseColumnList("columns", "a);x")).toThrow(ApiError);
  });
});

describe("helpers", () => {
  it("splitTopLevel respects parentheses, braces and quotes", () => {
    expect(splitTopLevel('a,(b,c),{d,e},"f,g"', ",", "t")).toEqual(["a", "(b,c)", "{d,e}", '"f,g"']);
    expect(() => splitTopLevel("a,(b", ",", "t")).toThrow(ApiError);
  });
  it("unquote strips one level of double quotes", () => {
    expect(unquote('"a\\"b"')).toBe('a"b');
    expect(unquote("plain")).toBe("plain");
  });
  it("SQLSTATE → HTTP status follows PostgREST's table", () => {
    const table: [string, string, number][] = [
      ["42501", "authenticated", 403], ["42501", "anon", 401], ["23505", "x", 409], ["23503", "x", 409],
      ["23502", "x", 400], ["23514", "x", 400], ["22P02", "x", 400], ["22003", "x", 400], ["P0001", "x", 400],
      ["42P01", "x", 404], ["42883", "x", 404], ["25006", "x", 405], ["53300", "x", 503], ["40001", "x", 500],
      ["PT402", "x", 402], ["XX000", "x", 500],
    ];
    for (const [code, role, status] of table) expect([code, statusForSqlState(code, role)]).toEqual([code, status]);
  });
  it("PTnnn is the status a function chose; PT followed by anything but a number is 500, as in PostgREST", () => {
    const table: [string, number][] = [
      ["PT404", 404], ["PT409", 409], ["PT403", 403], ["PT422", 422], ["PT200", 200], ["PT999", 999],
      ["PT4A4", 500], ["PTABC", 500], ["PT099", 500],
    ];
    for (const [code, status] of table) {
      for (const role of ["authenticated", "anon"]) expect([code, role, statusForSqlState(code, role)]).toEqual([code, role, status]);
    }
  });
});
