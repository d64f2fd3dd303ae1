/**
 * Where the embedded server must answer exactly as PostgREST 12 on hosted Supabase does, because the difference
 * would only show in production: bodies reach Postgres as sent (numbers beyond 2^53), hostile input ends in a clear
 * 4xx with nothing written, max_rows caps every read, and PostgREST's headers, preferences, CSV, rpc routing and
 * error mapping. Runs on PGlite and (test:db) on PostgreSQL 15.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SupabaseClient } from "@supabase/supabase-js";
import { MAX_JSON_DEPTH } from "../../server/rest/json.ts";
import { ALICE, startHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startHarness);
let sb: SupabaseClient;

beforeAll(async () => {
  sb = h.client(h.tokenFor(ALICE));
});

const json = { "Content-Type": "application/json" };

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await h.engine.query<T>(sql, params)).rows[0] as T;
}
const measurementCount = async (): Promise<number> => (await one<{ n: number }>("select count(*)::int as n from public.measurements")).n;

describe("request bodies reach Postgres as sent", () => {
  // JSON.parse + JSON.stringify would store 9007199254740992, 1e+23 and null.
  const cases = [
    { column: "big", literal: "9007199254740993", stored: "9007199254740993" },
    { column: "big", literal: "-9223372036854775808", stored: "-9223372036854775808" },
    { column: "exact", literal: "99999999999999999999999", stored: "99999999999999999999999" },
    { column: "exact", literal: "1e309", stored: `1${"0".repeat(309)}` },
    { column: "exact", literal: "0.1000000000000000000000000001", stored: "0.1000000000000000000000000001" },
  ];
  for (const c of cases) {
    it(`POST ${c.column} = ${c.literal} is stored exactly`, async () => {
      const res = await h.rest("measurements?select=id", {
        method: "POST", headers: { ...json, Prefer: "return=representation" }, body: `{"${c.column}": ${c.literal}, "label": "post"}`,
      });
      expect(res.status).toBe(201);
      const [{ id }] = (await res.json()) as [{ id: number }];
      const row = await one<{ value: string }>(`select ${c.column}::text as value from public.measurements where id = $1`, [id]);
      expect(row.value).toBe(c.stored);
    });
  }
  it("a bulk insert keeps each row's numbers (rows grouped by their keys with missing=default)", async () => {
    const res = await h.rest("measurements?columns=big,exact,label", {
      method: "POST", headers: { ...json, Prefer: "missing=default" },
      body: `[{"big": 9007199254740993, "label": "bulk-a"}, {"exact": 123456789012345678901234567890.5, "label": "bulk-b"}]`,
    });
    expect(res.status).toBe(201);
    const { rows } = await h.engine.query<{ label: string; big: string | null; exact: string | null }>(
      "select label, big::text as big, exact::text as exact from public.measurements where label like 'bulk-%' order by label");
    expect(rows).toEqual([
      { label: "bulk-a", big: "9007199254740993", exact: null },
      { label: "bulk-b", big: null, exact: "123456789012345678901234567890.5" },
    ]);
  });
  it("PATCH and a jsonb document keep the numbers too", async () => {
    const { id } = await one<{ id: number }>("insert into public.measurements (label) values ('patch') returning id");
    const res = await h.rest(`measurements?id=eq.${id}`, {
      method: "PATCH", headers: json, body: `{"big": 9007199254740993, "doc": {"n": 99999999999999999999999, "deep": [1e309]}}`,
    });
    expect(res.status).toBe(204);
    const row = await one<{ big: string; n: string; deep: string }>(
      "select big::text as big, (doc->>'n') as n, (doc->'deep'->>0) as deep from public.measurements where id = $1", [id]);
    expect(row).toEqual({ big: "9007199254740993", n: "99999999999999999999999", deep: `1${"0".repeat(309)}` });
  });
  it("rpc arguments too, and the answer carries them as Postgres renders them", async () => {
    const res = await h.rest("rpc/echo_numbers", { method: "POST", headers: json, body: `{"big": 9007199254740993, "exact": 99999999999999999999999}` });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`{"big" : "9007199254740993", "exact" : "99999999999999999999999"}`);
  });
  it("reads render big numbers as Postgres does (no rounding on the way out either)", async () => {
    await h.engine.query("insert into public.measurements (big, label) values (9007199254740993, 'read')");
    const res = await h.rest("measurements?select=big&label=eq.read");
    expect(await res.text()).toBe(`[{"big":9007199254740993}]`);
  });
  it("a number out of a column's range is the database's 400, nothing written", async () => {
    const before = await measurementCount();
    const res = await h.rest("measurements", { method: "POST", headers: json, body: `{"big": 9223372036854775808}` });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("22003");
    expect(await measurementCount()).toBe(before);
  });
  it("rows with different keys and no columns= are refused as PostgREST does (supabase-js sends columns=)", async () => {
    const before = await measurementCount();
    const res = await h.rest("measurements", { method: "POST", headers: json, body: `[{"big": 1}, {"exact": 2}]` });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "PGRST102", message: "All object keys must match" });
    expect(await measurementCount()).toBe(before);
  });
});

describe("pathological input: a clear 4xx, nothing written, the server keeps answering", () => {
  const stillAnswers = async (): Promise<void> => {
    const res = await h.rest("books?select=id&limit=1");
    expect(res.status).toBe(200);
  };
  it("JSON nested 100,000 levels deep (about 200 KB) → 400 PGRST102 naming the depth, for a table and an rpc", async () => {
    const deep = `{"label": "deep", "doc": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const before = await measurementCount();
    for (const path of ["measurements", "rpc/echo_numbers"]) {
      const res = await h.rest(path, { method: "POST", headers: json, body: deep });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; message: string; details: string };
      expect(body.code).toBe("PGRST102");
      expect(body.message).toBe("Empty or invalid json");
      expect(body.details).toMatch(new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
    }
    expect(await measurementCount()).toBe(before);
    await stillAnswers();
  });
  it("nesting up to the limit is accepted and stored", async () => {
    const depth = MAX_JSON_DEPTH - 1; // the row object is one level
    const res = await h.rest("measurements?select=id", {
      method: "POST", headers: { ...json, Prefer: "return=representation" }, body: `{"label": "limit", "doc": ${"[".repeat(depth)}${"]".repeat(depth)}}`,
    });
    expect(res.status).toBe(201);
  });
  it("invalid UTF-8 in a body → 400, nothing stored with U+FFFD", async () => {
    const before = await measurementCount();
    const body = Buffer.concat([Buffer.from('{"label": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const res = await h.rest("measurements", { method: "POST", headers: json, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "PGRST102", details: "The request body is not valid UTF-8" });
    expect(await measurementCount()).toBe(before);
  });
  it("invalid UTF-8 or a malformed escape in a parameter → 400, nothing changed", async () => {
    for (const bad of ["%FF", "%C3%28", "%E0%80", "%zz"]) {
      const res = await h.rest(`books?title=eq.${bad}`, { method: "PATCH", headers: json, body: JSON.stringify({ pages: 1 }) });
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe("PGRST100");
    }
    expect(await one<{ n: number }>("select count(*)::int as n from public.books where pages = 1")).toEqual({ n: 0 });
    await stillAnswers();
  });
  it("a URL over 16 KB → 414 with a JSON body; headers over 16 KB → 431 with a JSON body", async () => {
    const longUrl = await h.rest(`books?select=id&title=in.(${"x,".repeat(9000)}x)`);
    expect(longUrl.status).toBe(414);
    expect((await longUrl.json()).message).toMatch(/URI too long/);
    const bigHeaders = await h.rest("books?select=id", { headers: { "X-Padding": "p".repeat(20_000) } });
    expect(bigHeaders.status).toBe(431);
    expect((await bigHeaders.json()).message).toMatch(/header fields too large/i);
    await stillAnswers();
  });
  it("what Node's own parser refuses (headers beyond 64 KB, raw non-ASCII bytes in the URL) still gets a JSON answer", async () => {
    const raw = (request: Buffer): Promise<string> => new Promise((resolve, reject) => {
      const { port } = new URL(h.url);
      const socket = connect(Number(port), "127.0.0.1", () => socket.end(request));
      let answer = "";
      socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
      socket.on("close", () => resolve(answer));
      socket.on("error", reject);
    });
    const huge = await raw(Buffer.from(`GET /rest/v1/books HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${"p".repeat(70_000)}\r\n\r\n`));
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf("\r\n\r\n") + 4))).toMatchObject({ code: "PGRST100", message: expect.stringMatching(/too large/) });
    const nonAscii = await raw(Buffer.concat([Buffer.from("GET /rest/v1/books?title=eq."), Buffer.from([0xc3, 0xa9]), Buffer.from(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]));
    expect(nonAscii).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(nonAscii.slice(nonAscii.indexOf("\r\n\r\n") + 4))).toMatchObject({ message: expect.stringMatching(/percent-encoded UTF-8/) });
    await stillAnswers();
  });
});

describe("max_rows (supabase/config.toml [api] max_rows = 1000), as PostgREST applies it", () => {
  beforeAll(async () => {
    await h.engine.query("insert into public.measurements (big, label) select g, 'bulk' from generate_series(1, 1500) g");
    await h.engine.query("insert into public.reviews (book_id, stars, body) select 4, 1 + g % 5, 'bulk' from generate_series(1, 1500) g");
  });
  afterAll(async () => {
    await h.engine.query("delete from public.reviews where body = 'bulk'");
  });
  it("a read without a limit gets the first 1,000 rows; with count=exact, 206 and the real total", async () => {
    const plain = await h.rest("measurements?select=big&label=eq.bulk&order=big");
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-range")).toBe("0-999/*");
    const rows = (await plain.json()) as { big: number }[];
    expect(rows.length).toBe(1000);
    expect(rows.at(-1)).toEqual({ big: 1000 });
    const counted = await sb.from("measurements").select("big", { count: "exact" }).eq("label", "bulk").order("big");
    expect([counted.status, counted.count, counted.data?.length]).toEqual([206, 1500, 1000]);
  });
  it("a larger limit is capped; the next page is read with offset", async () => {
    const { data } = await sb.from("measurements").select("big").eq("label", "bulk").order("big").limit(1200);
    expect(data?.length).toBe(1000);
    const next = await h.rest("measurements?select=big&label=eq.bulk&order=big&offset=1000");
    expect(next.headers.get("content-range")).toBe("1000-1499/*");
    expect(((await next.json()) as unknown[]).length).toBe(500);
  });
  it("an embedded to-many resource is capped per parent row", async () => {
    const { data } = await sb.from("books").select("id, reviews(id)").eq("id", 4).single();
    expect((data as { reviews: unknown[] }).reviews.length).toBe(1000);
  });
  it("a set-returning function is capped; a scalar one is not affected", async () => {
    const { data } = await sb.rpc("many_numbers", { n: 1500 });
    expect((data as number[]).length).toBe(1000);
    const { data: sum } = await sb.rpc("add_numbers", { a: 1, b: 2 });
    expect(sum).toBe(3);
  });
  it("what a mutation returns is not capped (PostgREST does not restrict mutation plans)", async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({ big: 10_000 + i, label: "returned" }));
    const { data, status } = await sb.from("measurements").insert(rows).select("id");
    expect([status, data?.length]).toEqual([201, 1200]);
  });
});

describe("headers PostgREST sends", () => {
  it("Content-Profile names the schema on every answer with a body (more than one schema is exposed)", async () => {
    const read = await h.rest("books?select=id&limit=1");
    expect(read.headers.get("content-profile")).toBe("public");
    const rpc = await h.rest("rpc/add_numbers?a=1");
    expect(rpc.headers.get("content-profile")).toBe("public");
    const other = await h.rest("books", { headers: { "Accept-Profile": "storage" } });
    expect(other.status).toBe(406);
    expect(await other.json()).toMatchObject({ code: "PGRST106", message: "The schema must be one of the following: public, graphql_public" });
  });
  it("Content-Range on writes: */* for POST and DELETE, first-last for PATCH, totals with count=exact", async () => {
    const post = await h.rest("measurements", { method: "POST", headers: json, body: `[{"label":"cr"},{"label":"cr"}]` });
    expect([post.status, post.headers.get("content-range")]).toEqual([201, "*/*"]);
    const counted = await h.rest("measurements", { method: "POST", headers: { ...json, Prefer: "count=exact" }, body: `[{"label":"cr"}]` });
    expect([counted.headers.get("content-range"), counted.headers.get("preference-applied")]).toEqual(["*/1", "count=exact"]);
    const patch = await h.rest("measurements?label=eq.cr", { method: "PATCH", headers: json, body: `{"label":"cr2"}` });
    expect([patch.status, patch.headers.get("content-range")]).toEqual([204, "0-2/*"]);
    const del = await h.rest("measurements?label=eq.cr2", { method: "DELETE", headers: { Prefer: "count=exact" } });
    expect([del.status, del.headers.get("content-range")]).toEqual([204, "*/3"]);
  });
  it("an upsert that only updates answers 200, one that inserts 201", async () => {
    const upsert = (name: string): Promise<Response> => h.rest("authors?on_conflict=name", {
      method: "POST", headers: { ...json, Prefer: "resolution=merge-duplicates" }, body: JSON.stringify({ name, country: "TH" }),
    });
    expect((await upsert("Sunee Chai")).status).toBe(200);
    const inserted = await upsert("Upsert New Author");
    expect([inserted.status, inserted.headers.get("preference-applied")]).toEqual([201, "resolution=merge-duplicates"]);
  });
});

