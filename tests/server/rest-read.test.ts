/**
 * Reads through the real supabase-js client against the embedded server: every filter operator and its
 * not. form, logic trees, order, counts/ranges, embedding, single-object responses, views and RPC.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SupabaseClient } from "@supabase/supabase-js";
import { ALICE, startHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startHarness);
let sb: SupabaseClient;

beforeAll(async () => {
  sb = h.client(h.tokenFor(ALICE));
});

const booksQuery = () => sb.from("books").select("id").order("id");
type BooksQuery = ReturnType<typeof booksQuery>;

/** ids of the books a filtered query returns, in id order. */
async function bookIds(apply: (q: BooksQuery) => BooksQuery): Promise<number[]> {
  const { data, error } = await apply(booksQuery());
  expect(error).toBeNull();
  return ((data ?? []) as { id: number }[]).map((r) => r.id);
}

describe("filter operators and their not. forms", () => {
  const cases: { name: string; apply: (q: BooksQuery) => BooksQuery; ids: number[] }[] = [
    { name: "eq", apply: (q) => q.eq("pages", 180), ids: [2] },
    { name: "not.eq", apply: (q) => q.not("pages", "eq", 180), ids: [1, 3, 4, 5] },
    { name: "neq", apply: (q) => q.neq("pages", 180), ids: [1, 3, 4, 5] },
    { name: "not.neq", apply: (q) => q.not("pages", "neq", 180), ids: [2] },
    { name: "gt", apply: (q) => q.gt("pages", 320), ids: [3] },
    { name: "not.gt", apply: (q) => q.not("pages", "gt", 320), ids: [1, 2, 4, 5] },
    { name: "gte", apply: (q) => q.gte("pages", 320), ids: [1, 3] },
    { name: "not.gte", apply: (q) => q.not("pages", "gte", 320), ids: [2, 4, 5] },
    { name: "lt", apply: (q) => q.lt("pages", 95), ids: [5] },
    { name: "not.lt", apply: (q) => q.not("pages", "lt", 95), ids: [1, 2, 3, 4] },
    { name: "lte", apply: (q) => q.lte("pages", 95), ids: [4, 5] },
    { name: "not.lte", apply: (q) => q.not("pages", "lte", 95), ids: [1, 2, 3] },
    { name: "like with * wildcards (case-sensitive)", apply: (q) => q.like("title", "*Song*"), ids: [2] },
    { name: "like with % wildcards finds nothing in the wrong case", apply: (q) => q.like("title", "%song%"), ids: [] },
    { name: "not.like", apply: (q) => q.not("title", "like", "*Song*"), ids: [1, 3, 4, 5] },
    { name: "ilike", apply: (q) => q.ilike("title", "%song%"), ids: [2] },
    { name: "not.ilike", apply: (q) => q.not("title", "ilike", "*song*"), ids: [1, 3, 4, 5] },
    { name: "in (null author_id never matches)", apply: (q) => q.in("author_id", [1]), ids: [1, 2] },
    { name: "not.in (SQL semantics: null excluded)", apply: (q) => q.not("author_id", "in", "(1)"), ids: [3, 4] },
    { name: "in with quoted values containing spaces and *", apply: (q) => q.in("title", ["Rice and Rain", "Star*Map 100%"]), ids: [1, 4] },
    { name: "is.null", apply: (q) => q.is("rating", null), ids: [3, 5] },
    { name: "not.is.null", apply: (q) => q.not("rating", "is", null), ids: [1, 2, 4] },
    { name: "is.true", apply: (q) => q.is("in_print", true), ids: [1, 4, 5] },
    { name: "not.is.true", apply: (q) => q.not("in_print", "is", true), ids: [2, 3] },
    { name: "is.false", apply: (q) => q.is("in_print", false), ids: [2] },
    { name: "is.unknown", apply: (q) => q.filter("in_print", "is", "unknown"), ids: [3] },
    { name: "cs on an array", apply: (q) => q.contains("tags", ["thai"]), ids: [1, 2] },
    { name: "not.cs on an array", apply: (q) => q.not("tags", "cs", "{thai}"), ids: [3, 4, 5] },
    { name: "cs on jsonb", apply: (q) => q.contains("meta", { lang: "th" }), ids: [1, 2] },
    { name: "cd", apply: (q) => q.containedBy("tags", ["fiction", "poetry"]), ids: [3, 4, 5] },
    { name: "not.cd", apply: (q) => q.not("tags", "cd", "{fiction,poetry}"), ids: [1, 2] },
    { name: "ov", apply: (q) => q.overlaps("tags", ["thai", "poetry"]), ids: [1, 2, 5] },
    { name: "not.ov", apply: (q) => q.not("tags", "ov", "{thai,poetry}"), ids: [3, 4] },
    { name: "match (regex)", apply: (q) => q.filter("title", "match", "^R"), ids: [1, 2] },
    { name: "imatch (case-insensitive regex)", apply: (q) => q.filter("title", "imatch", "^r"), ids: [1, 2] },
    { name: "isdistinct keeps nulls", apply: (q) => q.filter("rating", "isdistinct", "4.5"), ids: [2, 3, 4, 5] },
    { name: "not.isdistinct", apply: (q) => q.not("rating", "isdistinct", "4.5"), ids: [1] },
    { name: "eq(any)", apply: (q) => q.filter("pages", "eq(any)", "{180,410}"), ids: [2, 3] },
    { name: "ilike(any) via ilikeAnyOf", apply: (q) => q.ilikeAnyOf("title", ["%rain%", "%map%"]), ids: [1, 4] },
    { name: "two filters on one column (between)", apply: (q) => q.gte("pages", 100).lte("pages", 350), ids: [1, 2] },
    { name: "match() of several equalities", apply: (q) => q.match({ author_id: 2, pages: 95 }), ids: [4] },
    { name: "timestamptz comparison", apply: (q) => q.lt("published_at", "2001-01-01T00:00:00Z"), ids: [5] },
  ];
  for (const c of cases) {
    it(`${c.name} returns the matching rows`, async () => {
      expect(await bookIds(c.apply)).toEqual(c.ids);
    });
  }
});

