/**
 * API request logs are the bulk of the data (millions of rows at bench size), so they are generated
 * inside the database: generate_series over log ordinals, each row's choices taken from the bytes of
 * md5(seed:ordinal). Deterministic on both engines, and nothing is shipped row by row from Node.
 */
import type { Queryable } from "../db/engine.ts";
import type { LogSubject } from "./rows.ts";
import { API_CLIENT_AGENTS, API_ENDPOINTS, API_STATUSES, USER_AGENTS } from "./vocabulary.ts";

export const API_LOG_RETENTION_DAYS = 90;
const WINDOW_SEC = API_LOG_RETENTION_DAYS * 86400;

/** Rows per INSERT … SELECT: keeps each statement's memory bounded on PGlite. */
export const API_LOG_CHUNK_ROWS = 250_000;

function expandWeights<T>(entries: ReadonlyArray<readonly [T, number]>): T[] {
  const out: T[] = [];
  for (const [value, weight] of entries) for (let i = 0; i < weight; i++) out.push(value);
  return out;
}

/** First month and count of monthly partitions the log window [now - 90 days, now] touches. */
export function logPartitionMonths(now: Date): { fromMonth: string; months: number } {
  const from = new Date(now.getTime() - WINDOW_SEC * 1000);
  const months = (now.getUTCFullYear() - from.getUTCFullYear()) * 12 + (now.getUTCMonth() - from.getUTCMonth()) + 1;
  const fromMonth = `${from.getUTCFullYear()}-${String(from.getUTCMonth() + 1).padStart(2, "0")}-01`;
  return { fromMonth, months };
}

// Per-customer facts live in a temporary table keyed by ordinal: subscripting a big text[] parameter
// walks it element by element (variable-width elements), which made each row cost O(customers).
const CREATE_SUBJECTS_SQL = `
create temporary table seed_log_subjects (
  k integer primary key, customer_id uuid not null, from_sec float8 not null, ip inet not null, agent integer not null
) on commit drop`;

const FILL_SUBJECTS_SQL = `
insert into seed_log_subjects (k, customer_id, from_sec, ip, agent)
select k, customer_id, from_sec, ip, agent
from json_to_recordset($1::json) as x(k integer, customer_id uuid, from_sec float8, ip inet, agent integer)`;

// Byte budget of md5 (16 bytes) per row:
//  0-2 which customer (skewed to a heavy minority) · 3 anonymous call? · 4-6 time offset · 7-8 endpoint
//  9 own address or another · 10-11 status · 12 sub-second / agent · 13-15 other address
// The lateral lookup by primary key keeps rows in generate_series order, so identity ids are deterministic.
const INSERT_LOGS_SQL = `
insert into public.api_request_logs (customer_id, method, endpoint, status_code, ip, user_agent, requested_at)
select
  case when anonymous then null else s.customer_id end,
  split_part(call, ' ', 1),
  split_part(call, ' ', 2),
  case when status = 0 then (case when split_part(call, ' ', 1) = 'POST' then 201 else 200 end) else status end,
  case
    when anonymous or get_byte(h, 9) < 40 then
      case when get_byte(h, 13) < 40
        then format('2405:9800:%s:%s::%s', to_hex(get_byte(h, 14) * 256 + get_byte(h, 15)), to_hex(get_byte(h, 13) + 256), to_hex(get_byte(h, 4) + 1))::inet
        else format('%s.%s.%s.%s', (array[1,8,23,34,45,49,58,66,81,89,91,103,110,115,124,139,146,152,171,182,183,184,185,188,202,203,213])[1 + get_byte(h, 13) % 27],
                    get_byte(h, 14), get_byte(h, 15), 1 + get_byte(h, 5) % 254)::inet
      end
    else s.ip
  end,
  case
    when anonymous then ($7::text[])[1 + get_byte(h, 12) % cardinality($7::text[])]
    when get_byte(h, 12) < 220 then ($8::text[])[s.agent + 1]
    else ($8::text[])[1 + get_byte(h, 12) % cardinality($8::text[])]
  end,
  to_timestamp(
    case when anonymous
      then $2::float8 - (get_byte(h, 4) * 65536 + get_byte(h, 5) * 256 + get_byte(h, 6)) % ${WINDOW_SEC}
      else s.from_sec + (get_byte(h, 4) * 65536 + get_byte(h, 5) * 256 + get_byte(h, 6)) % greatest(1, ($2::float8 - s.from_sec)::int)
    end - get_byte(h, 12) / 256.0
  )
from (
  select
    g,
    h,
    get_byte(h, 3) < 13 as anonymous,
    1 + floor($9::int * power((get_byte(h, 0) * 65536 + get_byte(h, 1) * 256 + get_byte(h, 2)) / 16777216.0::float8, 1.6::float8))::int as k,
    ($5::text[])[1 + (get_byte(h, 7) * 256 + get_byte(h, 8)) % cardinality($5::text[])] as call,
    ($6::int[])[1 + (get_byte(h, 10) * 256 + get_byte(h, 11)) % cardinality($6::int[])] as status
  -- offset 0 keeps the planner from inlining h into every get_byte (one md5 per row, not twenty).
  from (select g, decode(md5($1::text || ':' || g), 'hex') as h from generate_series($3::bigint, $4::bigint) as g offset 0) as hashed
) as drawn
cross join lateral (select customer_id, from_sec, ip, agent from seed_log_subjects where seed_log_subjects.k = drawn.k) as s
order by g`;

export interface ApiLogOptions {
  seed: number;
  now: Date;
  total: number;
  onChunk?: (written: number, total: number) => void;
}

/**
 * Writes `total` log rows over the last 90 days for `subjects` (live customers), about 5% anonymous.
 * The partitions for the months touched must exist already (ensure_api_request_log_partitions).
 * Must run inside a transaction (the subjects sit in a temporary table dropped at commit).
 */
export async function insertApiLogs(db: Queryable, subjects: readonly LogSubject[], options: ApiLogOptions): Promise<number> {
  if (options.total <= 0) return 0;
  if (subjects.length === 0) throw new Error("insertApiLogs: no live customers to attribute API calls to");
  const nowSec = Math.floor(options.now.getTime() / 1000);
  await db.query(CREATE_SUBJECTS_SQL);
  // Each chunk is sorted by ordinal before insert (deterministic ids): keep that sort in memory.
  await db.query("select set_config('work_mem', '128MB', true)");
  // A customer appears in the logs from sign-up or from the start of the retention window, whichever is later.
  const subjectRows = subjects.map((s, i) => ({
    k: i + 1,
    customer_id: s.id,
    from_sec: Math.max(s.fromSec, nowSec - WINDOW_SEC),
    ip: s.ip,
    agent: s.userAgentIndex,
  }));
  for (let start = 0; start < subjectRows.length; start += 20_000) {
    await db.query(FILL_SUBJECTS_SQL, [JSON.stringify(subjectRows.slice(start, start + 20_000))]);
  }
  const calls = expandWeights(API_ENDPOINTS);
  const statuses = expandWeights(API_STATUSES);
  let written = 0;
  for (let first = 1; first <= options.total; first += API_LOG_CHUNK_ROWS) {
    const last = Math.min(options.total, first + API_LOG_CHUNK_ROWS - 1);
    const result = await db.query(INSERT_LOGS_SQL, [
      `${options.seed}:api`,
      nowSec,
      first,
      last,
      calls,
      statuses,
      [...API_CLIENT_AGENTS],
      [...USER_AGENTS],
      subjects.length,
    ]);
    written += result.rowCount;
    options.onChunk?.(written, options.total);
  }
  await db.query("drop table seed_log_subjects");
  return written;
}
