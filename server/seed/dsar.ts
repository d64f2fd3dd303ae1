/**
 * DSAR demo and bench data: requests of every type, status and channel with plausible timelines,
 * relative to the seed's `now`, from PRNG streams of their own (request #i is the same whatever the
 * count). Rows are inserted as the owner, like the rest of the seed; the clock is never stored (the
 * dsar_queue view computes it), so "overdue" follows from received_at alone.
 *
 * Nothing here changes customer data: a fulfilled erasure needs the real dsar_execute_erasure, so the
 * demo's erasure requests stop short of execution (a DPO runs one live).
 */
import type { Tables } from "../../src/lib/database.types.ts";
import type { Engine, Queryable } from "../db/engine.ts";
import { insertRows } from "./bulk.ts";
import { Random } from "./prng.ts";
import { DEMO_STAFF } from "./staff.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BANGKOK_OFFSET_MS = 7 * HOUR;

export const DSAR_TYPES = ["access", "portability", "rectification", "erasure", "restriction", "objection", "complaint"] as const;
export const DSAR_STATUSES = [
  "new", "awaiting_verification", "in_progress", "awaiting_subject", "fulfilled", "rejected", "withdrawn", "duplicate",
] as const;
export const DSAR_CHANNELS = ["self_service", "email", "other"] as const;
type DsarType = (typeof DSAR_TYPES)[number];
type DsarStatus = (typeof DSAR_STATUSES)[number];
type DsarChannel = (typeof DSAR_CHANNELS)[number];

const OPEN: ReadonlySet<DsarStatus> = new Set(["new", "awaiting_verification", "in_progress", "awaiting_subject"]);
/** Statuses that require a verified identity (the table's check). */
const VERIFIED: ReadonlySet<DsarStatus> = new Set(["in_progress", "awaiting_subject", "fulfilled"]);

const REFUSAL_GROUNDS = [
  "Identity could not be verified after two reminders (PDPA s.30 para 2)",
  "Manifestly excessive: the same access request was answered 3 weeks ago (PDPA s.30)",
  "Payment records must be kept for 7 years under Thai tax law (PDPA s.33 para 4)",
  "The requester is not the data subject and holds no authority to act for them",
] as const;
const EXTENSION_REASONS = [
  "Subject asked for data from archived projects; restoring them takes longer",
  "Waiting for KIE.AI to confirm which prompts they still hold",
  "Large account: export split into parts, agreed with the subject",
] as const;
const SUMMARIES: Record<DsarType, readonly string[]> = {
  access: ["Wants a copy of everything held about them", "ขอสำเนาข้อมูลส่วนบุคคลทั้งหมด", "Asks which prompts and songs are stored"],
  portability: ["Wants projects and generations as JSON to move to another studio", "ขอข้อมูลในรูปแบบที่อ่านด้วยเครื่องได้"],
  rectification: ["Display name is misspelled", "ขอแก้ไขชื่อที่แสดง", "Country should be TH, not US"],
  erasure: ["Close the account and delete everything", "ขอให้ลบบัญชีและข้อมูลทั้งหมด", "Delete my uploads and prompts"],
  restriction: ["Disputes a charge; asks to pause processing until resolved", "ขอระงับการใช้ข้อมูลชั่วคราว"],
  objection: ["No more marketing emails", "Withdraws consent to analytics", "ขอถอนความยินยอมการตลาด"],
  complaint: ["Unhappy that an earlier request took too long", "Complains about an email sent after unsubscribing"],
};
const UNMATCHED_DOMAINS = ["gmail.com", "hotmail.com", "proton.me", "outlook.co.th"] as const;

export interface DsarSubject {
  id: string;
  email: string;
  restricted: boolean;
  deleted: boolean;
}

/** A `dsar_requests` row (src/lib/database.types.ts), its checked text columns typed as their values. */
export type DsarRequestRow = Omit<Tables<"dsar_requests">, "type" | "status" | "channel" | "identity_method"> & {
  type: DsarType;
  status: DsarStatus;
  channel: DsarChannel;
  identity_method: "email_link" | "id_document" | "account_signed_in" | null;
};

