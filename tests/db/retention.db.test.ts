/**
 * Retention (issue 10): the schedule as data, status per category, legal holds (respected by the purge and by DSAR
 * erasure), dry runs and purges (exact, batched, idempotent, API logs by partition), certificates in the audit log,
 * bad input, and every function from every role.
 *
 * Everything is measured against a fixed cut-off T (an hour ago, to the second), with rows placed exactly on and just
 * inside each boundary: an API log exactly 90 days before T goes, one a microsecond younger stays; a customer deleted
 * exactly 12 months before T is anonymised, one deleted a second later is not.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, expectSqlError, STAFF_ROLES, type SqlSession } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

const CATEGORIES = ["account_data", "payment_records", "generated_assets", "api_logs", "error_reports", "consent_logs"];

let T = "";
const ids: Record<string, string> = {};

async function one<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row> {
  const { rows } = await db.engine.query<Row>(sql, params);
  return rows[0]!;
}
async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.engine.query<{ n: string }>(`select count(*)::text as n from (${sql}) q`, params);
  return Number(rows[0]!.n);
}
async function customer(label: string, deletedAt: string | null): Promise<string> {
  const row = await one<{ id: string }>(
    `insert into public.customers (clerk_user_id, email, display_name, country, created_at, deleted_at)
     values ($1, $2, $3, 'TH', $4::timestamptz - interval '3 years', $5) returning id`,
    [`user_rtn${label}`, `${label.toLowerCase()}@example.org`, `Retention ${label}`, T, deletedAt],
  );
  ids[label] = row.id;
  return row.id;
}
/** What the audit log and purge_runs hold: nothing may change when a call is refused. */
async function writtenState(): Promise<string> {
  const row = await one<{ s: string }>(
    `select (select count(*) from public.purge_runs)::text || '/' || (select count(*) from public.purge_run_categories)
       || '/' || (select count(*) from public.legal_holds) || '/' || (select count(*) from public.audit_log)
       || '/' || (select count(*) from public.legal_holds where released_at is not null) as s`,
  );
  return row.s;
}
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

interface RunCategory {
  category: string;
  rule_version: number;
  rows_past_period: string;
  rows_on_hold: string;
  rows_purged: string;
  ids_sha256: string;
  partitions_dropped: string[];
}
async function runCategories(runId: string): Promise<Record<string, RunCategory>> {
  const { rows } = await db.engine.query<RunCategory>(
    "select category, rule_version, rows_past_period::text, rows_on_hold::text, rows_purged::text, ids_sha256, partitions_dropped from public.purge_run_categories where run_id = $1",
    [runId],
  );
  return Object.fromEntries(rows.map((r) => [r.category, r]));
}

