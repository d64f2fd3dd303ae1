/**
 * The bench's consent log: tops the bench database up to N consent events (default 1,000,000) in bulk, once; later
 * runs reuse them. The rows are the ones the app's insert path would store, built set-based as the table owner:
 *
 * - consent_events_prepare (BEFORE INSERT) is bypassed; the same derivations are done in SQL here: the policy
 *   version is the one of the purpose's document in force at the event's time (never a draft), the language is the
 *   customer's locale where that version has Thai text (English otherwise), the collection method follows the source
 *   as the trigger maps it ('system' for expiry, as the seed records it), console and DSAR events name the DPO in
 *   recorded_by, and the address as collected goes to consent_event_ips while consent_events keeps its /24 or /48.
 * - consent_events_apply_state (AFTER INSERT) is bypassed; customer_consents is rebuilt set-based with the same rule
 *   (the latest (occurred_at, id) per customer and purpose wins), then checked against the log.
 * - consent_events_audit (AFTER INSERT) is bypassed: the bench events get no audit_log entry. Appending to the hash
 *   chain is serial (each hash covers its predecessor; ~1 ms an event through audit_append), and nothing the
 *   explorer reads (consent_events, with customers and policy_versions embedded) touches audit_log; only the evidence
 *   pack of one of these events would show no audit entry. The chain itself stays valid: nothing was appended.
 *
 * Foreign keys and checks are not bypassed (only those three triggers are disabled, inside each chunk's
 * transaction). Events are spread evenly over time from the 100th customer's sign-up to an hour ago, ids in time
 * order (as rows arriving over time would be stored), each by a customer who had signed up by then; deterministic
 * (md5 of the ordinal, like the API logs).
 */
import type { Engine } from "../../server/db/engine.ts";
import { USER_AGENTS } from "../../server/seed/vocabulary.ts";

/** Rows per transaction: bounds PGlite's memory (and the queue of foreign-key checks at each statement's end). */
const CHUNK_ROWS = 250_000;

/** purpose, action, source, collection method, weight: giving and taking back, from each source that does it. */
const SCENARIOS: ReadonlyArray<readonly [string, string, string, string, number]> = [
  ["terms", "granted", "signup", "checkbox", 10],
  ["privacy_policy", "granted", "signup", "checkbox", 10],
  ["privacy_policy", "re_accepted", "reprompt", "prompt", 6],
  ["terms", "re_accepted", "reprompt", "prompt", 2],
  ["privacy_policy", "refused", "reprompt", "prompt", 1],
  ["cookie_policy", "granted", "banner", "banner", 8],
  ["cookie_policy", "refused", "banner", "banner", 2],
  ["cookie_policy", "withdrawn", "settings", "toggle", 1],
  ["analytics", "granted", "signup", "checkbox", 7],
  ["analytics", "granted", "banner", "banner", 4],
  ["analytics", "refused", "banner", "banner", 4],
  ["analytics", "withdrawn", "settings", "toggle", 3],
  ["analytics", "granted", "settings", "toggle", 2],
  ["analytics", "invalidated", "console", "staff_entry", 1],
  ["marketing_email", "granted", "signup", "checkbox", 5],
  ["marketing_email", "withdrawn", "settings", "toggle", 3],
  ["marketing_email", "granted", "settings", "toggle", 1],
  ["marketing_email", "withdrawn", "console", "staff_entry", 1],
  ["marketing_email", "withdrawn", "dsar", "written_request", 1],
  ["marketing_email", "expired", "console", "system", 1],
];

const BYPASSED_TRIGGERS = ["consent_events_prepare", "consent_events_audit", "consent_events_apply_state"] as const;

const SETUP_SQL = `
create temporary table bench_consent_customers (
  k integer primary key, id uuid not null, locale text not null, created_at timestamptz not null
) on commit drop;
insert into bench_consent_customers (k, id, locale, created_at)
select row_number() over (order by created_at, id), id, locale, created_at from public.customers where deleted_at is null;
create index on bench_consent_customers (created_at);
analyze bench_consent_customers;
create temporary table bench_consent_scenarios (
  i integer primary key, purpose text not null, action text not null, source text not null, method text not null
) on commit drop;
create temporary table bench_consent_grid (s integer primary key, customers integer not null) on commit drop;
create temporary table bench_consent_rows (
  id bigint primary key, customer_id uuid not null, purpose text not null, action text not null, policy_version_id uuid,
  language text not null, source text not null, collection_method text not null, ip inet, user_agent text,
  recorded_by uuid, occurred_at timestamptz not null
) on commit drop;`;

