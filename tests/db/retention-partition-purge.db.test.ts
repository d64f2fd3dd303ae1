/**
 * The API-log purge by partition (issue 10, bench: 20261203001700_faster_partition_purge): an execution that drops
 * whole expired partitions and deletes the expired rows of the others certifies exactly the rows it purged — its
 * counts and its id hash equal those computed here, in TypeScript, from the ids read before the purge (the hash's
 * definition in docs/retention.md: the ids' text sorted bytewise, joined by newlines, SHA-256) — and a partition
 * wholly past the period that holds a held row is not dropped (its other expired rows are deleted, the held one stays).
 *
 * Cut-off T: an hour ago, to the second. Rows: a month wholly past 90 days (dropped); a later month wholly past with a
 * row under a legal hold on api_logs (kept, two rows deleted); the partition holding T - 90 days (the row exactly on
 * the boundary goes, one a microsecond younger stays); a row in the default partition (2021); a recent one.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

let T = "";
let customerId = "";
let holdId = "";
const monthA = { from: "", relname: "" };
const monthB = { from: "", relname: "" };

interface LogRow {
  id: string;
  endpoint: string;
  /** requested_at in microseconds since the epoch (a JS Date would lose the boundary's microsecond). */
  at_us: string;
}
interface RunCategory {
  rows_past_period: string;
  rows_on_hold: string;
  rows_purged: string;
  ids_sha256: string;
  partitions_dropped: string[];
}

async function logs(): Promise<LogRow[]> {
  const { rows } = await db.engine.query<LogRow>(
    "select id::text, endpoint, (extract(epoch from requested_at) * 1000000)::bigint::text as at_us from public.api_request_logs",
  );
  return rows;
}
async function apiLogsOf(runId: string): Promise<RunCategory> {
  const { rows } = await db.engine.query<RunCategory>(
    `select rows_past_period::text, rows_on_hold::text, rows_purged::text, ids_sha256, partitions_dropped
     from public.purge_run_categories where run_id = $1 and category = 'api_logs'`,
    [runId],
  );
  return rows[0]!;
}
async function partitions(): Promise<string[]> {
  const { rows } = await db.engine.query<{ relname: string }>("select relname from public.retention_api_log_partitions()");
  return rows.map((r) => r.relname);
}
/** The certificate's id hash, computed here: ids as text, sorted bytewise, joined by newlines, SHA-256 (hex). */
function idsSha256(ids: string[]): string {
  const sorted = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
  return createHash("sha256").update(sorted.join("\n"), "utf8").digest("hex");
}

beforeAll(async () => {
  const t = await db.engine.query<{ t: string; a: string; b: string; ra: string; rb: string }>(
    `select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t,
            to_char(date_trunc('month', t - interval '6 months') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as a,
            to_char(date_trunc('month', t - interval '5 months') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as b,
            'api_request_logs_' || to_char(t - interval '6 months', 'YYYY_MM') as ra,
            'api_request_logs_' || to_char(t - interval '5 months', 'YYYY_MM') as rb
     from (select date_trunc('second', now() - interval '1 hour') as t) x`,
  );
  ({ t: T } = t.rows[0]!);
  Object.assign(monthA, { from: t.rows[0]!.a, relname: t.rows[0]!.ra });
  Object.assign(monthB, { from: t.rows[0]!.b, relname: t.rows[0]!.rb });
  await db.engine.query("select public.ensure_api_request_log_partitions(($1::timestamptz - interval '8 months')::date, 10)", [T]);
  const c = await db.engine.query<{ id: string }>(
    `insert into public.customers (clerk_user_id, email, display_name, country, created_at)
     values ('user_rtnpart', 'rtnpart@example.org', 'Partition purge', 'TH', $1::timestamptz - interval '2 years') returning id`,
    [T],
  );
  customerId = c.rows[0]!.id;
  await db.engine.query(
    `insert into public.api_request_logs (customer_id, method, endpoint, status_code, requested_at)
     values ($1, 'GET', '/v1/month-a', 200, $3::timestamptz + interval '2 days'),
            ($1, 'GET', '/v1/month-a', 200, $3::timestamptz + interval '11 days'),
            (null, 'GET', '/v1/month-a', 401, $3::timestamptz + interval '20 days'),
            ($1, 'GET', '/v1/month-b', 200, $4::timestamptz + interval '3 days'),
            ($1, 'GET', '/v1/month-b-held', 200, $4::timestamptz + interval '10 days'),
            ($1, 'GET', '/v1/month-b', 200, $4::timestamptz + interval '17 days'),
            ($1, 'GET', '/v1/boundary-exact', 200, $2::timestamptz - interval '90 days'),
            ($1, 'GET', '/v1/boundary-inside', 200, $2::timestamptz - interval '90 days' + interval '1 microsecond'),
            ($1, 'GET', '/v1/default-partition', 200, '2021-03-04T05:06:07Z'),
            ($1, 'GET', '/v1/recent', 200, $2::timestamptz - interval '2 days')`,
    [customerId, T, monthA.from, monthB.from],
  );
  const hold = await db.asRole("dpo").query<{ id: string }>(
    `select id from public.legal_hold_place('Abuse investigation: one request', current_date + 30, null, 'api_logs',
       $1::timestamptz + interval '10 days', $1::timestamptz + interval '10 days 1 hour')`,
    [monthB.from],
  );
  holdId = hold.rows[0]!.id;
});