beforeAll(async () => {
  T = (await one<{ t: string }>("select to_char(date_trunc('second', now() - interval '1 hour') at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') as t")).t;
  // Monthly partitions from 8 months before T: the oldest ones are wholly past 90 days.
  await db.engine.query("select public.ensure_api_request_log_partitions(($1::timestamptz - interval '8 months')::date, 10)", [T]);

  const deleted12 = await customer("Deleted12m", null);
  await db.engine.query("update public.customers set deleted_at = $2::timestamptz - interval '12 months' where id = $1", [deleted12, T]);
  const deletedLater = await customer("Deleted12mMinus1s", null);
  await db.engine.query(
    "update public.customers set deleted_at = $2::timestamptz - interval '12 months' + interval '1 second' where id = $1",
    [deletedLater, T],
  );
  const held = await customer("Held", null);
  await db.engine.query("update public.customers set deleted_at = $2::timestamptz - interval '13 months' where id = $1", [held, T]);
  const live = await customer("Live", null);

  for (const id of [deleted12, deletedLater, held, live]) {
    await db.engine.query(
      `insert into public.consent_events (customer_id, purpose, action, source, ip, occurred_at)
       values ($1, 'privacy_policy', 'granted', 'signup', '203.0.113.9', $2::timestamptz - interval '2 years'),
              ($1, 'marketing_email', 'granted', 'signup', '203.0.113.9', $2::timestamptz - interval '2 years')`,
      [id, T],
    );
  }

  // API logs: the boundary pair, two rows in a month wholly past 90 days, one in the default partition (fixture, 2020).
  await db.engine.query(
    `insert into public.api_request_logs (customer_id, method, endpoint, status_code, requested_at)
     values ($1, 'GET', '/v1/boundary-exact', 200, $2::timestamptz - interval '90 days'),
            ($1, 'GET', '/v1/boundary-inside', 200, $2::timestamptz - interval '90 days' + interval '1 microsecond'),
            ($1, 'GET', '/v1/old-month', 200, date_trunc('month', $2::timestamptz - interval '6 months') + interval '3 days'),
            ($1, 'GET', '/v1/old-month', 200, date_trunc('month', $2::timestamptz - interval '6 months') + interval '9 days')`,
    [live, T],
  );
  const expiredReport = await one<{ id: string }>(
    `insert into public.error_reports (customer_id, sentry_event_id, summary, occurred_at)
     values ($1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'timeout (redacted)', $2::timestamptz - interval '30 days') returning id`,
    [live, T],
  );
  ids.expiredReport = expiredReport.id;
  await db.engine.query(
    `insert into public.error_reports (customer_id, sentry_event_id, summary, occurred_at)
     values ($1, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'timeout (redacted)', $2::timestamptz - interval '30 days' + interval '1 second')`,
    [live, T],
  );
  // Assets: one deleted, one in a deleted project, one alive.
  const project = await one<{ id: string }>(
    "insert into public.projects (customer_id, title, deleted_at) values ($1, 'Gone', $2::timestamptz - interval '2 days') returning id",
    [live, T],
  );
  await db.engine.query(
    `insert into public.assets (customer_id, project_id, kind, r2_key, content_type, size_bytes, created_at, deleted_at)
     values ($1, null, 'generated', 'gen/rtn/deleted.png', 'image/png', 10, $2::timestamptz - interval '1 year', $2::timestamptz - interval '1 day'),
            ($1, $3, 'generated', 'gen/rtn/in-deleted-project.png', 'image/png', 10, $2::timestamptz - interval '1 year', null),
            ($1, null, 'generated', 'gen/rtn/alive.png', 'image/png', 10, $2::timestamptz - interval '1 year', null)`,
    [live, T, project.id],
  );
  // Payments: one exactly 7 years old (its Stripe ids go), one a day younger.
  for (const [label, age] of [["7y", "7 years"], ["7yMinus1d", "7 years - 1 day"]] as const) {
    const p = await one<{ id: string }>(
      `insert into public.payments (customer_id, kind, amount, currency, status, created_at)
       values ($1, 'top_up', 999, 'usd', 'succeeded', $2::timestamptz - $3::interval) returning id`,
      [live, T, age],
    );
    ids[`payment${label}`] = p.id;
    await db.engine.query(
      "insert into public.payment_stripe_ids (payment_id, stripe_payment_intent_id) values ($1, $2)",
      [p.id, `pi_Rtn${label.replace(/\W/g, "")}`],
    );
  }
});

describe("the schedule as data (privacy policy §6)", () => {
  it("has one version in force per category, with period, trigger, action, basis, owner and backup lag", async () => {
    const { rows } = await db.asRole("auditor").query<{ category: string; period: string; trigger: string; action: string }>(
      "select category, period::text, trigger, action from public.retention_rules where superseded_at is null order by category",
    );
    expect(rows).toEqual([
      { category: "account_data", period: "1 year", trigger: "since_account_deletion", action: "anonymise" },
      { category: "api_logs", period: "90 days", trigger: "since_creation", action: "drop_partition" },
      { category: "consent_logs", period: "30 days", trigger: "since_account_deletion", action: "delete" },
      { category: "error_reports", period: "30 days", trigger: "since_creation", action: "delete" },
      { category: "generated_assets", period: "00:00:00", trigger: "with_parent", action: "delete" },
      { category: "payment_records", period: "7 years", trigger: "since_creation", action: "anonymise" },
    ]);
    expect(await count("select 1 from public.retention_rules where grace + backup_lag > interval '90 days'")).toBe(0);
  });
});

