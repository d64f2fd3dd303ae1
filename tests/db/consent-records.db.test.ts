/**
 * Issue 10, the database layer of the consent log and policy versions (20261203001100_consent_and_policy_records.sql):
 * policy documents, database-computed hashes, immutability of published text for every role, publication with a
 * change class, the version in force on a date; consent events with masked IPs, their place in the audit chain,
 * the current state (latest (occurred_at, id) wins) and the state as of a date; the evidence pack; re-acceptance
 * and declines. Every function from each role allowed and denied; every refusal writes nothing.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestDatabase, expectSqlError, refusalChecker, serviceRoleSession, STAFF_ROLES, type SqlSession } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const unknownId = "00000000-0000-4000-8000-0000000000ff";

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.engine.query<T>(sql, params);
  return rows[0]!;
}
async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await one<{ n: number }>(`select count(*)::int as n from (${sql}) q`, params)).n;
}

const serviceRole = serviceRoleSession(() => db.engine);

/** Everything a refusal must leave as it was. */
async function snapshot(): Promise<unknown> {
  return one(`select (select count(*)::int from public.audit_log) audit,
    (select count(*)::int from public.consent_events) events,
    (select count(*)::int from public.consent_event_ips) ips,
    (select count(*)::int from public.policy_declines) declines,
    (select md5(string_agg(c::text, ',' order by c::text)) from public.customer_consents c) state,
    (select md5(string_agg(v::text, ',' order by v.id)) from public.policy_versions v) versions`);
}
const expectRefused = refusalChecker(snapshot);

async function newCustomer(label: string, locale: "en" | "th" = "en"): Promise<string> {
  return (await one<{ id: string }>(
    `insert into public.customers (clerk_user_id, email, locale, created_at) values ($1, $2, $3, '2024-01-01') returning id`,
    [`user_${label}`, `${label.toLowerCase()}@example.org`, locale],
  )).id;
}

/** A published (or superseded) version inserted as the owner, as the seed does. */
async function publishedVersion(document: string, version: string, body: string, extra: { status?: string; bodyTh?: string | null; changeClass?: string; reason?: string | null } = {}): Promise<string> {
  return (await one<{ id: string }>(
    `insert into public.policy_versions (document, version, title, body_markdown, body_th, status, effective_at, published_at, change_class, change_reason)
     values ($1, $2, 'Doc', $3, $4, $5, $8::timestamptz, $8::timestamptz, $6, $7) returning id`,
    [document, version, body, extra.bodyTh ?? null, extra.status ?? "published", extra.changeClass ?? "notify", extra.reason ?? null, `${version}T00:00:00Z`],
  )).id;
}

async function dpoDraft(document: string, version: string, body: string, effective: string | null = null): Promise<string> {
  const { rows } = await db.asRole("dpo").query<{ id: string }>(
    "insert into public.policy_versions (document, version, title, body_markdown, effective_at) values ($1, $2, 'Draft', $3, $4) returning id",
    [document, version, body, effective],
  );
  return rows[0]!.id;
}

async function event(customer: string, purpose: string, action: string, at: string, extra: Record<string, unknown> = {}): Promise<number> {
  const columns = ["customer_id", "purpose", "action", "occurred_at", "source", ...Object.keys(extra).filter((k) => k !== "source")];
  const values = [customer, purpose, action, at, extra.source ?? "settings", ...Object.entries(extra).filter(([k]) => k !== "source").map(([, v]) => v)];
  const { rows } = await db.engine.query<{ id: string }>(
    `insert into public.consent_events (${columns.join(", ")}) values (${values.map((_, i) => `$${i + 1}`).join(", ")}) returning id`,
    values,
  );
  return Number(rows[0]!.id);
}

const OTHERS = ["support", "finance", "admin"] as const;

// ================================================================ policy versions