describe("logic trees", () => {
  it("or= combines filters, with nested and()", async () => {
    expect(await bookIds((q) => q.or("pages.gt.400,and(author_id.eq.1,pages.lt.200)"))).toEqual([2, 3]);
  });
  it("or= accepts double-quoted values and is.null", async () => {
    expect(await bookIds((q) => q.or('title.ilike."*songs*",rating.is.null'))).toEqual([2, 3, 5]);
  });
  it("or= with in.() lists and not. inside", async () => {
    expect(await bookIds((q) => q.or('id.in.("1","4"),author_id.not.eq.1'))).toEqual([1, 3, 4]);
  });
  it("not.or= negates the whole tree", async () => {
    const res = await h.rest("books?select=id&order=id&not.or=(pages.gt.300,rating.is.null)");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ id: 2 }, { id: 4 }]);
  });
  it("and= at top level", async () => {
    const res = await h.rest("books?select=id&order=id&and=(pages.gt.100,or(rating.gt.4,rating.is.null))");
    expect(await res.json()).toEqual([{ id: 1 }, { id: 3 }]);
  });
});

describe("select", () => {
  it("returns the listed columns with aliases and casts, values typed as PostgREST renders them", async () => {
    const { data, error } = await sb.from("books").select("id,page_count:pages,pages_text:pages::text,tags,meta,rating,published_at").eq("id", 1).single();
    expect(error).toBeNull();
    expect(data).toEqual({
      id: 1,
      page_count: 320,
      pages_text: "320",
      tags: ["fiction", "thai"],
      meta: { lang: "th", awards: 2 },
      rating: 4.5,
      published_at: "2001-05-01T00:00:00+00:00",
    });
  });
  it("* returns every column", async () => {
    const { data } = await sb.from("authors").select("*").eq("id", 3).single();
    expect(data).toEqual({ id: 3, name: "Zoe Null", country: null, born: "1990-12-31" });
  });
  it("reads a security_invoker view", async () => {
    const { data } = await sb.from("book_cards").select("id,title").lte("id", 2).order("id");
    expect(data).toEqual([{ id: 1, title: "Rice and Rain" }, { id: 2, title: "River Songs" }]);
  });
});