describe("bad input: a clear error and nothing written", () => {
  it("a purge or dry run with a future cut-off is refused (22023)", async () => {
    const before = await writtenState();
    for (const fn of ["retention_purge", "retention_dry_run"]) {
      const err = await expectSqlError(() => db.asRole("dpo").query(`select * from public.${fn}(now() + interval '1 minute')`));
      expect(err.code).toBe("22023");
      expect(err.message).toMatch(/cut-off .* is in the future/);
    }
    expect(await writtenState()).toBe(before);
  });

  it.each([
    ["no reason", "'  ', current_date + 30, null, 'api_logs'", "22023", /a reason is required/],
    ["null reason", "null, current_date + 30, null, 'api_logs'", "22023", /a reason is required/],
    ["no review date", "'Claim', null, null, 'api_logs'", "22023", /a review date is required/],
    ["review date in the past", "'Claim', current_date - 1, null, 'api_logs'", "22023", /is in the past/],
    ["no scope", "'Claim', current_date + 30", "22023", /say what the hold covers/],
    ["reversed range", "'Claim', current_date + 30, null, null, '2026-02-01', '2026-01-01'", "22023", /must end after it starts/],
    ["unknown category", "'Claim', current_date + 30, null, 'photos'", "22023", /unknown data category photos/],
    ["unknown customer", "'Claim', current_date + 30, '00000000-0000-4000-8000-000000000000'", "PT404", /customer .* does not exist/],
  ])("legal_hold_place with %s is refused", async (_label, args, code, message) => {
    const before = await writtenState();
    const err = await expectSqlError(() => db.asRole("dpo").query(`select * from public.legal_hold_place(${args})`));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(await writtenState()).toBe(before);
  });
});

