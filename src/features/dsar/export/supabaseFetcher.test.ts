import { describe, expect, it } from "vitest";
import { EXPORT_CATEGORIES } from "./categories";
import { CATEGORY_SOURCES, keysetOr } from "./supabaseFetcher";

describe("keysetOr", () => {
  it("expresses (a, b) > (x, y) as a PostgREST logic tree with quoted values", () => {
    expect(keysetOr([
      { column: "requested_at", value: "2026-11-25T10:00:00.123456+00:00" },
      { column: "id", value: "42" },
    ])).toBe('requested_at.gt."2026-11-25T10:00:00.123456+00:00",and(requested_at.eq."2026-11-25T10:00:00.123456+00:00",id.gt."42")');
  });
  it("escapes quotes and backslashes inside values", () => {
    expect(keysetOr([{ column: "title", value: 'a"b\\c' }])).toBe('title.gt."a\\"b\\\\c"');
  });
});

describe("CATEGORY_SOURCES", () => {
  it("covers every category, sorts by columns the category exports, and ends each sort on a unique id", () => {
    for (const category of EXPORT_CATEGORIES) {
      const source = CATEGORY_SOURCES[category.id];
      expect(source, category.id).toBeDefined();
      for (const column of source.orderBy) expect(category.columns, `${category.id}.${column}`).toContain(column);
      expect(source.orderBy.at(-1), category.id).toBe("id");
    }
  });
});