/** A `dsar_events` row without its identity id. */
export type DsarEventRow = Omit<Tables<"dsar_events">, "id" | "details"> & { details: Record<string, unknown> };

const REQUEST_COLUMNS = [
  "id", "reference", "type", "status", "channel", "requester_email", "customer_id", "summary", "received_at", "created_by",
  "assignee_id", "extension_days", "extension_reason", "identity_method", "identity_verified_by", "identity_verified_at",
  "identity_note", "refusal_ground", "duplicate_of", "closed_at", "created_at", "updated_at",
] as const satisfies ReadonlyArray<keyof DsarRequestRow>;
const EVENT_COLUMNS = [
  "request_id", "kind", "from_status", "to_status", "note", "details", "actor_staff_id", "occurred_at",
] as const satisfies ReadonlyArray<keyof DsarEventRow>;

export interface DsarGeneratorOptions {
  seed: number;
  nowMs: number;
  /** Which stream: "demo" rows and "bench" rows never share ids. */
  stream: "demo" | "bench";
  count: number;
  subjects: readonly DsarSubject[];
  staff: { dpoId: string; supportId: string };
  /** Highest reference number already used per Bangkok year (the new ones continue from there). */
  lastReference: Map<number, number>;
  /** Oldest receipt, in days before now (the demo spans ~11 months, the bench a year). */
  spanDays: number;
  /** Share of requests still open (the rest are closed). */
  openShare: number;
}

export interface DsarGenerated {
  requests: DsarRequestRow[];
  events: DsarEventRow[];
}

