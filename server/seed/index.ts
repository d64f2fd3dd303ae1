/**
 * The deterministic demo/bench data generator. `seed(engine, { customers })` fills an already-migrated
 * database, as its owner (RLS does not apply), inside one transaction: a failure leaves nothing behind.
 * Same `seed` and `now` → the same rows, ids included.
 */
import type { Engine, Queryable } from "../db/engine.ts";
import { insertApiLogs, logPartitionMonths } from "./api-logs.ts";
import { insertRows } from "./bulk.ts";
import { demoDsarCount, seedDsar } from "./dsar.ts";
import { generateCustomer, type GeneratorContext } from "./customers.ts";
import { linkRefundClawbacks, seedMoneyDemo } from "./money.ts";
import { CURRENT_POLICY_VERSION, policyVersionSeeds, type PolicyDocument } from "./policies.ts";
import { Random } from "./prng.ts";
import { seedRetention } from "./retention.ts";
import { BATCH_COLUMNS, emptyBatch, type CustomerBatch, type ErrorReportRow, type LogSubject } from "./rows.ts";
import { DEMO_STAFF } from "./staff.ts";
import { ERROR_SUMMARIES } from "./vocabulary.ts";

export { DEMO_STAFF } from "./staff.ts";
export { CURRENT_POLICY_VERSION } from "./policies.ts";
export { refundsByPaymentIdFromDatabase } from "./stripe-refunds.ts";

/** `npm run seed` without arguments and the embedded server's first start. */
export const DEMO_CUSTOMERS = 300;
/** `npm run bench` size. */
export const BENCH_CUSTOMERS = 100_000;
export const DEFAULT_SEED = 20261126;
/** API log rows per customer: 30 → several million at bench size. */
export const API_LOGS_PER_CUSTOMER = 30;
/** Customers generated and inserted per round: bounds memory at bench size. */
const CUSTOMERS_PER_BATCH = 2000;
const MAX_CUSTOMERS = 2_000_000;

export interface SeedOptions {
  customers: number;
  seed?: number;
  /** The seed's "today"; defaults to the current UTC day at midnight. Tests pass it explicitly. */
  now?: Date;
  onProgress?: (message: string) => void;
}

export type SeededTable =
  | "staff_members"
  | "staff_roles"
  | "policy_versions"
  | "customers"
  | "customer_stripe_ids"
  | "projects"
  | "generations"
  | "assets"
  | "subscriptions"
  | "subscription_stripe_ids"
  | "payments"
  | "payment_stripe_ids"
  | "credit_ledger"
  | "refunds"
  | "refund_stripe_ids"
  | "credit_adjustments"
  | "consent_events"
  | "policy_declines"
  | "error_reports"
  | "api_request_logs"
  | "dsar_requests"
  | "dsar_events"
  | "legal_holds"
  | "purge_runs";

export interface SeedSummary {
  seed: number;
  now: string;
  /** Rows this run inserted, per table (staff and policy versions already present count 0). */
  rows: Record<SeededTable, number>;
  elapsedMs: number;
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function validate(opts: SeedOptions): { customers: number; seed: number; now: Date } {
  const { customers } = opts;
  if (!Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw new Error(`seed: customers must be an integer from 1 to ${MAX_CUSTOMERS}, got ${String(customers)}`);
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`seed: seed must be an integer from 0 to 4294967295, got ${String(seed)}`);
  }
  const now = opts.now ?? startOfUtcDay(new Date());
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new Error("seed: now must be a valid Date");
  return { customers, seed, now };
}

/** Stable ids for the demo staff: the same on every database, whatever the seed. */
function staffId(clerkUserId: string): string {
  return new Random("staff", clerkUserId).uuid();
}