describe("policy versions: documents, hashes, immutability", () => {
  it("the database computes the SHA-256 of each body; a client cannot write it", async () => {
    const id = await dpoDraft("terms", "2027-02-01", "# Terms draft");
    expect(await one("select body_sha256, body_th_sha256 from public.policy_versions where id = $1", [id])).toEqual({
      body_sha256: sha256("# Terms draft"),
      body_th_sha256: null,
    });
    await db.asRole("dpo").query("update public.policy_versions set body_markdown = 'ข้อกำหนด v2', body_th = 'ภาษาไทย' where id = $1", [id]);
    expect(await one("select body_sha256, body_th_sha256 from public.policy_versions where id = $1", [id])).toEqual({
      body_sha256: sha256("ข้อกำหนด v2"),
      body_th_sha256: sha256("ภาษาไทย"),
    });
    const forged = await expectSqlError(() => db.asRole("dpo").query("update public.policy_versions set body_sha256 = 'x' where id = $1", [id]));
    expect(forged.code).toBe("42501");
    // Even the owner's value is replaced by the real hash.
    await db.engine.query("update public.policy_versions set body_sha256 = 'forged' where id = $1", [id]);
    expect((await one<{ body_sha256: string }>("select body_sha256 from public.policy_versions where id = $1", [id])).body_sha256).toBe(sha256("ข้อกำหนด v2"));
  });

  it("a label is unique per document, not across documents", async () => {
    await dpoDraft("cookie_policy", "2027-01-01", "# Cookies"); // the privacy policy's draft fixture is 2027-01-01 too
    const err = await expectSqlError(() => dpoDraft("cookie_policy", "2027-01-01", "# Again"));
    expect(err.code).toBe("23505");
  });

  const published = () => db.fixture.publishedPolicyId;
  const edits: Array<[string, () => Promise<unknown>, string, number | null]> = [
    ["the dpo", () => db.asRole("dpo").query("update public.policy_versions set body_markdown = 'tampered' where id = $1", [published()]), "PT409", null],
    ...OTHERS.map((r) => [`the ${r}`, () => db.asRole(r).query("update public.policy_versions set body_markdown = 'tampered' where id = $1", [published()]), "rows", 0] as [string, () => Promise<unknown>, string, number]),
    ["the auditor", () => db.asRole("auditor").query("update public.policy_versions set body_markdown = 'tampered' where id = $1", [published()]), "rows", 0],
    ["anon", () => db.asAnon().query("update public.policy_versions set body_markdown = 'tampered' where id = $1", [published()]), "42501", null],
    ["the service role", () => serviceRole.query("update public.policy_versions set body_markdown = 'tampered' where id = $1", [published()]), "PT409", null],
    ["the owner (the path functions take)", () => db.engine.query("update public.policy_versions set body_markdown = 'tampered' where id = $1", [published()]), "PT409", null],
    ["the owner, changing only the status back to draft", () => db.engine.query("update public.policy_versions set status = 'draft', published_at = null where id = $1", [published()]), "PT409", null],
    ["the owner, deleting it", () => db.engine.query("delete from public.policy_versions where id = $1", [published()]), "PT409", null],
  ];
  it.each(edits)("%s cannot change a published body", async (_who, run, code, rowCount) => {
    const before = await one("select body_markdown, body_sha256 from public.policy_versions where id = $1", [published()]);
    if (code === "rows") {
      expect(((await run()) as { rowCount: number }).rowCount).toBe(rowCount);
    } else {
      await expectRefused(run, code, code === "PT409" ? /privacy_policy version 2026-05-12 is published and cannot be (changed|deleted)/ : undefined);
    }
    expect(await one("select body_markdown, body_sha256 from public.policy_versions where id = $1", [published()])).toEqual(before);
  });

  it("a superseded version is immutable for the owner too", async () => {
    const old = (await one<{ id: string }>("select id from public.policy_versions where version = '2025-01-01'")).id;
    await expectRefused(() => db.engine.query("update public.policy_versions set title = 'x' where id = $1", [old]), "PT409", /is superseded and cannot be changed/);
  });
});

