/**
 * Issue 10, re-acceptance tracking (20261203001600_reacceptance_people.sql): the list of people behind a re_accept
 * version (policy_reacceptance_people: e-mail and name through the caller's RLS on customers, what a decline did), and
 * a decline's row checked and put in the audit chain by triggers on policy_declines, whoever writes it. Each role
 * allowed and denied; every refusal writes nothing.
 */
import { describe, expect, it } from "vitest";
import { createTestDatabase, expectSqlError, refusalChecker, serviceRoleSession, STAFF_ROLES } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.engine.query<T>(sql, params);
  return rows[0]!;
}

const serviceRole = serviceRoleSession(() => db.engine);

async function snapshot(): Promise<unknown> {
  return one(`select (select count(*)::int from public.audit_log) audit,
    (select count(*)::int from public.consent_events) events,
    (select count(*)::int from public.policy_declines) declines,
    (select md5(string_agg(c::text, ',' order by c::text)) from public.customer_consents c) state,
    (select md5(string_agg(c::text, ',' order by c.id)) from public.customers c) customers`);
}
const expectRefused = refusalChecker(snapshot);

async function newCustomer(label: string, name: string | null = null): Promise<string> {
  return (await one<{ id: string }>(
    "insert into public.customers (clerk_user_id, email, display_name, created_at) values ($1, $2, $3, '2024-01-01') returning id",
    [`user_${label}`, `${label.toLowerCase()}@example.org`, name],
  )).id;
}

async function event(customer: string, purpose: string, action: string, at: string, extra: { source?: string; version?: string } = {}): Promise<number> {
  return Number((await one<{ id: string }>(
    "insert into public.consent_events (customer_id, purpose, action, occurred_at, source, policy_version_id) values ($1, $2, $3, $4, $5, $6) returning id",
    [customer, purpose, action, at, extra.source ?? "settings", extra.version ?? null],
  )).id);
}

type PersonRow = {
  customer_id: string;
  email: string | null;
  display_name: string | null;
  status: string;
  account_restricted: boolean;
  withdrawn_purposes: string[] | null;
  declined_at: string | null;
};
const PEOPLE = `select customer_id, email, display_name, status, account_restricted, withdrawn_purposes, declined_at
  from public.policy_reacceptance_people($1) where customer_id = any($2) order by status, customer_id`;

