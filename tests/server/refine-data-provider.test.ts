/**
 * The real @refinedev/supabase dataProvider against the embedded server: the exact query strings
 * Refine's list, show, create, edit and delete pages send.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CrudFilter, DataProvider } from "@refinedev/core";
import { dataProvider as supabaseDataProvider } from "@refinedev/supabase";
import { ALICE, startHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startHarness);
let dp: Required<DataProvider>;

beforeAll(async () => {
  dp = supabaseDataProvider(h.client(h.tokenFor(ALICE)));
});

async function listIds(filters: CrudFilter[]): Promise<number[]> {
  const { data } = await dp.getList({ resource: "books", filters, sorters: [{ field: "id", order: "asc" }], pagination: { currentPage: 1, pageSize: 50 } });
  return data.map((r) => r.id as number);
}

describe("getList", () => {
  it("pages server-side and reports the total", async () => {
    const { data, total } = await dp.getList({
      resource: "books",
      pagination: { currentPage: 2, pageSize: 2 },
      sorters: [{ field: "pages", order: "desc" }],
    });
    expect(total).toBe(5);
    expect(data.map((r) => r.id)).toEqual([2, 4]);
  });
  it("meta.select embeds related rows", async () => {
    const { data } = await dp.getList({
      resource: "books",
      meta: { select: "id,title,authors(name),reviews(count:stars)" },
      filters: [{ field: "id", operator: "eq", value: 3 }],
    });
    expect(data).toEqual([{ id: 3, title: "Seoul Nights", authors: { name: "Ada Park" }, reviews: [{ count: 2 }] }]);
  });
  it("sorting by a related field (authors.name) is accepted and keeps every row", async () => {
    const { data, total } = await dp.getList({ resource: "books", sorters: [{ field: "authors.name", order: "asc" }] });
    expect(total).toBe(5);
    expect(data.find((r) => r.id === 1)?.authors).toEqual({ name: "Sunee Chai" });
  });

  const filterCases: { name: string; filters: CrudFilter[]; ids: number[] }[] = [
    { name: "eq", filters: [{ field: "author_id", operator: "eq", value: 2 }], ids: [3, 4] },
    { name: "ne", filters: [{ field: "author_id", operator: "ne", value: 2 }], ids: [1, 2] },
    { name: "lt / gt", filters: [{ field: "pages", operator: "gt", value: 100 }, { field: "pages", operator: "lt", value: 400 }], ids: [1, 2] },
    { name: "lte / gte", filters: [{ field: "pages", operator: "gte", value: 180 }, { field: "pages", operator: "lte", value: 320 }], ids: [1, 2] },
    { name: "in", filters: [{ field: "id", operator: "in", value: [2, 5] }], ids: [2, 5] },
    { name: "contains (ilike %v%)", filters: [{ field: "title", operator: "contains", value: "RI" }], ids: [1, 2] },
    { name: "containss (case-sensitive)", filters: [{ field: "title", operator: "containss", value: "Ri" }], ids: [1, 2] },
    { name: "startswith", filters: [{ field: "title", operator: "startswith", value: "s" }], ids: [3, 4] },
    { name: "endswith", filters: [{ field: "title", operator: "endswith", value: "SONGS" }], ids: [2] },
    { name: "null", filters: [{ field: "rating", operator: "null", value: true }], ids: [3, 5] },
    // Refine sends nnull's value as the is. operand, so a null value means "is not null".
    { name: "nnull", filters: [{ field: "rating", operator: "nnull", value: null }], ids: [1, 2, 4] },
    { name: "between", filters: [{ field: "pages", operator: "between", value: [90, 200] }], ids: [2, 4] },
    { name: "ina (array contains)", filters: [{ field: "tags", operator: "ina", value: ["poetry"] }], ids: [2, 5] },
    { name: "nina", filters: [{ field: "tags", operator: "nina", value: ["thai"] }], ids: [3, 4, 5] },
    {
      name: "or of contains and eq (the console's search box)",
      filters: [{ operator: "or", value: [{ field: "title", operator: "contains", value: "night" }, { field: "id", operator: "eq", value: 5 }] }],
      ids: [3, 5],
    },
    {
      name: "or with in and null",
      filters: [{ operator: "or", value: [{ field: "id", operator: "in", value: [1, 2] }, { field: "rating", operator: "null", value: null }] }],
      ids: [1, 2, 3, 5],
    },
  ];
  for (const c of filterCases) {
    it(`filter ${c.name}`, async () => {
      expect(await listIds(c.filters)).toEqual(c.ids);
    });
  }
  it("an unknown column in a filter rejects with the PostgREST error", async () => {
    await expect(listIds([{ field: "nope", operator: "eq", value: 1 }])).rejects.toMatchObject({ code: "42703" });
  });
});

describe("getOne / getMany", () => {
  it("getOne by id", async () => {
    const { data } = await dp.getOne({ resource: "authors", id: 2 });
    expect(data).toEqual({ id: 2, name: "Ada Park", country: "KR", born: null });
  });
  it("getOne with meta.idColumnName and meta.select", async () => {
    const { data } = await dp.getOne({ resource: "authors", id: "Sunee Chai", meta: { idColumnName: "name", select: "id,books(id)" } });
    expect(data).toEqual({ id: 1, books: [{ id: 1 }, { id: 2 }] });
  });
  it("getMany by ids", async () => {
    const { data } = await dp.getMany({ resource: "authors", ids: [1, 3] });
    expect(data.map((r) => r.name).sort()).toEqual(["Sunee Chai", "Zoe Null"]);
  });
});

describe("create / update / delete", () => {
  it("create returns the created row", async () => {
    const { data } = await dp.create({ resource: "authors", variables: { name: "Refine Created", country: "TH" } });
    expect(data).toMatchObject({ name: "Refine Created", country: "TH" });
  });
  it("createMany returns every created row", async () => {
    const { data } = await dp.createMany({ resource: "authors", variables: [{ name: "Many One" }, { name: "Many Two", country: "JP" }] });
    expect(data.map((r) => [r.name, r.country])).toEqual([["Many One", null], ["Many Two", "JP"]]);
  });
  it("update changes one row and returns it", async () => {
    const { data: created } = await dp.create({ resource: "authors", variables: { name: "To Update" } });
    const { data } = await dp.update({ resource: "authors", id: created.id as number, variables: { country: "LA" } });
    expect(data).toMatchObject({ id: created.id, name: "To Update", country: "LA" });
  });
  it("updateMany changes each listed row", async () => {
    const { data } = await dp.updateMany({ resource: "authors", ids: [1, 2], variables: { born: "1980-01-01" } });
    expect(data.map((r) => r.born)).toEqual(["1980-01-01", "1980-01-01"]);
  });
  it("deleteOne removes the row", async () => {
    const { data: created } = await dp.create({ resource: "authors", variables: { name: "To Delete" } });
    await dp.deleteOne({ resource: "authors", id: created.id as number });
    const { rows } = await h.engine.query("select 1 from public.authors where name = 'To Delete'");
    expect(rows).toEqual([]);
  });
  it("deleteMany removes each listed row", async () => {
    const { data } = await dp.createMany({ resource: "authors", variables: [{ name: "Del A" }, { name: "Del B" }] });
    await dp.deleteMany({ resource: "authors", ids: data.map((r) => r.id as number) });
    const { rows } = await h.engine.query("select 1 from public.authors where name in ('Del A', 'Del B')");
    expect(rows).toEqual([]);
  });
  it("a constraint violation rejects with code and message", async () => {
    await expect(dp.create({ resource: "authors", variables: { name: "Ada Park" } })).rejects.toMatchObject({ code: "23505" });
  });
});