function bangkokYear(ms: number): number {
  return new Date(ms + BANGKOK_OFFSET_MS).getUTCFullYear();
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Request #i's type, status and channel cycle with co-prime periods (7, 8, 3), so every combination
 * appears within the first 168 rows and every type/status pair within the first 56.
 */
function shapeOf(i: number, rng: Random, openShare: number, demo: boolean): { type: DsarType; status: DsarStatus; channel: DsarChannel } {
  const type = DSAR_TYPES[i % DSAR_TYPES.length]!;
  const channel = DSAR_CHANNELS[i % DSAR_CHANNELS.length]!;
  let status: DsarStatus;
  if (demo) {
    status = DSAR_STATUSES[i % DSAR_STATUSES.length]!;
  } else {
    status = rng.chance(openShare)
      ? rng.weighted<DsarStatus>([["new", 2], ["awaiting_verification", 2], ["in_progress", 4], ["awaiting_subject", 1]])
      : rng.weighted<DsarStatus>([["fulfilled", 8], ["rejected", 1], ["withdrawn", 1], ["duplicate", 1]]);
  }
  return { type, status, channel };
}

/** The demo and bench generator (pure: same options → same rows). */
export function generateDsarRequests(opts: DsarGeneratorOptions): DsarGenerated {
  const { nowMs, staff } = opts;
  const demo = opts.stream === "demo";
  const drafts: Array<{ row: DsarRequestRow; receivedMs: number; events: DsarEventRow[] }> = [];
  const usable = opts.subjects.filter((s) => !s.deleted);
  const restricted = opts.subjects.filter((s) => s.restricted && !s.deleted);
  const deleted = opts.subjects.filter((s) => s.deleted);

  for (let i = 0; i < opts.count; i++) {
    const rng = new Random(opts.seed, "dsar", opts.stream, i);
    const id = rng.uuid();
    const shape = shapeOf(i, rng, opts.openShare, demo);
    const { type, channel } = shape;
    let { status } = shape;
    // A fulfilled erasure would need the customer's data really erased: keep those in progress.
    if (type === "erasure" && status === "fulfilled") status = "in_progress";
    const open = OPEN.has(status);

    // Open requests: up to ~45 days old, so a share is overdue; closed ones spread over the span.
    // Milliseconds drawn too: two requests of one person and type never share a receipt time.
    const ageMs = (open ? (demo && i % 5 === 0 ? 31 + rng.int(0, 12) : rng.int(0, 44)) : rng.int(3, opts.spanDays)) * DAY
      + rng.int(60_000, DAY - 1);
    const receivedMs = nowMs - ageMs;

    // Self-service rows come from a signed-in account; email/other may stay unmatched.
    const pool = type === "restriction" && status === "fulfilled" && restricted.length > 0 ? restricted
      : type === "erasure" && deleted.length > 0 && rng.chance(0.3) ? deleted : usable;
    const matched = pool.length > 0 && (channel === "self_service" || rng.chance(0.75));
    const subject = matched ? rng.pick(pool) : null;
    const requesterEmail = subject ? subject.email.trim().toLowerCase()
      : `requester.${rng.base62(8).toLowerCase()}@${rng.pick(UNMATCHED_DOMAINS)}`;
    const createdBy = channel === "self_service" ? null : rng.chance(0.6) ? staff.supportId : staff.dpoId;
    const createdMs = Math.min(nowMs, receivedMs + (channel === "self_service" ? 0 : rng.int(10, 600) * 60_000));
    const endMs = open ? nowMs : Math.min(nowMs - HOUR, receivedMs + rng.int(1, 40) * DAY + rng.int(0, 20) * HOUR);
    // Timeline instants between creation and the end, in order.
    let cursor = createdMs;
    const step = (): number => {
      cursor = Math.min(endMs, cursor + Math.max(60_000, Math.round((endMs - cursor) * (0.1 + 0.3 * rng.next()))));
      return cursor;
    };

    const events: DsarEventRow[] = [];
    const event = (kind: string, at: number, actor: string | null, extra: Partial<DsarEventRow> = {}): void => {
      events.push({ request_id: id, kind, from_status: null, to_status: null, note: null, details: {}, actor_staff_id: actor, occurred_at: iso(at), ...extra });
    };
    event("created", createdMs, createdBy, {
      to_status: "new",
      details: { channel, received_at: iso(receivedMs), back_dated: createdMs - receivedMs > 5 * 60_000, customer_matched: subject !== null },
    });

    const assigned = status !== "new" || rng.chance(0.5);
    if (assigned) event("assigned", step(), staff.dpoId, { details: { from_assignee_id: null, to_assignee_id: staff.dpoId } });

    let current: DsarStatus = "new";
    const move = (to: DsarStatus, at: number, extra: Partial<DsarEventRow> = {}): void => {
      event("status_changed", at, staff.dpoId, { from_status: current, to_status: to, ...extra });
      current = to;
    };

    const verified = VERIFIED.has(status) || ((status === "rejected" || status === "withdrawn") && rng.chance(0.4));
    const askedForId = status === "awaiting_verification" || (verified && channel !== "self_service" && rng.chance(0.5));
    if (askedForId) move("awaiting_verification", step());
    let identity: Pick<DsarRequestRow, "identity_method" | "identity_verified_by" | "identity_verified_at" | "identity_note"> = {
      identity_method: null, identity_verified_by: null, identity_verified_at: null, identity_note: null,
    };
    if (verified) {
      const at = step();
      const method = channel === "self_service" ? "account_signed_in" : askedForId ? "id_document" : "email_link";
      identity = {
        identity_method: method,
        identity_verified_by: staff.dpoId,
        identity_verified_at: iso(at),
        identity_note: method === "id_document" ? "ID card checked on a video call; name matches the account" : null,
      };
      event("identity_verified", at, staff.dpoId, { from_status: current, to_status: "in_progress", details: { method } });
      current = "in_progress";
    }

    const extended = (current === "in_progress" && rng.chance(demo ? 0.3 : 0.1)) ? rng.pick([7, 14, 30]) : 0;
    const extensionReason = extended > 0 ? rng.pick(EXTENSION_REASONS) : null;
    if (extended > 0) event("extended", step(), staff.dpoId, { note: extensionReason, details: { days: extended, extension_days: extended } });

    if (status === "awaiting_subject" || (status === "fulfilled" && rng.chance(0.2))) {
      move("awaiting_subject", step(), { note: "Asked the subject which projects they mean" });
      if (status === "fulfilled") move("in_progress", step());
    }
    if (status === "fulfilled") {
      if (type === "access" || type === "portability") {
        event("export_generated", step(), staff.dpoId, { details: { manifest_sha256: rng.hex(64), customer_id: subject?.id ?? null, files: rng.int(18, 22) } });
      } else if (type === "rectification") {
        event("rectified", step(), staff.dpoId, { details: { customer_id: subject?.id ?? null, fields: ["display_name"] } });
      } else if (type === "restriction") {
        event("restriction_changed", step(), staff.dpoId, { note: "Processing paused while the dispute is open", details: { customer_id: subject?.id ?? null, restricted: true } });
      } else {
        event("note", step(), staff.dpoId, { note: type === "complaint" ? "Apologised; explained the right to complain to the PDPC" : "Confirmed no marketing or analytics consent is held" });
      }
      event("email_sent", step(), staff.dpoId, { details: { language: rng.pick(["th", "en"]), characters: rng.int(400, 1600), body_sha256: rng.hex(64) } });
    }
    const refusalGround = status === "rejected" ? rng.pick(REFUSAL_GROUNDS) : null;
    const duplicateOf = status === "duplicate" ? (drafts.findLast((d) => d.row.status !== "duplicate")?.row ?? null) : null;
    if (status === "duplicate" && !duplicateOf) status = "withdrawn";
    if (!open) {
      move(status, endMs, {
        details: refusalGround ? { refusal_ground: refusalGround }
          : duplicateOf ? { duplicate_of: duplicateOf.id, duplicate_of_reference: duplicateOf.reference } : {},
        note: status === "withdrawn" ? "Subject withdrew the request by email" : null,
      });
    } else if (status === "in_progress" && current !== "in_progress") {
      throw new Error("generateDsarRequests: an in-progress request must have been verified");
    } else if (status !== current) {
      move(status, step());
    }

    const lastEventMs = Math.max(...events.map((e) => Date.parse(e.occurred_at)));
    const row: DsarRequestRow = {
      id,
      reference: "", // numbered below, in order of receipt
      type,
      status,
      channel,
      requester_email: requesterEmail,
      customer_id: subject?.id ?? null,
      summary: channel === "self_service" ? null : rng.pick(SUMMARIES[type]),
      received_at: iso(receivedMs),
      created_by: createdBy,
      assignee_id: assigned ? staff.dpoId : null,
      extension_days: extended,
      extension_reason: extensionReason,
      ...identity,
      refusal_ground: refusalGround,
      duplicate_of: duplicateOf?.id ?? null,
      closed_at: open ? null : iso(endMs),
      created_at: iso(createdMs),
      updated_at: iso(lastEventMs),
    };
    drafts.push({ row, receivedMs, events });
  }

  // References in order of receipt within each Bangkok year, after what the database already used.
  const next = new Map(opts.lastReference);
  const byReceipt = [...drafts].sort((a, b) => a.receivedMs - b.receivedMs || (a.row.id < b.row.id ? -1 : 1));
  for (const d of byReceipt) {
    const year = bangkokYear(d.receivedMs);
    const n = (next.get(year) ?? 0) + 1;
    next.set(year, n);
    d.row.reference = `DSAR-${year}-${String(n).padStart(4, "0")}`;
  }
  // A duplicate's event names its original's reference, known only now.
  const referenceOf = new Map(drafts.map((d) => [d.row.id, d.row.reference]));
  for (const d of drafts) {
    for (const e of d.events) {
      if (typeof e.details.duplicate_of === "string") e.details.duplicate_of_reference = referenceOf.get(e.details.duplicate_of);
    }
  }
  return { requests: drafts.map((d) => d.row), events: drafts.flatMap((d) => d.events) };
}

export interface DsarSeedCounts {
  dsar_requests: number;
  dsar_events: number;
}

/** Demo size: a few dozen, growing slowly with the customer base. */
export function demoDsarCount(customers: number): number {
  return Math.max(48, Math.round(customers * 0.05));
}

async function loadContext(db: Queryable): Promise<{ subjects: DsarSubject[]; staff: { dpoId: string; supportId: string }; lastReference: Map<number, number> }> {
  const staffRows = await db.query<{ id: string; clerk_user_id: string }>(
    "select id, clerk_user_id from public.staff_members where clerk_user_id = any($1::text[])",
    [DEMO_STAFF.map((s) => s.clerkUserId)],
  );
  const idFor = (role: "dpo" | "support"): string => {
    const member = DEMO_STAFF.find((s) => s.roles.includes(role));
    const row = staffRows.rows.find((r) => r.clerk_user_id === member?.clerkUserId);
    if (!row) throw new Error(`seed dsar: the demo ${role} staff member is missing; seed staff first`);
    return row.id;
  };
  const customers = await db.query<{ id: string; email: string; processing_restricted: boolean; deleted: boolean }>(
    "select id, email, processing_restricted, deleted_at is not null as deleted from public.customers order by id",
  );
  const counters = await db.query<{ year: number; last_value: number }>("select year, last_value from public.dsar_reference_counters");
  return {
    subjects: customers.rows.map((c) => ({ id: c.id, email: c.email, restricted: c.processing_restricted, deleted: c.deleted })),
    staff: { dpoId: idFor("dpo"), supportId: idFor("support") },
    lastReference: new Map(counters.rows.map((c) => [Number(c.year), Number(c.last_value)])),
  };
}

async function insertGenerated(db: Queryable, generated: DsarGenerated): Promise<DsarSeedCounts> {
  // Originals before their duplicates (the foreign key), then the timelines.
  const ordered = [...generated.requests].sort((a, b) => Number(a.duplicate_of !== null) - Number(b.duplicate_of !== null));
  const requests = await insertRows(db, "dsar_requests", REQUEST_COLUMNS, ordered);
  const events = await insertRows(db, "dsar_events", EVENT_COLUMNS, generated.events);
  // The reference counters continue after the highest number now used in each year.
  await db.query(
    `insert into public.dsar_reference_counters as c (year, last_value)
     select split_part(reference, '-', 2)::int, max(split_part(reference, '-', 3)::int)
     from public.dsar_requests group by 1
     on conflict (year) do update set last_value = greatest(c.last_value, excluded.last_value)`,
  );
  return { dsar_requests: requests, dsar_events: events };
}

/** The demo's DSAR rows, inside the seed's transaction (customers and staff already there). */
export async function seedDsar(db: Queryable, opts: { seed: number; now: Date; count: number }): Promise<DsarSeedCounts> {
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error(`seed dsar: count must be a non-negative integer, got ${opts.count}`);
  const context = await loadContext(db);
  const generated = generateDsarRequests({
    seed: opts.seed, nowMs: opts.now.getTime(), stream: "demo", count: opts.count, subjects: context.subjects,
    staff: context.staff, lastReference: context.lastReference, spanDays: 330, openShare: 0.5,
  });
  return insertGenerated(db, generated);
}

/** Bench size (`npm run bench`): n more requests, mostly closed, over a year; one transaction. */
export async function seedDsarBench(engine: Engine, n: number, opts: { seed?: number; now?: Date } = {}): Promise<DsarSeedCounts> {
  if (!Number.isInteger(n) || n < 1 || n > 2_000_000) throw new Error(`seedDsarBench: n must be an integer from 1 to 2000000, got ${n}`);
  const now = opts.now ?? new Date();
  return engine.transaction(async (db) => {
    const context = await loadContext(db);
    const totals: DsarSeedCounts = { dsar_requests: 0, dsar_events: 0 };
    // In rounds, to bound memory; each round continues the reference numbering.
    const round = 20_000;
    for (let first = 0; first < n; first += round) {
      const count = Math.min(round, n - first);
      const generated = generateDsarRequests({
        seed: (opts.seed ?? 20261126) + first, nowMs: now.getTime(), stream: "bench", count, subjects: context.subjects,
        staff: context.staff, lastReference: context.lastReference, spanDays: 365, openShare: 0.1,
      });
      const written = await insertGenerated(db, generated);
      totals.dsar_requests += written.dsar_requests;
      totals.dsar_events += written.dsar_events;
      for (const r of generated.requests) {
        const [, year, number] = r.reference.split("-");
        context.lastReference.set(Number(year), Math.max(context.lastReference.get(Number(year)) ?? 0, Number(number)));
      }
    }
    return totals;
  });
}