describe("publish_policy_version: classification, documents, refusals", () => {
  it.each([...OTHERS, "auditor"] as const)("a %s may not publish (42501), even with a valid classification", async (role) => {
    const draft = await dpoDraft("terms", `2027-03-0${OTHERS.indexOf(role as never) + 2}`, "# T");
    await expectRefused(() => db.asRole(role).query("select public.publish_policy_version($1, 'notify')", [draft]), "42501", /only the DPO/);
  });

  it("anon and a non-staff sub may not publish", async () => {
    const draft = await dpoDraft("terms", "2027-03-09", "# T");
    await expectRefused(() => db.asAnon().query("select public.publish_policy_version($1, 'notify')", [draft]), "42501");
    await expectRefused(() => db.asSub("user_someCustomer").query("select public.publish_policy_version($1, 'notify')", [draft]), "42501");
  });

  it("refuses without a classification, with an unknown one, and re_accept without a reason; nothing written", async () => {
    const draft = await dpoDraft("terms", "2027-04-01", "# Terms 2027");
    const dpo = db.asRole("dpo");
    await expectRefused(() => dpo.query("select public.publish_policy_version($1)", [draft]), "22023", /classify the change/);
    await expectRefused(() => dpo.query("select public.publish_policy_version($1, 'major')", [draft]), "22023", /classify the change/);
    await expectRefused(() => dpo.query("select public.publish_policy_version($1, 're_accept', '  ')", [draft]), "22023", /needs a reason/);
  });

  it("refuses an empty draft (blank body), nothing written", async () => {
    const draft = await dpoDraft("terms", "2027-04-02", "  \n ");
    await expectRefused(() => db.asRole("dpo").query("select public.publish_policy_version($1, 'editorial')", [draft]), "22023", /terms draft 2027-04-02 has an empty body/);
  });

  it("refuses a draft that would take effect before the version in force", async () => {
    await publishedVersion("cookie_policy", "2026-06-01", "# Cookies in force");
    const draft = await dpoDraft("cookie_policy", "2026-05-01", "# Backdated", "2026-05-01");
    await expectRefused(() => db.asRole("dpo").query("select public.publish_policy_version($1, 'notify')", [draft]), "22023", /before the version in force/);
  });

  it("publishing supersedes the published version of the same document only, with the class and reason recorded", async () => {
    const termsOld = await publishedVersion("terms", "2026-01-10", "# Terms 2026");
    const cookieBefore = await one("select id, status from public.policy_versions where document = 'cookie_policy' and status = 'published'");
    const privacyBefore = await one("select id, status from public.policy_versions where document = 'privacy_policy' and status = 'published'");
    const draft = await dpoDraft("terms", "2027-05-01", "# Terms, material change");
    const { rows } = await db.asRole("dpo").query<{ v: Record<string, unknown> }>(
      "select public.publish_policy_version($1, 're_accept', 'New arbitration clause') as v",
      [draft],
    );
    expect(rows[0]!.v).toMatchObject({ id: draft, status: "published", change_class: "re_accept", change_reason: "New arbitration clause", body_sha256: sha256("# Terms, material change") });
    expect(await one("select status, superseded_at is not null as stamped from public.policy_versions where id = $1", [termsOld])).toEqual({ status: "superseded", stamped: true });
    expect(await one("select id, status from public.policy_versions where document = 'cookie_policy' and status = 'published'")).toEqual(cookieBefore);
    expect(await one("select id, status from public.policy_versions where document = 'privacy_policy' and status = 'published'")).toEqual(privacyBefore);
    expect(await count("select document from public.policy_versions where status = 'published' group by document having count(*) > 1")).toBe(0);
    const audit = await one<{ new_data: Record<string, unknown>; old_data: unknown }>(
      "select new_data, old_data from public.audit_log where action = 'policy_version.publish' and record_id = $1",
      [draft],
    );
    expect(audit.old_data).toEqual({ superseded_id: termsOld });
    expect(audit.new_data).toMatchObject({ document: "terms", change_class: "re_accept", change_reason: "New arbitration clause" });
  });

  it("the database allows one published version per document", async () => {
    const err = await expectSqlError(() => publishedVersion("privacy_policy", "2026-07-01", "# second published"));
    expect(err.code).toBe("23505");
  });
});

describe("policy_version_in_force (every staff role)", () => {
  it("answers by effective date: nothing before the first, the version from its effective instant, its predecessor until then", async () => {
    const first = await publishedVersion("cookie_policy", "2024-03-01", "# c1", { status: "superseded" });
    const second = await publishedVersion("cookie_policy", "2025-03-01", "# c2", { status: "superseded" });
    // cookie_policy 2026-06-01 (published above) is the latest.
    const at = async (instant: string) =>
      (await db.asRole("support").query<{ id: string }>("select id from public.policy_version_in_force('cookie_policy', $1)", [instant])).rows.map((r) => r.id);
    expect(await at("2024-02-29T23:59:59Z")).toEqual([]);
    expect(await at("2024-03-01T00:00:00Z")).toEqual([first]);
    expect(await at("2025-02-28T23:59:59.999Z")).toEqual([first]);
    expect(await at("2025-03-01T00:00:00Z")).toEqual([second]);
    // A published version taking effect later leaves its predecessor in force until then.
    const future = await dpoDraft("cookie_policy", "2030-01-01", "# c-future", "2030-01-01");
    await db.asRole("dpo").query("select public.publish_policy_version($1, 'notify')", [future]);
    expect((await at("2029-12-31T00:00:00Z")).length).toBe(1);
    expect(await at("2029-12-31T00:00:00Z")).not.toEqual([future]);
    expect(await at("2030-01-01T00:00:00Z")).toEqual([future]);
  });

  it.each(STAFF_ROLES)("the %s may ask", async (role) => {
    const { rows } = await db.asRole(role).query<{ version: string }>("select version from public.policy_version_in_force('privacy_policy', now())");
    expect(rows).toEqual([{ version: "2026-05-12" }]);
  });

  it("anon and a non-staff sub may not; a bad document or no date is a 22023", async () => {
    expect((await expectSqlError(() => db.asAnon().query("select * from public.policy_version_in_force('terms', now())"))).code).toBe("42501");
    const stranger = await expectSqlError(() => db.asSub("user_someCustomer").query("select * from public.policy_version_in_force('terms', now())"));
    expect(stranger.code).toBe("42501");
    expect(stranger.message).toMatch(/only staff/);
    const doc = await expectSqlError(() => db.asRole("dpo").query("select * from public.policy_version_in_force('faq', now())"));
    expect([doc.code, doc.message]).toEqual(["22023", expect.stringMatching(/document must be/)]);
    const date = await expectSqlError(() => db.asRole("dpo").query("select * from public.policy_version_in_force('terms', null)"));
    expect([date.code, date.message]).toEqual(["22023", expect.stringMatching(/a date is required/)]);
  });
});