async function seedStaff(db: Queryable, now: Date): Promise<{ members: number; roles: number; ids: Map<string, string> }> {
  const createdAt = new Date(now.getTime() - 800 * 86_400_000).toISOString();
  const members = DEMO_STAFF.map((s) => ({
    id: staffId(s.clerkUserId),
    clerk_user_id: s.clerkUserId,
    email: s.email,
    display_name: s.displayName,
    active: true,
    created_at: createdAt,
  }));
  const inserted = await db.query(
    `insert into public.staff_members (id, clerk_user_id, email, display_name, active, created_at)
     select id, clerk_user_id, email, display_name, active, created_at
     from json_populate_recordset(null::public.staff_members, $1::json)
     on conflict do nothing`,
    [JSON.stringify(members)],
  );
  // Existing rows keep their ids: look them up rather than assuming ours.
  const found = await db.query<{ id: string; clerk_user_id: string }>(
    "select id, clerk_user_id from public.staff_members where clerk_user_id = any($1::text[])",
    [DEMO_STAFF.map((s) => s.clerkUserId)],
  );
  const ids = new Map(found.rows.map((r) => [r.clerk_user_id, r.id]));
  const adminId = ids.get(DEMO_STAFF.find((s) => s.roles.includes("admin"))?.clerkUserId ?? "") ?? null;
  const roles = DEMO_STAFF.flatMap((s) =>
    s.roles.map((role) => ({ staff_member_id: ids.get(s.clerkUserId), role, granted_by: adminId, granted_at: createdAt })),
  );
  const grantedRoles = await db.query(
    `insert into public.staff_roles (staff_member_id, role, granted_by, granted_at)
     select staff_member_id, role, granted_by, granted_at
     from json_populate_recordset(null::public.staff_roles, $1::json)
     on conflict do nothing`,
    [JSON.stringify(roles)],
  );
  return { members: inserted.rowCount, roles: grantedRoles.rowCount, ids };
}

interface SeededPolicy {
  id: string;
  document: PolicyDocument;
  version: string;
  effectiveMs: number | null;
  status: string;
}

/** The privacy policy's ids stay keyed by version alone (as before the terms and cookie policy were seeded). */
function policyId(document: PolicyDocument, version: string): string {
  return document === "privacy_policy" ? new Random("policy", version).uuid() : new Random("policy", document, version).uuid();
}