describe("Prefer as PostgREST 12 reads it", () => {
  it("unknown preferences are ignored, and refused with handling=strict (PGRST122 listing them)", async () => {
    const lenient = await h.rest("books?select=id&limit=1", { headers: { Prefer: "count=sometimes, return=headers-only, anything" } });
    expect(lenient.status).toBe(200);
    expect(lenient.headers.get("preference-applied")).toBeNull();
    const strict = await h.rest("books?select=id&limit=1", { headers: { Prefer: "handling=strict, count=sometimes, anything" } });
    expect(strict.status).toBe(400);
    expect(await strict.json()).toEqual({
      code: "PGRST122", message: "Invalid preferences given with handling=strict", details: "Invalid preferences: count=sometimes, anything", hint: null,
    });
  });
  it("timezone= renders timestamps in that zone and is reported; an unknown zone is ignored (refused when strict)", async () => {
    const res = await h.rest("books?select=published_at&id=eq.1", { headers: { Prefer: "timezone=Asia/Bangkok" } });
    expect(await res.json()).toEqual([{ published_at: "2001-05-01T07:00:00+07:00" }]);
    expect(res.headers.get("preference-applied")).toBe("timezone=Asia/Bangkok");
    const unknown = await h.rest("books?select=published_at&id=eq.1", { headers: { Prefer: "timezone=Mars/Olympus" } });
    expect(await unknown.json()).toEqual([{ published_at: "2001-05-01T00:00:00+00:00" }]);
    const strict = await h.rest("books?select=id&id=eq.1", { headers: { Prefer: "handling=strict, timezone=Mars/Olympus" } });
    expect([strict.status, (await strict.json()).code]).toEqual([400, "PGRST122"]);
  });
  it("max-affected with handling=strict refuses and rolls back; reported as applied", async () => {
    const res = await h.rest("books?author_id=eq.1", { method: "PATCH", headers: { ...json, Prefer: "handling=strict, max-affected=1" }, body: `{"in_print": false}` });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("PGRST124");
    expect(await one<{ n: number }>("select count(*)::int as n from public.books where id = 1 and in_print")).toEqual({ n: 1 });
    const ok = await h.rest("books?id=eq.1", { method: "PATCH", headers: { ...json, Prefer: "handling=strict, max-affected=1" }, body: `{"in_print": true}` });
    expect([ok.status, ok.headers.get("preference-applied")]).toEqual([204, "handling=strict, max-affected=1"]);
  });
});

