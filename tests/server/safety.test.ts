/**
 * Injection attempts in identifiers are refused with 400 and have no effect; syntax and options the
 * server does not implement are refused with 400 naming them (never silently ignored); CORS and routing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startEmbeddedServer } from "../../server/index.ts";
import type { FunctionRegistry } from "../../server/functions.ts";
import { ALICE, startHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(() => startHarness({ schemaCheckIntervalMs: 300 }));
let sb: SupabaseClient;

beforeAll(async () => {
  sb = h.client(h.tokenFor(ALICE));
});

async function tableState(): Promise<{ books: number; authors: number; titles: string }> {
  const { rows } = await h.engine.query<{ books: number; authors: number; titles: string }>(
    `select (select count(*)::int from public.books) as books, (select count(*)::int from public.authors) as authors,
            (select string_agg(title, '|' order by id) from public.books) as titles`,
  );
  return rows[0] as { books: number; authors: number; titles: string };
}

describe("injection attempts → 400 and no effect", () => {
  // 400 for identifiers in the query/body; 404 when the name is the resource itself (table or function).
  const attempts: { name: string; path: string; method?: string; body?: unknown; status?: number }[] = [
    { name: "statement in select", path: "books?select=id;delete from books" },
    { name: "comment in select", path: "books?select=id--" },
    { name: "quoted identifier in select", path: `books?select=${encodeURIComponent('"id"" from books; delete from books; --"')}` },
    { name: "subquery in select", path: "books?select=(select 1)" },
    { name: "cast smuggling a statement", path: "books?select=id::int;drop table books" },
    { name: "statement in order", path: "books?select=id&order=id;delete from books" },
    { name: "function call in order", path: "books?select=id&order=pg_sleep(1)" },
    { name: "quoted identifier in order", path: `books?select=id&order=${encodeURIComponent('"id; drop table books"')}` },
    { name: "order direction smuggling", path: "books?select=id&order=id.desc;delete from books" },
    { name: "statement in a filter column", path: `books?${encodeURIComponent("id);delete from books;--")}=eq.1` },
    { name: "unknown filter column", path: "books?title_or_1=eq.1" },
    { name: "statement in an or= column", path: `books?or=${encodeURIComponent("(id);delete from books;--.eq.1,id.eq.2)")}` },
    { name: "statement in an embed name", path: "books?select=id,authors;drop table books(name)" },
    { name: "statement in on_conflict", path: `authors?on_conflict=${encodeURIComponent("name) do nothing; delete from books; --")}`, method: "POST", body: { name: "x" } },
    { name: "statement in columns", path: `books?columns=${encodeURIComponent('"title"); delete from books; --')}`, method: "POST", body: [{ title: "x" }] },
    { name: "statement as an insert key", path: "books", method: "POST", body: { "title) values ('x'); delete from books; --": "x" } },
    { name: "statement as a PATCH key", path: "books?id=eq.1", method: "PATCH", body: { "title = 'x'; delete from books; --": 1 } },
    { name: "statement in an rpc name", path: `rpc/${encodeURIComponent("add_numbers(1,2); delete from books; --")}`, method: "POST", body: {}, status: 404 },
    { name: "statement in a relation name", path: encodeURIComponent("books; delete from books"), method: "GET", status: 404 },
  ];
  for (const a of attempts) {
    it(`${a.name}`, async () => {
      const before = await tableState();
      const writes = a.body !== undefined;
      const res = await h.rest(a.path, {
        method: a.method ?? "GET",
        // on_conflict is only read for upserts, so writes ask for one to reach that parser
        headers: writes
          ? { "Content-Type": "application/json", ...(a.path.includes("on_conflict") ? { Prefer: "resolution=merge-duplicates" } : {}) }
          : {},
        ...(writes ? { body: JSON.stringify(a.body) } : {}),
      });
      expect(res.status).toBe(a.status ?? 400);
      const body = (await res.json()) as { code: string; message: string };
      expect(typeof body.code).toBe("string");
      expect(await tableState()).toEqual(before);
    });
  }
  it("values are parameters: SQL in a filter value is just a string that matches nothing", async () => {
    const before = await tableState();
    const { data, error } = await sb.from("books").select("id").eq("title", "x'; delete from books; --");
    expect([data, error]).toEqual([[], null]);
    const { data: d2 } = await sb.from("books").select("id").ilike("title", "%' or '1'='1");
    expect(d2).toEqual([]);
    expect(await tableState()).toEqual(before);
  });
  it("values are parameters in rpc arguments too", async () => {
    const { data } = await sb.rpc("books_by_author", { author_name: "x' or 1=1 --" });
    expect(data).toEqual([]);
  });
  it("a relation name with SQL is 404 42P01, as PostgREST 12 answers an unknown relation (checked against the catalog)", async () => {
    const res = await h.rest(encodeURIComponent("books; delete from books"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: "42P01", message: 'relation "public.books; delete from books" does not exist', details: null, hint: null });
    expect((await tableState()).books).toBe(5);
  });
});

describe("unsupported syntax → 400 naming it", () => {
  const cases: { name: string; path: string; headers?: Record<string, string>; status?: number; mention: RegExp }[] = [
    { name: "full-text operator fts", path: "books?title=fts.rain", mention: /fts/ },
    { name: "unknown operator", path: "books?title=approx.rain", mention: /approx/ },
    { name: "JSON path in select", path: "books?select=meta->>lang", mention: /JSON path/ },
    { name: "JSON path in a filter", path: "books?meta->>lang=eq.th", mention: /JSON path/ },
    { name: "spread embedding", path: "books?select=id,...authors(name)", mention: /spread/ },
    { name: "aggregates", path: "books?select=pages.sum()", mention: /aggregate/ },
    { name: "a filter without operator", path: "books?title=rain", mention: /failed to parse filter/ },
    { name: "a non-numeric limit", path: "books?limit=ten", mention: /limit/ },
    { name: "a bad order modifier", path: "books?order=id.sideways", mention: /sideways/ },
    { name: "Prefer params=single-object on an rpc", path: "rpc/add_numbers?a=1", headers: { Prefer: "params=single-object" }, mention: /params=single-object/ },
    { name: "another exposed schema than public", path: "books", headers: { "Accept-Profile": "graphql_public" }, mention: /graphql_public/ },
    { name: "nulls=stripped media type", path: "books", headers: { Accept: "application/vnd.pgrst.array+json;nulls=stripped" }, mention: /nulls=stripped/ },
    { name: "Range header together with limit", path: "books?limit=1", headers: { Range: "0-1" }, mention: /Range header/ },
    { name: "(any) on an operator that has no quantified form", path: "books?id=in(any).(1)", mention: /any/ },
    { name: "order by a to-one embed missing from select", path: "books?select=id&order=authors(name)", mention: /authors/ },
    { name: "select given twice", path: "books?select=id&select=title", mention: /more than once/ },
  ];
  for (const c of cases) {
    it(`${c.name}`, async () => {
      const res = await h.rest(c.path, { headers: c.headers ?? {} });
      expect(res.status).toBe(c.status ?? 400);
      const body = (await res.json()) as { code: string; message: string; details: string | null };
      expect(`${body.message} ${body.details ?? ""}`).toMatch(c.mention);
    });
  }
  it("a Range header is ignored on a write and a scalar rpc (PostgREST reads it on GET only), and pages a set-returning rpc", async () => {
    const patch = await h.rest("books?id=eq.5", { method: "PATCH", headers: { "Content-Type": "application/json", Range: "0-0" }, body: JSON.stringify({ pages: 61 }) });
    expect(patch.status).toBe(204);
    expect((await h.engine.query<{ pages: number }>("select pages from public.books where id = 5")).rows[0]?.pages).toBe(61);
    await h.engine.query("update public.books set pages = 60 where id = 5");
    const scalar = await h.rest("rpc/add_numbers?a=1", { headers: { Range: "0-0" } });
    expect([scalar.status, await scalar.json()]).toEqual([200, 11]);
    const set = await h.rest("rpc/books_by_author?author_name=Sunee%20Chai&select=id&order=id", { headers: { Range: "1-1" } });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual([{ id: 2 }]);
    expect(set.headers.get("content-range")).toBe("1-1/*");
  });
  it("an embedded filter on a write without a representation embedding it is refused, not ignored", async () => {
    const res = await h.rest("books?id=eq.1&authors.name=eq.x", { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pages: 1 }) });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("PGRST108");
    const { rows } = await h.engine.query<{ pages: number }>("select pages from public.books where id = 1");
    expect(rows[0]?.pages).not.toBe(1);
  });
  it("a media type PostgREST does not produce → 406 PGRST107", async () => {
    const res = await h.rest("books?select=id", { headers: { Accept: "application/xml" } });
    expect(res.status).toBe(406);
    expect((await res.json()).code).toBe("PGRST107");
  });
  it("another schema → 406 PGRST106", async () => {
    const { status, error } = await h.client(h.tokenFor(ALICE)).schema("auth").from("users").select("*");
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST106");
  });
  it("PUT (PostgREST's single-row upsert, not implemented here) → 400 naming it, nothing written", async () => {
    const res = await h.rest("books?id=eq.1", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: 1, title: "Put" }) });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/PUT/);
    expect((await h.engine.query<{ title: string }>("select title from public.books where id = 1")).rows[0]?.title).toBe("Rice and Rain");
  });
  it("an unknown table: a read → 404 42P01 (Postgres's answer, as in PostgREST 12); a write → 404 with an empty object", async () => {
    const { status, error } = await sb.from("no_such_table").select("*");
    expect([status, error?.code]).toEqual([404, "42P01"]);
    const write = await h.rest("no_such_table", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ a: 1 }) });
    expect([write.status, await write.json()]).toEqual([404, {}]);
  });
  it("an unknown column in select → 400 42703", async () => {
    const { status, error } = await sb.from("books").select("id,nope");
    expect([status, error?.code]).toEqual([400, "42703"]);
  });
});

describe("schema cache refresh", () => {
  it("a table created after start is found on first use (refresh on miss)", async () => {
    await h.engine.exec("create table public.late_table (id int primary key); grant select on public.late_table to authenticated; insert into public.late_table values (7);");
    const { data, error } = await sb.from("late_table").select("id");
    expect([data, error]).toEqual([[{ id: 7 }], null]);
  });
  it("a column added after start appears in select=* once the schema watch notices (no miss needed)", async () => {
    await sb.from("books").select("*").limit(1); // catalog cached with the old columns
    await h.engine.exec("alter table public.books add column watched_flag boolean not null default true");
    const deadline = Date.now() + 15_000;
    let keys: string[] = [];
    while (Date.now() < deadline) {
      const { data } = await sb.from("books").select("*").eq("id", 1);
      keys = Object.keys(data?.[0] ?? {});
      if (keys.includes("watched_flag")) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(keys).toContain("watched_flag");
    await h.engine.exec("alter table public.books drop column watched_flag");
  });
  it("a column added after start is found on first use", async () => {
    await h.engine.exec("alter table public.late_table add column label text default 'seven'");
    const { data } = await sb.from("late_table").select("id,label");
    expect(data).toEqual([{ id: 7, label: "seven" }]);
  });
});

describe("CORS", () => {
  it("preflight from the Vite origin allows the headers supabase-js sends", async () => {
    const res = await fetch(`${h.url}/rest/v1/books`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://localhost:5173",
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization,apikey,content-type,prefer,range,accept-profile,content-profile,x-client-info",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").split(",").map((s) => s.trim());
    for (const header of ["authorization", "apikey", "content-type", "prefer", "range", "accept-profile", "content-profile", "x-client-info"]) {
      expect(allowed).toContain(header);
    }
    expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
  });
  it("responses to allowed origins expose Content-Range", async () => {
    const res = await h.rest("books?select=id", { headers: { Origin: "http://127.0.0.1:4173", Prefer: "count=exact" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:4173");
    expect(res.headers.get("access-control-expose-headers")).toContain("content-range");
  });
  it("other origins get no CORS grant", async () => {
    const pre = await fetch(`${h.url}/rest/v1/books`, { method: "OPTIONS", headers: { Origin: "http://evil.example", "Access-Control-Request-Method": "GET" } });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await h.rest("books?select=id", { headers: { Origin: "http://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("routing and functions", () => {
  it("the health function answers through supabase.functions.invoke", async () => {
    const { data, error } = await sb.functions.invoke("health");
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "ok", runtime: "node", rest_api: "reachable" });
    expect(Number.isNaN(Date.parse((data as { time: string }).time))).toBe(false);
  });
  it("a function with verify_jwt refuses a missing or bad token and receives the caller's Authorization", async () => {
    const seen: string[] = [];
    const functions: FunctionRegistry = new Map([
      ["echo-auth", {
        verifyJwt: true,
        load: async () => async (req: Request) => {
          seen.push(req.headers.get("authorization") ?? "");
          return Response.json({ method: req.method, body: await req.text() });
        },
      }],
    ]);
    const other = await startEmbeddedServer({ engine: h.engine, port: 0, prepare: false, demoSignIn: false, jwtSecret: h.server.jwtSecret, functions });
    try {
      expect((await fetch(`${other.url}/functions/v1/echo-auth`, { method: "POST" })).status).toBe(401);
      expect((await fetch(`${other.url}/functions/v1/echo-auth`, { method: "POST", headers: { Authorization: "Bearer x.y.z" } })).status).toBe(401);
      expect(seen).toEqual([]);
      const token = h.tokenFor(ALICE);
      const res = await fetch(`${other.url}/functions/v1/echo-auth`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: "hello" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ method: "POST", body: "hello" });
      expect(seen).toEqual([`Bearer ${token}`]);
    } finally {
      await other.close();
    }
  });
  it("an unknown function → 404", async () => {
    const res = await fetch(`${h.url}/functions/v1/nope`, { method: "POST" });
    expect(res.status).toBe(404);
  });
  it("embedded sign-in endpoints do not exist when demo sign-in is off", async () => {
    const res = await fetch(`${h.url}/embedded/v1/staff`);
    expect(res.status).toBe(404);
  });
  it("a malformed percent-escape in the path is a 404, not a crash", async () => {
    const res = await h.rest("books%zz");
    expect(res.status).toBe(404);
    expect((await h.rest("books?select=id&limit=1")).status).toBe(200);
  });
  it("requests addressed to another host name are refused (DNS rebinding)", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.url}/functions/v1/health`, { headers: { Host: "attacker.example:54321" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(421);
  });
  it("the server listens on loopback only", () => {
    expect(new URL(h.url).hostname).toBe("127.0.0.1");
  });
});