// ================================================================ consent events

describe("consent events: masking, checks, audit chain", () => {
  it("stores the address apart for the DPO and the masked network in consent_events", async () => {
    const c = await newCustomer("MaskOne");
    const v4 = await event(c, "analytics", "granted", "2026-01-01T00:00:00Z", { ip: "203.0.113.77", user_agent: "UA/1" });
    const v6 = await event(c, "marketing_email", "granted", "2026-01-01T00:00:00Z", { ip: "2001:db8:1234:5678::9" });
    expect((await one<{ ip: string }>("select ip::text from public.consent_events where id = $1", [v4])).ip).toBe("203.0.113.0/24");
    expect((await one<{ ip: string }>("select ip::text from public.consent_events where id = $1", [v6])).ip).toBe("2001:db8:1234::/48");
    const dpo = await db.asRole("dpo").query<{ ip: string }>("select host(ip) as ip from public.consent_event_ips where event_id = any($1) order by event_id", [[v4, v6]]);
    expect(dpo.rows.map((r) => r.ip)).toEqual(["203.0.113.77", "2001:db8:1234:5678::9"]);
    // The auditor reads the event with the masked network, never the address.
    const auditor = await db.asRole("auditor").query<{ ip: string }>("select ip::text from public.consent_events where id = $1", [v4]);
    expect(auditor.rows).toEqual([{ ip: "203.0.113.0/24" }]);
    expect((await db.asRole("auditor").query("select * from public.consent_event_ips where event_id = $1", [v4])).rows).toEqual([]);
    // Nor does the audit log, which admin reads.
    const audit = await one<{ text: string }>("select new_data::text as text from public.audit_log where table_name = 'consent_events' and record_id = $1", [String(v4)]);
    expect(audit.text).not.toContain("203.0.113.77");
    expect(audit.text).toContain("ip_commitment");
  });

  it("derives the language from the customer's locale where the text exists in Thai, and the method from the source", async () => {
    const thai = await newCustomer("LangThai", "th");
    const cookieTh = await publishedVersion("cookie_policy", "2026-08-01", "# Cookies", { status: "superseded", bodyTh: "# คุกกี้" });
    const withThai = await event(thai, "cookie_policy", "granted", "2026-08-02T00:00:00Z", { source: "banner", policy_version_id: cookieTh });
    const englishOnly = await event(thai, "privacy_policy", "granted", "2026-08-02T00:00:00Z", { source: "signup", policy_version_id: db.fixture.publishedPolicyId });
    const noPolicy = await event(thai, "marketing_email", "granted", "2026-08-02T00:00:00Z", { source: "signup" });
    const rows = await db.engine.query<{ id: string; language: string; collection_method: string }>(
      "select id, language, collection_method from public.consent_events where id = any($1) order by id",
      [[withThai, englishOnly, noPolicy]],
    );
    expect(rows.rows.map((r) => [r.language, r.collection_method])).toEqual([["th", "banner"], ["en", "checkbox"], ["th", "checkbox"]]);
  });

  it("refuses an event about a draft, about the wrong document, in Thai without Thai text, or by staff without a name; nothing written", async () => {
    const c = await newCustomer("Refusals");
    const insert = (values: string, params: unknown[]) => () =>
      db.engine.query(`insert into public.consent_events (customer_id, purpose, action, source, policy_version_id, language, recorded_by) values ${values}`, params);
    await expectRefused(insert("($1, 'privacy_policy', 'granted', 'signup', $2, null, null)", [c, db.fixture.draftPolicyId]), "22023", /is a draft/);
    await expectRefused(insert("($1, 'terms', 'granted', 'signup', $2, null, null)", [c, db.fixture.publishedPolicyId]), "22023", /a terms event refers to the privacy_policy/);
    await expectRefused(insert("($1, 'privacy_policy', 'granted', 'signup', $2, 'th', null)", [c, db.fixture.publishedPolicyId]), "22023", /has no Thai text/);
    await expectRefused(insert("($1, 'analytics', 'withdrawn', 'console', null, null, null)", [c]), "22023", /recorded_by names who/);
    await expectRefused(insert("($1, 'analytics', 'renewed', 'settings', null, null, null)", [c]), "23514");
    await expectRefused(insert("($1, 'analytics', 'granted', 'email', null, null, null)", [c]), "23514");
  });

  it("every event is in the audit chain, and the chain verifies", async () => {
    const events = await count("select 1 from public.consent_events");
    const audited = await count("select 1 from public.audit_log where action = 'consent_events.insert'");
    // The fixture's four events predate nothing: they were inserted after the migration, like every other.
    expect(audited).toBe(events);
    const { rows } = await db.asRole("auditor").query<{ ok: boolean }>("select ok from public.verify_audit_chain()");
    expect(rows).toEqual([{ ok: true }]);
  });

  it("no API role writes the event log or the addresses directly", async () => {
    for (const role of STAFF_ROLES) {
      expect((await expectSqlError(() => db.asRole(role).query("insert into public.consent_event_ips (event_id, ip) values (1, '10.0.0.1')"))).code).toBe("42501");
    }
    expect((await expectSqlError(() => serviceRole.query("insert into public.consent_event_ips (event_id, ip) values (1, '10.0.0.1')"))).code).toBe("42501");
    const appendOnly = await expectSqlError(() => db.engine.query("update public.consent_event_ips set ip = '10.0.0.2'"));
    expect(appendOnly.code).toBe("23001");
  });
});

