/**
 * Retention demo data (issue 10), after everything else is seeded, so the status shows every state from the seed's
 * day on (the view measures against the database's clock; a demo left a week later shows "due" turned "overdue"):
 * - held: a hold on the whole consent_logs category (the consent events of deleted accounts, kept for a PDPC inquiry);
 * - overdue: generated assets of deleted projects and accounts, which nothing has purged yet;
 * - due: error reports, the oldest of which sits exactly on the 30-day boundary (errorReports in index.ts);
 * - compliant: payment records (nothing is 7 years old).
 * Plus a hold on the customer of an erasure request in progress (its erasure preview shows the hold) and a released
 * hold on a date range of API logs. Holds have fixed ids and times; placed and released by the demo DPO.
 *
 * The backlog chart needs history: at demo size, a dry run as of each of the last DAILY_DRY_RUNS days, through the real
 * purge engine (retention_run, as the nightly job would run it; recorded with started_via = 'seed'). Their ids and
 * clock times are not deterministic, so purge_runs is not among the tables the seed tests hash.
 */
import type { Queryable } from "../db/engine.ts";
import { Random } from "./prng.ts";

const DAY = 86_400_000;
/** Dry runs of the backlog history (one per day, the last on the seed's day). */
export const DAILY_DRY_RUNS = 14;
/** Above this size (the bench), the history is skipped: each dry run reads every API log. */
const HISTORY_MAX_CUSTOMERS = 10_000;

export interface RetentionSeedOptions {
  seed: number;
  now: Date;
  customers: number;
  dpoId: string;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function seedRetention(db: Queryable, opts: RetentionSeedOptions): Promise<{ legal_holds: number; purge_runs: number }> {
  const nowMs = opts.now.getTime();
  const id = (label: string) => new Random(opts.seed, "legal_hold", label).uuid();
  // The customer of the oldest erasure request still in progress whose account is live.
  const { rows: erasure } = await db.query<{ customer_id: string }>(
    `select r.customer_id from public.dsar_requests r join public.customers c on c.id = r.customer_id
     where r.type = 'erasure' and r.status = 'in_progress' and c.deleted_at is null
     order by r.received_at, r.id limit 1`,
  );
  const holds = [
    {
      id: id("consent"),
      customer_id: null,
      category: "consent_logs",
      held_from: null,
      held_until: null,
      reason: "PDPC inquiry 2026/118 into consent records: keep the consent logs of closed accounts until it is answered",
      review_on: day(nowMs + 30 * DAY),
      placed_at: new Date(nowMs - 20 * DAY).toISOString(),
    },
    ...(erasure[0]
      ? [
          {
            id: id("customer"),
            customer_id: erasure[0].customer_id,
            category: null,
            held_from: null,
            held_until: null,
            reason: "Chargeback dispute with the card issuer: keep the account's records until the dispute is closed",
            review_on: day(nowMs + 14 * DAY),
            placed_at: new Date(nowMs - 3 * DAY).toISOString(),
          },
        ]
      : []),
    {
      id: id("released"),
      customer_id: null,
      category: "api_logs",
      held_from: new Date(nowMs - 60 * DAY).toISOString(),
      held_until: new Date(nowMs - 50 * DAY).toISOString(),
      reason: "Security incident review: API logs of the credential-stuffing attempt",
      review_on: day(nowMs - 5 * DAY),
      placed_at: new Date(nowMs - 45 * DAY).toISOString(),
      released_at: new Date(nowMs - 6 * DAY).toISOString(),
      release_note: "Incident closed; the report keeps only aggregate figures",
    },
  ];
  const inserted = await db.query(
    `insert into public.legal_holds
       (id, customer_id, category, held_from, held_until, reason, review_on, placed_by, placed_at, released_at, released_by, release_note)
     select h.id, h.customer_id, h.category, h.held_from, h.held_until, h.reason, h.review_on, $2, h.placed_at,
            h.released_at, case when h.released_at is not null then $2::uuid end, h.release_note
     from json_populate_recordset(null::public.legal_holds, $1::json) h`,
    [JSON.stringify(holds), opts.dpoId],
  );

  let runs = 0;
  if (opts.customers <= HISTORY_MAX_CUSTOMERS) {
    for (let k = DAILY_DRY_RUNS - 1; k >= 0; k--) {
      // As the nightly job runs (02:30 Bangkok, 19:30 UTC the day before); never after the database's clock.
      const cutoff = new Date(nowMs - k * DAY - 4.5 * 3_600_000).toISOString();
      const { rows } = await db.query(
        "select (public.retention_run($1::timestamptz, false, 'seed', 'seed')).id where $1::timestamptz <= now()",
        [cutoff],
      );
      runs += rows.length;
    }
  }
  return { legal_holds: inserted.rowCount, purge_runs: runs };
}