describe("who may do what (every function, every role)", () => {
  const NOT_DPO = STAFF_ROLES.filter((r) => r !== "dpo");

  it.each(NOT_DPO)("%s may not place or release a hold, nor dry-run or purge (42501)", async (role) => {
    const hold = await db.asRole("dpo").query<{ id: string }>(
      "select id from public.legal_hold_place('Role test', current_date + 1, null, null, '2001-01-01', '2001-01-02')",
    );
    const before = await writtenState();
    const s = db.asRole(role);
    const calls: Array<[string, RegExp]> = [
      ["select public.legal_hold_place('Claim', current_date + 30, null, 'api_logs')", /only the DPO may place a legal hold/],
      [`select public.legal_hold_release('${hold.rows[0]!.id}', 'done')`, /only the DPO may release a legal hold/],
      ["select public.retention_dry_run()", /only the DPO may run retention purges/],
      ["select public.retention_purge()", /only the DPO may run retention purges/],
    ];
    for (const [sql, message] of calls) {
      const err = await expectSqlError(() => s.query(sql));
      expect(err.code, sql).toBe("42501");
      expect(err.message).toMatch(message);
    }
    expect(await writtenState()).toBe(before);
    await db.asRole("dpo").query("select public.legal_hold_release($1, 'role test over')", [hold.rows[0]!.id]);
  });

  it("anon may call none of them (42501) and a signed-in non-staff sub is refused like a role without access", async () => {
    const before = await writtenState();
    for (const sql of [
      "select public.legal_hold_place('Claim', current_date + 30, null, 'api_logs')",
      "select public.legal_hold_release('00000000-0000-4000-8000-000000000000', 'x')",
      "select public.retention_dry_run()",
      "select public.retention_purge()",
      "select * from public.retention_status_at(now())",
      "select * from public.retention_status",
    ]) {
      expect((await expectSqlError(() => db.asAnon().query(sql))).code, sql).toBe("42501");
    }
    const stranger = db.asSub("user_notStaff01");
    expect((await expectSqlError(() => stranger.query("select public.retention_purge()"))).code).toBe("42501");
    expect((await expectSqlError(() => stranger.query("select * from public.retention_status_at(now())"))).code).toBe("42501");
    expect((await stranger.query("select * from public.retention_status")).rows).toHaveLength(0);
    expect(await writtenState()).toBe(before);
  });

  it("retention_status_at: dpo, admin and auditor get one row per category; support and finance are refused (42501)", async () => {
    for (const role of STAFF_ROLES) {
      const s = db.asRole(role);
      if (["dpo", "admin", "auditor"].includes(role)) {
        const { rows } = await s.query<{ category: string }>("select category from public.retention_status_at($1)", [T]);
        expect(rows.map((r) => r.category), role).toEqual(CATEGORIES);
        const one = await s.query<{ category: string }>("select category from public.retention_status_at($1, 'api_logs')", [T]);
        expect(one.rows.map((r) => r.category)).toEqual(["api_logs"]);
      } else {
        const err = await expectSqlError(() => s.query("select * from public.retention_status_at($1)", [T]));
        expect(err.code, role).toBe("42501");
        expect(err.message).toMatch(/only the DPO, the admin and the auditor may read the retention status/);
        // The view shows nothing instead (retention_rules' RLS hides every rule first).
        expect((await s.query("select * from public.retention_status")).rows, role).toHaveLength(0);
      }
    }
    const bad = await expectSqlError(() => db.asRole("dpo").query("select * from public.retention_status_at(now(), 'photos')"));
    expect(bad.code).toBe("22023");
  });

  it("the dpo places and releases a hold (both audited); a second release is PT409, an unknown one PT404, no note 22023", async () => {
    const dpo = db.asRole("dpo");
    const placed = await dpo.query<{ id: string; placed_by: string; reason: string }>(
      "select * from public.legal_hold_place('  Subpoena 2026-17  ', current_date + 10, null, 'error_reports', '2001-01-01', '2001-02-01')",
    );
    const hold = placed.rows[0]!;
    expect(hold.reason).toBe("Subpoena 2026-17");
    expect(hold.placed_by).toBe(db.staffIds["dpo@m-factory.test"]);
    let before = await writtenState();
    expect((await expectSqlError(() => dpo.query("select public.legal_hold_release($1, '  ')", [hold.id]))).code).toBe("22023");
    expect((await expectSqlError(() => dpo.query("select public.legal_hold_release(null, 'x')"))).code).toBe("22023");
    const unknown = await expectSqlError(() => dpo.query("select public.legal_hold_release('00000000-0000-4000-8000-000000000000', 'x')"));
    expect(unknown.code).toBe("PT404");
    expect(await writtenState()).toBe(before);
    const released = await dpo.query<{ released_by: string; release_note: string }>(
      "select * from public.legal_hold_release($1, 'Subpoena answered')",
      [hold.id],
    );
    expect(released.rows[0]).toMatchObject({ released_by: db.staffIds["dpo@m-factory.test"], release_note: "Subpoena answered" });
    before = await writtenState();
    const again = await expectSqlError(() => dpo.query("select public.legal_hold_release($1, 'again')", [hold.id]));
    expect(again.code).toBe("PT409");
    expect(again.message).toMatch(/already released/);
    expect(await writtenState()).toBe(before);
    const audit = await db.engine.query<{ action: string }>(
      "select action from public.audit_log where table_name = 'legal_holds' and record_id = $1 order by id",
      [hold.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["retention.hold_placed", "retention.hold_released"]);
  });
});

describe("holds, dry run and purge at the cut-off T", () => {
  let holdId = "";
  let dryRunId = "";
  let purgeId = "";
  let partitionsBefore: Array<{ relname: string; upper_ms: number }> = [];

  it("a hold on a customer keeps that customer's rows past their period out of the purge; the status says held", async () => {
    const placed = await db.asRole("dpo").query<{ id: string }>(
      "select id from public.legal_hold_place('Litigation: chargeback dispute', current_date + 60, $1)",
      [ids.Held],
    );
    holdId = placed.rows[0]!.id;
    const { rows } = await db.asRole("dpo").query<{ category: string; rows_past_period: string; rows_past_period_on_hold: string; state: string }>(
      "select category, rows_past_period::text, rows_past_period_on_hold::text, state from public.retention_status_at($1)",
      [T],
    );
    const byCategory = Object.fromEntries(rows.map((r) => [r.category, r]));
    // Deleted12m (exactly at the boundary) + Held; Deleted12mMinus1s is not due yet.
    expect(byCategory.account_data).toMatchObject({ rows_past_period: "2", rows_past_period_on_hold: "1", state: "due" });
    // Consent logs of the three deleted customers (deleted long enough ago), two events each; Held's are held.
    expect(byCategory.consent_logs).toMatchObject({ rows_past_period: "6", rows_past_period_on_hold: "2", state: "overdue" });
    expect(byCategory.payment_records).toMatchObject({ rows_past_period: "1", state: "due" });
  });

  it("a dry run counts per category and writes nothing but its own record", async () => {
    partitionsBefore = (
      await db.engine.query<{ relname: string; upper_ms: string }>(
        "select relname, (extract(epoch from upper_bound) * 1000)::bigint::text as upper_ms from public.retention_api_log_partitions()",
      )
    ).rows.map((p) => ({ relname: p.relname, upper_ms: Number(p.upper_ms) }));
    const dataBefore = await count("select 1 from public.api_request_logs");
    const run = await db.asRole("dpo").query<{ id: string; mode: string; rows_purged: string; certificate: unknown; audit_log_id: string }>(
      "select id, mode, rows_purged::text, certificate, audit_log_id::text from public.retention_dry_run($1)",
      [T],
    );
    dryRunId = run.rows[0]!.id;
    expect(run.rows[0]).toMatchObject({ mode: "dry_run", certificate: null });
    const cats = await runCategories(dryRunId);
    expect(Object.fromEntries(Object.entries(cats).map(([k, v]) => [k, [v.rows_past_period, v.rows_on_hold, v.rows_purged]]))).toEqual({
      account_data: ["2", "1", "1"],
      payment_records: ["1", "0", "1"],
      generated_assets: ["2", "0", "2"],
      // the exact-boundary row, the two in the old month, the fixture's 2020 row in the default partition
      api_logs: ["4", "0", "4"],
      error_reports: ["1", "0", "1"],
      consent_logs: ["6", "2", "4"],
    });
    expect(Number(run.rows[0]!.rows_purged)).toBe(13);
    expect(await count("select 1 from public.api_request_logs")).toBe(dataBefore);
    expect(cats.error_reports!.ids_sha256).toBe(sha256(ids.expiredReport!));
    const audit = await one<{ action: string }>("select action from public.audit_log where id = $1", [run.rows[0]!.audit_log_id]);
    expect(audit.action).toBe("retention.dry_run");
  });

  it("the execution purges exactly what the dry run counted, drops expired partitions, and issues a certificate in the audit log", async () => {
    const run = await db.asRole("dpo").query<{ id: string; mode: string; rows_purged: string; certificate: Record<string, unknown>; certificate_sha256: string; audit_log_id: string }>(
      "select id, mode, rows_purged::text, certificate, certificate_sha256, audit_log_id::text from public.retention_purge($1)",
      [T],
    );
    const r = run.rows[0]!;
    purgeId = r.id;
    expect(r.rows_purged).toBe("13");
    const executed = await runCategories(purgeId);
    const dry = await runCategories(dryRunId);
    for (const c of CATEGORIES) {
      expect(executed[c]!.rows_purged, c).toBe(dry[c]!.rows_purged);
      expect(executed[c]!.ids_sha256, c).toBe(dry[c]!.ids_sha256);
    }
    // Boundaries.
    expect(await count("select 1 from public.api_request_logs where endpoint = '/v1/boundary-exact'")).toBe(0);
    expect(await count("select 1 from public.api_request_logs where endpoint = '/v1/boundary-inside'")).toBe(1);
    expect(await count("select 1 from public.api_request_logs where endpoint = '/v1/old-month'")).toBe(0);
    const profiles = await db.engine.query<{ id: string; email: string; country: string | null; display_name: string | null }>(
      "select id, email, country, display_name from public.customers where id = any($1::uuid[])",
      [[ids.Deleted12m, ids.Deleted12mMinus1s, ids.Held]],
    );
    const byId = Object.fromEntries(profiles.rows.map((p) => [p.id, p]));
    expect(byId[ids.Deleted12m!]).toMatchObject({ email: `erased-${ids.Deleted12m}@erased.invalid`, country: null, display_name: null });
    expect(byId[ids.Deleted12mMinus1s!]).toMatchObject({ email: "deleted12mminus1s@example.org", country: "TH" });
    expect(byId[ids.Held!]).toMatchObject({ email: "held@example.org", country: "TH" });
    expect(await count("select 1 from public.consent_events where customer_id = $1", [ids.Held])).toBe(2);
    expect(await count("select 1 from public.consent_events where customer_id = $1", [ids.Deleted12m])).toBe(0);
    expect(await count("select 1 from public.customer_consents where customer_id = $1", [ids.Deleted12m])).toBe(0);
    expect(await count("select 1 from public.consent_events where customer_id = $1", [ids.Live])).toBe(2);
    // The collected addresses go with their events (cascade through the append-only guard, during the purge only).
    expect(await count("select 1 from public.consent_event_ips i where not exists (select 1 from public.consent_events e where e.id = i.event_id)")).toBe(0);
    expect(await count("select 1 from public.consent_event_ips i join public.consent_events e on e.id = i.event_id where e.customer_id = $1", [ids.Live])).toBe(2);
    expect(await count("select 1 from public.payment_stripe_ids where payment_id = $1", [ids.payment7y])).toBe(0);
    expect(await count("select 1 from public.payment_stripe_ids where payment_id = $1", [ids.payment7yMinus1d])).toBe(1);
    expect(await count("select 1 from public.payments where id = $1", [ids.payment7y])).toBe(1);
    expect(await count("select 1 from public.assets where r2_key like 'gen/rtn/%'")).toBe(1);
    expect(await count("select 1 from public.error_reports where id = $1", [ids.expiredReport])).toBe(0);
    expect(await count("select 1 from public.error_reports where sentry_event_id = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'")).toBe(1);

    // The partitions left are exactly those still within retention (upper bound after T - 90 days).
    const after = (await db.engine.query<{ relname: string }>("select relname from public.retention_api_log_partitions()")).rows.map((p) => p.relname);
    const cutoff = Date.parse(T) - 90 * 86_400_000;
    expect(after).toEqual(partitionsBefore.filter((p) => p.upper_ms > cutoff).map((p) => p.relname));
    expect(after.length).toBeLessThan(partitionsBefore.length);
    expect(executed.api_logs!.partitions_dropped.sort()).toEqual(
      partitionsBefore.filter((p) => p.upper_ms <= cutoff).map((p) => p.relname).sort(),
    );

    // The certificate: rule versions, counts, hashes, who; its hash is in the chained audit log.
    const cert = r.certificate as { categories: Array<{ category: string; rule_version: number; rows_purged: number }>; executed_by: { staff_id: string }; rows_purged: number };
    expect(cert.categories.map((c) => [c.category, c.rule_version, c.rows_purged])).toEqual(
      CATEGORIES.map((c) => [c, 1, Number(executed[c]!.rows_purged)]),
    );
    expect(cert.executed_by.staff_id).toBe(db.staffIds["dpo@m-factory.test"]);
    const certText = await one<{ t: string }>("select certificate::text as t from public.purge_runs where id = $1", [purgeId]);
    expect(sha256(certText.t)).toBe(r.certificate_sha256);
    const audit = await one<{ action: string; new_data: { certificate_sha256: string; rows_purged: number } }>(
      "select action, new_data from public.audit_log where id = $1",
      [r.audit_log_id],
    );
    expect(audit).toMatchObject({ action: "retention.purge_executed", new_data: { certificate_sha256: r.certificate_sha256, rows_purged: 13 } });
    const chain = await db.asRole("auditor").query<{ ok: boolean }>("select ok from public.verify_audit_chain()");
    expect(chain.rows[0]!.ok).toBe(true);
  });

  it("a second run purges nothing; the status then shows held and compliant, with the last purge", async () => {
    const again = await db.asRole("dpo").query<{ id: string; rows_purged: string }>("select id, rows_purged::text from public.retention_purge($1)", [T]);
    expect(again.rows[0]!.rows_purged).toBe("0");
    const cats = await runCategories(again.rows[0]!.id);
    expect(Object.values(cats).every((c) => c.rows_purged === "0" && c.partitions_dropped.length === 0)).toBe(true);
    const { rows } = await db.asRole("auditor").query<{ category: string; state: string; last_purge_run_id: string }>(
      "select category, state, last_purge_run_id from public.retention_status_at($1)",
      [T],
    );
    expect(Object.fromEntries(rows.map((s) => [s.category, s.state]))).toEqual({
      account_data: "held",
      payment_records: "compliant",
      generated_assets: "compliant",
      api_logs: "compliant",
      error_reports: "compliant",
      consent_logs: "held",
    });
    expect(rows.every((s) => s.last_purge_run_id === again.rows[0]!.id)).toBe(true);
  });

  it("a day later the rows just inside the boundaries are due; a week and a day later, overdue", async () => {
    const states = async (at: string) =>
      Object.fromEntries(
        (
          await db.asRole("dpo").query<{ category: string; state: string }>(
            "select category, state from public.retention_status_at($1::timestamptz + $2::interval)",
            [T, at],
          )
        ).rows.map((s) => [s.category, s.state]),
      );
    expect(await states("1 day")).toMatchObject({ api_logs: "due", error_reports: "due", payment_records: "due", account_data: "due" });
    expect(await states("8 days 1 second")).toMatchObject({ api_logs: "overdue", error_reports: "overdue", account_data: "overdue" });
  });

  it("a hold by category and date range covers only those rows; the guard refuses even a direct delete of them", async () => {
    const hold = await db.asRole("dpo").query<{ id: string }>(
      "select id from public.legal_hold_place('Incident review', current_date + 7, null, 'error_reports', $1::timestamptz - interval '31 days', $1::timestamptz)",
      [T],
    );
    const err = await expectSqlError(() => db.engine.query("delete from public.error_reports where sentry_event_id = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'"));
    expect(err.code).toBe("PT409");
    expect(await count("select 1 from public.error_reports where sentry_event_id = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'")).toBe(1);
    // A month on, the fixture's report of today (outside the range) is past its period and not held.
    const { rows } = await db.asRole("dpo").query<{ rows_past_period: string; rows_past_period_on_hold: string }>(
      "select rows_past_period::text, rows_past_period_on_hold::text from public.retention_status_at($1::timestamptz + interval '31 days') where category = 'error_reports'",
      [T],
    );
    expect(rows).toEqual([{ rows_past_period: "2", rows_past_period_on_hold: "1" }]);
    await db.asRole("dpo").query("select public.legal_hold_release($1, 'Review done')", [hold.rows[0]!.id]);
  });

  it("the guard refuses, table by table, to delete or erase a held customer's rows (PT409), and lets them go once released", async () => {
    const c = await customer("Guarded", null);
    const payment = await one<{ id: string }>(
      "insert into public.payments (customer_id, kind, amount, currency, status) values ($1, 'top_up', 100, 'usd', 'succeeded') returning id",
      [c],
    );
    await db.engine.query("insert into public.payment_stripe_ids (payment_id, stripe_payment_intent_id) values ($1, 'pi_RtnGuarded')", [payment.id]);
    const project = await one<{ id: string }>("insert into public.projects (customer_id, title) values ($1, 'Held project') returning id", [c]);
    await db.engine.query(
      "insert into public.generations (customer_id, media, model, prompt, credits_cost) values ($1, 'image', 'nano-banana', 'a held prompt', 1), ($1, 'image', 'nano-banana', 'another', 1)",
      [c],
    );
    await db.engine.query(
      "insert into public.assets (customer_id, kind, r2_key, content_type, size_bytes) values ($1, 'upload', 'up/rtn/guarded.png', 'image/png', 1)",
      [c],
    );
    await db.engine.query(
      "insert into public.api_request_logs (customer_id, method, endpoint, status_code, requested_at) values ($1, 'GET', '/v1/guarded', 200, now() - interval '1 day')",
      [c],
    );
    await db.engine.query(
      "insert into public.error_reports (customer_id, sentry_event_id, summary) values ($1, 'cccccccccccccccccccccccccccccccc', 'held (redacted)')",
      [c],
    );
    await db.engine.query("insert into public.consent_events (customer_id, purpose, action, source) values ($1, 'analytics', 'granted', 'settings')", [c]);
    const hold = await db.asRole("dpo").query<{ id: string }>("select id from public.legal_hold_place('Guard test', current_date + 3, $1)", [c]);
    const statements = [
      "delete from public.assets where customer_id = $1",
      "delete from public.generations where customer_id = $1 and prompt = 'another'",
      "update public.generations set prompt = '[erased]' where customer_id = $1 and prompt = 'a held prompt'",
      "delete from public.api_request_logs where customer_id = $1",
      "delete from public.error_reports where customer_id = $1",
      "delete from public.payment_stripe_ids where payment_id in (select id from public.payments where customer_id = $1)",
      "delete from public.projects where customer_id = $1",
      "update public.customers set email = 'erased-' || id || '@erased.invalid' where id = $1",
    ];
    for (const sql of statements) {
      const err = await expectSqlError(() => db.engine.query(sql, [c]));
      expect(err.code, sql).toBe("PT409");
      expect(err.message, sql).toContain(hold.rows[0]!.id);
    }
    // Consent events are append-only anyway; a purge execution would still skip them (the purge tests).
    expect(await count("select 1 from public.assets where customer_id = $1", [c])).toBe(1);
    expect(project.id).toBeTruthy();
    await db.asRole("dpo").query("select public.legal_hold_release($1, 'Guard test over')", [hold.rows[0]!.id]);
    for (const sql of statements) {
      const result = await db.engine.query(sql, [c]);
      expect(result.rowCount, sql).toBeGreaterThan(0);
    }
  });

  it("DSAR erasure of a held customer: the preview shows the hold, execution is refused (PT409) and erases nothing", async () => {
    // The held customer is deleted; hold a live one for the erasure path.
    const liveHold = await db.asRole("dpo").query<{ id: string }>(
      "select id from public.legal_hold_place('Police request 44/2026: preserve account', current_date + 30, $1)",
      [ids.Live],
    );
    const dpo = db.asRole("dpo");
    const req = await dpo.query<{ id: string }>(
      "select id from public.dsar_create_request('erasure', 'email', 'live@example.org', now() - interval '1 day', $1)",
      [ids.Live],
    );
    const requestId = req.rows[0]!.id;
    await dpo.query("select public.dsar_verify_identity($1, 'email_link')", [requestId]);
    const preview = await dpo.query<{ category: string; action: string; row_count: string; reason: string }>(
      "select category, action, row_count::text, reason from public.dsar_erasure_preview($1)",
      [requestId],
    );
    const heldRows = preview.rows.filter((p) => p.action === "held");
    expect(heldRows.map((p) => p.category).sort()).toEqual(["api_request_logs", "assets", "error_reports", "profile", "projects"]);
    expect(heldRows.every((p) => p.reason.includes("Police request 44/2026") && p.reason.includes(liveHold.rows[0]!.id))).toBe(true);
    // The plan itself is unchanged (the held rows are listed after it).
    expect(preview.rows.slice(0, preview.rows.length - heldRows.length).every((p) => p.action !== "held")).toBe(true);

    const apiLogsBefore = await count("select 1 from public.api_request_logs where customer_id = $1", [ids.Live]);
    const before = await writtenState();
    const err = await expectSqlError(() => dpo.query("select * from public.dsar_execute_erasure($1)", [requestId]));
    expect(err.code).toBe("PT409");
    expect(err.message).toMatch(/under legal hold/);
    expect(await writtenState()).toBe(before);
    expect(await count("select 1 from public.customers where id = $1 and email = 'live@example.org'", [ids.Live])).toBe(1);
    expect(await count("select 1 from public.api_request_logs where customer_id = $1", [ids.Live])).toBe(apiLogsBefore);
    expect(await count("select 1 from public.assets where customer_id = $1", [ids.Live])).toBe(1);

    await dpo.query("select public.legal_hold_release($1, 'Police request closed')", [liveHold.rows[0]!.id]);
    const after = await dpo.query<{ action: string }>("select action from public.dsar_erasure_preview($1)", [requestId]);
    expect(after.rows.some((p) => p.action === "held")).toBe(false);
    await dpo.query("select * from public.dsar_execute_erasure($1)", [requestId]);
    expect(await count("select 1 from public.customers where id = $1 and email = $2", [ids.Live, `erased-${ids.Live}@erased.invalid`])).toBe(1);
  });

  it("released, the customer hold lets the next purge take what it kept", async () => {
    await db.asRole("dpo").query("select public.legal_hold_release($1, 'Dispute settled')", [holdId]);
    const run = await db.asRole("dpo").query<{ id: string }>("select id from public.retention_purge($1)", [T]);
    const cats = await runCategories(run.rows[0]!.id);
    expect(cats.account_data).toMatchObject({ rows_purged: "1", rows_on_hold: "0" });
    expect(cats.consent_logs).toMatchObject({ rows_purged: "2", rows_on_hold: "0" });
    expect(await count("select 1 from public.consent_events where customer_id = $1", [ids.Held])).toBe(0);
  });

  it("consent events stay append-only outside a purge, even for the owner", async () => {
    const err = await expectSqlError(() => db.engine.query("delete from public.consent_events where customer_id = $1", [ids.Live]));
    expect(err.code).toBe("23001");
    const update = await expectSqlError(() => db.engine.query("update public.consent_events set source = 'console'"));
    expect(update.code).toBe("23001");
    const address = await expectSqlError(() => db.engine.query("delete from public.consent_event_ips"));
    expect(address.code).toBe("23001");
  });
});

describe("reads", () => {
  it("admin reads rules, runs and status but not holds; support and finance read none of it", async () => {
    const reads = async (s: SqlSession) => {
      const out: Record<string, number> = {};
      for (const t of ["retention_rules", "legal_holds", "purge_runs", "purge_run_categories", "retention_status"]) {
        out[t] = (await s.query(`select 1 from public.${t}`)).rows.length;
      }
      return out;
    };
    const admin = await reads(db.asRole("admin"));
    expect(admin.legal_holds).toBe(0);
    expect(admin.retention_rules).toBe(6);
    expect(admin.retention_status).toBe(6);
    expect(admin.purge_runs).toBeGreaterThan(0);
    for (const role of ["support", "finance"] as const) {
      expect(Object.values(await reads(db.asRole(role))).every((n) => n === 0), role).toBe(true);
    }
  });
});

describe("the daily job", () => {
  it("retention_purge_scheduled runs as the owner (pg_cron) and no API role may call it", async () => {
    const { rows } = await db.engine.query<{ mode: string; started_via: string; started_by: string | null; status: string }>(
      "select mode, started_via, started_by, status from public.retention_purge_scheduled()",
    );
    expect(rows).toEqual([{ mode: "execute", started_via: "schedule", started_by: null, status: "done" }]);
    for (const role of STAFF_ROLES) {
      const err = await expectSqlError(() => db.asRole(role).query("select public.retention_purge_scheduled()"));
      expect(err.code, role).toBe("42501");
    }
  });
});

