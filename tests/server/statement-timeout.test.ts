/**
 * A runaway statement cannot hang the embedded server: on PGlite (which cannot interrupt a statement) the server's
 * engine runs PGlite on a worker thread and stops it at the role's statement_timeout, as PostgreSQL cancels one on
 * Supabase — 500 57014, the open transaction gone, everything committed kept, the next request answered.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEngine, StatementTimeoutError, type Engine } from "../../server/db/engine.ts";
import { bootstrapSupabaseRoles } from "../../server/db/migrate.ts";
import { generateSecret, issueStaffToken } from "../../server/auth/jwt.ts";
import { startEmbeddedServer, type EmbeddedServer } from "../../server/index.ts";
import { durationMs } from "../../server/rest/handler.ts";

// Long enough to outlast any timeout below by far: only stopping the thread ends it.
const RUNAWAY = "select count(*) from generate_series(1, 5000000000)";

describe("an interruptible PGlite engine", () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mfc-timeout-"));
    engine = await openEngine({ dataDir: path.join(dir, "pglite"), interruptible: true });
    await engine.exec("create table kept (id int primary key, note text)");
  });
  afterAll(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("stops a statement past the transaction's timeout with 57014; the transaction's writes are gone, committed ones kept", async () => {
    await engine.query("insert into kept values (1, 'committed before')");
    const started = Date.now();
    const attempt = engine.transaction(async (tx) => {
      await tx.query("insert into kept values (2, 'inside the runaway transaction')");
      await tx.query(RUNAWAY);
    }, { statementTimeoutMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(StatementTimeoutError);
    await expect(attempt).rejects.toMatchObject({ code: "57014", message: "canceling statement due to statement timeout" });
    expect(Date.now() - started).toBeLessThan(5_000);
    const { rows } = await engine.query<{ id: number; note: string }>("select id, note from kept order by id");
    expect(rows).toEqual([{ id: 1, note: "committed before" }]);
  });

  it("waits as long as a statement needs when no timeout is given, and keeps Postgres's own errors", async () => {
    const { rows } = await engine.transaction((tx) => tx.query<{ n: number }>("select count(*)::int as n from generate_series(1, 3000000)"));
    expect(rows).toEqual([{ n: 3_000_000 }]);
    await expect(engine.query("insert into kept values (1, 'again')")).rejects.toMatchObject({ code: "23505" });
    await expect(engine.transaction((tx) => tx.query("select 1/0"), { statementTimeoutMs: 5_000 })).rejects.toMatchObject({ code: "22012" });
  });

  it("serialises statements and transactions as one PGlite connection does", async () => {
    const results = await Promise.all([
      engine.transaction(async (tx) => {
        await tx.query("insert into kept values (10, 'a')");
        await new Promise((r) => setTimeout(r, 50));
        return (await tx.query<{ n: number }>("select count(*)::int as n from kept where id >= 10")).rows[0]?.n;
      }),
      engine.query("insert into kept values (11, 'b')").then(() => -1),
    ]);
    expect(results).toEqual([1, -1]);
  });
});

describe("Postgres duration settings", () => {
  it("reads statement_timeout values as Postgres writes them", () => {
    expect(["8s", "3000", "1min", "250ms", "0", "1.5s", "soon"].map(durationMs)).toEqual([8000, 3000, 60_000, 250, null, 1500, null]);
  });
});

describe("the embedded server on a PGlite data dir", () => {
  let dir: string;
  let server: EmbeddedServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mfc-timeout-server-"));
    // PGlite whatever the run: under test:db DATABASE_URL would point the server at PostgreSQL, which enforces the
    // timeout itself (tests/server/fidelity.test.ts).
    const databaseUrl = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      server = await startEmbeddedServer({
        dataDir: dir, port: 0, prepare: false, demoSignIn: false, jwtSecret: generateSecret(), stripe: false, schemaCheckIntervalMs: 0,
      });
    } finally {
      if (databaseUrl !== undefined) process.env.DATABASE_URL = databaseUrl;
    }
    expect(server.engine.kind).toBe("pglite");
    await bootstrapSupabaseRoles(server.engine);
    await server.engine.exec(`
      create table public.visits (id serial primary key, note text not null);
      alter table public.visits enable row level security;
      create policy visits_all on public.visits to anon, authenticated using (true) with check (true);
      create function public.runaway() returns bigint language sql volatile as $$
        insert into public.visits (note) values ('written by the runaway call');
        ${RUNAWAY};
      $$;
      grant execute on function public.runaway() to anon;`);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers a statement past the anon role's 3 s with 500 57014 and goes on answering, nothing of it kept", async () => {
    const headers = { Authorization: `Bearer ${server.anonKey}`, "Content-Type": "application/json" };
    const before = await fetch(`${server.url}/rest/v1/visits`, { method: "POST", headers, body: JSON.stringify({ note: "kept" }) });
    expect(before.status).toBe(201);
    const started = Date.now();
    const res = await fetch(`${server.url}/rest/v1/rpc/runaway`, { method: "POST", headers, body: "{}" });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: "57014", message: "canceling statement due to statement timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(15_000);
    const after = await fetch(`${server.url}/rest/v1/visits?select=note&order=id`, { headers });
    expect([after.status, await after.json()]).toEqual([200, [{ note: "kept" }]]);
  });

  it("a signed-in request gets authenticated's 8 s, not anon's 3 s", async () => {
    const token = issueStaffToken({ clerkUserId: "user_nobody", email: "nobody@example.test" }, server.jwtSecret).token;
    await server.engine.exec("create function public.wait_ms(ms int) returns int language sql volatile as $$ select ms from (select pg_sleep(ms / 1000.0)) s $$; grant execute on function public.wait_ms(int) to authenticated;");
    const res = await fetch(`${server.url}/rest/v1/rpc/wait_ms`, {
      method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ ms: 4000 }),
    });
    expect([res.status, await res.json()]).toEqual([200, 4000]);
  });
});