describe("the API-log purge by partition certifies exactly what it purged", () => {
  let before: LogRow[] = [];
  let partitionsBefore: string[] = [];
  let dryRunId = "";

  it("a dry run counts and hashes the expired ids as computed independently from the rows (the held one aside)", async () => {
    before = await logs();
    partitionsBefore = await partitions();
    expect(partitionsBefore).toContain(monthA.relname);
    expect(partitionsBefore).toContain(monthB.relname);
    const run = await db.asRole("dpo").query<{ id: string }>("select id from public.retention_dry_run($1)", [T]);
    dryRunId = run.rows[0]!.id;
    const limit = BigInt(Date.parse(T) - 90 * 86_400_000) * 1000n;
    const expired = before.filter((r) => BigInt(r.at_us) <= limit);
    const purgeable = expired.filter((r) => r.endpoint !== "/v1/month-b-held");
    // month A (3), month B (2 of 3), the boundary row, the default partition's row, and any older fixture rows
    expect(purgeable.filter((r) => r.endpoint.startsWith("/v1/month-") || r.endpoint === "/v1/boundary-exact" || r.endpoint === "/v1/default-partition")).toHaveLength(7);
    expect(await apiLogsOf(dryRunId)).toMatchObject({
      rows_past_period: String(expired.length),
      rows_on_hold: "1",
      rows_purged: String(purgeable.length),
      ids_sha256: idsSha256(purgeable.map((r) => r.id)),
      partitions_dropped: [],
    });
  });

  it("the execution drops month A, keeps month B for its held row, deletes the other expired rows, and certifies the same ids", async () => {
    const limit = BigInt(Date.parse(T) - 90 * 86_400_000) * 1000n;
    const purgeable = before.filter((r) => BigInt(r.at_us) <= limit && r.endpoint !== "/v1/month-b-held");
    const run = await db.asRole("dpo").query<{ id: string; certificate: { categories: Array<{ category: string; rows_purged: number; rows_on_hold: number; ids_sha256: string; partitions_dropped: string[] }> } }>(
      "select id, certificate from public.retention_purge($1)",
      [T],
    );
    const executed = await apiLogsOf(run.rows[0]!.id);
    const cert = run.rows[0]!.certificate.categories.find((c) => c.category === "api_logs")!;
    const expectedHash = idsSha256(purgeable.map((r) => r.id));
    expect(executed).toMatchObject({ rows_purged: String(purgeable.length), rows_on_hold: "1", ids_sha256: expectedHash });
    expect(cert).toMatchObject({ rows_purged: purgeable.length, rows_on_hold: 1, ids_sha256: expectedHash });
    expect((await apiLogsOf(dryRunId)).ids_sha256).toBe(expectedHash);

    // Exactly the certified ids are gone: every other row is still there.
    const after = await logs();
    const purgedIds = new Set(purgeable.map((r) => r.id));
    expect(after.map((r) => r.id).sort()).toEqual(before.filter((r) => !purgedIds.has(r.id)).map((r) => r.id).sort());
    expect(after.map((r) => r.endpoint).sort()).toEqual(
      [...before.filter((r) => !purgedIds.has(r.id)).map((r) => r.endpoint)].sort(),
    );
    expect(after.filter((r) => r.endpoint === "/v1/month-b-held")).toHaveLength(1);
    expect(after.filter((r) => r.endpoint === "/v1/boundary-inside")).toHaveLength(1);

    // Month A was dropped (with the empty months before it); month B, wholly past but holding a held row, was not.
    expect(executed.partitions_dropped).toContain(monthA.relname);
    expect(executed.partitions_dropped).not.toContain(monthB.relname);
    expect(cert.partitions_dropped).toEqual(executed.partitions_dropped);
    const left = await partitions();
    expect(left).toEqual(partitionsBefore.filter((p) => !executed.partitions_dropped.includes(p)));
    expect(left).toContain(monthB.relname);
    expect(left).not.toContain(monthA.relname);
  });

  it("a second run purges nothing; once the hold is released the next one drops month B, certifying its last row", async () => {
    const again = await db.asRole("dpo").query<{ id: string }>("select id from public.retention_purge($1)", [T]);
    expect(await apiLogsOf(again.rows[0]!.id)).toMatchObject({ rows_purged: "0", rows_on_hold: "1", partitions_dropped: [] });

    await db.asRole("dpo").query("select public.legal_hold_release($1, 'Investigation closed')", [holdId]);
    const heldRow = (await logs()).find((r) => r.endpoint === "/v1/month-b-held")!;
    const released = await db.asRole("dpo").query<{ id: string }>("select id from public.retention_purge($1)", [T]);
    expect(await apiLogsOf(released.rows[0]!.id)).toMatchObject({
      rows_past_period: "1",
      rows_on_hold: "0",
      rows_purged: "1",
      ids_sha256: idsSha256([heldRow.id]),
      partitions_dropped: [monthB.relname],
    });
    expect(await partitions()).not.toContain(monthB.relname);
    expect((await logs()).some((r) => r.endpoint === "/v1/month-b-held")).toBe(false);
    expect(customerId).not.toBe("");
  });
});