async function seedPolicies(
  db: Queryable,
  dpoId: string | null,
): Promise<{ inserted: number; versions: SeededPolicy[] }> {
  const seeds = policyVersionSeeds();
  const rows = seeds.map((p) => ({
    id: policyId(p.document, p.version),
    document: p.document,
    version: p.version,
    title: p.title,
    body_markdown: p.bodyMarkdown,
    body_th: p.bodyTh,
    summary_of_changes: p.summaryOfChanges,
    change_class: p.changeClass,
    change_reason: p.changeReason,
    status: p.status,
    effective_at: p.effectiveAt,
    published_at: p.publishedAt,
    published_by: p.publishedAt ? dpoId : null,
    // A superseded version was superseded when its successor was published.
    superseded_at:
      p.status === "superseded"
        ? (seeds
            .filter((n) => n.document === p.document && n.publishedAt !== null && n.publishedAt > (p.publishedAt ?? ""))
            .map((n) => n.publishedAt!)
            .sort()[0] ?? null)
        : null,
    created_at: p.publishedAt ?? "2026-11-20T02:00:00.000Z",
  }));
  // body_sha256 / body_th_sha256 are computed by the database (policy_versions_guard).
  const inserted = await db.query(
    `insert into public.policy_versions (id, document, version, title, body_markdown, body_th, summary_of_changes,
       change_class, change_reason, status, effective_at, published_at, published_by, superseded_at, created_at)
     select id, document, version, title, body_markdown, body_th, summary_of_changes,
       change_class, change_reason, status, effective_at, published_at, published_by, superseded_at, created_at
     from json_populate_recordset(null::public.policy_versions, $1::json)
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
  const found = await db.query<{ id: string; document: PolicyDocument; version: string; effective_at: Date | string | null; status: string }>(
    `select v.id, v.document, v.version, v.effective_at, v.status
     from public.policy_versions v join json_populate_recordset(null::public.policy_versions, $1::json) s
       on s.document = v.document and s.version = v.version`,
    [JSON.stringify(rows.map((r) => ({ document: r.document, version: r.version })))],
  );
  const versions = found.rows.map((r) => ({
    id: r.id,
    document: r.document,
    version: r.version,
    status: r.status,
    effectiveMs: r.effective_at === null ? null : new Date(r.effective_at).getTime(),
  }));
  return { inserted: inserted.rowCount, versions };
}

async function insertBatch(db: Queryable, batch: CustomerBatch, rows: SeedSummary["rows"]): Promise<void> {
  for (const table of Object.keys(BATCH_COLUMNS) as Array<keyof CustomerBatch>) {
    const columns = BATCH_COLUMNS[table] as readonly string[];
    rows[table] += await insertRows<Record<string, unknown>>(db, table, columns, batch[table] as unknown as Array<Record<string, unknown>>);
  }
}

function errorReports(seed: number, nowMs: number, subjects: readonly LogSubject[], count: number): ErrorReportRow[] {
  const rng = new Random(seed, "error_reports");
  const windowMs = 30 * 86_400_000;
  const reports: ErrorReportRow[] = [];
  for (let i = 0; i < count; i++) {
    const subject = subjects.length > 0 && rng.chance(0.75) ? rng.pick(subjects) : null;
    const earliest = Math.max(nowMs - windowMs, subject ? subject.fromSec * 1000 : 0);
    const report = {
      id: rng.uuid(),
      customer_id: subject?.id ?? null,
      sentry_event_id: rng.hex(32),
      summary: rng.pick(ERROR_SUMMARIES),
      occurred_at: new Date(Math.round(earliest + (nowMs - earliest) * rng.next())).toISOString(),
    };
    // The first report, anonymous, sits exactly on the 30-day boundary: due for purge from the seed's day (retention.ts).
    reports.push(i === 0 ? { ...report, customer_id: null, occurred_at: new Date(nowMs - windowMs).toISOString() } : report);
  }
  return reports;
}

export async function seed(engine: Engine, opts: SeedOptions): Promise<SeedSummary> {
  const { customers, seed: seedValue, now } = validate(opts);
  const progress = opts.onProgress ?? (() => undefined);
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const rows: SeedSummary["rows"] = {
    staff_members: 0,
    staff_roles: 0,
    policy_versions: 0,
    customers: 0,
    customer_stripe_ids: 0,
    projects: 0,
    generations: 0,
    assets: 0,
    subscriptions: 0,
    subscription_stripe_ids: 0,
    payments: 0,
    payment_stripe_ids: 0,
    credit_ledger: 0,
    refunds: 0,
    refund_stripe_ids: 0,
    credit_adjustments: 0,
    consent_events: 0,
    policy_declines: 0,
    error_reports: 0,
    api_request_logs: 0,
    dsar_requests: 0,
    dsar_events: 0,
    legal_holds: 0,
    purge_runs: 0,
  };

  await engine.transaction(async (db) => {
    const staff = await seedStaff(db, now);
    rows.staff_members = staff.members;
    rows.staff_roles = staff.roles;
    const idOf = (role: string): string => {
      const member = DEMO_STAFF.find((s) => s.roles.includes(role as never));
      const id = member && staff.ids.get(member.clerkUserId);
      if (!id) throw new Error(`seed: demo staff member for role ${role} is missing`);
      return id;
    };
    const policies = await seedPolicies(db, idOf("dpo"));
    rows.policy_versions = policies.inserted;
    const current = policies.versions.find((p) => p.document === "privacy_policy" && p.version === CURRENT_POLICY_VERSION);
    if (!current || current.effectiveMs === null) throw new Error(`seed: policy version ${CURRENT_POLICY_VERSION} has no effective date`);
    const effective = (document: PolicyDocument) =>
      policies.versions
        .filter((p): p is SeededPolicy & { effectiveMs: number } => p.document === document && p.effectiveMs !== null && p.status !== "draft")
        .sort((a, b) => a.effectiveMs - b.effectiveMs)
        .map((p) => ({ id: p.id, effectiveMs: p.effectiveMs }));
    progress(`staff and policy versions ready (${elapsed()})`);

    const ctx: GeneratorContext = {
      seed: seedValue,
      nowMs: now.getTime(),
      staff: { supportId: idOf("support"), financeId: idOf("finance"), dpoId: idOf("dpo") },
      policies: effective("privacy_policy"),
      currentPolicy: { id: current.id, effectiveMs: current.effectiveMs },
      terms: effective("terms"),
      cookiePolicies: effective("cookie_policy"),
      declines: [],
      usedEmails: new Set(),
      usedClerkIds: new Set(),
    };
    const subjects: LogSubject[] = [];
    for (let first = 0; first < customers; first += CUSTOMERS_PER_BATCH) {
      const batch = emptyBatch();
      const last = Math.min(customers, first + CUSTOMERS_PER_BATCH);
      for (let i = first; i < last; i++) {
        const made = generateCustomer(ctx, i, batch);
        if (made.logSubject) subjects.push(made.logSubject);
      }
      await insertBatch(db, batch, rows);
      progress(`customers ${last}/${customers} with related rows (${elapsed()})`);
    }

    // Declines of the current (re_accept) privacy policy, as the customer app records them at the prompt.
    for (const d of ctx.declines) {
      const declined = await db.query<{ withdrawn: number }>(
        `select cardinality(withdrawn_purposes)::int as withdrawn
         from public.record_policy_decline($1, $2, null, $3::inet, $4, $5::timestamptz)`,
        [d.customerId, current.id, d.ip, d.userAgent, new Date(d.atMs).toISOString()],
      );
      rows.policy_declines += 1;
      rows.consent_events += 1 + (declined.rows[0]?.withdrawn ?? 0);
    }
    progress(`${ctx.declines.length} declines of the privacy policy ${CURRENT_POLICY_VERSION} (${elapsed()})`);

    await linkRefundClawbacks(db);
    // The second finance user gives the approvals the first one cannot (their own requests, second approvals).
    const approverId = staff.ids.get(DEMO_STAFF.filter((s) => s.roles.includes("finance"))[1]?.clerkUserId ?? "");
    if (!approverId) throw new Error("seed: the second demo finance user is missing");
    const money = await seedMoneyDemo(db, {
      seed: seedValue,
      now,
      staff: { supportId: idOf("support"), financeId: idOf("finance"), approverId },
    });
    for (const table of Object.keys(money) as Array<keyof typeof money>) rows[table] += money[table];
    progress(`money desk demo: ${money.refunds} refunds, ${money.credit_adjustments} credit adjustments (${elapsed()})`);

    rows.error_reports = await insertRows(
      db,
      "error_reports",
      ["id", "customer_id", "sentry_event_id", "summary", "occurred_at"],
      errorReports(seedValue, now.getTime(), subjects, Math.max(5, Math.round(customers * 0.12))),
    );

    const { fromMonth, months } = logPartitionMonths(now);
    await db.query("select public.ensure_api_request_log_partitions($1::date, $2::int)", [fromMonth, months]);
    rows.api_request_logs = await insertApiLogs(db, subjects, {
      seed: seedValue,
      now,
      total: customers * API_LOGS_PER_CUSTOMER,
      onChunk: (written, total) => progress(`api_request_logs ${written}/${total} (${elapsed()})`),
    });

    const dsar = await seedDsar(db, { seed: seedValue, now, count: demoDsarCount(customers) });
    rows.dsar_requests = dsar.dsar_requests;
    rows.dsar_events = dsar.dsar_events;
    progress(`dsar requests ${dsar.dsar_requests} with ${dsar.dsar_events} events (${elapsed()})`);

    const retention = await seedRetention(db, { seed: seedValue, now, customers, dpoId: idOf("dpo") });
    rows.legal_holds = retention.legal_holds;
    rows.purge_runs = retention.purge_runs;
    progress(`retention: ${retention.legal_holds} legal holds, ${retention.purge_runs} daily dry runs (${elapsed()})`);
  });

  const summary: SeedSummary = { seed: seedValue, now: now.toISOString(), rows, elapsedMs: Date.now() - started };
  progress(`seed done in ${elapsed()}`);
  return summary;
}
