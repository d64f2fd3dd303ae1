/**
 * One process per data directory (issue 8 §1), with real processes on the real migrations and a small seed:
 * - while an embedded server holds a data dir, a second server, `npm run seed` and `npm run db:reset` on it refuse
 *   at once, naming the holder, and leave every file as it was;
 * - `kill -9` in the middle of a stream of acknowledged credit adjustments, then a new server on the same dir with no
 *   cleanup: every acknowledged adjustment is there exactly once (with its ledger row) and the audit chain verifies.
 */
import { readFile, readdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueStaffToken } from "../../server/auth/jwt.ts";
import { startEmbeddedServer } from "../../server/index.ts";
import { demoStaffByEmail } from "../../server/seed/staff.ts";
import { freePort, runScript, startServerProcess, type ServerProcess } from "../helpers/processes.ts";

let dataDir: string;
let secret: string;
let current: ServerProcess | null = null;

/** A user's environment on this data dir: PGlite (no DATABASE_URL), not under npm, its own API port. */
function envFor(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MFC_DATA_DIR: dataDir, MFC_API_PORT: String(port), FORCE_COLOR: "0" };
  for (const name of ["DATABASE_URL", "STRIPE_SECRET_KEY", "npm_lifecycle_event", "npm_lifecycle_script"]) delete env[name];
  return env;
}

const startServer = async (): Promise<ServerProcess> => startServerProcess(envFor(await freePort()));

function tokenOf(email: string): string {
  const staff = demoStaffByEmail(email);
  if (!staff) throw new Error(`no demo staff ${email}`);
  return issueStaffToken(staff, secret).token;
}

async function api<T>(server: ServerProcess, email: string, pathAndQuery: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/rest/v1/${pathAndQuery}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${tokenOf(email)}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every file under the data dir with its size and modification time. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file);
    files[path.relative(dir, file)] = `${info.size}@${info.mtimeMs}`;
  }
  return files;
}

async function killHard(server: ServerProcess): Promise<void> {
  server.child.kill("SIGKILL");
  await server.exited;
}

// The lock guards PGlite's files; a real Postgres (DATABASE_URL, as under `npm run test:db`) has its own.
const postgresUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-exclusive-"));
  // Migrations and a small seed once, in this process; every server below is a child process.
  const prepared = await startEmbeddedServer({ dataDir, port: 0, demoCustomers: 5, stripe: false, schemaCheckIntervalMs: 0 });
  await prepared.engine.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      "insert into public.staff_members (clerk_user_id, email, display_name) values ('user_notDemo', 'not.demo@m-factory.test', 'Not Demo') returning id",
    );
    await tx.query("insert into public.staff_roles (staff_member_id, role) values ($1, 'support')", [rows[0]?.id]);
  });
  await prepared.close();
  secret = (await readFile(path.join(dataDir, "jwt-secret"), "utf8")).trim();
  current = await startServer();
}, 180_000);

afterAll(async () => {
  if (current) await killHard(current);
  await rm(dataDir, { recursive: true, force: true });
  if (postgresUrl !== undefined) process.env.DATABASE_URL = postgresUrl;
});