describe("policy_reacceptance_people and the recorded decline", () => {
  let version: string;
  let accepted: string;
  let decliner: string;
  let pending: string;

  it("the service role's decline is checked, recorded and audited; the list names the people and what followed", async () => {
    const draft = (await db.asRole("dpo").query<{ id: string }>(
      "insert into public.policy_versions (document, version, title, body_markdown, effective_at) values ('privacy_policy', '2027-08-01', 'Privacy', '# Material change', '2027-08-01') returning id",
    )).rows[0]!.id;
    await db.asRole("dpo").query("select public.publish_policy_version($1, 're_accept', 'A new processor')", [draft]);
    version = draft;
    accepted = await newCustomer("PeopleAccepts", "Anong Accepts");
    decliner = await newCustomer("PeopleDeclines");
    pending = await newCustomer("PeoplePending", "Pim Pending");
    await event(decliner, "analytics", "granted", "2026-01-01T00:00:00Z", { source: "signup" });
    await event(decliner, "marketing_email", "granted", "2026-01-01T00:00:00Z", { source: "signup" });
    await event(accepted, "privacy_policy", "re_accepted", "2027-08-02T00:00:00Z", { source: "reprompt", version });

    const auditBefore = (await one<{ n: number }>("select count(*)::int n from public.audit_log")).n;
    const decline = (await serviceRole.query<{ id: string; consent_event_id: string }>(
      "select id, consent_event_id from public.record_policy_decline($1, $2, null, '192.0.2.7', 'App/4', '2027-08-03T00:00:00Z')",
      [decliner, version],
    )).rows[0]!;
    // The refusal and two withdrawals (consent events, audited by their own trigger), then the decline itself.
    const audit = await db.engine.query<{ action: string; record_id: string; new_data: Record<string, unknown> }>(
      "select action, record_id, new_data from (select * from public.audit_log order by id desc limit 4) a order by id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["consent_events.insert", "consent_events.insert", "consent_events.insert", "policy_declines.insert"]);
    expect((await one<{ n: number }>("select count(*)::int n from public.audit_log")).n).toBe(auditBefore + 4);
    expect(audit.rows[3]).toEqual({
      action: "policy_declines.insert",
      record_id: String(decline.id),
      new_data: {
        id: Number(decline.id),
        customer_id: decliner,
        policy_version_id: version,
        document: "privacy_policy",
        version: "2027-08-01",
        consent_event_id: Number(decline.consent_event_id),
        withdrawn_purposes: ["analytics", "marketing_email"],
        account_restricted: true,
        declined_at: expect.stringMatching(/^2027-08-03T00:00:00/),
      },
    });
    // No contact data in the audit entry (admin reads the audit log).
    expect(JSON.stringify(audit.rows[3]!.new_data)).not.toContain("example.org");
    expect((await db.asRole("auditor").query("select * from public.verify_audit_chain()")).rows[0]).toMatchObject({ ok: true });

    const dpo = await db.asRole("dpo").query<PersonRow>(PEOPLE, [version, [accepted, decliner, pending]]);
    const byId = new Map(dpo.rows.map((r) => [r.customer_id, r]));
    expect(byId.get(accepted)).toMatchObject({ email: "peopleaccepts@example.org", display_name: "Anong Accepts", status: "accepted", account_restricted: false, withdrawn_purposes: null });
    expect(byId.get(pending)).toMatchObject({ email: "peoplepending@example.org", display_name: "Pim Pending", status: "pending", withdrawn_purposes: null, declined_at: null });
    expect(byId.get(decliner)).toMatchObject({ email: "peopledeclines@example.org", display_name: null, status: "declined", account_restricted: true, withdrawn_purposes: ["analytics", "marketing_email"] });
    expect(new Date(byId.get(decliner)!.declined_at!).toISOString()).toBe("2027-08-03T00:00:00.000Z");
  });

  it("the auditor gets the same answers without the contact data (customers' RLS)", async () => {
    const dpo = await db.asRole("dpo").query<PersonRow>(PEOPLE, [version, [accepted, decliner, pending]]);
    const auditor = await db.asRole("auditor").query<PersonRow>(PEOPLE, [version, [accepted, decliner, pending]]);
    expect(auditor.rows).toEqual(dpo.rows.map((r) => ({ ...r, email: null, display_name: null })));
  });

  it("pages and filters on the server by status, in the same answer as policy_reacceptance", async () => {
    const declined = await db.asRole("dpo").query<{ customer_id: string }>(
      "select customer_id from public.policy_reacceptance_people($1) where status = 'declined' order by customer_id",
      [version],
    );
    expect(declined.rows).toEqual([{ customer_id: decliner }]);
    const ids = await db.asRole("dpo").query<{ same: boolean }>(
      `select (select array_agg(customer_id || status || coalesce(event_id::text, '') order by customer_id) from public.policy_reacceptance_people($1))
            = (select array_agg(customer_id || status || coalesce(event_id::text, '') order by customer_id) from public.policy_reacceptance($1)) as same`,
      [version],
    );
    expect(ids.rows[0]!.same).toBe(true);
  });

  it.each(["support", "finance", "admin"] as const)("a %s may not list them (42501), nothing written", async (role) => {
    await expectRefused(() => db.asRole(role).query("select * from public.policy_reacceptance_people($1)", [version]), "42501", /only the DPO or an auditor/);
  });

  it("anon and a signed-in non-staff caller may not; unknown, not re_accept and missing versions are refused", async () => {
    await expectRefused(() => db.asAnon().query("select * from public.policy_reacceptance_people($1)", [version]), "42501");
    await expectRefused(() => db.asSub("user_not_staff").query("select * from public.policy_reacceptance_people($1)", [version]), "42501");
    await expectRefused(() => db.asRole("dpo").query("select * from public.policy_reacceptance_people($1)", [db.fixture.draftPolicyId]), "PT409");
    await expectRefused(() => db.asRole("auditor").query("select * from public.policy_reacceptance_people('00000000-0000-4000-8000-0000000000ff')"), "PT404");
    await expectRefused(() => db.asRole("dpo").query("select * from public.policy_reacceptance_people(null)"), "22023");
  });

  it("no staff role and not anon may record a decline: no refusal, withdrawal, decline or audit entry is written", async () => {
    const someone = await newCustomer("PeopleNobodyDeclines");
    for (const role of STAFF_ROLES) {
      await expectRefused(() => db.asRole(role).query("select public.record_policy_decline($1, $2)", [someone, version]), "42501");
      await expectRefused(() => db.asRole(role).query(
        "insert into public.policy_declines (customer_id, policy_version_id, consent_event_id, account_restricted, declined_at) values ($1, $2, 1, true, now())",
        [someone, version],
      ), "42501");
    }
    await expectRefused(() => db.asAnon().query("select public.record_policy_decline($1, $2)", [someone, version]), "42501");
  });

  describe("policy_declines_check: a decline row says what its decline is, for every writer (the owner included)", () => {
    let customer: string;
    let refusal: number;
    const insert = (overrides: { event?: number; restricted?: boolean; purposes?: string[] } = {}) =>
      db.engine.query(
        "insert into public.policy_declines (customer_id, policy_version_id, consent_event_id, withdrawn_purposes, account_restricted, declined_at) values ($1, $2, $3, $4, $5, '2027-08-05T00:00:00Z')",
        [customer, version, overrides.event ?? refusal, overrides.purposes ?? [], overrides.restricted ?? true],
      );

    it("refuses a row naming an event that is not this customer's refusal of this version (23514)", async () => {
      customer = await newCustomer("PeopleOwnerDecline");
      refusal = await event(customer, "privacy_policy", "refused", "2027-08-05T00:00:00Z", { source: "reprompt", version });
      const grant = await event(customer, "privacy_policy", "re_accepted", "2027-08-04T00:00:00Z", { source: "reprompt", version });
      const someoneElse = await event(decliner, "privacy_policy", "refused", "2027-08-05T00:00:00Z", { source: "reprompt", version });
      for (const other of [grant, someoneElse]) {
        await expectRefused(() => insert({ event: other }), "23514", /is not this customer's refusal of privacy_policy version 2027-08-01/);
      }
    });

    it("refuses a privacy-policy decline that does not restrict the account (23514)", async () => {
      await expectRefused(() => insert({ restricted: false }), "23514", /a decline of the privacy_policy must restrict the account/);
    });

    it("refuses withdrawn purposes the document does not cover (23514)", async () => {
      await expectRefused(() => insert({ purposes: ["analytics", "terms"] }), "23514", /withdraws only analytics, marketing_email/);
    });

    it("the same row, true to its decline, is written and audited", async () => {
      const before = (await one<{ n: number }>("select count(*)::int n from public.audit_log where action = 'policy_declines.insert'")).n;
      await insert({ purposes: ["analytics"] });
      expect((await one<{ n: number }>("select count(*)::int n from public.audit_log where action = 'policy_declines.insert'")).n).toBe(before + 1);
      // The triggers' helper is nobody's to call through the API.
      const err = await expectSqlError(() => db.asRole("dpo").query("select public.policy_decline_purposes('terms')"));
      expect(err.code).toBe("42501");
    });
  });
});
