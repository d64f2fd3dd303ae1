/**
 * The DSAR desk in SQL: the deadline arithmetic (pure helpers with frozen timestamps, and the queue
 * view with rows placed relative to now()), every status transition, bad input, the fulfilment
 * functions, erasure end to end, and who may call what. A refused call must write nothing: requests,
 * events, payloads, tasks, consent log, customers and the audit log are compared before and after.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "../../server/seed/staff.ts";
import { createTestDatabase, demoStaffForRole, expectSqlError, refusalChecker, STAFF_ROLES, type SqlSession } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

const dpo = (): SqlSession => db.asRole("dpo");
const staffId = (role: StaffRole): string => db.staffIds[demoStaffForRole(role).email]!;

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.engine.query<T>(sql, params);
  return rows[0]!;
}

/** Everything a DSAR function could write. */
async function snapshot(): Promise<Record<string, unknown>> {
  return one(`select
    (select count(*)::int from public.audit_log) as audit,
    (select count(*)::int from public.dsar_events) as events,
    (select count(*)::int from public.dsar_event_payloads) as payloads,
    (select count(*)::int from public.dsar_processor_tasks where status = 'open') as open_tasks,
    (select count(*)::int from public.consent_events) as consent,
    (select md5(coalesce(string_agg(r::text, '|' order by r.id), '')) from public.dsar_requests r) as requests,
    (select md5(coalesce(string_agg(c::text, '|' order by c.id), '')) from public.customers c) as customers`);
}

const expectRefused = refusalChecker(snapshot);

let emailCounter = 0;
/** A fresh customer (own email) for tests that change customer data. */
async function newCustomer(): Promise<{ id: string; email: string }> {
  emailCounter += 1;
  const email = `subject${emailCounter}@example.org`;
  const row = await one<{ id: string }>(
    `insert into public.customers (clerk_user_id, email, display_name, locale, country, created_at)
     values ($1, $2, 'Test Subject', 'en', 'TH', now() - interval '60 days') returning id`,
    [`user_dsarTest${emailCounter}`, email],
  );
  return { id: row.id, email };
}

async function create(type: string, opts: { customerId?: string | null; email?: string; role?: "dpo" | "support"; receivedSql?: string } = {}): Promise<string> {
  emailCounter += 1;
  const email = opts.email ?? `requester${emailCounter}@example.org`;
  const { rows } = await db.asRole(opts.role ?? "dpo").query<{ id: string }>(
    `select id from public.dsar_create_request($1, 'email', $2, ${opts.receivedSql ?? "now() - interval '1 hour'"}, $3)`,
    [type, email, opts.customerId ?? null],
  );
  return rows[0]!.id;
}

async function createVerified(type: string, customerId: string | null): Promise<string> {
  const id = await create(type, { customerId });
  await dpo().query("select public.dsar_verify_identity($1, 'email_link')", [id]);
  return id;
}

describe("deadline arithmetic (pure helpers, frozen timestamps)", () => {
  async function deadlines(receivedUtc: string, type: string, extension: number) {
    return one<{ promise: string; statutory: string; due: string; due_on: string; statutory_on: string; promise_on: string }>(
      `select to_char(public.dsar_promise_due_at($1, $2, $3) at time zone 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') as promise,
              to_char(public.dsar_statutory_due_at($1, $2) at time zone 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') as statutory,
              to_char(public.dsar_due_at($1, $2, $3) at time zone 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') as due,
              public.dsar_due_on(public.dsar_due_at($1, $2, $3))::text as due_on,
              public.dsar_due_on(public.dsar_promise_due_at($1, $2, $3))::text as promise_on,
              public.dsar_due_on(public.dsar_statutory_due_at($1, $2))::text as statutory_on`,
      [receivedUtc, type, extension],
    );
  }

  it("received at 23:59 Bangkok counts that Bangkok day: due at the end of day 30 (00:00 of day 31)", async () => {
    // 2026-01-15 23:59 in Bangkok is 16:59 UTC.
    const d = await deadlines("2026-01-15T16:59:00Z", "access", 0);
    expect(d).toMatchObject({ due_on: "2026-02-14", statutory_on: "2026-02-14", due: "2026-02-15 00:00" });
  });

  it("received one minute later (00:00 Bangkok, still the 15th in UTC) is due a day later", async () => {
    const d = await deadlines("2026-01-15T17:00:00Z", "access", 0);
    expect(d.due_on).toBe("2026-02-15");
  });

  it("erasure: the promise (30 days) comes before the statutory limit (90 days) and drives the due date", async () => {
    const d = await deadlines("2026-03-01T03:00:00Z", "erasure", 0);
    expect(d).toMatchObject({ promise_on: "2026-03-31", statutory_on: "2026-05-30", due_on: "2026-03-31" });
  });

  it("an extension moves the company's promise only; the statutory date never moves", async () => {
    const base = await deadlines("2026-03-01T03:00:00Z", "erasure", 0);
    for (const extension of [1, 14, 30, 60]) {
      const d = await deadlines("2026-03-01T03:00:00Z", "erasure", extension);
      expect(d.statutory).toBe(base.statutory);
      expect(d.statutory_on).toBe("2026-05-30");
    }
    expect((await deadlines("2026-03-01T03:00:00Z", "erasure", 14)).promise_on).toBe("2026-04-14");
    // Extended to the full 60 days the promise meets the statutory limit, never passes it as the due date.
    expect((await deadlines("2026-03-01T03:00:00Z", "erasure", 60)).due_on).toBe("2026-05-30");
  });

  it("access: an extension cannot push the due date past the 30 statutory days of PDPA s.30", async () => {
    const d = await deadlines("2026-03-01T03:00:00Z", "access", 14);
    expect(d).toMatchObject({ promise_on: "2026-04-14", statutory_on: "2026-03-31", due_on: "2026-03-31" });
  });

  it("dsar_sla_rules holds the same days as the helpers, and cannot be changed to disagree", async () => {
    const { rows } = await db.engine.query<{ type: string; promise_days: number; statutory_days: number; ok: boolean }>(
      "select type, promise_days, statutory_days, promise_days = public.dsar_promise_days(type) and statutory_days = public.dsar_statutory_days(type) as ok from public.dsar_sla_rules order by type",
    );
    expect(rows.map((r) => r.type)).toEqual(["access", "complaint", "erasure", "objection", "portability", "rectification", "restriction"]);
    expect(rows.every((r) => r.ok && r.promise_days === 30)).toBe(true);
    expect(rows.find((r) => r.type === "erasure")?.statutory_days).toBe(90);
    const err = await expectSqlError(() => db.engine.query("update public.dsar_sla_rules set statutory_days = 45 where type = 'access'"));
    expect(err.code).toBe("23514");
  });
});