describe("current state and state as of a date: latest (occurred_at, id) wins", () => {
  it("a late arrival with an earlier time does not override; of two at the same instant the one stored second wins", async () => {
    const c = await newCustomer("StateOrder");
    const granted = await event(c, "analytics", "granted", "2026-03-10T10:00:00Z");
    // Arrives later, happened earlier: history, not the current state.
    await event(c, "analytics", "withdrawn", "2026-03-01T10:00:00Z");
    expect(await one("select granted, action, event_id::int from public.customer_consents where customer_id = $1 and purpose = 'analytics'", [c]))
      .toEqual({ granted: true, action: "granted", event_id: granted });
    // Two at the same instant: the one stored second wins, whichever its action.
    await event(c, "analytics", "granted", "2026-03-20T10:00:00Z");
    const refused = await event(c, "analytics", "refused", "2026-03-20T10:00:00Z");
    expect(await one("select granted, action, event_id::int from public.customer_consents where customer_id = $1 and purpose = 'analytics'", [c]))
      .toEqual({ granted: false, action: "refused", event_id: refused });
    const renewed = await event(c, "analytics", "re_accepted", "2026-04-01T00:00:00Z", { source: "reprompt" });
    expect((await one<{ granted: boolean }>("select granted from public.customer_consents where customer_id = $1 and purpose = 'analytics'", [c])).granted).toBe(true);
    for (const action of ["expired", "invalidated", "withdrawn"]) {
      await event(c, "analytics", action, `2026-04-0${["expired", "invalidated", "withdrawn"].indexOf(action) + 2}T00:00:00Z`, { source: "console", recorded_by: db.staffIds["dpo@m-factory.test"] });
      expect(await one("select granted, action from public.customer_consents where customer_id = $1 and purpose = 'analytics'", [c])).toEqual({ granted: false, action });
    }

    const asOf = async (at: string) =>
      (await db.asRole("dpo").query<{ purpose: string; granted: boolean; action: string; event_id: string }>(
        "select purpose, granted, action, event_id from public.consent_state_as_of($1, $2)",
        [c, at],
      )).rows.map((r) => [r.purpose, r.granted, r.action, Number(r.event_id)]);
    expect(await asOf("2026-02-28T00:00:00Z")).toEqual([]);
    expect(await asOf("2026-03-05T00:00:00Z")).toEqual([["analytics", false, "withdrawn", granted + 1]]);
    expect(await asOf("2026-03-10T10:00:00Z")).toEqual([["analytics", true, "granted", granted]]); // inclusive bound
    expect(await asOf("2026-03-20T10:00:00Z")).toEqual([["analytics", false, "refused", refused]]);
    expect(await asOf("2026-04-01T12:00:00Z")).toEqual([["analytics", true, "re_accepted", renewed]]);
  });

  it("the state kept by trigger equals the state as of the end of time for every customer and purpose", async () => {
    // A burst in shuffled time order, with ties, for several customers.
    const customers = [await newCustomer("Shuffle1"), await newCustomer("Shuffle2"), await newCustomer("Shuffle3")];
    const actions = ["granted", "refused", "withdrawn", "re_accepted", "expired", "invalidated"];
    let n = 0;
    for (let i = 0; i < 60; i++) {
      n = (n * 7 + 13) % 97;
      const customer = customers[i % 3]!;
      const purpose = ["analytics", "marketing_email"][n % 2]!;
      await event(customer, purpose, actions[n % 6]!, `2026-05-${String(1 + (n % 9)).padStart(2, "0")}T00:00:00Z`, { source: "console", recorded_by: db.staffIds["dpo@m-factory.test"] });
    }
    const mismatches = await count(`
      select 1 from public.customer_consents s
      full join (select distinct on (customer_id, purpose) customer_id, purpose, id, action from public.consent_events
                 order by customer_id, purpose, occurred_at desc, id desc) e using (customer_id, purpose)
      where s.event_id is distinct from e.id or s.action is distinct from e.action
         or s.granted is distinct from (e.action in ('granted', 're_accepted'))`);
    expect(mismatches).toBe(0);
    for (const customer of customers) {
      const { rows } = await db.asRole("auditor").query<{ purpose: string; event_id: string }>(
        "select purpose, event_id from public.consent_state_as_of($1, 'infinity')",
        [customer],
      );
      const kept = await db.engine.query<{ purpose: string; event_id: string }>(
        "select purpose, event_id from public.customer_consents where customer_id = $1 order by purpose",
        [customer],
      );
      expect(rows.map((r) => [r.purpose, String(r.event_id)])).toEqual(kept.rows.map((r) => [r.purpose, String(r.event_id)]));
    }
  });

  it.each(["support", "finance", "admin"] as const)("a %s may not read the state as of a date (history)", async (role) => {
    const err = await expectSqlError(() => db.asRole(role).query("select * from public.consent_state_as_of($1, now())", [db.fixture.customerIds.thai]));
    expect([err.code, err.message]).toEqual(["42501", expect.stringMatching(/only the DPO or an auditor/)]);
  });

  it("support still reads the current state (customer_consents) but no history or address", async () => {
    const support = db.asRole("support");
    expect((await support.query("select * from public.customer_consents where customer_id = $1", [db.fixture.customerIds.thai])).rows.length).toBeGreaterThan(0);
    expect((await support.query("select * from public.consent_events")).rows).toEqual([]);
    expect((await support.query("select * from public.consent_event_ips")).rows).toEqual([]);
  });

  it("anon may not; unknown customer PT404; missing arguments 22023", async () => {
    expect((await expectSqlError(() => db.asAnon().query("select * from public.consent_state_as_of($1, now())", [db.fixture.customerIds.thai]))).code).toBe("42501");
    const unknown = await expectSqlError(() => db.asRole("dpo").query("select * from public.consent_state_as_of($1, now())", [unknownId]));
    expect([unknown.code, unknown.message]).toEqual(["PT404", expect.stringMatching(/does not exist/)]);
    const missing = await expectSqlError(() => db.asRole("dpo").query("select * from public.consent_state_as_of($1, null)", [db.fixture.customerIds.thai]));
    expect([missing.code, missing.message]).toEqual(["22023", expect.stringMatching(/a customer and a date are required/)]);
  });
});

