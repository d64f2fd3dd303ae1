/**
 * Issue 10 against the seeded population: the privacy policy in force is the company's own text, published as a
 * re_accept change; re-acceptance counts agree with the events and declines the seed wrote; the kept state agrees
 * with the log, late and tied events included; every seeded event has an evidence pack whose hashes hold.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Queryable } from "../../server/db/engine.ts";
import { DEMO_STAFF } from "../../server/seed/index.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { openSeededEngine } from "../seed/seed-engine.ts";

const NOW = new Date("2026-11-26T00:00:00.000Z");
const db = openBeforeAll(() => openSeededEngine({ customers: 200, seed: 20261126, now: NOW }), 180_000);
const policyText = readFileSync(path.resolve(import.meta.dirname, "../../server/seed/policies/privacy-policy-2026-05-12.md"), "utf8");
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

async function as<T>(role: "dpo" | "auditor", sql: string, params: unknown[] = []): Promise<T[]> {
  const member = DEMO_STAFF.find((s) => s.roles.length === 1 && s.roles[0] === role)!;
  return db.engine.transaction(async (tx: Queryable) => {
    await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: member.clerkUserId, role: "authenticated" })]);
    await tx.exec("set local role authenticated");
    return (await tx.query<T>(sql, params)).rows;
  });
}
interface Pack {
  audit: { hash: string; prev_hash: string; canonical_text: string };
  policy: { shown: { id: string; body_sha256: string; language: string } | null };
  ip: { commitment: string; address: string; nonce: string } | null;
}

async function value<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await db.engine.query<{ v: T }>(sql, params)).rows[0]!.v;
}

describe("consent and policy records on the seeded population", () => {
  it("the privacy policy in force today is the company's 2026-05-12 text, hashed by the database", async () => {
    const [inForce] = await as<{ version: string; body_sha256: string; change_class: string }>(
      "dpo",
      "select version, body_sha256, change_class from public.policy_version_in_force('privacy_policy', $1)",
      [NOW.toISOString()],
    );
    expect(inForce).toEqual({ version: "2026-05-12", body_sha256: sha256(policyText), change_class: "re_accept" });
    const [before] = await as<{ version: string }>("auditor", "select version from public.policy_version_in_force('privacy_policy', '2026-05-11T23:59:59Z')");
    expect(before?.version).toBe("2025-08-15");
  });

  it("re-acceptance counts of the current privacy policy equal the events and declines the seed wrote", async () => {
    const id = await value<string>("select id as v from public.policy_versions where document = 'privacy_policy' and version = '2026-05-12'");
    const [summary] = await as<{ s: Record<string, number> }>("dpo", "select public.policy_reacceptance_summary($1) as s", [id]);
    // Independently: the latest event per live customer about this version.
    const expected = await db.engine.query<{ active: number; accepted: number; declined: number; restricted: number }>(
      `with latest as (
         select c.id, (select e.action from public.consent_events e
                        where e.customer_id = c.id and e.purpose = 'privacy_policy' and e.policy_version_id = $1
                        order by e.occurred_at desc, e.id desc limit 1) as action
         from public.customers c where c.deleted_at is null)
       select count(*)::int as active,
              count(*) filter (where action in ('granted', 're_accepted'))::int as accepted,
              count(*) filter (where action in ('refused', 'withdrawn'))::int as declined,
              (select count(*)::int from public.policy_declines d join public.customers c on c.id = d.customer_id
               where d.policy_version_id = $1 and c.deleted_at is null and d.account_restricted) as restricted
       from latest`,
      [id],
    );
    const e = expected.rows[0]!;
    expect(summary!.s).toEqual({
      policy_version_id: id,
      active_customers: e.active,
      pending: e.active - e.accepted - e.declined,
      accepted: e.accepted,
      declined: e.declined,
      restricted: e.restricted,
    });
    // The seed has every status, and each decline came with its refusal event and restriction.
    expect(e.accepted).toBeGreaterThan(0);
    expect(e.declined).toBeGreaterThan(0);
    expect(e.active - e.accepted - e.declined).toBeGreaterThan(0);
    expect(e.restricted).toBe(e.declined);
    expect(await value<number>("select count(*)::int as v from public.policy_declines")).toBe(db.summary.rows.policy_declines);
  });

  it("the kept state equals the latest (occurred_at, id) event for every customer and purpose, with late and tied events seeded", async () => {
    const late = await value<number>(
      `select count(*)::int as v from public.consent_events a join public.consent_events b
         on b.customer_id = a.customer_id and b.purpose = a.purpose and b.id > a.id and b.occurred_at < a.occurred_at`,
    );
    const tied = await value<number>(
      `select count(*)::int as v from public.consent_events a join public.consent_events b
         on b.customer_id = a.customer_id and b.purpose = a.purpose and b.id > a.id and b.occurred_at = a.occurred_at`,
    );
    expect(late).toBeGreaterThan(0);
    expect(tied).toBeGreaterThan(0);
    const mismatches = await value<number>(`
      select count(*)::int as v from public.customer_consents s
      full join (select distinct on (customer_id, purpose) customer_id, purpose, id, action from public.consent_events
                 order by customer_id, purpose, occurred_at desc, id desc) e using (customer_id, purpose)
      where s.event_id is distinct from e.id or s.action is distinct from e.action
         or s.granted is distinct from (e.action in ('granted', 're_accepted'))`);
    expect(mismatches).toBe(0);
  });

  it("an evidence pack for a seeded event from each source holds: policy hash, audit hash, IP commitment", async () => {
    const ids = await db.engine.query<{ id: string }>(
      "select distinct on (source) id from public.consent_events order by source, id",
    );
    expect(ids.rows).toHaveLength(6);
    for (const { id } of ids.rows) {
      const [pack] = await as<{ e: Pack }>("dpo", "select public.consent_evidence($1) as e", [id]);
      const e = pack!.e;
      expect(e.audit.hash, `event ${id}`).toBe(sha256(`${e.audit.prev_hash}|${e.audit.canonical_text}`));
      if (e.policy.shown) {
        const body = await value<string>(
          "select case when $2 = 'th' then body_th else body_markdown end as v from public.policy_versions where id = $1",
          [e.policy.shown.id, e.policy.shown.language],
        );
        expect(e.policy.shown.body_sha256).toBe(sha256(body));
      }
      if (e.ip) expect(e.ip.commitment).toBe(sha256(`${e.ip.nonce}|${e.ip.address}`));
    }
  });
});