describe("the queue view's clock, with rows placed relative to now()", () => {
  /** A request received on Bangkok day (today - daysAgo) at hh:mm, inserted as the owner. */
  async function placed(type: string, daysAgo: number, time: string, extension = 0): Promise<{ days_left: number; is_overdue: boolean; due_on: string; statutory_due_on: string; promise_due_on: string }> {
    emailCounter += 1;
    const { id } = await one<{ id: string }>(
      `insert into public.dsar_requests (type, channel, requester_email, received_at, extension_days, extension_reason)
       values ($1, 'email', $2, (((now() at time zone 'Asia/Bangkok')::date - $3::int) + $4::time) at time zone 'Asia/Bangkok', $5, $6)
       returning id`,
      [type, `clock${emailCounter}@example.org`, daysAgo, time, extension, extension > 0 ? "test extension" : null],
    );
    return one(
      `select days_left, is_overdue, due_on::text, statutory_due_on::text, promise_due_on::text,
              (now() at time zone 'Asia/Bangkok')::date as today from public.dsar_queue where id = $1`,
      [id],
    );
  }
  const bangkokDay = async (offset: number): Promise<string> =>
    (await one<{ d: string }>("select ((now() at time zone 'Asia/Bangkok')::date + $1::int)::text as d", [offset])).d;

  it("received exactly 30 Bangkok days ago (at 00:00): due today, 0 days left, not yet overdue", async () => {
    const r = await placed("access", 30, "00:00");
    expect(r).toMatchObject({ days_left: 0, is_overdue: false, due_on: await bangkokDay(0) });
  });

  it("received 31 days ago at 23:59 Bangkok: due yesterday, 1 day overdue", async () => {
    const r = await placed("access", 31, "23:59");
    expect(r).toMatchObject({ days_left: -1, is_overdue: true, due_on: await bangkokDay(-1) });
  });

  it("received 10 days ago: 20 days left", async () => {
    expect((await placed("complaint", 10, "09:30")).days_left).toBe(20);
  });

  it("an extended access request past its statutory day is still overdue (the statutory date drives it)", async () => {
    const r = await placed("access", 31, "08:00", 14);
    expect(r).toMatchObject({ is_overdue: true, days_left: -1, promise_due_on: await bangkokDay(13), statutory_due_on: await bangkokDay(-1) });
  });

  it("an extended erasure request shows the moved promise while the statutory date stays 90 days out", async () => {
    const r = await placed("erasure", 35, "08:00", 14);
    expect(r).toMatchObject({ is_overdue: false, days_left: 9, promise_due_on: await bangkokDay(9), statutory_due_on: await bangkokDay(55) });
  });

  it("closed requests are never overdue", async () => {
    emailCounter += 1;
    const { id } = await one<{ id: string }>(
      `insert into public.dsar_requests (type, status, channel, requester_email, received_at, closed_at)
       values ('access', 'withdrawn', 'email', $1, now() - interval '50 days', now() - interval '1 day') returning id`,
      [`closed${emailCounter}@example.org`],
    );
    expect(await one("select is_open, is_overdue, days_left < 0 as past from public.dsar_queue where id = $1", [id])).toEqual({ is_open: false, is_overdue: false, past: true });
  });
});

describe("intake: dsar_create_request", () => {
  it("support logs an email request: reference DSAR-<year>-NNNN, status new, a created event and an audit row", async () => {
    const before = await snapshot();
    const { rows } = await db.asRole("support").query<{ id: string; reference: string; status: string; created_by: string; created_by_name: string; customer_email: string }>(
      "select * from public.dsar_create_request('access', 'email', '  Somsak.K@Example.co.th ', now() - interval '3 days', $1, 'Wants a copy')",
      [db.fixture.customerIds.thai],
    );
    const r = rows[0]!;
    expect(r.reference).toMatch(/^DSAR-20\d\d-\d{4}$/);
    expect(r).toMatchObject({ status: "new", created_by: staffId("support"), created_by_name: "Somchai Wongsa", customer_email: "somsak.k@example.co.th" });
    const after = await snapshot();
    expect(after.events).toBe((before.events as number) + 1);
    expect(after.audit).toBe((before.audit as number) + 1);
    const event = await one<{ kind: string; to_status: string; details: { back_dated: boolean; channel: string }; actor_staff_id: string }>(
      "select kind, to_status, details, actor_staff_id from public.dsar_events where request_id = $1", [r.id]);
    expect(event).toMatchObject({ kind: "created", to_status: "new", actor_staff_id: staffId("support"), details: { back_dated: true, channel: "email" } });
    const audit = await one<{ action: string; new_data: Record<string, unknown> }>("select action, new_data from public.audit_log order by id desc limit 1");
    expect(audit.action).toBe("dsar.created");
    expect(JSON.stringify(audit.new_data)).not.toContain("somsak");
  });

  it("references count up per year", async () => {
    const { rows } = await db.engine.query<{ reference: string }>(
      "select reference from public.dsar_requests where reference like 'DSAR-' || extract(year from now() at time zone 'Asia/Bangkok') || '-%' order by reference");
    const numbers = rows.map((r) => Number(r.reference.split("-")[2]));
    expect(numbers.length).toBeGreaterThan(1);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
  });

  it("refuses an unknown customer (PT404), writing nothing", async () => {
    await expectRefused(() => dpo().query("select public.dsar_create_request('access', 'email', 'a@example.org', now(), gen_random_uuid())"), "PT404", /unknown customer/);
  });

  it("refuses a received time in the future (22023)", async () => {
    await expectRefused(() => dpo().query("select public.dsar_create_request('access', 'email', 'a@example.org', now() + interval '1 hour')"), "22023", /in the future/);
  });

  it("takes a receipt time up to two minutes ahead (a fast client clock) as now, and refuses three minutes ahead", async () => {
    const { rows } = await dpo().query<{ ok: boolean }>(
      "select received_at = now() as ok from public.dsar_create_request('access', 'email', 'skew@example.org', now() + interval '90 seconds')");
    expect(rows[0]!.ok).toBe(true);
    await expectRefused(() => dpo().query("select public.dsar_create_request('access', 'email', 'skew@example.org', now() + interval '3 minutes')"), "22023", /in the future/);
  });

  it("refuses a double submit of the same intake (23505) and names the first reference", async () => {
    const at = "2026-11-01T03:04:05.678Z";
    const { rows } = await dpo().query<{ reference: string }>("select reference from public.dsar_create_request('erasure', 'email', 'twice@example.org', $1)", [at]);
    await expectRefused(() => dpo().query("select public.dsar_create_request('erasure', 'email', 'Twice@Example.org', $1)", [at]), "23505", new RegExp(`already logged as ${rows[0]!.reference}`));
  });

  it.each([
    ["an unknown type", "'deletion', 'email', 'a@example.org', now()", /unknown request type deletion/],
    ["an unknown channel", "'access', 'phone', 'a@example.org', now()", /unknown channel phone/],
    ["a malformed email", "'access', 'email', 'not-an-email', now()", /not an email address/],
    ["self_service from staff", "'access', 'self_service', 'a@example.org', now()", /self_service requests come from the M-Factory app/],
    ["a receipt more than a year ago", "'access', 'email', 'a@example.org', now() - interval '400 days'", /more than a year ago/],
  ])("refuses %s (22023)", async (_what, args, message) => {
    await expectRefused(() => dpo().query(`select public.dsar_create_request(${args})`), "22023", message);
  });

  it.each(["finance", "admin", "auditor"] as const)("a %s may not log a request (42501)", async (role) => {
    await expectRefused(() => db.asRole(role).query("select public.dsar_create_request('access', 'email', 'a@example.org', now())"), "42501", /only the DPO or support/);
  });

  it("the M-Factory app (service role) logs self-service requests with no staff creator", async () => {
    const row = await db.engine.transaction(async (tx) => {
      await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ role: "service_role" })]);
      await tx.exec("set local role service_role");
      const { rows } = await tx.query<{ channel: string; created_by: string | null }>(
        "select channel, created_by from public.dsar_create_request('erasure', 'self_service', 'app.user@example.org', now(), $1)",
        [db.fixture.customerIds.international],
      );
      return rows[0]!;
    });
    expect(row).toEqual({ channel: "self_service", created_by: null });
  });
});