// ================================================================ evidence pack

describe("consent_evidence (dpo, auditor)", () => {
  interface Shown { id: string; version: string; language: string; body_sha256: string }
  interface Evidence {
    receipt: Record<string, unknown> & { consentReceiptID: string; policyUrl: string; services: Array<{ purposes: Array<Record<string, unknown> & { piiCategory: string[]; termination: string }> }> };
    policy: { shown: Shown; in_force: Shown; shown_was_in_force: boolean };
    audit: { id: number; hash: string; prev_hash: string; canonical_text: string; next_prev_hash: string; new_data: Record<string, unknown> };
    ip: { commitment: string; address: string | null; nonce: string | null };
  }
  async function evidenceFor(session: SqlSession, id: number): Promise<Evidence> {
    const { rows } = await session.query<{ e: Evidence }>("select public.consent_evidence($1) as e", [id]);
    return rows[0]!.e;
  }

  it("returns a Kantara-shaped receipt, the hash of the policy shown and in force, and a provable audit-chain position", async () => {
    const c = await newCustomer("Evidence", "th");
    const id = await event(c, "privacy_policy", "granted", "2026-06-01T08:00:00Z", { source: "signup", policy_version_id: db.fixture.publishedPolicyId, ip: "198.51.100.23", user_agent: "Mozilla/5.0 Evidence" });
    await event(c, "analytics", "granted", "2026-06-01T08:00:01Z", { source: "signup" }); // so the entry has a successor
    const e = await evidenceFor(db.asRole("dpo"), id);
    expect(e.receipt).toMatchObject({
      version: "KI-CR-v1.1.0",
      jurisdiction: "TH",
      consentTimestamp: Date.parse("2026-06-01T08:00:00Z") / 1000,
      collectionMethod: "checkbox (signup)",
      piiPrincipalId: c,
      language: "en",
      policyUrl: "https://m-factory.app/legal/privacy-policy/2026-05-12",
    });
    expect(e.receipt.consentReceiptID).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.receipt.services[0]!.purposes[0]).toMatchObject({ consentType: "EXPLICIT", primaryPurpose: true, mfc_state: "given" });
    expect(e.receipt.services[0]!.purposes[0]!.piiCategory.length).toBeGreaterThan(0);
    expect(e.receipt.services[0]!.purposes[0]!.termination).toMatch(/Account deletion/);
    // The exact text: the fixture's published body, hashed here independently.
    expect(e.policy.shown).toMatchObject({ id: db.fixture.publishedPolicyId, version: "2026-05-12", language: "en", body_sha256: sha256("# Privacy policy") });
    expect(e.policy.in_force.id).toBe(db.fixture.publishedPolicyId);
    expect(e.policy.shown_was_in_force).toBe(true);
    // The chain position: the hash recomputes from prev_hash and the canonical text, and the next entry links to it.
    expect(e.audit.hash).toBe(sha256(`${e.audit.prev_hash}|${e.audit.canonical_text}`));
    expect(e.audit.next_prev_hash).toBe(e.audit.hash);
    const stored = await one<{ hash: string; prev_hash: string }>("select hash, prev_hash from public.audit_log where id = $1", [e.audit.id]);
    expect(stored).toEqual({ hash: e.audit.hash, prev_hash: e.audit.prev_hash });
    // The DPO can open the IP commitment the audit entry holds.
    expect(e.ip.address).toBe("198.51.100.23");
    expect(e.ip.commitment).toBe(sha256(`${e.ip.nonce}|198.51.100.23`));
    expect(e.audit.new_data.ip_commitment).toBe(e.ip.commitment);
    expect(e.audit.new_data.user_agent_sha256).toBe(sha256("Mozilla/5.0 Evidence"));
  });

  it("hashes the Thai text when the customer was shown it in Thai", async () => {
    const c = await newCustomer("EvidenceTh", "th");
    const cookie = await publishedVersion("cookie_policy", "2026-09-01", "# Cookies EN", { status: "superseded", bodyTh: "# คุกกี้ TH" });
    const id = await event(c, "cookie_policy", "granted", "2026-09-02T00:00:00Z", { source: "banner", policy_version_id: cookie });
    const e = await evidenceFor(db.asRole("auditor"), id);
    expect(e.policy.shown).toMatchObject({ language: "th", body_sha256: sha256("# คุกกี้ TH") });
    expect(e.receipt.policyUrl).toBe("https://m-factory.app/legal/cookie-policy/2026-09-01?lang=th");
  });

  it("gives the auditor the commitment but neither the address nor the nonce", async () => {
    const id = Number((await one<{ id: string }>("select event_id as id from public.consent_event_ips order by event_id limit 1")).id);
    const e = await evidenceFor(db.asRole("auditor"), id);
    expect(e.ip.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(e.ip.address).toBeNull();
    expect(e.ip.nonce).toBeNull();
    expect(JSON.stringify(e)).not.toMatch(/203\.0\.113\.7"/);
  });

  it.each(OTHERS)("a %s may not read an evidence pack", async (role) => {
    const err = await expectSqlError(() => db.asRole(role).query("select public.consent_evidence(1)"));
    expect([err.code, err.message]).toEqual(["42501", expect.stringMatching(/only the DPO or an auditor/)]);
  });

  it("anon may not; an unknown event is PT404, none a 22023", async () => {
    expect((await expectSqlError(() => db.asAnon().query("select public.consent_evidence(1)"))).code).toBe("42501");
    const unknown = await expectSqlError(() => db.asRole("dpo").query("select public.consent_evidence(999999999)"));
    expect([unknown.code, unknown.message]).toEqual(["PT404", expect.stringMatching(/does not exist/)]);
    const none = await expectSqlError(() => db.asRole("dpo").query("select public.consent_evidence(null)"));
    expect([none.code, none.message]).toEqual(["22023", expect.stringMatching(/id is required/)]);
  });
});

// ================================================================ re-acceptance

describe("re-acceptance of a re_accept version, and declines", () => {
  let version: string;
  let accepted: string;
  let decliner: string;

  it("starts with every active customer pending (coverage 0%)", async () => {
    const draft = await dpoDraft("privacy_policy", "2027-06-01", "# Privacy, material change", "2027-06-01");
    await db.asRole("dpo").query("select public.publish_policy_version($1, 're_accept', 'Transfers to a new processor')", [draft]);
    version = draft;
    const active = await count("select 1 from public.customers where deleted_at is null");
    const { rows } = await db.asRole("dpo").query<{ s: Record<string, number> }>("select public.policy_reacceptance_summary($1) as s", [version]);
    expect(rows[0]!.s).toEqual({ policy_version_id: version, active_customers: active, pending: active, accepted: 0, declined: 0, restricted: 0 });
  });

  it("counts an acceptance and a decline, and records what the decline did", async () => {
    accepted = await newCustomer("Accepts");
    decliner = await newCustomer("Declines");
    await event(decliner, "analytics", "granted", "2026-01-01T00:00:00Z", { source: "signup" });
    await event(decliner, "marketing_email", "granted", "2026-01-01T00:00:00Z", { source: "signup" });
    await event(accepted, "privacy_policy", "re_accepted", "2027-06-02T00:00:00Z", { source: "reprompt", policy_version_id: version });
    const { rows } = await serviceRole.query<{ d: Record<string, unknown> }>(
      "select to_jsonb(public.record_policy_decline($1, $2, null, '192.0.2.44', 'App/3', '2027-06-03T00:00:00Z')) as d",
      [decliner, version],
    );
    expect(rows[0]!.d).toMatchObject({ customer_id: decliner, policy_version_id: version, withdrawn_purposes: ["analytics", "marketing_email"], account_restricted: true });
    expect(await one("select granted, action from public.customer_consents where customer_id = $1 and purpose = 'analytics'", [decliner])).toEqual({ granted: false, action: "withdrawn" });
    expect(await one("select granted, action from public.customer_consents where customer_id = $1 and purpose = 'privacy_policy'", [decliner])).toEqual({ granted: false, action: "refused" });

    const statuses = await db.asRole("auditor").query<{ customer_id: string; status: string; account_restricted: boolean }>(
      "select customer_id, status, account_restricted from public.policy_reacceptance($1) where customer_id = any($2) order by status",
      [version, [accepted, decliner]],
    );
    expect(statuses.rows).toEqual([
      { customer_id: accepted, status: "accepted", account_restricted: false },
      { customer_id: decliner, status: "declined", account_restricted: true },
    ]);
    const active = await count("select 1 from public.customers where deleted_at is null");
    const { rows: summary } = await db.asRole("dpo").query<{ s: Record<string, number> }>("select public.policy_reacceptance_summary($1) as s", [version]);
    expect(summary[0]!.s).toMatchObject({ active_customers: active, pending: active - 2, accepted: 1, declined: 1, restricted: 1 });
  });

  it("accepting after a decline lifts the restriction", async () => {
    await event(decliner, "privacy_policy", "re_accepted", "2027-06-10T00:00:00Z", { source: "reprompt", policy_version_id: version });
    const { rows } = await db.asRole("dpo").query<{ status: string; account_restricted: boolean }>(
      "select status, account_restricted from public.policy_reacceptance($1) where customer_id = $2",
      [version, decliner],
    );
    expect(rows).toEqual([{ status: "accepted", account_restricted: false }]);
  });

  it("record_policy_decline refuses a repeat, a deleted customer, a version not re_accept; only the service role calls it", async () => {
    const again = await newCustomer("DeclinesTwice");
    await serviceRole.query("select public.record_policy_decline($1, $2)", [again, version]);
    await expectRefused(() => serviceRole.query("select public.record_policy_decline($1, $2)", [again, version]), "23505", /already declined/);
    const gone = await newCustomer("Gone");
    await db.engine.query("update public.customers set deleted_at = now() where id = $1", [gone]);
    await expectRefused(() => serviceRole.query("select public.record_policy_decline($1, $2)", [gone, version]), "PT409", /is deleted/);
    const notify = (await one<{ id: string }>("select id from public.policy_versions where status = 'published' and change_class = 'notify' limit 1")).id;
    await expectRefused(() => serviceRole.query("select public.record_policy_decline($1, $2)", [accepted, notify]), "PT409", /only the published re_accept version/);
    await expectRefused(() => serviceRole.query("select public.record_policy_decline($1, $2)", [unknownId, version]), "PT404", /customer .* does not exist/);
    await expectRefused(() => serviceRole.query("select public.record_policy_decline(null, $1)", [version]), "22023", /are required/);
    for (const role of STAFF_ROLES) {
      await expectRefused(() => db.asRole(role).query("select public.record_policy_decline($1, $2)", [accepted, version]), "42501");
    }
    await expectRefused(() => db.asAnon().query("select public.record_policy_decline($1, $2)", [accepted, version]), "42501");
  });

  it.each(OTHERS)("a %s may not track re-acceptance", async (role) => {
    for (const fn of ["policy_reacceptance", "policy_reacceptance_summary"]) {
      const err = await expectSqlError(() => db.asRole(role).query(`select * from public.${fn}($1)`, [version]));
      expect([err.code, err.message]).toEqual(["42501", expect.stringMatching(/only the DPO or an auditor/)]);
    }
  });

  it("anon may not; a version not published as re_accept is PT409, unknown PT404, none 22023", async () => {
    expect((await expectSqlError(() => db.asAnon().query("select * from public.policy_reacceptance($1)", [version]))).code).toBe("42501");
    const notify = (await one<{ id: string }>("select id from public.policy_versions where status = 'published' and change_class = 'notify' limit 1")).id;
    for (const fn of ["policy_reacceptance", "policy_reacceptance_summary"]) {
      const dpo = db.asRole("dpo");
      const wrong = await expectSqlError(() => dpo.query(`select * from public.${fn}($1)`, [notify]));
      expect([wrong.code, wrong.message]).toEqual(["PT409", expect.stringMatching(/only a version published as re_accept/)]);
      const draft = await expectSqlError(() => dpo.query(`select * from public.${fn}($1)`, [db.fixture.draftPolicyId]));
      expect(draft.code).toBe("PT409");
      expect((await expectSqlError(() => dpo.query(`select * from public.${fn}($1)`, [unknownId]))).code).toBe("PT404");
      expect((await expectSqlError(() => dpo.query(`select * from public.${fn}(null)`))).code).toBe("22023");
    }
  });
});
