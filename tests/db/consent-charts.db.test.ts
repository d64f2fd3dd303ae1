/**
 * Issue 10's charts (20261203001400_consent_charts.sql): the opt-in rate per purpose over time, the share of active
 * customers per policy version, and re-acceptance coverage per day. Every expected figure is built here in TypeScript
 * from the rows the test inserted (and the harness fixture's, read back as raw rows), never from the functions: a
 * seeded population with ties, late-stored events, deleted and late-created customers, events on bucket boundaries.
 * The state rule is also checked against consent_state_as_of customer by customer, and today's coverage against
 * policy_reacceptance_summary. Bad input → 22023 and nothing written; each role allowed or refused.
 */
import { describe, expect, it } from "vitest";
import { createTestDatabase, expectSqlError, refusalChecker, type SqlSession } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

const PURPOSES = ["terms", "privacy_policy", "cookie_policy", "analytics", "marketing_email"] as const;
const ACTIONS = ["granted", "refused", "withdrawn", "re_accepted", "expired", "invalidated"] as const;
const DAY_MS = 86_400_000;

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.engine.query<T>(sql, params);
  return rows[0]!;
}

const expectRefused = refusalChecker(() =>
  one(`select (select count(*)::int from public.audit_log) audit, (select count(*)::int from public.consent_events) events,
    (select count(*)::int from public.customers) customers, (select count(*)::int from public.policy_versions) versions`),
);

// ---------------------------------------------------------------- an independent model of the rule, in TypeScript

interface RawCustomer { id: string; created: number; deleted: number | null }
interface RawEvent { id: number; customer: string; purpose: string; action: string; version: string | null; at: number }
interface RawVersion { id: string; document: string; version: string; status: string; effective: number | null; published: number | null }

/** Every customer, event and version as stored (raw rows, read as the owner). */
async function raw(): Promise<{ customers: RawCustomer[]; events: RawEvent[]; versions: RawVersion[] }> {
  const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
  const customers = (await db.engine.query<{ id: string; created: number; deleted: number | null }>(
    `select id, ${ms("created_at")} created, ${ms("deleted_at")} deleted from public.customers`)).rows;
  const events = (await db.engine.query<{ id: string; customer: string; purpose: string; action: string; version: string | null; at: number }>(
    `select id::text, customer_id customer, purpose, action, policy_version_id version, ${ms("occurred_at")} at from public.consent_events`)).rows;
  const versions = (await db.engine.query<RawVersion>(
    `select id, document, version, status, ${ms("effective_at")} effective, ${ms("published_at")} published from public.policy_versions`)).rows;
  return { customers, events: events.map((e) => ({ ...e, id: Number(e.id) })), versions };
}

/** The latest (occurred_at, id) of `events` strictly before `before` (= at or before the instant just before it). */
function latest(events: RawEvent[], before: number): RawEvent | undefined {
  let best: RawEvent | undefined;
  for (const e of events) {
    if (e.at >= before) continue;
    if (!best || e.at > best.at || (e.at === best.at && e.id > best.id)) best = e;
  }
  return best;
}
const activeAt = (c: RawCustomer, instant: number) => c.created < instant && (c.deleted === null || c.deleted >= instant);
const grants = (action: string | undefined) => action === "granted" || action === "re_accepted";

/** "2026-03-01" + n days. */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
/** The first instant of the Bangkok day after `day` (Bangkok has no daylight saving: +07:00 all year). */
const endOfBangkokDay = (day: string) => Date.parse(`${addDays(day, 1)}T00:00:00+07:00`);
const bangkokToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** The buckets of a period, by walking its days: the day itself, its ISO week's Monday, or its month. */
function bucketsOf(from: string, to: string, unit: "day" | "week" | "month"): Array<{ first: string; last: string }> {
  const buckets = new Map<string, { first: string; last: string }>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
    const key = unit === "day" ? day : unit === "week" ? addDays(day, -weekday) : `${day.slice(0, 7)}-01`;
    const bucket = buckets.get(key);
    if (bucket) bucket.last = day;
    else buckets.set(key, { first: day, last: day });
  }
  return [...buckets.values()];
}