describe("text/csv (supabase-js .csv())", () => {
  it("a header of column names, then each row as Postgres prints a record", async () => {
    await h.engine.query(`insert into public.measurements (big, exact, label, doc) values
      (1, 2.5, 'plain', null), (2, null, 'has, comma "and quotes"', '{"a": [1, 2]}')`);
    const { data, status } = await sb.from("measurements").select("big,exact,label,doc").in("big", [1, 2]).in("label", ["plain", 'has, comma "and quotes"']).order("big").csv();
    expect(status).toBe(200);
    expect(data).toBe(`big,exact,label,doc\n1,2.5,plain,\n2,,"has, comma ""and quotes""","{""a"": [1, 2]}"`);
  });
  it("an empty result is a lone newline, as PostgREST sends it", async () => {
    const res = await h.rest("books?select=id,title&id=eq.999", { headers: { Accept: "text/csv" } });
    expect([res.status, res.headers.get("content-type"), await res.text()]).toEqual([200, "text/csv; charset=utf-8", "\n"]);
  });
  it("from a set-returning function too", async () => {
    const res = await h.rest("rpc/books_by_author?author_name=Ada%20Park&select=id,title&order=id", { headers: { Accept: "text/csv" } });
    expect(await res.text()).toBe("id,title\n3,\"Seoul Nights\"\n4,\"Star*Map 100%\"");
  });
});