describe("status transitions: the legal-transition table", () => {
  const STATUSES = ["new", "awaiting_verification", "in_progress", "awaiting_subject", "fulfilled", "rejected", "withdrawn", "duplicate"] as const;
  type Status = (typeof STATUSES)[number];
  const LEGAL: Record<Status, Status[]> = {
    new: ["awaiting_verification", "rejected", "withdrawn", "duplicate"],
    awaiting_verification: ["rejected", "withdrawn", "duplicate"],
    in_progress: ["awaiting_subject", "fulfilled", "rejected", "withdrawn", "duplicate"],
    awaiting_subject: ["in_progress", "rejected", "withdrawn", "duplicate"],
    fulfilled: [],
    rejected: [],
    withdrawn: [],
    duplicate: [],
  };
  let originalId: string;

  /** A request in `status`, inserted as the owner (identity verified where the status needs it). */
  async function inStatus(status: Status): Promise<string> {
    emailCounter += 1;
    const verified = ["in_progress", "awaiting_subject", "fulfilled"].includes(status);
    const closed = ["fulfilled", "rejected", "withdrawn", "duplicate"].includes(status);
    const { id } = await one<{ id: string }>(
      `insert into public.dsar_requests (type, status, channel, requester_email, received_at, identity_method, identity_verified_at,
         refusal_ground, duplicate_of, closed_at)
       values ('access', $1, 'email', $2, now() - interval '2 days', $3, $4, $5, $6, $7) returning id`,
      [status, `transition${emailCounter}@example.org`, verified ? "email_link" : null, verified ? new Date() : null,
        status === "rejected" ? "test ground" : null, status === "duplicate" ? originalId : null, closed ? new Date() : null],
    );
    return id;
  }

  beforeAll(async () => {
    originalId = await create("access");
  });

  const pairs = STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from).map((to) => [from, to, LEGAL[from].includes(to)] as const));

  it.each(pairs)("%s → %s allowed: %s", async (from, to, allowed) => {
    const id = await inStatus(from);
    const args = [id, to, "test note", to === "rejected" ? "Identity not verified" : null, to === "duplicate" ? originalId : null];
    const sql = "select status, closed_at is not null as closed from public.dsar_transition($1, $2, $3, $4, $5)";
    if (!allowed) {
      await expectRefused(() => dpo().query(sql, args), "PT409", /cannot move|verify the requester/);
      return;
    }
    const before = await snapshot();
    const { rows } = await dpo().query<{ status: string; closed: boolean }>(sql, args);
    expect(rows[0]).toEqual({ status: to, closed: ["fulfilled", "rejected", "withdrawn", "duplicate"].includes(to) });
    const event = await one("select kind, from_status, to_status, note, actor_staff_id from public.dsar_events where request_id = $1 order by id desc limit 1", [id]);
    expect(event).toEqual({ kind: "status_changed", from_status: from, to_status: to, note: "test note", actor_staff_id: staffId("dpo") });
    const after = await snapshot();
    expect(after.audit).toBe((before.audit as number) + 1);
  });

  it("the database's table of next statuses is the one tested above", async () => {
    for (const from of STATUSES) {
      const { next } = await one<{ next: string[] }>("select public.dsar_next_statuses($1) as next", [from]);
      expect(next.filter((s) => s !== "in_progress" || from === "in_progress" || from === "awaiting_subject")).toEqual(LEGAL[from]);
    }
  });

  it("moving to the current status is refused as already so (23505)", async () => {
    const id = await inStatus("in_progress");
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'in_progress')", [id]), "23505", /already in_progress/);
  });

  it("rejecting without a refusal ground is refused (22023), and the ground is stored with the rejection", async () => {
    const id = await inStatus("in_progress");
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'rejected')", [id]), "22023", /refusal ground/);
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'rejected', null, '   ')", [id]), "22023", /refusal ground/);
    const { rows } = await dpo().query<{ refusal_ground: string }>("select refusal_ground from public.dsar_transition($1, 'rejected', null, 'Manifestly excessive (PDPA s.30)')", [id]);
    expect(rows[0]!.refusal_ground).toBe("Manifestly excessive (PDPA s.30)");
  });

  it("closing as duplicate needs an existing original that is not itself a duplicate, nor the request itself", async () => {
    const id = await inStatus("new");
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'duplicate')", [id]), "22023", /needs the original/);
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'duplicate', null, null, $1)", [id]), "22023", /itself/);
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'duplicate', null, null, gen_random_uuid())", [id]), "PT404", /does not exist/);
    const dup = await inStatus("duplicate");
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'duplicate', null, null, $2)", [id, dup]), "22023", /itself a duplicate/);
  });

  it("an unknown request or status is refused", async () => {
    await expectRefused(() => dpo().query("select public.dsar_transition(gen_random_uuid(), 'withdrawn')"), "PT404");
    const id = await inStatus("new");
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'closed')", [id]), "22023", /unknown status closed/);
  });
});