// Byte budget of md5 (16 bytes) per ordinal: 0-2 customer · 3-4 scenario · 5-6 seconds within the step ·
// 7 IPv6? · 8-11 address · 12 user agent.
const STAGE_SQL = `
insert into bench_consent_rows
select $1::bigint + (g - $2::bigint), c.id, sc.purpose, sc.action, v.id,
  case when c.locale = 'th' and (v.id is null or v.body_th is not null) then 'th' else 'en' end,
  sc.source, sc.method,
  case when sc.source in ('signup', 'settings', 'banner', 'reprompt') then
    case when get_byte(h, 7) < 30
      then format('2405:9800:%s:%s::%s', to_hex(get_byte(h, 9) * 256 + get_byte(h, 10)), to_hex(get_byte(h, 8) + 256), to_hex(get_byte(h, 11) + 1))::inet
      else format('%s.%s.%s.%s', (array[1,27,49,58,61,101,110,115,124,171,182,183,184,202,203])[1 + get_byte(h, 8) % 15],
                  get_byte(h, 9), get_byte(h, 10), 1 + get_byte(h, 11) % 254)::inet
    end end,
  case when sc.source in ('signup', 'settings', 'banner', 'reprompt') then ($6::text[])[1 + get_byte(h, 12) % cardinality($6::text[])] end,
  case when sc.source in ('console', 'dsar') then $7::uuid end,
  d.at
from (
  select g, h,
    $3::timestamptz + ($4::timestamptz - $3::timestamptz) * ((g - 1)::float8 / $5::float8)
      + make_interval(secs => (get_byte(h, 5) * 256 + get_byte(h, 6)) % 60) as at,
    floor(1000 * (g - 1)::float8 / $5::float8)::int as s
  from (select g, decode(md5('mfc-bench-consent:' || g), 'hex') as h from generate_series($2::bigint, $8::bigint) g offset 0) x
) d
join bench_consent_grid gr on gr.s = d.s
join bench_consent_customers c on c.k = 1 + (get_byte(d.h, 0) * 65536 + get_byte(d.h, 1) * 256 + get_byte(d.h, 2)) % greatest(gr.customers, 1)
join bench_consent_scenarios sc on sc.i = 1 + (get_byte(d.h, 3) * 256 + get_byte(d.h, 4)) % (select count(*) from bench_consent_scenarios)
left join lateral (
  select pv.id, pv.body_th from public.policy_versions pv
  where pv.document = case sc.purpose when 'terms' then 'terms' when 'cookie_policy' then 'cookie_policy' else 'privacy_policy' end
    and sc.purpose in ('terms', 'privacy_policy', 'cookie_policy')
    and pv.status <> 'draft' and pv.effective_at <= d.at
  order by pv.effective_at desc, pv.published_at desc limit 1
) v on true
order by g`;

const MASK_SQL = `case when r.ip is null then null else network(set_masklen(r.ip, case family(r.ip) when 4 then 24 else 48 end))::inet end`;

/** The current state per customer and purpose, as consent_events_apply_state keeps it: latest (occurred_at, id). */
const REBUILD_STATE_SQL = `
insert into public.customer_consents as c (customer_id, purpose, granted, policy_version_id, updated_at, event_id, action, language)
select distinct on (e.customer_id, e.purpose)
  e.customer_id, e.purpose, e.action in ('granted', 're_accepted'), e.policy_version_id, e.occurred_at, e.id, e.action, e.language
from public.consent_events e
order by e.customer_id, e.purpose, e.occurred_at desc, e.id desc
on conflict (customer_id, purpose) do update
  set granted = excluded.granted, policy_version_id = excluded.policy_version_id, updated_at = excluded.updated_at,
      event_id = excluded.event_id, action = excluded.action, language = excluded.language
  where (c.updated_at, coalesce(c.event_id, 0)) < (excluded.updated_at, excluded.event_id)`;

export interface ConsentSeedFigures {
  held: number;
  inserted: number;
  seedMs: number;
  stateRebuildMs: number;
}