describe("rpc routing as PostgREST reads it", () => {
  it("GET of an unknown function, or with an argument it does not take → 404 PGRST202", async () => {
    const unknown = await h.rest("rpc/no_such_function?x=1");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "PGRST202", message: "Could not find the function public.no_such_function(x) in the schema cache" });
    const wrongArg = await h.rest("rpc/add_numbers?a=1&c=2");
    expect(wrongArg.status).toBe(404);
    expect((await wrongArg.json()).code).toBe("PGRST202");
  });
  it("a GET parameter with an operator filters the result; one without is an argument", async () => {
    const res = await h.rest("rpc/books_by_author?author_name=Sunee%20Chai&pages=gt.200&select=id");
    expect(await res.json()).toEqual([{ id: 1 }]);
  });
  it("a stable function runs read-only even through POST (writing → 405 25006, nothing written)", async () => {
    const res = await h.rest("rpc/stable_writer", { method: "POST", headers: json, body: "{}" });
    expect(res.status).toBe(405);
    expect((await res.json()).code).toBe("25006");
    expect(await one<{ n: number }>("select count(*)::int as n from public.notes where body = 'written by a stable function'")).toEqual({ n: 0 });
  });
});

describe("filters and orders answered as PostgREST answers them", () => {
  it("like/ilike/match on a non-text column are Postgres's 42883 (404), not silently cast", async () => {
    for (const filter of ["pages=like.1*", "pages=ilike.1*", "pages=match.^1", "in_print=ilike.t*"]) {
      const res = await h.rest(`books?select=id&${filter}`);
      expect(res.status).toBe(404);
      expect((await res.json()).code).toBe("42883");
    }
    const text = await h.rest("books?select=id&title=ilike.*rain*");
    expect(await text.json()).toEqual([{ id: 1 }]);
  });
  it("ordering by a column of a to-many embed → 400 PGRST118", async () => {
    const res = await h.rest("books?select=id,reviews(stars)&order=reviews(stars)");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: "PGRST118", message: "A related order on 'reviews' is not possible",
      details: "'books' and 'reviews' do not form a many-to-one or one-to-one relationship", hint: null,
    });
  });
  it("an operator other than is.null on an embed's name is a column filter, as in PostgREST 12 (42703)", async () => {
    const res = await h.rest("books?select=id,reviews(stars)&reviews=eq.1");
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("42703");
  });
});