describe("identity, assignment, extension, notes, matching", () => {
  it("verifying identity records method, verifier and time and moves the request to in_progress; twice is refused", async () => {
    const id = await create("access");
    await dpo().query("select public.dsar_transition($1, 'awaiting_verification')", [id]);
    const { rows } = await dpo().query<{ status: string; identity_method: string; identity_verified_by: string; identity_note: string; verified: boolean }>(
      "select status, identity_method, identity_verified_by, identity_note, identity_verified_at is not null as verified from public.dsar_verify_identity($1, 'id_document', 'Thai ID card seen on video call')", [id]);
    expect(rows[0]).toEqual({ status: "in_progress", identity_method: "id_document", identity_verified_by: staffId("dpo"), identity_note: "Thai ID card seen on video call", verified: true });
    await expectRefused(() => dpo().query("select public.dsar_verify_identity($1, 'email_link')", [id]), "23505", /already verified/);
    const fresh = await create("access");
    await expectRefused(() => dpo().query("select public.dsar_verify_identity($1, 'passport')", [fresh]), "22023", /unknown method/);
  });

  it("dsar_assign reports per row: assigned, already assigned, closed, unknown", async () => {
    const a = await create("access");
    const b = await create("erasure");
    const closed = await create("complaint");
    await dpo().query("select public.dsar_transition($1, 'withdrawn')", [closed]);
    const missing = "00000000-0000-4000-8000-000000000000";
    await dpo().query("select * from public.dsar_assign(array[$1::uuid], $2)", [b, staffId("dpo")]);
    const { rows } = await dpo().query<{ request_id: string; ok: boolean; error: string | null }>(
      "select * from public.dsar_assign($1::uuid[], $2)", [[a, b, closed, missing], staffId("dpo")]);
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    expect(byId.get(a)).toMatchObject({ ok: true, error: null });
    expect(byId.get(b)?.error).toMatch(/already assigned to Nattaya Srisuk/);
    expect(byId.get(closed)?.error).toMatch(/withdrawn \(closed\)/);
    expect(byId.get(missing)).toMatchObject({ ok: false, error: "request does not exist" });
    expect((await one<{ assignee_id: string }>("select assignee_id from public.dsar_requests where id = $1", [a])).assignee_id).toBe(staffId("dpo"));
    await expectRefused(() => dpo().query("select * from public.dsar_assign(array[$1::uuid], $2)", [a, staffId("support")]), "22023", /not an active DPO/);
    await expectRefused(() => dpo().query("select * from public.dsar_assign(array[]::uuid[], $1)", [staffId("dpo")]), "22023", /no requests/);
  });

  it("bulk close-as-duplicate closes what it can and says why for the rest", async () => {
    const original = await create("access");
    const dupA = await create("access");
    const dupB = await create("access");
    const closed = await create("access");
    await dpo().query("select public.dsar_transition($1, 'withdrawn')", [closed]);
    const { rows } = await dpo().query<{ request_id: string; ok: boolean; error: string | null }>(
      "select * from public.dsar_close_as_duplicate($1::uuid[], $2)", [[dupA, dupB, closed, original], original]);
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    expect(byId.get(dupA)?.ok).toBe(true);
    expect(byId.get(dupB)?.ok).toBe(true);
    expect(byId.get(closed)).toMatchObject({ ok: false });
    expect(byId.get(closed)?.error).toMatch(/cannot move from withdrawn to duplicate/);
    expect(byId.get(original)?.error).toMatch(/duplicate of itself/);
    const statuses = await db.engine.query<{ id: string; status: string; duplicate_of: string | null }>(
      "select id, status, duplicate_of from public.dsar_requests where id = any($1::uuid[])", [[dupA, dupB, closed, original]]);
    const s = new Map(statuses.rows.map((r) => [r.id, r]));
    expect(s.get(dupA)).toMatchObject({ status: "duplicate", duplicate_of: original });
    expect(s.get(closed)?.status).toBe("withdrawn");
    expect(s.get(original)?.status).toBe("new");
    await expectRefused(() => dpo().query("select * from public.dsar_close_as_duplicate(array[$1::uuid], gen_random_uuid())", [dupA]), "PT404");
  });

  it("an extension needs 1–60 days in total and a reason; it moves promise_due_at, never statutory_due_at", async () => {
    const id = await create("erasure");
    const before = await one<{ promise_due_at: Date; statutory_due_at: Date }>("select promise_due_at, statutory_due_at from public.dsar_queue where id = $1", [id]);
    const { rows } = await dpo().query<{ extension_days: number; promise_due_at: Date; statutory_due_at: Date; extension_reason: string }>(
      "select extension_days, promise_due_at, statutory_due_at, extension_reason from public.dsar_extend($1, 14, 'Archived projects must be restored')", [id]);
    expect(rows[0]!.extension_days).toBe(14);
    expect(new Date(rows[0]!.promise_due_at).getTime() - new Date(before.promise_due_at).getTime()).toBe(14 * 86_400_000);
    expect(new Date(rows[0]!.statutory_due_at).getTime()).toBe(new Date(before.statutory_due_at).getTime());
    const event = await one<{ kind: string; details: { days: number; extension_days: number } }>("select kind, details from public.dsar_events where request_id = $1 order by id desc limit 1", [id]);
    expect(event).toMatchObject({ kind: "extended", details: { days: 14, extension_days: 14 } });
    await expectRefused(() => dpo().query("select public.dsar_extend($1, 14, '  ')", [id]), "22023", /needs a reason/);
    await expectRefused(() => dpo().query("select public.dsar_extend($1, 0, 'x')", [id]), "22023", /1 to 60 days/);
    await expectRefused(() => dpo().query("select public.dsar_extend($1, 50, 'more')", [id]), "PT409", /may not exceed 60/);
  });

  it("notes go on the timeline; empty notes are refused", async () => {
    const id = await create("complaint");
    const { rows } = await dpo().query<{ kind: string; note: string }>("select kind, note from public.dsar_add_note($1, 'Called the subject back')", [id]);
    expect(rows[0]).toEqual({ kind: "note", note: "Called the subject back" });
    await expectRefused(() => dpo().query("select public.dsar_add_note($1, '')", [id]), "22023", /empty/);
  });

  it("matching a customer records it; unknown customers and re-matching the same one are refused", async () => {
    const id = await create("access");
    const { rows } = await dpo().query<{ customer_id: string; customer_email: string }>("select customer_id, customer_email from public.dsar_match_customer($1, $2)", [id, db.fixture.customerIds.international]);
    expect(rows[0]).toEqual({ customer_id: db.fixture.customerIds.international, customer_email: "jane.doe@example.com" });
    await expectRefused(() => dpo().query("select public.dsar_match_customer($1, $2)", [id, db.fixture.customerIds.international]), "23505", /already matched/);
    await expectRefused(() => dpo().query("select public.dsar_match_customer($1, gen_random_uuid())", [id]), "PT404", /unknown customer/);
  });
});

