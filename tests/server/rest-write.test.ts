/**
 * Writes through the real supabase-js client: inserts (single, bulk, defaults, upsert), updates and deletes
 * with filters, representations, single-object checks that roll back, RLS per token, and PostgREST's error
 * shapes and status codes for constraint violations.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SupabaseClient } from "@supabase/supabase-js";
import { ALICE, BOB, startHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const h = openBeforeAll(startHarness);
let alice: SupabaseClient;
let bob: SupabaseClient;

beforeAll(async () => {
  alice = h.client(h.tokenFor(ALICE));
  bob = h.client(h.tokenFor(BOB));
});

async function countRows(table: string, where = "true", params: unknown[] = []): Promise<number> {
  const { rows } = await h.engine.query<{ n: number }>(`select count(*)::int as n from public.${table} where ${where}`, params);
  return rows[0]?.n ?? -1;
}

describe("insert", () => {
  it("one object with return=representation → 201 and the row with defaults filled", async () => {
    const { data, status, error } = await alice.from("authors").insert({ name: "Kanya Insert", country: "TH" }).select().single();
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toMatchObject({ name: "Kanya Insert", country: "TH", born: null });
    expect(typeof (data as { id: unknown }).id).toBe("number");
  });
  it("return=minimal (no select) → 201, no body, row written", async () => {
    const { data, status, error } = await alice.from("authors").insert({ name: "Minimal Mina" });
    expect([data, status, error]).toEqual([null, 201, null]);
    expect(await countRows("authors", "name = $1", ["Minimal Mina"])).toBe(1);
  });
  it("bulk array: absent keys become null (PostgREST default), select narrows the representation", async () => {
    const { data, error } = await alice
      .from("books")
      .insert([{ title: "Bulk A", pages: 10 }, { title: "Bulk B", rating: 1.5 }])
      .select("title,pages,rating");
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: "Bulk A", pages: 10, rating: null },
      { title: "Bulk B", pages: null, rating: 1.5 },
    ]);
  });
  it("missing=default (defaultToNull: false) uses column defaults for absent keys", async () => {
    const { data, error } = await alice
      .from("books")
      .insert([{ title: "Default A", tags: ["x"] }, { title: "Default B" }], { defaultToNull: false })
      .select("title,tags");
    expect(error).toBeNull();
    expect(data).toEqual([{ title: "Default A", tags: ["x"] }, { title: "Default B", tags: [] }]);
  });
  it("embeds in the representation of an insert", async () => {
    const { data } = await alice.from("books").insert({ title: "Embedded Rep", author_id: 2 }).select("title,authors(name)").single();
    expect(data).toEqual({ title: "Embedded Rep", authors: { name: "Ada Park" } });
  });
  it("jsonb and array values round-trip", async () => {
    const { data } = await alice.from("books").insert({ title: "Typed", tags: ["a", "b"], meta: { nested: { n: 1 } } }).select("tags,meta").single();
    expect(data).toEqual({ tags: ["a", "b"], meta: { nested: { n: 1 } } });
  });
  it("count=exact on insert reports the rows written", async () => {
    const { count, error } = await alice.from("reviews").insert([{ book_id: 2, stars: 3 }, { book_id: 2, stars: 4 }], { count: "exact" });
    expect(error).toBeNull();
    expect(count).toBe(2);
  });
  it("single() on a bulk insert of two rows → 406 and nothing written", async () => {
    const before = await countRows("authors");
    const { status, error } = await alice.from("authors").insert([{ name: "Two A" }, { name: "Two B" }]).select().single();
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST116");
    expect(await countRows("authors")).toBe(before);
  });
  it("an unknown column → 400 PGRST204 and nothing written", async () => {
    const before = await countRows("authors");
    const { status, error } = await alice.from("authors").insert({ name: "Ghost", nickname: "g" });
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST204");
    expect(await countRows("authors")).toBe(before);
  });
  it("a body that is not JSON → 400 PGRST102", async () => {
    const res = await h.rest("authors", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("PGRST102");
  });
});

describe("upsert", () => {
  it("merge-duplicates on on_conflict updates the existing row", async () => {
    const { data, error } = await alice.from("authors").upsert({ name: "Zoe Null", country: "NZ" }, { onConflict: "name" }).select("id,name,country");
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 3, name: "Zoe Null", country: "NZ" }]);
  });
  it("merge on the primary key when on_conflict is absent", async () => {
    const { data } = await alice.from("reviews").upsert({ id: 1, book_id: 1, stars: 3, body: "revised" }).select("id,stars,body");
    expect(data).toEqual([{ id: 1, stars: 3, body: "revised" }]);
  });
  it("ignore-duplicates leaves the existing row and inserts the new one", async () => {
    const { data, error } = await alice
      .from("authors")
      .upsert([{ name: "Ada Park", country: "XX" }, { name: "Fresh Upsert", country: "JP" }], { onConflict: "name", ignoreDuplicates: true })
      .select("name,country");
    expect(error).toBeNull();
    expect(data).toEqual([{ name: "Fresh Upsert", country: "JP" }]);
    const { rows } = await h.engine.query<{ country: string }>("select country from public.authors where name = 'Ada Park'");
    expect(rows[0]?.country).toBe("KR");
  });
  it("merge with missing=default updates only the columns each row gave", async () => {
    const { error } = await alice
      .from("authors")
      .upsert([{ name: "Sunee Chai", born: "1971-01-01" }, { name: "Ada Park", country: "US", born: "1985-05-05" }], { onConflict: "name", defaultToNull: false });
    expect(error).toBeNull();
    const { rows } = await h.engine.query<{ name: string; country: string | null; born: string }>(
      "select name, country, born::text as born from public.authors where name in ('Sunee Chai', 'Ada Park') order by name",
    );
    expect(rows).toEqual([
      { name: "Ada Park", country: "US", born: "1985-05-05" },
      { name: "Sunee Chai", country: "TH", born: "1971-01-01" },
    ]);
  });
  it("an empty object is an all-defaults insert, which NOT NULL columns without defaults refuse (400 23502)", async () => {
    const { status, error } = await alice.from("reviews").insert({});
    expect([status, error?.code]).toEqual([400, "23502"]);
  });
  it("on_conflict naming an unknown column → 400", async () => {
    const { status } = await alice.from("authors").upsert({ name: "X" }, { onConflict: "nope" });
    expect(status).toBe(400);
  });
});

describe("update", () => {
  beforeEach(async () => {
    await h.engine.query("update public.books set pages = 180, rating = 3.9 where id = 2");
  });
  it("PATCH with a filter and representation returns the changed rows", async () => {
    const { data, status } = await alice.from("books").update({ pages: 200, rating: 4.1 }).eq("id", 2).select("id,pages,rating");
    expect(status).toBe(200);
    expect(data).toEqual([{ id: 2, pages: 200, rating: 4.1 }]);
  });
  it("the representation is not re-filtered by the values it changed", async () => {
    const { data } = await alice.from("books").update({ pages: 181 }).eq("pages", 180).select("id,pages");
    expect(data).toEqual([{ id: 2, pages: 181 }]);
  });
  it("PATCH without representation → 204", async () => {
    const { status, data } = await alice.from("books").update({ pages: 190 }).eq("id", 2);
    expect([status, data]).toEqual([204, null]);
    expect(await countRows("books", "id = 2 and pages = 190")).toBe(1);
  });
  it("PATCH without any filter is refused (400 21000) and changes nothing", async () => {
    const { status, error } = await alice.from("books").update({ pages: 1 });
    expect(status).toBe(400);
    expect(error?.code).toBe("21000");
    expect(await countRows("books", "pages = 1")).toBe(0);
  });
  it("PATCH matching nothing returns []", async () => {
    const { data, error } = await alice.from("books").update({ pages: 5 }).eq("id", 999).select();
    expect([data, error]).toEqual([[], null]);
  });
  it("single() on an update touching two rows → 406 and the update is rolled back", async () => {
    const { status } = await alice.from("books").update({ rating: 0.1 }).eq("author_id", 1).select().single();
    expect(status).toBe(406);
    expect(await countRows("books", "rating = 0.1")).toBe(0);
  });
  it("Prefer: tx=rollback is not honoured, as on hosted Supabase (db-tx-end = commit): the change is kept and not reported as applied", async () => {
    const res = await h.rest("books?id=eq.2", {
      method: "PATCH",
      headers: { "Content-Type": "application/json", Prefer: "return=representation,tx=rollback" },
      body: JSON.stringify({ pages: 777 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([expect.objectContaining({ id: 2, pages: 777 })]);
    expect(res.headers.get("preference-applied")).toBe("return=representation");
    expect(await countRows("books", "pages = 777")).toBe(1);
    await h.engine.query("update public.books set pages = 180 where id = 2");
  });
  it("Prefer: max-affected without handling=strict is ignored, as in PostgREST 12", async () => {
    const res = await h.rest("books?author_id=eq.1", {
      method: "PATCH",
      headers: { "Content-Type": "application/json", Prefer: "max-affected=1" },
      body: JSON.stringify({ rating: 4.4 }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("preference-applied")).toBeNull();
    expect(await countRows("books", "author_id = 1 and rating = 4.4")).toBe(2);
    await h.engine.query("update public.books set rating = case id when 1 then 4.5 else 3.9 end where author_id = 1");
  });
  it("Prefer: max-affected refuses an update touching more rows (and rolls back)", async () => {
    const res = await h.rest("books?author_id=eq.1", {
      method: "PATCH",
      headers: { "Content-Type": "application/json", Prefer: "handling=strict,max-affected=1" },
      body: JSON.stringify({ in_print: false }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("PGRST124");
    expect(await countRows("books", "id = 1 and in_print")).toBe(1);
  });
});

describe("delete", () => {
  it("DELETE with a filter and representation returns the deleted rows", async () => {
    const { data: created } = await alice.from("reviews").insert({ book_id: 4, stars: 1, body: "to delete" }).select("id").single();
    const id = (created as { id: number }).id;
    const { data, status } = await alice.from("reviews").delete().eq("id", id).select("id,body");
    expect(status).toBe(200);
    expect(data).toEqual([{ id, body: "to delete" }]);
    expect(await countRows("reviews", "id = $1", [id])).toBe(0);
  });
  it("DELETE minimal → 204", async () => {
    await alice.from("reviews").insert({ book_id: 4, stars: 1, body: "minimal delete" });
    const { status } = await alice.from("reviews").delete().eq("body", "minimal delete");
    expect(status).toBe(204);
    expect(await countRows("reviews", "body = 'minimal delete'")).toBe(0);
  });
  it("DELETE without a filter is refused and deletes nothing", async () => {
    const before = await countRows("reviews");
    const { status, error } = await alice.from("reviews").delete();
    expect([status, error?.code]).toEqual([400, "21000"]);
    expect(await countRows("reviews")).toBe(before);
  });
});

describe("RLS decides per token", () => {
  it("each person reads only their own notes", async () => {
    const a = await alice.from("notes").select("body").order("id");
    const b = await bob.from("notes").select("body").order("id");
    expect(a.data?.map((r) => r.body).slice(0, 2)).toEqual(["alice one", "alice two"]);
    expect(a.data?.every((r) => r.body.startsWith("alice") || r.body === "touched")).toBe(true);
    expect(b.data).toEqual([{ body: "bob one" }]);
  });
  it("an insert defaults owner_sub from the token's sub", async () => {
    const { data } = await bob.from("notes").insert({ body: "bob two" }).select("owner_sub,body").single();
    expect(data).toEqual({ owner_sub: BOB.clerkUserId, body: "bob two" });
  });
  it("writing a row for someone else → 403 42501 and nothing written", async () => {
    const before = await countRows("notes");
    const { status, error } = await bob.from("notes").insert({ owner_sub: ALICE.clerkUserId, body: "forged" });
    expect(status).toBe(403);
    expect(error?.code).toBe("42501");
    expect(await countRows("notes")).toBe(before);
  });
  it("updating someone else's note matches no row", async () => {
    const { data } = await bob.from("notes").update({ body: "hijacked" }).eq("body", "alice one").select();
    expect(data).toEqual([]);
    expect(await countRows("notes", "body = 'alice one'")).toBe(1);
  });
  it("concurrent requests from different people never see each other's claims or rows", async () => {
    const runs: { who: "alice" | "bob"; client: SupabaseClient }[] = Array.from({ length: 24 }, (_, i) =>
      i % 2 === 0 ? { who: "alice", client: alice } : { who: "bob", client: bob },
    );
    const results = await Promise.all(
      runs.map(async ({ who, client }) => {
        const [notes, me] = await Promise.all([client.from("notes").select("owner_sub"), client.rpc("whoami")]);
        return { who, owners: new Set((notes.data ?? []).map((n) => n.owner_sub)), me: me.data };
      }),
    );
    for (const r of results) {
      const sub = r.who === "alice" ? ALICE.clerkUserId : BOB.clerkUserId;
      expect(r.me).toBe(sub);
      expect([...r.owners]).toEqual([sub]);
    }
  });
  it("one request after another, on one connection, runs with its own claims only; none outlive their transaction", async () => {
    const bobToken = h.tokenFor(BOB);
    const timeout = async (token: string) => (await (await h.rest("rpc/current_statement_timeout", { token })).json()) as unknown;
    const whoami = async (token: string) => (await (await h.rest("rpc/whoami", { token })).json()) as unknown;
    for (let i = 0; i < 3; i++) {
      expect(await whoami(h.tokenFor(ALICE))).toBe(ALICE.clerkUserId);
      expect(await whoami(bobToken)).toBe(BOB.clerkUserId);
      expect(await timeout(h.server.anonKey)).toBe("3s"); // anon's own setting, not the previous request's
      expect(await timeout(bobToken)).toBe("8s");
      const owners = ((await (await h.rest("notes?select=owner_sub", { token: bobToken })).json()) as { owner_sub: string }[]).map((n) => n.owner_sub);
      expect(new Set(owners)).toEqual(new Set([BOB.clerkUserId]));
    }
    // Outside any request (PGlite has one connection: the very session the requests ran on), nothing is left set.
    const { rows } = await h.engine.query<{ claims: string | null; role: string; headers: string | null }>(
      "select nullif(current_setting('request.jwt.claims', true), '') as claims, current_user::text as role, nullif(current_setting('request.headers', true), '') as headers",
    );
    expect(rows[0]?.claims ?? null).toBeNull();
    expect(rows[0]?.headers ?? null).toBeNull();
    expect(rows[0]?.role).not.toMatch(/^(anon|authenticated|service_role)$/);
  });
  it("the anon key has no grant on the tables → 401 42501", async () => {
    const anon = h.client();
    const { status, error } = await anon.from("books").select("id");
    expect(status).toBe(401);
    expect(error?.code).toBe("42501");
  });
  it("the service role bypasses RLS", async () => {
    const service = h.client(h.server.serviceRoleKey);
    const { count } = await service.from("notes").select("id", { count: "exact", head: true });
    expect(count).toBe(await countRows("notes"));
  });
});

describe("constraint errors map to PostgREST statuses", () => {
  it("unique violation → 409 23505 naming the constraint (key values hidden under RLS, as Postgres does)", async () => {
    const { status, error } = await alice.from("authors").insert({ name: "Sunee Chai" });
    expect(status).toBe(409);
    expect(error?.code).toBe("23505");
    expect(error?.message).toContain("authors_name_key");
    expect(error?.details).toBeNull();
  });
  it("foreign key violation → 409 23503", async () => {
    const { status, error } = await alice.from("books").insert({ title: "Orphan", author_id: 999 });
    expect([status, error?.code]).toEqual([409, "23503"]);
  });
  it("not-null violation → 400 23502", async () => {
    const { status, error } = await alice.from("books").insert({ pages: 10 });
    expect([status, error?.code]).toEqual([400, "23502"]);
  });
  it("check violation → 400 23514", async () => {
    const { status, error } = await alice.from("books").insert({ title: "Negative", pages: -1 });
    expect([status, error?.code]).toEqual([400, "23514"]);
  });
  it("invalid input syntax in a filter → 400 22P02", async () => {
    const { status, error } = await alice.from("books").select("id").eq("pages", "many");
    expect([status, error?.code]).toEqual([400, "22P02"]);
  });
  it("errors carry exactly code, message, details and hint", async () => {
    const { error } = await alice.from("authors").insert({ name: "Sunee Chai" });
    expect(Object.keys(error ?? {}).sort()).toEqual(["code", "details", "hint", "message"]);
  });
});