describe("a function chooses its status the way PostgREST lets it", () => {
  it("raise … errcode 'PT404' / 'PT409' → that status, the message as the reason phrase, details and hint kept", async () => {
    for (const [code, status] of [["PT404", 404], ["PT409", 409], ["PT422", 422]] as const) {
      const res = await h.rest("rpc/refuse_with", { method: "POST", headers: json, body: JSON.stringify({ code, msg: "No such request" }) });
      expect([res.status, res.statusText]).toEqual([status, "No such request"]);
      expect(await res.json()).toEqual({ code, message: "No such request", details: "refused on purpose", hint: "try another" });
    }
  });
  it("Postgres's own codes follow PostgREST's table (P0002 and 55000 stay 500 — functions must choose PT codes)", async () => {
    for (const [code, status] of [["P0002", 500], ["55000", 500], ["P0001", 400], ["22023", 400], ["23505", 409], ["42501", 403], ["57P01", 503]] as const) {
      const res = await h.rest("rpc/refuse_with", { method: "POST", headers: json, body: JSON.stringify({ code, msg: "x" }) });
      expect([code, res.status]).toEqual([code, status]);
    }
  });
  it("raise sqlstate 'PGRST' sets the whole answer; a malformed one is PGRST121", async () => {
    const res = await h.rest("rpc/raise_pgrst", {
      method: "POST", headers: json,
      body: JSON.stringify({ msg: JSON.stringify({ code: "123", message: "Payment required", details: "d", hint: "h" }), detail: JSON.stringify({ status: 402, headers: { "X-Powered-By": "Nerd Rage" } }) }),
    });
    expect([res.status, res.headers.get("x-powered-by")]).toEqual([402, "Nerd Rage"]);
    expect(await res.json()).toEqual({ code: "123", message: "Payment required", details: "d", hint: "h" });
    const bad = await h.rest("rpc/raise_pgrst", { method: "POST", headers: json, body: JSON.stringify({ msg: "not json", detail: "{}" }) });
    expect([bad.status, (await bad.json()).code]).toEqual([500, "PGRST121"]);
  });
});

describe("statement timeout per role, as Supabase sets it", () => {
  it("each request runs with its role's statement_timeout (anon 3 s, authenticated 8 s)", async () => {
    const asUser = await h.rest("rpc/current_statement_timeout");
    expect(await asUser.json()).toBe("8s");
    const asAnon = await h.rest("rpc/current_statement_timeout", { token: h.server.anonKey });
    expect(await asAnon.json()).toBe("3s");
  });
  // PGlite runs each statement to the end on the server's own thread and cannot be interrupted (see
  // server/rest/README.md); a real PostgreSQL cancels it, as on hosted Supabase.
  it.runIf(Boolean(process.env.DATABASE_URL))("a runaway statement is cancelled at the role's limit (57014) and the server keeps answering", async () => {
    const started = Date.now();
    const res = await h.rest("rpc/sleep_for", { method: "POST", headers: json, body: JSON.stringify({ seconds: 30 }), token: h.server.anonKey });
    expect(res.status).toBe(500);
    expect((await res.json()).code).toBe("57014");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await h.rest("books?select=id&limit=1")).status).toBe(200);
  });
});