describe("a data dir held by a running server", () => {
  it("refuses a second server, seed and db:reset at once, naming the holder, and changes no file", async () => {
    const holder = current as ServerProcess;
    const named = `is in use by pid ${holder.pid} (node --import tsx server/index.ts, API on ${holder.url}) since `;
    const before = await snapshot(dataDir);
    const adjustmentsBefore = await api<unknown[]>(holder, "support@m-factory.test", "credit_adjustments?select=id");

    // Each on another API port, as a second stack would be: the data dir alone must make them stop.
    const second = await startServerProcess(envFor(await freePort())).then(
      (s) => killHard(s).then(() => "started"),
      (err: Error) => err.message,
    );
    expect(second).toContain(named);
    expect(second).toMatch(/stop it first, or set MFC_DATA_DIR to another folder/);
    const seeded = await runScript("server/cli/seed.ts", ["--customers", "3"], envFor(await freePort()));
    expect(seeded.code, seeded.out).toBe(1);
    expect(seeded.out).toContain(named);
    const reset = await runScript("server/cli/db-reset.ts", ["--yes", "--customers", "3"], envFor(await freePort()));
    expect(reset.code, reset.out).toBe(1);
    expect(reset.out).toContain(named);
    expect(reset.out).not.toMatch(/deleting/);

    expect(await snapshot(dataDir)).toEqual(before);
    expect(await api<unknown[]>(holder, "support@m-factory.test", "credit_adjustments?select=id")).toHaveLength(adjustmentsBefore.length);
  }, 120_000);

  it("npm run token signs a demo staff member's token from the secret alone, without the server or the database", async () => {
    const holder = current as ServerProcess;
    // Another API port (nothing answers there) and the data dir held: only the secret can produce this token.
    const run = await runScript("server/cli/token.ts", ["finance@m-factory.test"], envFor(await freePort()));
    expect(run.code, run.out).toBe(0);
    const token = run.out.trim();
    const res = await fetch(`${holder.url}/rest/v1/rpc/current_staff`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{}" });
    expect(await res.json()).toMatchObject({ email: "finance@m-factory.test" });
  }, 60_000);

  it("npm run token asks the server holding the data dir about anyone else, wherever MFC_API_PORT points", async () => {
    const holder = current as ServerProcess;
    const run = await runScript("server/cli/token.ts", ["not.demo@m-factory.test"], envFor(await freePort()));
    expect(run.code, run.out).toBe(0);
    const res = await fetch(`${holder.url}/rest/v1/rpc/current_staff`, { method: "POST", headers: { Authorization: `Bearer ${run.out.trim()}`, "Content-Type": "application/json" }, body: "{}" });
    expect(await res.json()).toMatchObject({ email: "not.demo@m-factory.test" });
  }, 60_000);
});

interface Acknowledged {
  key: string;
  id: string;
}

/**
 * Adjustments from `workers` concurrent senders until the server stops answering; returns the acknowledged ones.
 * Calls `onAcknowledged` after each, so the caller can decide when to kill.
 */
async function streamAdjustments(server: ServerProcess, run: number, customerId: string, onAcknowledged: (count: number) => void): Promise<Acknowledged[]> {
  const acknowledged: Acknowledged[] = [];
  const token = tokenOf("support@m-factory.test");
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; ; i++) {
      const key = `durability-r${run}-w${w}-${i}`;
      let res: Response;
      try {
        res = await fetch(`${server.url}/rest/v1/rpc/adjust_credits`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ p_customer_id: customerId, p_amount: 1, p_reason: "goodwill", p_note: `durability run ${run}`, p_idempotency_key: key }),
        });
      } catch {
        return; // the server is gone: whatever was in flight was never acknowledged
      }
      const body = (await res.json().catch(() => null)) as { id?: string } | null;
      if (!res.ok || typeof body?.id !== "string") throw new Error(`adjust_credits ${key}: ${res.status} ${JSON.stringify(body)}`);
      acknowledged.push({ key, id: body.id });
      onAcknowledged(acknowledged.length);
    }
  };
  await Promise.all([0, 1, 2].map(worker));
  return acknowledged;
}

describe("kill -9 in the middle of acknowledged writes", () => {
  it("a new server starts on the same dir with no cleanup, with every acknowledged adjustment exactly once and a verified audit chain (3 runs)", async () => {
    const [customer] = await api<{ id: string }[]>(current as ServerProcess, "support@m-factory.test", "customer_directory?select=id&deleted_at=is.null&limit=1");
    expect(customer).toBeDefined();
    for (let run = 1; run <= 3; run++) {
      const victim = current as ServerProcess;
      // Killed at a random moment once the stream is going (after 5 to 40 acknowledged adjustments).
      const killAfter = 5 + Math.floor(Math.random() * 36);
      let killing = false;
      const acknowledged = await streamAdjustments(victim, run, customer!.id, (count) => {
        if (count >= killAfter && !killing) {
          killing = true;
          victim.child.kill("SIGKILL");
        }
      });
      await victim.exited;
      current = null;
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

      current = await startServer();
      const stored = await api<{ id: string; idempotency_key: string; status: string; ledger_entry_id: number | null }[]>(
        current, "support@m-factory.test",
        `credit_adjustments?select=id,idempotency_key,status,ledger_entry_id&idempotency_key=like.durability-r${run}-*&limit=10000`,
      );
      const byKey = new Map<string, typeof stored>();
      for (const row of stored) byKey.set(row.idempotency_key, [...(byKey.get(row.idempotency_key) ?? []), row]);
      for (const { key, id } of acknowledged) {
        expect(byKey.get(key)?.map((row) => row.id), `run ${run}: acknowledged ${key}`).toEqual([id]);
      }
      const ledger = await api<{ id: number; idempotency_key: string }[]>(
        current, "support@m-factory.test",
        `credit_ledger?select=id,idempotency_key&idempotency_key=like.credit_adjustment:durability-r${run}-*&limit=10000`,
      );
      const applied = stored.filter((row) => row.status === "applied");
      expect(ledger.map((row) => row.id).sort((a, b) => a - b)).toEqual(applied.map((row) => row.ledger_entry_id).sort((a, b) => (a ?? 0) - (b ?? 0)));
      const [chain] = await api<{ ok: boolean; reason: string | null }[]>(current, "auditor@m-factory.test", "rpc/verify_audit_chain", {});
      expect(chain, `run ${run}: audit chain`).toMatchObject({ ok: true });
    }
  }, 150_000);
});
