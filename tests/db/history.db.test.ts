/**
 * History that must never change: append-only enforcement for every role including the owner
 * and a superuser, and the audit log's hash chain (verification, tamper detection, concurrency).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestDatabase, demoStaffForRole, expectSqlError } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

const APPEND_ONLY = ["audit_log", "consent_events", "credit_ledger"] as const;
/** A plain column of each table for `set c = c` (identity columns refuse updates for another reason). */
const PLAIN_COLUMN: Record<(typeof APPEND_ONLY)[number], string> = { audit_log: "action", consent_events: "source", credit_ledger: "note" };

async function chain(): Promise<{ ok: boolean; rows_checked: number; first_broken_id: number | null; reason: string | null }> {
  const { rows } = await db.asRole("auditor").query<{ ok: boolean; rows_checked: number; first_broken_id: number | null; reason: string | null }>(
    "select * from public.verify_audit_chain()",
  );
  return rows[0]!;
}

async function auditCount(): Promise<number> {
  const { rows } = await db.engine.query<{ n: number }>("select count(*)::int as n from public.audit_log");
  return rows[0]!.n;
}

describe("append-only history", () => {
  it.each(APPEND_ONLY)("%s refuses UPDATE and DELETE from the owner (superuser) with a clear error", async (table) => {
    const update = await expectSqlError(() => db.engine.query(`update public.${table} set ${PLAIN_COLUMN[table]} = ${PLAIN_COLUMN[table]}`));
    expect(update.code).toBe("23001");
    expect(update.message).toBe(`${table} is append-only: UPDATE is not allowed`);
    const del = await expectSqlError(() => db.engine.query(`delete from public.${table}`));
    expect(del.code).toBe("23001");
    expect(del.message).toBe(`${table} is append-only: DELETE is not allowed`);
  });

  it.each(APPEND_ONLY)("%s refuses TRUNCATE from the owner", async (table) => {
    const before = await db.engine.query<{ n: number }>(`select count(*)::int as n from public.${table}`);
    expect(before.rows[0]!.n).toBeGreaterThan(0);
    const err = await expectSqlError(() => db.engine.query(`truncate public.${table} cascade`));
    expect(err.code).toBe("23001");
    expect(err.message).toBe(`${table} is append-only: TRUNCATE is not allowed`);
    const after = await db.engine.query<{ n: number }>(`select count(*)::int as n from public.${table}`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it.each(APPEND_ONLY)("%s still refuses UPDATE under session_replication_role = replica", async (table) => {
    const err = await expectSqlError(() =>
      db.engine.transaction(async (tx) => {
        await tx.exec("set local session_replication_role = replica");
        await tx.query(`update public.${table} set ${PLAIN_COLUMN[table]} = ${PLAIN_COLUMN[table]}`);
      }),
    );
    expect(err.code).toBe("23001");
  });

  it.each(APPEND_ONLY)("%s refuses UPDATE and DELETE from service_role, which bypasses RLS", async (table) => {
    for (const sql of [`update public.${table} set ${PLAIN_COLUMN[table]} = ${PLAIN_COLUMN[table]}`, `delete from public.${table}`]) {
      const err = await expectSqlError(() =>
        db.engine.transaction(async (tx) => {
          await tx.exec("set local role service_role");
          await tx.query(sql);
        }),
      );
      expect(err.code).toBe("42501");
    }
  });

  it("deleting a generation a ledger row points to is refused: the foreign key's SET NULL would rewrite the ledger", async () => {
    const { rows } = await db.engine.query<{ generation_id: string }>(
      "select generation_id from public.credit_ledger where generation_id is not null limit 1",
    );
    const err = await expectSqlError(() => db.engine.query("delete from public.generations where id = $1", [rows[0]!.generation_id]));
    expect(err.code).toBe("23001");
    expect(err.message).toBe("credit_ledger is append-only: UPDATE is not allowed");
  });

  it("new history rows are still accepted: a ledger row moves the balance, a consent event moves the state", async () => {
    const customer = db.fixture.customerIds.international;
    await db.engine.query("insert into public.credit_ledger (customer_id, amount, reason, note) values ($1, 25, 'goodwill', 'delayed render')", [customer]);
    const balance = await db.engine.query<{ balance: number }>("select balance from public.credit_balances where customer_id = $1", [customer]);
    expect(balance.rows[0]!.balance).toBe(125);
    await db.engine.query("insert into public.consent_events (customer_id, purpose, action, source) values ($1, 'analytics', 'granted', 'settings')", [customer]);
    const consent = await db.engine.query<{ granted: boolean }>(
      "select granted from public.customer_consents where customer_id = $1 and purpose = 'analytics'",
      [customer],
    );
    expect(consent.rows[0]!.granted).toBe(true);
  });
});

describe("audit log hash chain", () => {
  it("audited actions append rows; the chain verifies and every row links to its predecessor", async () => {
    const before = await auditCount();
    const admin = db.asRole("admin");
    const target = db.staffIds[demoStaffForRole("auditor").email];
    await admin.query("select public.grant_staff_role($1, 'finance')", [target]);
    await admin.query("select public.revoke_staff_role($1, 'finance')", [target]);
    await db.asRole("dpo").query("insert into public.policy_versions (version, title, body_markdown) values ('2028-01-01', 'Privacy policy', '# next')");
    await db.asRole("dpo").query("select public.publish_policy_version(id, 'editorial') from public.policy_versions where version = '2028-01-01'");
    await db.engine.query("update public.customers set locale = 'th', updated_at = now() where id = $1", [db.fixture.customerIds.international]);
    // grant + trigger, revoke + trigger, draft insert, publish + two row updates, customer update
    expect(await auditCount()).toBe(before + 9);

    const result = await chain();
    expect(result).toEqual({ ok: true, rows_checked: await auditCount(), first_broken_id: null, reason: null });

    const { rows } = await db.engine.query<{ id: number; prev_hash: string; hash: string }>("select id, prev_hash, hash from public.audit_log order by id");
    expect(rows[0]!.prev_hash).toBe("0".repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });

  it("each hash is sha256 of prev_hash | canonical text (recomputed outside the database)", async () => {
    const { rows } = await db.engine.query<{ prev_hash: string; hash: string; canonical: string }>(
      `select prev_hash, hash, public.audit_row_canonical_text(id, occurred_at, actor_sub, actor_staff_id, action, table_name, record_id, old_data, new_data) as canonical
       from public.audit_log order by id`,
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(createHash("sha256").update(`${r.prev_hash}|${r.canonical}`, "utf8").digest("hex")).toBe(r.hash);
    }
  });

  it("the canonical text does not depend on the session's TimeZone or DateStyle", async () => {
    const sql = `select string_agg(public.audit_row_canonical_text(id, occurred_at, actor_sub, actor_staff_id, action, table_name, record_id, old_data, new_data), E'\\n' order by id) as t from public.audit_log`;
    const texts = await db.engine.transaction(async (tx) => {
      const utc = (await tx.query<{ t: string }>(sql)).rows[0]!.t;
      await tx.exec("set local timezone = 'Asia/Bangkok'; set local datestyle = 'SQL, DMY'");
      const bangkok = (await tx.query<{ t: string }>(sql)).rows[0]!.t;
      return { utc, bangkok };
    });
    expect(texts.bangkok).toBe(texts.utc);
    expect(texts.utc).toMatch(/^\d+\|\d{16}\|/);
  });

  it("a customer update is audited without its PII values (admin and auditor read the audit log)", async () => {
    await db.engine.query("update public.customers set email = 'new.address@example.com', country = 'LA' where id = $1", [db.fixture.customerIds.thai]);
    const { rows } = await db.asRole("auditor").query<{ old_data: unknown; new_data: unknown }>(
      "select old_data, new_data from public.audit_log where action = 'customers.update' and record_id = $1 order by id desc limit 1",
      [db.fixture.customerIds.thai],
    );
    expect(rows[0]).toEqual({ old_data: { email: "[redacted]", country: "TH" }, new_data: { email: "[redacted]", country: "LA" } });
  });

  it("a row altered by a superuser around the trigger is reported as the first broken row", async () => {
    const { rows } = await db.engine.query<{ id: number }>("select id from public.audit_log order by id offset 3 limit 1");
    const tampered = rows[0]!.id;
    await db.engine.transaction(async (tx) => {
      await tx.exec("alter table public.audit_log disable trigger audit_log_append_only");
      await tx.query(`update public.audit_log set new_data = '{"role":"dpo"}' where id = $1`, [tampered]);
      await tx.exec("alter table public.audit_log enable always trigger audit_log_append_only");
    });
    const result = await chain();
    expect(result.ok).toBe(false);
    expect(result.first_broken_id).toBe(tampered);
    expect(result.rows_checked).toBe(4);
    expect(result.reason).toMatch(/does not match its hash/);
  });
});

describe("audit log hash chain: removal and concurrency", () => {
  const fresh = openBeforeAll(createTestDatabase);

  it("concurrent audited writes from separate connections do not fork the chain", async () => {
    const dpo = fresh.asRole("dpo");
    const before = (await fresh.engine.query<{ n: number }>("select count(*)::int as n from public.audit_log")).rows[0]!.n;
    const writers = Array.from({ length: 24 }, (_, i) =>
      dpo.transaction(async (tx) => {
        const version = `2030-01-${String(i + 1).padStart(2, "0")}`;
        await tx.query("insert into public.policy_versions (version, title, body_markdown) values ($1, 'Draft', '# d')", [version]);
        // Hold the transaction open so the writers overlap on a real server.
        await tx.query("select pg_sleep(0.02)");
        await tx.query("update public.policy_versions set title = 'Draft ' || version where version = $1", [version]);
      }),
    );
    // allSettled: every writer has finished before anything is asserted or the database dropped.
    const outcomes = await Promise.allSettled(writers);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    const after = (await fresh.engine.query<{ n: number }>("select count(*)::int as n from public.audit_log")).rows[0]!.n;
    expect(after).toBe(before + 48);
    const forks = await fresh.engine.query("select prev_hash from public.audit_log group by prev_hash having count(*) > 1");
    expect(forks.rows).toEqual([]);
    const { rows } = await fresh.asRole("auditor").query<{ ok: boolean; rows_checked: number }>("select * from public.verify_audit_chain()");
    expect(rows[0]).toMatchObject({ ok: true, rows_checked: after });
  });

  it("a row deleted by a superuser is detected at its successor", async () => {
    const { rows } = await fresh.engine.query<{ id: number }>("select id from public.audit_log order by id offset 2 limit 2");
    const [removed, successor] = [rows[0]!.id, rows[1]!.id];
    await fresh.engine.transaction(async (tx) => {
      await tx.exec("alter table public.audit_log disable trigger audit_log_append_only");
      await tx.query("delete from public.audit_log where id = $1", [removed]);
      await tx.exec("alter table public.audit_log enable always trigger audit_log_append_only");
    });
    const { rows: verdict } = await fresh.asRole("dpo").query<{ ok: boolean; first_broken_id: number; reason: string }>("select * from public.verify_audit_chain()");
    expect(verdict[0]).toMatchObject({ ok: false, first_broken_id: successor });
    expect(verdict[0]!.reason).toMatch(/prev_hash does not match/);
  });
});

// Two sessions on one PGlite are impossible (it has a single connection): this needs a server.
describe.runIf(Boolean(process.env.DATABASE_URL))("audit log hash chain on a real server", () => {
  it("an append from a REPEATABLE READ snapshot older than the chain's head fails instead of forking", async () => {
    const server = await createTestDatabase();
    try {
      const err = await expectSqlError(() =>
        server.engine.transaction(async (tx) => {
          await tx.exec("set transaction isolation level repeatable read");
          await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: "user_demoDpo", role: "authenticated" })]);
          await tx.exec("set local role authenticated");
          await tx.query("select count(*) from public.policy_versions"); // the snapshot is taken here
          // Another connection appends and commits meanwhile.
          await server.asRole("dpo").query("insert into public.policy_versions (version, title, body_markdown) values ('2031-01-01', 'a', 'b')");
          await tx.query("insert into public.policy_versions (version, title, body_markdown) values ('2031-02-01', 'c', 'd')");
        }),
      );
      expect(err.code).toBe("23505");
      expect(err.message).toMatch(/audit_log_prev_hash_key/);
      const { rows } = await server.asRole("auditor").query<{ ok: boolean }>("select * from public.verify_audit_chain()");
      expect(rows[0]!.ok).toBe(true);
    } finally {
      await server.close();
    }
  });
});