describe("fulfilment records", () => {
  it("an export is recorded with its manifest hash for an access request in progress; not for other types or before verification", async () => {
    const id = await createVerified("access", db.fixture.customerIds.thai);
    const sha = "a".repeat(64);
    const { rows } = await dpo().query<{ kind: string; details: Record<string, unknown> }>("select kind, details from public.dsar_record_export($1, $2, '{\"files\": 20}')", [id, sha]);
    expect(rows[0]).toEqual({ kind: "export_generated", details: { files: 20, manifest_sha256: sha, customer_id: db.fixture.customerIds.thai } });
    await expectRefused(() => dpo().query("select public.dsar_record_export($1, 'xyz', null)", [id]), "22023", /SHA-256/);
    const complaint = await createVerified("complaint", db.fixture.customerIds.thai);
    await expectRefused(() => dpo().query("select public.dsar_record_export($1, $2, null)", [complaint, sha]), "PT409", /access and portability/);
    const unverified = await create("portability", { customerId: db.fixture.customerIds.thai });
    await expectRefused(() => dpo().query("select public.dsar_record_export($1, $2, null)", [unverified, sha]), "PT409", /in_progress/);
  });

  it("a reply is recorded as drafted or sent; its text goes to the DPO-only payload, the event keeps metadata", async () => {
    const id = await create("complaint");
    const body = "เรียนคุณสมศักดิ์ Dear Somsak, you may also complain to the PDPC.";
    const { rows } = await dpo().query<{ id: number; kind: string; details: { language: string; characters: number } }>(
      "select id, kind, details from public.dsar_record_response($1, 'th', $2, true)", [id, body]);
    expect(rows[0]).toMatchObject({ kind: "email_sent", details: { language: "th", characters: body.length } });
    expect(JSON.stringify(rows[0]!.details)).not.toContain("Somsak");
    const payload = await dpo().query<{ content: { body: string } }>("select content from public.dsar_event_payloads where event_id = $1", [rows[0]!.id]);
    expect(payload.rows[0]!.content.body).toBe(body);
    expect((await db.asRole("auditor").query("select * from public.dsar_event_payloads where event_id = $1", [rows[0]!.id])).rows).toHaveLength(0);
    expect((await db.asRole("auditor").query("select * from public.dsar_events where id = $1", [rows[0]!.id])).rows).toHaveLength(1);
    await expectRefused(() => dpo().query("select public.dsar_record_response($1, 'fr', 'x', false)", [id]), "22023", /th or en/);
    await expectRefused(() => dpo().query("select public.dsar_record_response($1, 'en', ' ', false)", [id]), "22023", /empty/);
  });

  it("rectification changes the profile, puts before/after in the DPO-only payload, and the audit log stays redacted", async () => {
    const customer = await newCustomer();
    const id = await createVerified("rectification", customer.id);
    const { rows } = await dpo().query<{ id: number; details: { fields: string[] } }>(
      "select id, details from public.dsar_rectify_customer($1, '{\"display_name\": \"Corrected Name\", \"country\": \"gb\"}')", [id]);
    expect(rows[0]!.details.fields).toEqual(["country", "display_name"]);
    expect(await one("select display_name, country from public.customers where id = $1", [customer.id])).toEqual({ display_name: "Corrected Name", country: "GB" });
    const payload = await one<{ content: unknown }>("select content from public.dsar_event_payloads where event_id = $1", [rows[0]!.id]);
    expect(payload.content).toEqual({ before: { display_name: "Test Subject", country: "TH" }, after: { display_name: "Corrected Name", country: "GB" } });
    const audit = await one<{ new_data: unknown }>("select new_data from public.audit_log where action = 'customers.update' and record_id = $1 order by id desc limit 1", [customer.id]);
    expect(JSON.stringify(audit.new_data)).not.toContain("Corrected Name");
    await expectRefused(() => dpo().query("select public.dsar_rectify_customer($1, '{\"display_name\": \"Corrected Name\"}')", [id]), "23505", /nothing to correct/);
    await expectRefused(() => dpo().query("select public.dsar_rectify_customer($1, '{\"clerk_user_id\": \"user_x\"}')", [id]), "22023", /cannot be rectified/);
    await expectRefused(() => dpo().query("select public.dsar_rectify_customer($1, '{\"email\": \"jane.doe@example.com\"}')", [id]), "23505", /another customer/);
    await expectRefused(() => dpo().query("select public.dsar_rectify_customer($1, '{\"locale\": \"fr\"}')", [id]), "22023", /en or th/);
    const access = await createVerified("access", customer.id);
    await expectRefused(() => dpo().query("select public.dsar_rectify_customer($1, '{\"display_name\": \"X\"}')", [access]), "PT409", /rectification request/);
  });

  it("restriction sets and clears the customer's flag with a reason; setting it twice is refused", async () => {
    const customer = await newCustomer();
    const id = await createVerified("restriction", customer.id);
    const { rows } = await dpo().query<{ customer_processing_restricted: boolean }>("select customer_processing_restricted from public.dsar_set_restriction($1, true, 'Accuracy contested')", [id]);
    expect(rows[0]!.customer_processing_restricted).toBe(true);
    expect((await one<{ restriction_reason: string }>("select restriction_reason from public.customers where id = $1", [customer.id])).restriction_reason).toMatch(/^Accuracy contested \(DSAR-/);
    await expectRefused(() => dpo().query("select public.dsar_set_restriction($1, true, 'again')", [id]), "23505", /already restricted/);
    await expectRefused(() => dpo().query("select public.dsar_set_restriction($1, false, '')", [id]), "22023", /reason/);
    await dpo().query("select public.dsar_set_restriction($1, false, 'Accuracy confirmed')", [id]);
    expect(await one("select processing_restricted, restricted_at, restriction_reason from public.customers where id = $1", [customer.id])).toEqual({ processing_restricted: false, restricted_at: null, restriction_reason: null });
  });

  it("consent withdrawal records withdrawn consent events (source dsar); already withdrawn and non-consent purposes are refused", async () => {
    const id = await createVerified("objection", db.fixture.customerIds.thai);
    const { rows } = await dpo().query<{ details: { purposes: string[]; already_withdrawn: string[] } }>(
      "select details from public.dsar_withdraw_consent($1, array['marketing_email'])", [id]);
    expect(rows[0]!.details).toEqual({ customer_id: db.fixture.customerIds.thai, purposes: ["marketing_email"], already_withdrawn: [] });
    expect(await one("select action, source, recorded_by from public.consent_events where customer_id = $1 and purpose = 'marketing_email' order by id desc limit 1", [db.fixture.customerIds.thai]))
      .toEqual({ action: "withdrawn", source: "dsar", recorded_by: staffId("dpo") });
    expect((await one<{ granted: boolean }>("select granted from public.customer_consents where customer_id = $1 and purpose = 'marketing_email'", [db.fixture.customerIds.thai])).granted).toBe(false);
    await expectRefused(() => dpo().query("select public.dsar_withdraw_consent($1, array['marketing_email'])", [id]), "23505", /already withdrawn/);
    await expectRefused(() => dpo().query("select public.dsar_withdraw_consent($1, array['terms'])", [id]), "22023", /not a consent-based purpose/);
  });
});

describe("erasure", () => {
  let subject: { id: string; email: string };
  let other: { id: string; email: string };
  let requestId: string;
  let preview: Array<{ category: string; action: string; row_count: number; reason: string }>;

  /** A subject with rows in every table that holds customer data. */
  async function populate(customerId: string, tag: string): Promise<void> {
    const q = (sql: string, params: unknown[] = []) => db.engine.query(sql, [customerId, ...params]);
    const { rows: p } = await q("insert into public.projects (customer_id, title) values ($1, 'Album') returning id");
    const projectId = (p[0] as { id: string }).id;
    const { rows: g } = await q(
      `insert into public.generations (customer_id, project_id, media, model, prompt, credits_cost)
       values ($1, $2, 'music', 'suno-v4.5', 'a song about ' || $3::text, 5), ($1, $2, 'image', 'nano-banana', 'cover for ' || $3::text, 2),
              ($1, null, 'video', 'seedance-1-pro', 'clip', 9) returning id`, [projectId, tag]);
    const [g1, g2] = g.map((r) => (r as { id: string }).id);
    await q(`insert into public.assets (customer_id, project_id, generation_id, kind, r2_key, content_type, size_bytes)
             values ($1, $2, $3, 'generated', 'gen/' || $4::text || '/1.mp3', 'audio/mpeg', 1000), ($1, $2, null, 'upload', 'up/' || $4::text || '/ref.wav', 'audio/wav', 500)`, [projectId, g1, tag]);
    const { rows: pay } = await q(`insert into public.payments (customer_id, kind, amount, currency, status, credits_granted) values ($1, 'top_up', 999, 'thb', 'succeeded', 100) returning id`);
    const paymentId = (pay[0] as { id: string }).id;
    await q(`insert into public.payment_stripe_ids (payment_id, stripe_payment_intent_id) select $2::uuid, 'pi_' || $3::text where $1::uuid is not null`, [paymentId, tag]);
    await q(`insert into public.customer_stripe_ids (customer_id, stripe_customer_id) values ($1, 'cus_' || $2::text)`, [tag]);
    await q(`insert into public.credit_ledger (customer_id, amount, reason, payment_id) values ($1, 100, 'purchase', $2)`, [paymentId]);
    await q(`insert into public.credit_ledger (customer_id, amount, reason, generation_id) values ($1, -5, 'generation', $2), ($1, -2, 'generation', $3)`, [g1, g2]);
    await q(`insert into public.consent_events (customer_id, purpose, action, source) values ($1, 'privacy_policy', 'granted', 'signup'), ($1, 'analytics', 'granted', 'signup')`);
    await q(`insert into public.api_request_logs (customer_id, method, endpoint, status_code, requested_at)
             values ($1, 'GET', '/v1/projects', 200, now() - interval '2 days'), ($1, 'POST', '/v1/generations', 201, now() - interval '40 days'),
                    ($1, 'GET', '/v1/me', 200, '2020-02-02T00:00:00Z')`);
    await q(`insert into public.error_reports (customer_id, sentry_event_id, summary) values ($1, md5($2::text), 'timeout')`, [tag]);
  }

  /** Rows that belong to a customer, per table, as text: what "untouched" compares. */
  async function footprint(customerId: string): Promise<string> {
    const tables = ["customers", "projects", "generations", "assets", "payments", "credit_ledger", "consent_events", "customer_consents", "api_request_logs", "error_reports", "customer_stripe_ids", "credit_balances"];
    const parts: string[] = [];
    for (const t of tables) {
      const column = t === "customers" ? "id" : "customer_id";
      const { rows } = await db.engine.query<{ h: string }>(`select coalesce(string_agg(x::text, '|' order by x::text), '') as h from public.${t} x where ${column} = $1`, [customerId]);
      parts.push(`${t}:${rows[0]!.h}`);
    }
    return parts.join("\n");
  }

  beforeAll(async () => {
    subject = await newCustomer();
    other = await newCustomer();
    await populate(subject.id, "SubjectA1");
    await populate(other.id, "OtherB2");
    requestId = await create("erasure", { customerId: subject.id, email: subject.email });
  });

  it("the preview lists every category with an action, a count and a reason, and writes nothing", async () => {
    const before = await snapshot();
    preview = (await dpo().query<{ category: string; action: string; row_count: number; reason: string }>("select * from public.dsar_erasure_preview($1)", [requestId])).rows;
    expect(await snapshot()).toEqual(before);
    const byCategory = Object.fromEntries(preview.map((r) => [r.category, [r.action, r.row_count]]));
    expect(byCategory).toEqual({
      profile: ["anonymise", 1],
      projects: ["delete", 1],
      assets: ["delete", 2],
      generations: ["delete", 1],
      generations_in_credit_history: ["anonymise", 2],
      api_request_logs: ["delete", 3],
      error_reports: ["delete", 1],
      payments: ["keep", 2],
      subscriptions: ["keep", 0],
      stripe_customer: ["keep", 1],
      credit_ledger: ["keep", 4],
      credit_adjustments: ["keep", 0],
      refunds: ["keep", 0],
      consent_events: ["keep", 4],
      dsar_requests: ["keep", 1],
    });
    expect(preview.filter((r) => r.action === "keep").every((r) => r.reason.length > 20)).toBe(true);
    expect(preview.find((r) => r.category === "payments")?.reason).toMatch(/7 years.*Thai tax law/);
    expect(preview.find((r) => r.category === "consent_events")?.reason).toMatch(/deletion \+ 30 days/);
    expect(preview.find((r) => r.category === "profile")?.reason).toMatch(/12 months/);
  });

  it("execution is refused before identity verification and for other request types", async () => {
    await expectRefused(() => dpo().query("select * from public.dsar_execute_erasure($1)", [requestId]), "PT409", /in_progress/);
    const access = await createVerified("access", other.id);
    await expectRefused(() => dpo().query("select * from public.dsar_execute_erasure($1)", [access]), "PT409", /not an erasure request/);
    const unmatched = await createVerified("erasure", null);
    await expectRefused(() => dpo().query("select * from public.dsar_execute_erasure($1)", [unmatched]), "PT409", /not matched/);
  });

  it("execution does exactly what the preview said, leaves nothing erasable, keeps retained data and touches no one else", async () => {
    await dpo().query("select public.dsar_verify_identity($1, 'account_signed_in')", [requestId]);
    const otherBefore = await footprint(other.id);
    const kept = await one("select (select count(*)::int from public.payments where customer_id = $1) p, (select count(*)::int from public.credit_ledger where customer_id = $1) l, (select count(*)::int from public.consent_events where customer_id = $1) c, (select balance::int from public.credit_balances where customer_id = $1) b", [subject.id]);
    const { rows: done } = await dpo().query<{ category: string; action: string; row_count: number }>("select category, action, row_count from public.dsar_execute_erasure($1)", [requestId]);
    expect(done.map((r) => [r.category, r.action, r.row_count])).toEqual(preview.map((r) => [r.category, r.action, r.row_count]));

    const remaining = await one(`select
      (select count(*)::int from public.projects where customer_id = $1) projects,
      (select count(*)::int from public.assets where customer_id = $1) assets,
      (select count(*)::int from public.generations where customer_id = $1 and (prompt <> '[erased]' or metadata <> '{}'::jsonb)) generations_with_content,
      (select count(*)::int from public.api_request_logs where customer_id = $1) api_logs,
      (select count(*)::int from public.error_reports where customer_id = $1) error_reports`, [subject.id]);
    expect(remaining).toEqual({ projects: 0, assets: 0, generations_with_content: 0, api_logs: 0, error_reports: 0 });
    const profile = await one<{ email: string; clerk_user_id: string; display_name: string | null; deleted: boolean; processing_restricted: boolean; restriction_reason: string }>(
      "select email, clerk_user_id, display_name, deleted_at is not null as deleted, processing_restricted, restriction_reason from public.customers where id = $1", [subject.id]);
    expect(profile).toMatchObject({ email: `erased-${subject.id}@erased.invalid`, display_name: null, deleted: true, processing_restricted: true });
    expect(profile.clerk_user_id).not.toContain("dsarTest");
    expect(profile.restriction_reason).toMatch(/^Erased \(DSAR-/);
    const everywhere = await one<{ n: number }>(
      `select count(*)::int as n from (
         select 1 from public.customers where email = $1 or display_name = 'Test Subject' and id = $2
         union all select 1 from public.generations where customer_id = $2 and prompt like '%SubjectA1%'
         union all select 1 from public.assets where r2_key like '%SubjectA1%') x`, [subject.email, subject.id]);
    expect(everywhere.n).toBe(0);
    expect(await one("select (select count(*)::int from public.payments where customer_id = $1) p, (select count(*)::int from public.credit_ledger where customer_id = $1) l, (select count(*)::int from public.consent_events where customer_id = $1) c, (select balance::int from public.credit_balances where customer_id = $1) b", [subject.id])).toEqual(kept);
    expect(await footprint(other.id)).toBe(otherBefore);

    const event = await one<{ kind: string; details: { rows_changed: number } }>("select kind, details from public.dsar_events where request_id = $1 and kind = 'erasure_executed'", [requestId]);
    expect(event.details.rows_changed).toBe(done.filter((r) => r.action !== "keep").reduce((n, r) => n + r.row_count, 0));
    const payload = await one<{ content: { r2_keys: string[]; clerk_user_id: string } }>(
      "select p.content from public.dsar_event_payloads p join public.dsar_events e on e.id = p.event_id where e.request_id = $1 and e.kind = 'erasure_executed'", [requestId]);
    expect(payload.content.r2_keys).toEqual(["gen/SubjectA1/1.mp3", "up/SubjectA1/ref.wav"]);
    expect(payload.content.clerk_user_id).toMatch(/^user_dsarTest/);
    const tasks = await db.engine.query<{ processor: string; status: string }>("select processor, status from public.dsar_processor_tasks where request_id = $1 order by processor", [requestId]);
    expect(tasks.rows).toEqual(["clerk", "kie_ai", "r2", "sentry", "stripe", "upstash"].map((processor) => ({ processor, status: "open" })));
  });

  it("a second run changes nothing and records nothing", async () => {
    const before = await snapshot();
    const otherBefore = await footprint(other.id);
    const { rows } = await dpo().query<{ action: string; row_count: number }>("select action, row_count from public.dsar_execute_erasure($1)", [requestId]);
    expect(rows.filter((r) => r.action !== "keep").every((r) => r.row_count === 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
    expect(await footprint(other.id)).toBe(otherBefore);
    const again = (await dpo().query<{ action: string; row_count: number }>("select action, row_count from public.dsar_erasure_preview($1)", [requestId])).rows;
    expect(again.filter((r) => r.action !== "keep").every((r) => r.row_count === 0)).toBe(true);
  });

  it("fulfilment and the certificate wait for every processor task; then the certificate says what, why, when and by whom", async () => {
    await expectRefused(() => dpo().query("select public.dsar_transition($1, 'fulfilled')", [requestId]), "PT409", /still open: clerk, kie_ai, r2, sentry, stripe, upstash/);
    await expectRefused(() => dpo().query("select public.dsar_erasure_certificate($1)", [requestId]), "PT409", /still open/);
    const { rows: tasks } = await db.engine.query<{ id: string }>("select id from public.dsar_processor_tasks where request_id = $1", [requestId]);
    for (const t of tasks) await dpo().query("select public.dsar_complete_processor_task($1, 'done in the processor console')", [t.id]);
    await expectRefused(() => dpo().query("select public.dsar_complete_processor_task($1, 'again')", [tasks[0]!.id]), "23505", /already done/);
    const { rows } = await dpo().query<{ c: Record<string, unknown> & { erased: Array<{ category: string; rows: number }>; kept: Array<{ category: string; reason: string }>; processor_tasks: unknown[] } }>(
      "select public.dsar_erasure_certificate($1) as c", [requestId]);
    const cert = rows[0]!.c;
    expect(cert).toMatchObject({ certificate: "erasure", request_id: requestId, customer_id: subject.id, issued_by: "Nattaya Srisuk" });
    expect(cert.erased.find((e) => e.category === "api_request_logs")?.rows).toBe(3);
    expect(cert.kept.map((k) => k.category)).toEqual(["consent_events", "credit_adjustments", "credit_ledger", "dsar_requests", "payments", "refunds", "stripe_customer", "subscriptions"]);
    expect(cert.processor_tasks).toHaveLength(6);
    expect(JSON.stringify(cert)).not.toContain(subject.email);
    const again = await dpo().query<{ c: unknown }>("select public.dsar_erasure_certificate($1) as c", [requestId]);
    expect(again.rows[0]!.c).toEqual(cert);
    expect((await one<{ n: number }>("select count(*)::int as n from public.dsar_events where request_id = $1 and kind = 'certificate_issued'", [requestId])).n).toBe(1);
    const { rows: fulfilled } = await dpo().query<{ status: string }>("select status from public.dsar_transition($1, 'fulfilled')", [requestId]);
    expect(fulfilled[0]!.status).toBe("fulfilled");
  });
});

describe("who may call what", () => {
  const NON_DPO: readonly StaffRole[] = STAFF_ROLES.filter((r) => r !== "dpo");
  let requestId: string;
  let taskId: string;
  beforeAll(async () => {
    requestId = await create("access");
    const erasure = await createVerified("erasure", (await newCustomer()).id);
    await dpo().query("select count(*) from public.dsar_execute_erasure($1)", [erasure]);
    taskId = (await one<{ id: string }>("select id from public.dsar_processor_tasks where request_id = $1 limit 1", [erasure])).id;
  });
  const DPO_ONLY: Array<[string, (id: string, task: string) => [string, unknown[]]]> = [
    ["dsar_transition", (id) => ["select public.dsar_transition($1, 'withdrawn')", [id]]],
    ["dsar_verify_identity", (id) => ["select public.dsar_verify_identity($1, 'email_link')", [id]]],
    ["dsar_assign", (id) => ["select * from public.dsar_assign(array[$1::uuid], null)", [id]]],
    ["dsar_close_as_duplicate", (id) => ["select * from public.dsar_close_as_duplicate(array[$1::uuid], $1)", [id]]],
    ["dsar_extend", (id) => ["select public.dsar_extend($1, 5, 'x')", [id]]],
    ["dsar_add_note", (id) => ["select public.dsar_add_note($1, 'x')", [id]]],
    ["dsar_match_customer", (id) => ["select public.dsar_match_customer($1, gen_random_uuid())", [id]]],
    ["dsar_record_export", (id) => ["select public.dsar_record_export($1, repeat('a', 64), null)", [id]]],
    ["dsar_record_response", (id) => ["select public.dsar_record_response($1, 'en', 'x', false)", [id]]],
    ["dsar_rectify_customer", (id) => ["select public.dsar_rectify_customer($1, '{\"display_name\": \"x\"}')", [id]]],
    ["dsar_set_restriction", (id) => ["select public.dsar_set_restriction($1, true, 'x')", [id]]],
    ["dsar_withdraw_consent", (id) => ["select public.dsar_withdraw_consent($1, array['analytics'])", [id]]],
    ["dsar_erasure_preview", (id) => ["select * from public.dsar_erasure_preview($1)", [id]]],
    ["dsar_execute_erasure", (id) => ["select * from public.dsar_execute_erasure($1)", [id]]],
    ["dsar_complete_processor_task", (_id, task) => ["select public.dsar_complete_processor_task($1, 'x')", [task]]],
    ["dsar_erasure_certificate", (id) => ["select public.dsar_erasure_certificate($1)", [id]]],
  ];
  const cases = DPO_ONLY.flatMap(([name, call]) => [...NON_DPO.map((role) => [name, role, call] as const), [name, "anon", call] as const]);

  it.each(cases)("%s is refused to %s (42501) and writes nothing", async (_name, role, call) => {
    const [sql, params] = call(requestId, taskId);
    const session = role === "anon" ? db.asAnon() : db.asRole(role);
    await expectRefused(() => session.query(sql, params), "42501");
  });

  it("the DPO may call each of them (reaching its own validation, not a privilege error)", async () => {
    for (const [name, call] of DPO_ONLY) {
      const [sql, params] = call(requestId, taskId);
      try {
        await dpo().query(sql, params);
      } catch (err) {
        expect((err as { code?: string }).code, name).not.toBe("42501");
      }
    }
  });

  it("anon may not log a request, and the service role may not run DPO acts", async () => {
    await expectRefused(() => db.asAnon().query("select public.dsar_create_request('access', 'email', 'a@example.org', now())"), "42501");
    const asService = (sql: string, params: unknown[]) =>
      db.engine.transaction(async (tx) => {
        await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ role: "service_role" })]);
        await tx.exec("set local role service_role");
        return tx.query(sql, params);
      });
    for (const [name, call] of DPO_ONLY) {
      const [sql, params] = call(requestId, taskId);
      const err = await expectSqlError(() => asService(sql, params));
      expect(err.code, name).toBe("42501");
    }
  });

  it.each(STAFF_ROLES)("the pure deadline helpers are callable by the %s (the queue view needs them); anon may not", async (role) => {
    const { rows } = await db.asRole(role).query<{ due: string; next: string[] }>(
      "select public.dsar_due_on(public.dsar_due_at('2026-01-15T16:59:00Z', 'access', 0))::text as due, public.dsar_next_statuses('in_progress') as next");
    expect(rows[0]).toEqual({ due: "2026-02-14", next: ["awaiting_subject", "fulfilled", "rejected", "withdrawn", "duplicate"] });
    expect((await expectSqlError(() => db.asAnon().query("select public.dsar_due_at(now(), 'access', 0)"))).code).toBe("42501");
  });

  it("dsar_stats is for the DPO and the auditor only", async () => {
    for (const role of ["dpo", "auditor"] as const) {
      const { rows } = await db.asRole(role).query<{ s: { open_by_days_left: Array<{ bucket: string; count: number }>; requests_per_week: unknown[]; on_time_by_month: unknown[] } }>("select public.dsar_stats() as s");
      expect(rows[0]!.s.open_by_days_left.map((b) => b.bucket)).toEqual(["overdue", "0-7", "8-14", "15-30", "31+"]);
      expect(rows[0]!.s.requests_per_week).toHaveLength(12);
      expect(rows[0]!.s.on_time_by_month).toHaveLength(12);
    }
    for (const role of ["support", "finance", "admin"] as const) {
      expect((await expectSqlError(() => db.asRole(role).query("select public.dsar_stats()"))).code).toBe("42501");
    }
    expect((await expectSqlError(() => db.asAnon().query("select public.dsar_stats()"))).code).toBe("42501");
  });

  it("dsar_stats counts open requests by days left the way the queue does", async () => {
    const { rows } = await dpo().query<{ s: { open_by_days_left: Array<{ bucket: string; count: number }> } }>("select public.dsar_stats() as s");
    const total = rows[0]!.s.open_by_days_left.reduce((n, b) => n + b.count, 0);
    const overdue = rows[0]!.s.open_by_days_left.find((b) => b.bucket === "overdue")!.count;
    expect(total).toBe((await one<{ n: number }>("select count(*)::int as n from public.dsar_queue where is_open")).n);
    expect(overdue).toBe((await one<{ n: number }>("select count(*)::int as n from public.dsar_queue where is_overdue")).n);
    expect(overdue).toBeGreaterThan(0);
  });

  it("support reads only the requests it logged, and no events", async () => {
    const mine = await create("access", { role: "support" });
    const { rows } = await db.asRole("support").query<{ id: string; created_by: string }>("select id, created_by from public.dsar_queue");
    expect(rows.some((r) => r.id === mine)).toBe(true);
    expect(rows.every((r) => r.created_by === staffId("support"))).toBe(true);
    expect(rows.some((r) => r.id === requestId)).toBe(false);
    expect((await db.asRole("support").query("select * from public.dsar_events where request_id = $1", [mine])).rows).toHaveLength(0);
  });

  it("nobody edits or deletes the timeline, not even the owner", async () => {
    expect((await expectSqlError(() => db.engine.query("update public.dsar_events set note = 'x'"))).code).toBe("23001");
    expect((await expectSqlError(() => db.engine.query("delete from public.dsar_events"))).code).toBe("23001");
    expect((await expectSqlError(() => db.engine.query("delete from public.dsar_event_payloads"))).code).toBe("23001");
  });
});