describe("order", () => {
  it("desc with nulls last, ties broken by a second key", async () => {
    const { data } = await sb.from("books").select("id").order("rating", { ascending: false, nullsFirst: false }).order("id");
    expect(data?.map((r) => r.id)).toEqual([1, 2, 4, 3, 5]);
  });
  it("asc with nulls first and a descending second key", async () => {
    const { data } = await sb.from("books").select("id").order("rating", { ascending: true, nullsFirst: true }).order("id", { ascending: false });
    expect(data?.map((r) => r.id)).toEqual([5, 3, 4, 2, 1]);
  });
  it("orders embedded rows (referencedTable) without reordering parents", async () => {
    const { data } = await sb.from("authors").select("id,books(title)").order("id").order("title", { referencedTable: "books", ascending: false }).lte("id", 2);
    expect(data).toEqual([
      { id: 1, books: [{ title: "River Songs" }, { title: "Rice and Rain" }] },
      { id: 2, books: [{ title: "Star*Map 100%" }, { title: "Seoul Nights" }] },
    ]);
  });
  it("orders parents by a column of a to-one embed: order=authors(name)", async () => {
    const res = await h.rest("books?select=id,authors()&order=authors(name).desc.nullslast,id");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }]);
    const asc = await h.rest("books?select=id,authors(name)&order=authors(name).asc.nullsfirst,id");
    expect(((await asc.json()) as { id: number }[]).map((r) => r.id)).toEqual([5, 3, 4, 1, 2]);
  });
});