export interface ConsentLogChecks {
  events: number;
  /** Events whose address is kept in consent_event_ips, and how many of those are stored masked. */
  withAddress: number;
  maskedMismatch: number;
  /** Pairs whose customer_consents row is not the latest event (0 = consistent). */
  stateMismatches: number;
  /** Events with a version of another document, a draft, or Thai without Thai text (0 = as the trigger checks). */
  versionMismatches: number;
  /** Newest events re-inserted through the app's insert path (triggers on; rolled back): how many it stored otherwise. */
  triggerPathSample: number;
  triggerPathMismatches: number;
}

/** Brings the bench database to `target` consent events (no-op when it holds as many). */
export async function ensureConsentEvents(db: Engine, target: number, log: (m: string) => void): Promise<ConsentSeedFigures> {
  const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.consent_events");
  const held = rows[0]?.n ?? 0;
  if (held >= target) return { held, inserted: 0, seedMs: 0, stateRebuildMs: 0 };
  const missing = target - held;
  log(`inserting ${missing.toLocaleString("en-US")} consent events in bulk (once; reused later)…`);
  const { rows: staff } = await db.query<{ id: string }>("select id from public.staff_members where email = 'dpo@m-factory.test'");
  const dpoId = staff[0]?.id;
  if (!dpoId) throw new Error("the bench database has no DPO (dpo@m-factory.test): seed it first");
  const started = performance.now();
  let inserted = 0;
  for (let first = 1; first <= missing; first += CHUNK_ROWS) {
    const last = Math.min(missing, first + CHUNK_ROWS - 1);
    await db.transaction(async (tx) => {
      await tx.query("select set_config('work_mem', '256MB', true)");
      await tx.exec(SETUP_SQL);
      await tx.query(
        `insert into bench_consent_scenarios (i, purpose, action, source, method)
         select row_number() over (order by s.ord, n), s.e ->> 'purpose', s.e ->> 'action', s.e ->> 'source', s.e ->> 'method'
         from json_array_elements($1::json) with ordinality as s(e, ord)
         cross join lateral generate_series(1, (s.e ->> 'weight')::int) n`,
        [JSON.stringify(SCENARIOS.map(([purpose, action, source, method, weight]) => ({ purpose, action, source, method, weight })))],
      );
      // Time runs from the 100th sign-up to an hour ago; step s of 1000 may pick any customer created before it.
      const { rows: span } = await tx.query<{ t0: Date; t1: Date }>(
        `select (select created_at from bench_consent_customers where k = least(100, (select count(*) from bench_consent_customers)))
                  + interval '1 second' as t0,
                now() - interval '1 hour' as t1`,
      );
      const { t0, t1 } = span[0]!;
      await tx.query(
        `insert into bench_consent_grid (s, customers)
         select s, coalesce((select k from bench_consent_customers c
                             where c.created_at < $1::timestamptz + ($2::timestamptz - $1::timestamptz) * (s / 1000.0)
                             order by c.created_at desc limit 1), 0)
         from generate_series(0, 999) s`,
        [t0, t1],
      );
      // Ids reserved from the identity, in ordinal (so time) order.
      const { rows: seq } = await tx.query<{ first_id: string }>(
        "select nextval(pg_get_serial_sequence('public.consent_events', 'id'))::text as first_id",
      );
      const firstId = BigInt(seq[0]!.first_id);
      await tx.query("select setval(pg_get_serial_sequence('public.consent_events', 'id'), $1::bigint)", [String(firstId + BigInt(last - first))]);
      await tx.query(STAGE_SQL, [String(firstId), first, t0, t1, missing, [...USER_AGENTS], dpoId, last]);
      for (const trigger of BYPASSED_TRIGGERS) await tx.exec(`alter table public.consent_events disable trigger ${trigger}`);
      const result = await tx.query(
        `insert into public.consent_events
           (id, customer_id, purpose, action, policy_version_id, language, source, collection_method, ip, user_agent, recorded_by, occurred_at)
         overriding system value
         select r.id, r.customer_id, r.purpose, r.action, r.policy_version_id, r.language, r.source, r.collection_method,
                ${MASK_SQL}, r.user_agent, r.recorded_by, r.occurred_at
         from bench_consent_rows r order by r.id`,
      );
      await tx.query("insert into public.consent_event_ips (event_id, ip) select id, ip from bench_consent_rows where ip is not null order by id");
      for (const trigger of BYPASSED_TRIGGERS) await tx.exec(`alter table public.consent_events enable trigger ${trigger}`);
      inserted += result.rowCount;
    });
    log(`  consent events ${inserted.toLocaleString("en-US")}/${missing.toLocaleString("en-US")} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  const rebuild = performance.now();
  await db.transaction(async (tx) => {
    await tx.query("select set_config('work_mem', '256MB', true)");
    await tx.query(REBUILD_STATE_SQL);
  });
  const stateRebuildMs = Math.round(performance.now() - rebuild);
  log(`  customer_consents rebuilt set-based in ${(stateRebuildMs / 1000).toFixed(1)} s`);
  return { held, inserted, seedMs: Math.round(performance.now() - started), stateRebuildMs };
}

/** What the app's insert path guarantees, checked over the whole log (bench events and the seed's alike). */
export async function checkConsentLog(db: Engine): Promise<ConsentLogChecks> {
  const { rows } = await db.query<ConsentLogChecks>(`
    select
      (select count(*)::int from public.consent_events) as "events",
      (select count(*)::int from public.consent_event_ips) as "withAddress",
      (select count(*)::int from public.consent_events e join public.consent_event_ips i on i.event_id = e.id
        where e.ip is distinct from network(set_masklen(i.ip, case family(i.ip) when 4 then 24 else 48 end))::inet) as "maskedMismatch",
      (select count(*)::int from (
         select distinct on (e.customer_id, e.purpose) e.customer_id, e.purpose, e.id
         from public.consent_events e order by e.customer_id, e.purpose, e.occurred_at desc, e.id desc) l
       full join public.customer_consents c on c.customer_id = l.customer_id and c.purpose = l.purpose
       where c.event_id is distinct from l.id) as "stateMismatches",
      (select count(*)::int from public.consent_events e join public.policy_versions v on v.id = e.policy_version_id
        where v.status = 'draft'
           or v.document <> case e.purpose when 'terms' then 'terms' when 'cookie_policy' then 'cookie_policy' else 'privacy_policy' end
           or (e.language = 'th' and v.body_th is null)) as "versionMismatches"`);
  const sample = await compareWithTriggerPath(db, 200);
  return { ...rows[0]!, triggerPathSample: sample.compared, triggerPathMismatches: sample.mismatches };
}

class RollBack extends Error {}

/**
 * The newest `n` events inserted again the way the app inserts them (the address as collected, language and method
 * left to the trigger except the seed's explicit 'system'), in a transaction rolled back: the trigger must store the
 * same language, method and masked address as the bulk path did.
 */
async function compareWithTriggerPath(db: Engine, n: number): Promise<{ compared: number; mismatches: number }> {
  const result = { compared: 0, mismatches: 0 };
  await db
    .transaction(async (tx) => {
      const { rows } = await tx.query<{
        customer_id: string; purpose: string; action: string; policy_version_id: string | null; source: string;
        collection_method: string; language: string; ip: string | null; full_ip: string | null; user_agent: string | null;
        recorded_by: string | null; occurred_at: Date;
      }>(
        `select e.customer_id, e.purpose, e.action, e.policy_version_id, e.source, e.collection_method, e.language, e.ip::text,
                i.ip::text as full_ip, e.user_agent, e.recorded_by, e.occurred_at
         from public.consent_events e left join public.consent_event_ips i on i.event_id = e.id
         order by e.id desc limit $1`,
        [n],
      );
      for (const r of rows) {
        const { rows: stored } = await tx.query<{ language: string; collection_method: string; ip: string | null }>(
          `insert into public.consent_events
             (customer_id, purpose, action, policy_version_id, source, collection_method, ip, user_agent, recorded_by, occurred_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           returning language, collection_method, ip::text`,
          [r.customer_id, r.purpose, r.action, r.policy_version_id, r.source, r.collection_method === "system" ? "system" : null,
            r.full_ip, r.user_agent, r.recorded_by, r.occurred_at],
        );
        const s = stored[0]!;
        result.compared += 1;
        if (s.language !== r.language || s.collection_method !== r.collection_method || s.ip !== r.ip) result.mismatches += 1;
      }
      throw new RollBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RollBack)) throw err;
    });
  return result;
}
