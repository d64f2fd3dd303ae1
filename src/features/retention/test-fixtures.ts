/**
 * Retention test fixtures: the status per category, the rules in force, runs with their counts and legal holds, as
 * each role reads them (legal_holds closed to the admin; nothing for support and finance). Tests render the console
 * with `renderConsole` from src/test.
 */
import { FAKE_STAFF, staffOf, type TableRows } from "../../test/fakeBackend";
import { CUSTOMER_ID, customerDataFor } from "../../test/fixtures";
import type { LegalHoldRow, PurgeRunCategoryRow, PurgeRunRow, RetentionRuleRow, RetentionStatusRow } from "./types";

export const DPO_ID = staffOf("dpo").id;
const HASH = "a".repeat(64);

function rule(category: string, period: string, trigger: string, action: string, version = 1): RetentionRuleRow {
  return {
    id: `rule-${category}`,
    category,
    version,
    title: category,
    tables: [category],
    trigger,
    period,
    grace: "7 days",
    action,
    action_detail: `${action} ${category}`,
    legal_basis: category === "payment_records" ? "Thai Revenue Code s.87/3" : "Privacy policy §6",
    owner: "DPO",
    source: "§6",
    backup_lag: "30 days",
    effective_from: "2026-01-01T00:00:00Z",
    superseded_at: null,
  } as RetentionRuleRow;
}

export const RULES: RetentionRuleRow[] = [
  rule("account_data", "1 year", "since_account_deletion", "anonymise"),
  rule("api_logs", "90 days", "since_creation", "drop_partition"),
  rule("payment_records", "7 years", "since_creation", "anonymise"),
];

export function statusRow(category: string, state: string, overrides: Partial<RetentionStatusRow> = {}): RetentionStatusRow {
  const r = RULES.find((x) => x.category === category)!;
  return {
    category,
    state,
    as_of: "2026-12-03T10:00:00Z",
    title: category,
    tables: r.tables,
    trigger: r.trigger,
    period: r.period,
    grace: r.grace,
    action: r.action,
    legal_basis: r.legal_basis,
    owner: r.owner,
    backup_lag: r.backup_lag,
    rule_id: r.id,
    rule_version: r.version,
    rows_held: 1200,
    rows_on_hold: 0,
    rows_past_period: 0,
    rows_past_period_on_hold: 0,
    oldest_row_at: "2026-08-01T00:00:00Z",
    oldest_row_age: "124 days 10:00:00",
    oldest_due_at: null,
    next_due_at: "2026-12-10T00:00:00Z",
    rows_due_next_30_days: 40,
    last_purge_at: null,
    last_purge_rows: null,
    last_purge_run_id: null,
    ...overrides,
  };
}

export const STATUS: RetentionStatusRow[] = [
  statusRow("account_data", "compliant"),
  statusRow("api_logs", "overdue", { rows_past_period: 65, last_purge_at: "2026-11-30T19:30:00Z", last_purge_rows: 12 }),
  statusRow("payment_records", "held", { rows_past_period: 3, rows_past_period_on_hold: 3 }),
];

export function run(id: string, cutoff: string, mode: "dry_run" | "execute", overrides: Partial<PurgeRunRow> = {}): PurgeRunRow {
  return {
    id,
    mode,
    cutoff,
    started_at: cutoff,
    finished_at: cutoff,
    started_by: DPO_ID,
    started_via: "seed",
    status: "done",
    rows_purged: mode === "execute" ? 0 : null,
    certificate: null,
    certificate_sha256: null,
    audit_log_id: null,
    txid: 1,
    ...overrides,
  };
}

export function runCategory(runId: string, category: string, pastPeriod: number, onHold = 0): PurgeRunCategoryRow {
  return {
    run_id: runId,
    category,
    rule_id: `rule-${category}`,
    rule_version: 1,
    rows_past_period: pastPeriod,
    rows_on_hold: onHold,
    rows_purged: pastPeriod - onHold,
    ids_sha256: HASH,
    partitions_dropped: [],
  };
}

export const RUNS: PurgeRunRow[] = [run("run-2", "2026-12-02T10:00:00Z", "dry_run"), run("run-1", "2026-12-01T10:00:00Z", "dry_run")];
export const RUN_CATEGORIES: PurgeRunCategoryRow[] = [
  runCategory("run-1", "api_logs", 50),
  runCategory("run-1", "account_data", 2),
  runCategory("run-2", "api_logs", 60),
  runCategory("run-2", "account_data", 1),
];

export function hold(overrides: Partial<LegalHoldRow> = {}): LegalHoldRow {
  return {
    id: "hold-1",
    customer_id: CUSTOMER_ID,
    category: "payment_records",
    held_from: null,
    held_until: null,
    reason: "Chargeback dispute CB-2026-114",
    review_on: "2027-03-01",
    placed_by: DPO_ID,
    placed_at: "2026-11-20T03:00:00Z",
    released_at: null,
    released_by: null,
    release_note: null,
    ...overrides,
  };
}

export const HOLDS: LegalHoldRow[] = [
  hold(),
  hold({ id: "hold-0", customer_id: null, category: "api_logs", reason: "Police request 42", released_at: "2026-11-25T03:00:00Z", released_by: DPO_ID, release_note: "Request closed" }),
];

const READERS = new Set(["dpo", "admin", "auditor"]);
const HOLD_READERS = new Set(["dpo", "auditor"]);

export interface RetentionData {
  status?: RetentionStatusRow[];
  rules?: RetentionRuleRow[];
  runs?: PurgeRunRow[];
  runCategories?: PurgeRunCategoryRow[];
  holds?: LegalHoldRow[];
}

/** The retention tables as `role` reads them under RLS (empty for support and finance; no legal_holds for the admin). */
export function retentionDataFor(data: RetentionData = {}) {
  return (role: string): TableRows => {
    const reads = READERS.has(role);
    const rows: TableRows = {
      ...customerDataFor(role),
      staff_members: FAKE_STAFF.map((s) => ({ id: s.id, display_name: s.display_name, email: s.email })),
      retention_status: reads ? (data.status ?? STATUS) : [],
      retention_rules: reads ? (data.rules ?? RULES) : [],
      purge_runs: reads ? (data.runs ?? RUNS) : [],
      purge_run_categories: reads ? (data.runCategories ?? RUN_CATEGORIES) : [],
    };
    if (HOLD_READERS.has(role)) rows.legal_holds = data.holds ?? HOLDS;
    return rows as TableRows;
  };
}