describe("counts, ranges and Content-Range", () => {
  it("count=exact with a range answers 206 and the total", async () => {
    const { data, count, status } = await sb.from("books").select("id", { count: "exact" }).order("id").range(1, 2);
    expect(status).toBe(206);
    expect(count).toBe(5);
    expect(data).toEqual([{ id: 2 }, { id: 3 }]);
  });
  it("Content-Range is offset-last/total, or offset-last/* without count", async () => {
    const counted = await h.rest("books?select=id&order=id&offset=1&limit=2", { headers: { Prefer: "count=exact" } });
    expect(counted.headers.get("content-range")).toBe("1-2/5");
    const uncounted = await h.rest("books?select=id&order=id&offset=1&limit=2");
    expect(uncounted.status).toBe(200);
    expect(uncounted.headers.get("content-range")).toBe("1-2/*");
  });
  it("a count covering every row answers 200", async () => {
    const res = await h.rest("books?select=id", { headers: { Prefer: "count=exact" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-range")).toBe("0-4/5");
  });
  it("an empty result has Content-Range */total", async () => {
    const res = await h.rest("books?select=id&id=eq.999", { headers: { Prefer: "count=exact" } });
    expect(res.headers.get("content-range")).toBe("*/0");
    expect(await res.json()).toEqual([]);
  });
  it("count with filters counts only matching rows", async () => {
    const { count } = await sb.from("books").select("id", { count: "exact", head: true }).contains("tags", ["thai"]);
    expect(count).toBe(2);
  });
  it("HEAD returns the count and no body", async () => {
    const { data, count, error } = await sb.from("books").select("*", { count: "exact", head: true });
    expect(error).toBeNull();
    expect(data).toBeNull();
    expect(count).toBe(5);
  });
  it("the Range header pages like limit/offset", async () => {
    const res = await h.rest("books?select=id&order=id", { headers: { Range: "2-3", "Range-Unit": "items" } });
    expect(await res.json()).toEqual([{ id: 3 }, { id: 4 }]);
    expect(res.headers.get("content-range")).toBe("2-3/*");
  });
  it("an offset past the total is 416 PGRST103", async () => {
    const res = await h.rest("books?select=id&offset=10&limit=5", { headers: { Prefer: "count=exact" } });
    expect(res.status).toBe(416);
    expect((await res.json()).code).toBe("PGRST103");
  });
  it("limit=0 returns no rows", async () => {
    const res = await h.rest("books?select=id&limit=0");
    expect(await res.json()).toEqual([]);
  });
});

describe("single object (Accept: application/vnd.pgrst.object+json)", () => {
  it("exactly one row → the object", async () => {
    const { data, error, status } = await sb.from("authors").select("name").eq("id", 2).single();
    expect([status, error, data]).toEqual([200, null, { name: "Ada Park" }]);
  });
  it("zero rows → 406 PGRST116", async () => {
    const { error, status } = await sb.from("authors").select("name").eq("id", 99).single();
    expect(status).toBe(406);
    expect(error).toMatchObject({ code: "PGRST116", details: "The result contains 0 rows" });
  });
  it("two rows → 406 PGRST116", async () => {
    const { error, status } = await sb.from("books").select("id").eq("author_id", 1).single();
    expect(status).toBe(406);
    expect(error).toMatchObject({ code: "PGRST116", details: "The result contains 2 rows" });
  });
  it("maybeSingle with zero rows is null without error", async () => {
    const { data, error } = await sb.from("authors").select("name").eq("id", 99).maybeSingle();
    expect([data, error]).toEqual([null, null]);
  });
});

describe("embedding", () => {
  it("many-to-one becomes an object (null when the FK is null)", async () => {
    const { data } = await sb.from("books").select("id,authors(name)").in("id", [1, 5]).order("id");
    expect(data).toEqual([{ id: 1, authors: { name: "Sunee Chai" } }, { id: 5, authors: null }]);
  });
  it("one-to-many becomes an array (empty when none)", async () => {
    const { data } = await sb.from("authors").select("name,books(id)").order("id").order("id", { referencedTable: "books" });
    expect(data).toEqual([
      { name: "Sunee Chai", books: [{ id: 1 }, { id: 2 }] },
      { name: "Ada Park", books: [{ id: 3 }, { id: 4 }] },
      { name: "Zoe Null", books: [] },
    ]);
  });
  it("aliases, FK-name hints and nesting two levels deep", async () => {
    const { data, error } = await sb
      .from("reviews")
      .select("stars,book:books!reviews_book_id_fkey(title,writer:authors(name))")
      .eq("id", 1)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ stars: 5, book: { title: "Rice and Rain", writer: { name: "Sunee Chai" } } });
  });
  it("filters on an embed restrict the embedded rows only", async () => {
    const { data } = await sb.from("authors").select("id,books(id)").eq("books.pages", 180).order("id");
    expect(data).toEqual([{ id: 1, books: [{ id: 2 }] }, { id: 2, books: [] }, { id: 3, books: [] }]);
  });
  it("!inner also filters the parents", async () => {
    const { data } = await sb.from("authors").select("id,books!inner(id)").gt("books.pages", 300).order("id");
    expect(data).toEqual([{ id: 1, books: [{ id: 1 }] }, { id: 2, books: [{ id: 3 }] }]);
  });
  it("limit and or= on an embedded resource", async () => {
    const res = await h.rest("authors?select=id,books(id)&books.order=id.desc&books.limit=1&books.or=(pages.lt.100,pages.gt.300)&order=id");
    expect(await res.json()).toEqual([{ id: 1, books: [{ id: 1 }] }, { id: 2, books: [{ id: 4 }] }, { id: 3, books: [] }]);
  });
  it("a select of only filter embeds returns empty objects, like PostgREST", async () => {
    const { data } = await sb.from("books").select("authors!inner()").eq("authors.name", "Ada Park");
    expect(data).toEqual([{}, {}]);
    const nested = await sb.from("reviews").select("id,books(authors())").eq("id", 3).single();
    expect(nested.data).toEqual({ id: 3, books: {} });
  });
  it("embed=not.is.null keeps parents that have the related row", async () => {
    const { data } = await sb.from("books").select("id,authors()").not("authors", "is", null).order("id");
    expect(data).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
  });
  it("embeds through a view exposing the FK column, both directions", async () => {
    const fromView = await sb.from("book_cards").select("id,authors(name)").eq("id", 3).single();
    expect(fromView.data).toEqual({ id: 3, authors: { name: "Ada Park" } });
    const toView = await sb.from("authors").select("id,book_cards(title)").eq("id", 1).order("id", { referencedTable: "book_cards" }).single();
    expect(toView.data).toEqual({ id: 1, book_cards: [{ title: "Rice and Rain" }, { title: "River Songs" }] });
  });
  it("follows a renamed FK column of a view (review_cards.book → books)", async () => {
    const { data } = await sb.from("review_cards").select("stars,books(title)").eq("id", 3).single();
    expect(data).toEqual({ stars: 2, books: { title: "Seoul Nights" } });
  });
  it("a view joining another table with an id column still embeds by its real origin", async () => {
    const { data, error } = await sb.from("author_directory").select("name,latest_title,books(id)").eq("id", 1).order("id", { referencedTable: "books" }).single();
    expect(error).toBeNull();
    expect(data).toEqual({ name: "Sunee Chai", latest_title: "River Songs", books: [{ id: 1 }, { id: 2 }] });
  });
  it("a computed view column carries no relationship", async () => {
    const { status, error } = await sb.from("author_directory").select("country_code,reviews(id)");
    expect([status, error?.code]).toEqual([400, "PGRST200"]);
  });
  it("relation(count) counts related rows, honouring embedded filters", async () => {
    const { data } = await sb.from("authors").select("id,books(count)").order("id");
    expect(data).toEqual([{ id: 1, books: [{ count: 2 }] }, { id: 2, books: [{ count: 2 }] }, { id: 3, books: [{ count: 0 }] }]);
    const filtered = await sb.from("authors").select("id,books(n:count)").gt("books.pages", 300).eq("id", 2).single();
    expect(filtered.data).toEqual({ id: 2, books: [{ n: 1 }] });
  });
  it("one-to-one (the FK is the target's primary key) embeds an object or null, both directions", async () => {
    const { data } = await sb.from("authors").select("id,author_profiles(bio)").lte("id", 2).order("id");
    expect(data).toEqual([{ id: 1, author_profiles: { bio: "Writes about rice farming." } }, { id: 2, author_profiles: null }]);
    const back = await sb.from("author_profiles").select("bio,authors(name)").single();
    expect(back.data).toEqual({ bio: "Writes about rice farming.", authors: { name: "Sunee Chai" } });
    const inner = await sb.from("authors").select("id,author_profiles!inner(bio)");
    expect(inner.data).toEqual([{ id: 1, author_profiles: { bio: "Writes about rice farming." } }]);
  });
  it("two foreign keys to the same table are ambiguous (300 PGRST201) until a hint picks one", async () => {
    const ambiguous = await sb.from("author_links").select("id,authors(name)");
    expect([ambiguous.status, ambiguous.error?.code]).toEqual([300, "PGRST201"]);
    const { data, error } = await sb.from("author_links").select("from:authors!from_author(name),to:authors!author_links_to_author_fkey(name)").single();
    expect(error).toBeNull();
    expect(data).toEqual({ from: { name: "Sunee Chai" }, to: { name: "Ada Park" } });
    const reverse = await sb.from("authors").select("name,author_links!to_author(id)").eq("id", 2).single();
    expect(reverse.data).toEqual({ name: "Ada Park", author_links: [{ id: 1 }] });
  });
  it("an unknown relationship is 400 PGRST200", async () => {
    const { error, status } = await sb.from("authors").select("id,reviews(id)");
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST200");
  });
  it("a filter on an embed missing from select is refused", async () => {
    const res = await h.rest("authors?select=id&books.id=eq.1");
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("PGRST108");
  });
});

describe("rpc", () => {
  it("scalar function with named arguments (POST)", async () => {
    expect(await sb.rpc("add_numbers", { a: 2, b: 3 })).toMatchObject({ data: 5, error: null, status: 200 });
  });
  it("omitted arguments take their defaults", async () => {
    expect((await sb.rpc("add_numbers", { a: 2 })).data).toBe(12);
  });
  it("GET with query arguments", async () => {
    expect((await sb.rpc("add_numbers", { a: 7, b: 1 }, { get: true })).data).toBe(8);
  });
  it("functions see the caller's claims", async () => {
    expect((await sb.rpc("whoami")).data).toBe(ALICE.clerkUserId);
  });
  it("SQL sees the request as PostgREST sets it: method, path, headers without credentials, role, UTC", async () => {
    const res = await h.rest("rpc/request_context", { method: "POST", headers: { "Content-Type": "application/json", "User-Agent": "conformance-test" }, body: "{}" });
    expect(await res.json()).toEqual({
      method: "POST", path: "/rest/v1/rpc/request_context", user_agent: "conformance-test", authorization: null, role: "authenticated", timezone: "UTC",
    });
  });
  it("array arguments from JSON (POST) and from {a,b} (GET)", async () => {
    expect((await sb.rpc("tag_list", { t: ["a", "b", "c"] })).data).toBe(3);
    expect((await sb.rpc("tag_list", { t: ["a", "b"] }, { get: true })).data).toBe(2);
  });
  it("set-returning function with select, filters, order and count", async () => {
    const { data, count } = await sb
      .rpc("books_by_author", { author_name: "Sunee Chai" }, { count: "exact" })
      .select("title,authors(name)")
      .gt("pages", 100)
      .order("pages");
    expect(count).toBe(2);
    expect(data).toEqual([
      { title: "River Songs", authors: { name: "Sunee Chai" } },
      { title: "Rice and Rain", authors: { name: "Sunee Chai" } },
    ]);
  });
  it("RETURNS TABLE function with order and filter on its columns", async () => {
    const { data } = await sb.rpc("author_stats").gte("book_count", 1).order("author");
    expect(data).toEqual([{ author: "Ada Park", book_count: 2 }, { author: "Sunee Chai", book_count: 2 }]);
  });
  it("unknown function → 404 PGRST202; unknown argument → 404 PGRST202", async () => {
    const missing = await sb.rpc("no_such_function");
    expect([missing.status, missing.error?.code]).toEqual([404, "PGRST202"]);
    const badArg = await sb.rpc("add_numbers", { a: 1, zzz: 2 });
    expect([badArg.status, badArg.error?.code]).toEqual([404, "PGRST202"]);
  });
  it("a volatile function over GET runs read-only and fails with 405 (25006)", async () => {
    const { status, error } = await sb.rpc("touch", {}, { get: true });
    expect(status).toBe(405);
    expect(error?.code).toBe("25006");
  });
  it("raise exception → 400 P0001 with message and hint", async () => {
    const { status, error } = await sb.rpc("fail_with", { msg: "no such customer" });
    expect(status).toBe(400);
    expect(error).toEqual({ code: "P0001", message: "no such customer", details: null, hint: "raised on purpose" });
  });
  it("bad argument type → 400 22P02", async () => {
    const { status, error } = await sb.rpc("add_numbers", { a: "seven" });
    expect(status).toBe(400);
    expect(error?.code).toBe("22P02");
  });
});