interface OptInRow { bucket_start: string; bucket_end: string; as_of: number; purpose: string; active_customers: number; granted: number; rate: string | null }

function expectedOptIn(data: Awaited<ReturnType<typeof raw>>, from: string, to: string, unit: "day" | "week" | "month"): OptInRow[] {
  const byKey = new Map<string, RawEvent[]>();
  for (const e of data.events) {
    const key = `${e.customer}|${e.purpose}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const rows: OptInRow[] = [];
  for (const { first, last } of bucketsOf(from, to, unit)) {
    const asOf = endOfBangkokDay(last);
    const active = data.customers.filter((c) => activeAt(c, asOf));
    for (const purpose of PURPOSES) {
      const granted = active.filter((c) => grants(latest(byKey.get(`${c.id}|${purpose}`) ?? [], asOf)?.action)).length;
      rows.push({
        bucket_start: first, bucket_end: last, as_of: asOf, purpose, active_customers: active.length, granted,
        rate: active.length > 0 ? (Math.round((granted / active.length) * 10_000) / 10_000).toFixed(4) : null,
      });
    }
  }
  return rows;
}

async function optIn(session: SqlSession, from: string | null, to: string | null, unit: string | null): Promise<OptInRow[]> {
  const { rows } = await session.query<OptInRow>(
    `select bucket_start::text, bucket_end::text, (extract(epoch from as_of) * 1000)::float8 as_of, purpose,
       active_customers::int, granted::int, rate::text
     from public.consent_opt_in_over_time($1::date, $2::date, $3)`,
    [from, to, unit],
  );
  return rows;
}

// ---------------------------------------------------------------- a seeded population

/** mulberry32: the same population on every run and engine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let seeded = false;
async function seedPopulation(): Promise<void> {
  if (seeded) return;
  seeded = true;
  const rnd = random(20261203);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const instant = (fromIso: string, toIso: string) => {
    const a = Date.parse(fromIso);
    // Whole seconds, and now and then exactly a Bangkok midnight (a bucket boundary).
    const t = a + Math.floor(rnd() * (Date.parse(toIso) - a) / 1000) * 1000;
    return rnd() < 0.1 ? Date.parse(`${new Date(t + 7 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+07:00`) : t;
  };
  const events: Array<[string, string, string, number]> = [];
  for (let i = 0; i < 36; i++) {
    const created = instant("2025-12-20T00:00:00Z", "2026-04-30T00:00:00Z");
    const deleted = i % 6 === 5 ? instant("2026-03-01T00:00:00Z", "2026-06-30T00:00:00Z") : null;
    const { id } = await one<{ id: string }>(
      `insert into public.customers (clerk_user_id, email, created_at, deleted_at) values ($1, $2, to_timestamp($3 / 1000.0), to_timestamp($4 / 1000.0)) returning id`,
      [`user_chart${i}`, `chart${i}@example.org`, created, deleted],
    );
    const n = 6 + Math.floor(rnd() * 10);
    for (let k = 0; k < n; k++) {
      const purpose = pick(PURPOSES);
      const same = events.filter((e) => e[0] === id && e[1] === purpose);
      // A tie now and then: two events of one customer and purpose at the same instant.
      const at = same.length > 0 && rnd() < 0.25 ? same[same.length - 1]![3] : instant("2025-12-01T00:00:00Z", "2026-07-31T00:00:00Z");
      events.push([id, purpose, pick(ACTIONS), at]);
    }
  }
  // Stored out of order: the ids do not follow the times.
  events.sort(() => rnd() - 0.5);
  for (const [customer, purpose, action, at] of events) {
    await db.engine.query(
      `insert into public.consent_events (customer_id, purpose, action, source, occurred_at) values ($1, $2, $3, 'settings', to_timestamp($4 / 1000.0))`,
      [customer, purpose, action, at],
    );
  }
}

// ================================================================ opt-in rate per purpose over time

describe("consent_opt_in_over_time", () => {
  it.each([
    ["day", "2026-02-24", "2026-03-06"],
    ["week", "2026-01-01", "2026-06-30"],
    ["month", "2026-01-15", "2026-07-10"],
    ["month", "2025-11-01", "2026-12-01"],
  ] as const)("by %s from %s to %s equals the counts built from the events", async (unit, from, to) => {
    await seedPopulation();
    const expected = expectedOptIn(await raw(), from, to, unit);
    expect(await optIn(db.asRole("dpo"), from, to, unit)).toEqual(expected);
    // The population is not trivial: some buckets have grants, some customers left.
    expect(expected.some((r) => r.granted > 0 && r.granted < r.active_customers)).toBe(true);
  });

  it("is the state consent_state_as_of gives each active customer at the bucket's end", async () => {
    await seedPopulation();
    const dpo = db.asRole("dpo");
    const rows = await optIn(dpo, "2026-02-01", "2026-05-31", "month");
    const data = await raw();
    for (const asOf of [...new Set(rows.map((r) => r.as_of))]) {
      const active = data.customers.filter((c) => activeAt(c, asOf));
      const counts = new Map<string, number>();
      for (const c of active) {
        const { rows: state } = await dpo.query<{ purpose: string; granted: boolean }>(
          "select purpose, granted from public.consent_state_as_of($1, to_timestamp($2 / 1000.0) - interval '1 microsecond')",
          [c.id, asOf],
        );
        for (const s of state) if (s.granted) counts.set(s.purpose, (counts.get(s.purpose) ?? 0) + 1);
      }
      for (const r of rows.filter((x) => x.as_of === asOf)) {
        expect({ purpose: r.purpose, granted: r.granted, active: r.active_customers }).toEqual({ purpose: r.purpose, granted: counts.get(r.purpose) ?? 0, active: active.length });
      }
    }
  });

  it("a bucket's figures are as of the end of its last Bangkok day; ties go to the event stored second", async () => {
    await seedPopulation();
    const before = await optIn(db.asRole("dpo"), "2026-08-10", "2026-08-13", "day");
    const { id } = await one<{ id: string }>(
      "insert into public.customers (clerk_user_id, email, created_at) values ('user_chartEdge', 'edge@example.org', '2026-08-01T00:00:00+07:00') returning id",
    );
    const ev = (purpose: string, action: string, at: string) =>
      db.engine.query("insert into public.consent_events (customer_id, purpose, action, source, occurred_at) values ($1, $2, $3, 'settings', $4)", [id, purpose, action, at]);
    await ev("analytics", "granted", "2026-08-10T23:59:59.999999+07:00"); // the last instant of 10 August in Bangkok
    await ev("marketing_email", "granted", "2026-08-11T00:00:00+07:00"); // the first of the 11th
    await ev("terms", "granted", "2026-08-12T09:00:00+07:00");
    await ev("terms", "withdrawn", "2026-08-12T09:00:00+07:00"); // same instant, stored second: wins
    await ev("privacy_policy", "granted", "2026-08-13T09:00:00+07:00");
    await ev("privacy_policy", "withdrawn", "2026-08-13T08:00:00+07:00"); // stored late with an earlier time: loses
    const rows = await optIn(db.asRole("auditor"), "2026-08-10", "2026-08-13", "day");
    // What this customer adds to each bucket (the seeded population is there too).
    const granted = (day: string, purpose: string) => {
      const at = (list: OptInRow[]) => list.find((r) => r.bucket_start === day && r.purpose === purpose)!.granted;
      return at(rows) - at(before);
    };
    expect(rows.find((r) => r.bucket_start === "2026-08-10")!.as_of).toBe(Date.parse("2026-08-11T00:00:00+07:00"));
    expect([granted("2026-08-10", "analytics"), granted("2026-08-10", "marketing_email")]).toEqual([1, 0]);
    expect(granted("2026-08-11", "marketing_email")).toBe(1);
    expect(granted("2026-08-12", "terms")).toBe(0);
    expect([granted("2026-08-12", "privacy_policy"), granted("2026-08-13", "privacy_policy")]).toEqual([0, 1]);
    expect(rows.map((r) => r.active_customers)).toEqual(before.map((r) => r.active_customers + 1));
    expect(await optIn(db.asRole("dpo"), "2026-08-10", "2026-08-13", "day")).toEqual(expectedOptIn(await raw(), "2026-08-10", "2026-08-13", "day"));
  });

  it("week buckets start on Monday, clipped to the period; a period within one bucket is one row per purpose", async () => {
    const rows = await optIn(db.asRole("dpo"), "2026-03-04", "2026-03-17", "week"); // Wed … Tue
    expect([...new Set(rows.map((r) => `${r.bucket_start}/${r.bucket_end}`))]).toEqual(["2026-03-04/2026-03-08", "2026-03-09/2026-03-15", "2026-03-16/2026-03-17"]);
    expect(await optIn(db.asRole("dpo"), "2026-03-05", "2026-03-05", "month")).toHaveLength(PURPOSES.length);
  });

  it("a period before any customer has rows with no rate (nothing to divide by)", async () => {
    const rows = await optIn(db.asRole("dpo"), "2020-01-01", "2020-01-02", "day");
    expect(rows).toHaveLength(2 * PURPOSES.length);
    expect(rows.every((r) => r.active_customers === 0 && r.granted === 0 && r.rate === null)).toBe(true);
  });

  it.each([
    ["an unknown bucket", "2026-01-01", "2026-01-31", "year", /bucket must be day, week or month/],
    ["no bucket", "2026-01-01", "2026-01-31", null, /bucket must be day, week or month/],
    ["no first day", null, "2026-01-31", "day", /a first and a last day are required/],
    ["no last day", "2026-01-01", null, "day", /a first and a last day are required/],
    ["a reversed period", "2026-02-01", "2026-01-31", "day", /starts \(2026-02-01\) after it ends \(2026-01-31\)/],
    ["a period ending after today", "2026-01-01", "2999-01-01", "month", /after today/],
    ["too many buckets", "2025-01-01", "2026-01-02", "day", /367 buckets of a day; at most 366/],
  ] as const)("refuses %s (22023), nothing written", async (_what, from, to, unit, message) => {
    await expectRefused(() => optIn(db.asRole("dpo"), from, to, unit), "22023", message);
  });

  it("366 daily buckets are allowed, 367 are not", async () => {
    expect(await optIn(db.asRole("dpo"), "2025-01-01", "2026-01-01", "day")).toHaveLength(366 * PURPOSES.length);
  });
});

// ================================================================ share per policy version

interface ShareRow { document: string; policy_version_id: string | null; version: string | null; standing: string; customers: number; active_customers: number; share: string | null }

async function share(session: SqlSession): Promise<ShareRow[]> {
  const { rows } = await session.query<ShareRow>(
    "select document, policy_version_id, version, standing, customers::int, active_customers::int, share::text from public.policy_version_share()",
  );
  return rows;
}

function expectedShare(data: Awaited<ReturnType<typeof raw>>): ShareRow[] {
  const now = Date.now();
  const active = data.customers.filter((c) => c.deleted === null);
  const rate = (n: number) => (active.length > 0 ? (Math.round((n / active.length) * 10_000) / 10_000).toFixed(4) : null);
  const rows: ShareRow[] = [];
  for (const document of ["privacy_policy", "terms", "cookie_policy"]) {
    const versions = data.versions.filter((v) => v.document === document && v.status !== "draft");
    const inForce = versions
      .filter((v) => v.effective! <= now)
      .sort((a, b) => b.effective! - a.effective! || b.published! - a.published!)[0];
    const latestVersion = new Map<string, string | null>();
    for (const c of active) {
      const accepted = latest(data.events.filter((e) => e.customer === c.id && e.purpose === document && grants(e.action)), Infinity);
      if (accepted) latestVersion.set(c.id, accepted.version);
    }
    const countOf = (version: string | null) => [...latestVersion.values()].filter((v) => v === version).length;
    const standing = (v: RawVersion) => (v.id === inForce?.id ? "current" : !inForce || v.effective! > inForce.effective! ? "upcoming" : "older");
    const order = ["current", "older", "upcoming"];
    const sorted = versions.sort((a, b) => order.indexOf(standing(a)) - order.indexOf(standing(b)) || b.effective! - a.effective! || a.version.localeCompare(b.version));
    for (const v of sorted) rows.push({ document, policy_version_id: v.id, version: v.version, standing: standing(v), customers: countOf(v.id), active_customers: active.length, share: rate(countOf(v.id)) });
    if (countOf(null) > 0) rows.push({ document, policy_version_id: null, version: null, standing: "unversioned", customers: countOf(null), active_customers: active.length, share: rate(countOf(null)) });
    const never = active.length - latestVersion.size;
    rows.push({ document, policy_version_id: null, version: null, standing: "never", customers: never, active_customers: active.length, share: rate(never) });
  }
  return rows;
}

async function version(document: string, label: string, status: string, effective: string, changeClass: string | null = "notify"): Promise<string> {
  return (await one<{ id: string }>(
    `insert into public.policy_versions (document, version, title, body_markdown, status, effective_at, published_at, change_class, change_reason)
     values ($1, $2, 'Doc', '# body', $3, $4, $4, $5, case when $5 = 're_accept' then 'material change' end) returning id`,
    [document, label, status, effective, changeClass],
  )).id;
}

describe("policy_version_share", () => {
  it("counts active customers by the version of their latest acceptance: current, older, upcoming, none", async () => {
    await seedPopulation();
    const oldTerms = await version("terms", "2025-06-01", "superseded", "2025-06-01T00:00:00Z");
    const termsNow = await version("terms", "2026-02-01", "superseded", "2026-02-01T00:00:00Z");
    const termsNext = await version("terms", "2099-01-01", "published", "2099-01-01T00:00:00Z"); // published for later
    const customers = (await db.engine.query<{ id: string }>("select id from public.customers where deleted_at is null and clerk_user_id like 'user_chart%' order by clerk_user_id limit 6")).rows.map((r) => r.id);
    const ev = (c: string, action: string, v: string, at: string) =>
      db.engine.query("insert into public.consent_events (customer_id, purpose, action, policy_version_id, source, occurred_at) values ($1, 'terms', $2, $3, 'settings', $4)", [c, action, v, at]);
    await ev(customers[0]!, "granted", oldTerms, "2030-01-01T00:00:00Z"); // latest acceptance: the old version (dated later)
    await ev(customers[0]!, "granted", termsNow, "2029-01-01T00:00:00Z");
    await ev(customers[1]!, "granted", termsNow, "2030-01-01T00:00:00Z");
    await ev(customers[1]!, "refused", termsNext, "2030-02-01T00:00:00Z"); // a refusal leaves the acceptance before it
    await ev(customers[2]!, "re_accepted", termsNext, "2030-01-01T00:00:00Z");
    await ev(customers[3]!, "granted", oldTerms, "2030-01-01T00:00:00Z");
    await ev(customers[3]!, "re_accepted", termsNow, "2030-01-01T00:00:00Z"); // same instant, stored second: wins
    const rows = await share(db.asRole("dpo"));
    expect(rows).toEqual(expectedShare(await raw()));
    const terms = rows.filter((r) => r.document === "terms");
    expect(terms.find((r) => r.policy_version_id === termsNow)).toMatchObject({ standing: "current" });
    expect(terms.find((r) => r.policy_version_id === termsNext)).toMatchObject({ standing: "upcoming", customers: 1 });
    expect(terms.find((r) => r.policy_version_id === oldTerms)).toMatchObject({ standing: "older" });
    // Every active customer is in exactly one row per document.
    for (const document of ["privacy_policy", "terms", "cookie_policy"]) {
      const part = rows.filter((r) => r.document === document);
      expect(part.reduce((n, r) => n + r.customers, 0)).toBe(part[0]!.active_customers);
    }
  });

  it("the auditor reads the same figures", async () => {
    expect(await share(db.asRole("auditor"))).toEqual(await share(db.asRole("dpo")));
  });
});

// ================================================================ re-acceptance coverage over time

interface CoverageRow { day: string; as_of: number; active_customers: number; accepted: number; declined: number; pending: number }

async function coverage(session: SqlSession, id: string | null): Promise<CoverageRow[]> {
  const { rows } = await session.query<CoverageRow>(
    `select day::text, (extract(epoch from as_of) * 1000)::float8 as_of, active_customers::int, accepted::int, declined::int, pending::int
     from public.policy_reacceptance_over_time($1)`,
    [id],
  );
  return rows;
}

function expectedCoverage(data: Awaited<ReturnType<typeof raw>>, v: RawVersion, firstDay: string): CoverageRow[] {
  const rows: CoverageRow[] = [];
  const about = data.events.filter((e) => e.purpose === v.document && e.version === v.id);
  for (let day = firstDay; day <= bangkokToday(); day = addDays(day, 1)) {
    const asOf = endOfBangkokDay(day);
    const active = data.customers.filter((c) => activeAt(c, asOf));
    let accepted = 0;
    let declined = 0;
    for (const c of active) {
      const action = latest(about.filter((e) => e.customer === c.id), asOf)?.action;
      if (grants(action)) accepted++;
      else if (action === "refused" || action === "withdrawn") declined++;
    }
    rows.push({ day, as_of: asOf, active_customers: active.length, accepted, declined, pending: active.length - accepted - declined });
  }
  return rows;
}

describe("policy_reacceptance_over_time", () => {
  let reAccept = "";
  const published = "2026-11-20T10:00:00+07:00";

  it("per day since publication, accepted / declined / pending among the customers active that day", async () => {
    reAccept = await version("cookie_policy", "2026-11-20", "published", published, "re_accept");
    const { rows: cs } = await db.engine.query<{ id: string }>("select id from public.customers where clerk_user_id like 'user_chart%' and deleted_at is null order by clerk_user_id limit 8");
    const c = cs.map((r) => r.id);
    // A customer created after publication (pending from that day), one deleted during it.
    const late = (await one<{ id: string }>("insert into public.customers (clerk_user_id, email, created_at) values ('user_chartLate', 'late@example.org', '2026-11-24T12:00:00+07:00') returning id")).id;
    const leaving = (await one<{ id: string }>("insert into public.customers (clerk_user_id, email, created_at, deleted_at) values ('user_chartGone', 'gone@example.org', '2026-01-01', '2026-11-26T08:00:00+07:00') returning id")).id;
    const ev = (customer: string, action: string, at: string, v = reAccept) =>
      db.engine.query("insert into public.consent_events (customer_id, purpose, action, policy_version_id, source, occurred_at) values ($1, 'cookie_policy', $2, $3, 'reprompt', $4)", [customer, action, v, at]);
    await ev(c[0]!, "granted", "2026-11-20T23:59:59+07:00");
    await ev(c[1]!, "refused", "2026-11-21T00:00:00+07:00");
    await ev(c[1]!, "re_accepted", "2026-11-23T10:00:00+07:00"); // changes its mind
    await ev(c[2]!, "granted", "2026-11-22T10:00:00+07:00");
    await ev(c[2]!, "withdrawn", "2026-11-22T10:00:00+07:00"); // tie: stored second wins
    await ev(c[3]!, "granted", "2026-11-25T10:00:00+07:00");
    await ev(c[3]!, "expired", "2026-11-24T10:00:00+07:00"); // stored late, earlier: the grant stands from the 25th
    // An answer about another version of the document does not count for this one.
    const otherVersion = await version("cookie_policy", "2026-01-05", "superseded", "2026-01-05T00:00:00Z");
    await ev(c[4]!, "granted", "2026-11-21T10:00:00+07:00", otherVersion);
    await ev(late, "granted", "2026-11-27T10:00:00+07:00");
    await ev(leaving, "granted", "2026-11-21T10:00:00+07:00");
    const v = (await raw()).versions.find((x) => x.id === reAccept)!;
    const rows = await coverage(db.asRole("dpo"), reAccept);
    expect(rows).toEqual(expectedCoverage(await raw(), v, "2026-11-20"));
    const on = (day: string) => rows.find((r) => r.day === day)!;
    const answers = (day: string) => [on(day).accepted, on(day).declined];
    expect([answers("2026-11-20"), answers("2026-11-21"), answers("2026-11-22"), answers("2026-11-23"), answers("2026-11-25"), answers("2026-11-26"), answers("2026-11-27")])
      .toEqual([[1, 0], [2, 1], [2, 2], [3, 1], [4, 1], [3, 1], [4, 1]]);
    expect(on("2026-11-26").active_customers).toBe(on("2026-11-25").active_customers - 1);
    expect(on("2026-11-24").active_customers).toBe(on("2026-11-23").active_customers + 1);
  });

  it("today's row equals policy_reacceptance_summary", async () => {
    const rows = await coverage(db.asRole("auditor"), reAccept);
    const today = rows[rows.length - 1]!;
    expect(today.day).toBe(bangkokToday());
    const { s } = (await db.asRole("dpo").query<{ s: Record<string, number> }>("select public.policy_reacceptance_summary($1) s", [reAccept])).rows[0]!;
    expect(s.active_customers).toBeGreaterThan(0);
    expect({ active: today.active_customers, accepted: today.accepted, declined: today.declined, pending: today.pending }).toEqual({
      active: s.active_customers, accepted: s.accepted, declined: s.declined, pending: s.pending,
    });
  });

  it("a version published long ago shows its last 366 days", async () => {
    const old = await version("privacy_policy", "2024-02-01", "superseded", "2024-02-01T00:00:00Z", "re_accept");
    const rows = await coverage(db.asRole("dpo"), old);
    expect(rows).toHaveLength(366);
    expect(rows[rows.length - 1]!.day).toBe(bangkokToday());
    expect(rows[0]!.day).toBe(addDays(bangkokToday(), -365));
  });

  it("refuses no id (22023), an unknown version (PT404), a version not published as re_accept or a draft (PT409)", async () => {
    const dpo = db.asRole("dpo");
    await expectRefused(() => coverage(dpo, null), "22023", /policy version id is required/);
    await expectRefused(() => coverage(dpo, "00000000-0000-4000-8000-0000000000ff"), "PT404", /does not exist/);
    await expectRefused(() => coverage(dpo, db.fixture.publishedPolicyId), "PT409", /only a version published as re_accept/);
    await expectRefused(() => coverage(dpo, db.fixture.draftPolicyId), "PT409", /draft \(unclassified\)/);
  });
});

// ================================================================ who may call them

describe("roles", () => {
  /** A re_accept version to ask about (the coverage tests made one; made here when run alone). */
  async function reAcceptId(): Promise<string> {
    const found = await db.engine.query<{ id: string }>("select id from public.policy_versions where change_class = 're_accept' limit 1");
    return found.rows[0]?.id ?? version("terms", "2026-10-01", "superseded", "2026-10-01T00:00:00Z", "re_accept");
  }
  const calls: Array<[string, (s: SqlSession) => Promise<unknown>, RegExp]> = [
    ["consent_opt_in_over_time", (s) => optIn(s, "2026-01-01", "2026-01-31", "week"), /only the DPO or an auditor may read consent statistics/],
    ["policy_version_share", (s) => share(s), /only the DPO or an auditor may read consent statistics/],
    ["policy_reacceptance_over_time", async (s) => coverage(s, await reAcceptId()), /only the DPO or an auditor may track re-acceptance/],
  ];

  it.each(calls.flatMap(([fn, call]) => (["dpo", "auditor"] as const).map((role) => [fn, role, call] as const)))("%s: the %s may call it", async (_fn, role, call) => {
    await seedPopulation();
    await reAcceptId();
    const rows = (await call(db.asRole(role))) as unknown[];
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(calls.flatMap(([fn, call, message]) => (["support", "finance", "admin"] as const).map((role) => [fn, role, call, message] as const)))(
    "%s: the %s is refused (42501, named), nothing written",
    async (_fn, role, call, message) => {
      await expectRefused(() => call(db.asRole(role)), "42501", message);
    },
  );

  it.each(calls.map(([fn, call, message]) => [fn, call, message] as const))("%s: anon and a signed-in non-staff sub are refused", async (_fn, call, message) => {
    const anon = await expectSqlError(() => call(db.asAnon()));
    expect(anon.code).toBe("42501");
    expect(anon.message).toMatch(/permission denied for function/);
    await expectRefused(() => call(db.asSub("user_someCustomer")), "42501", message);
  });
});
