/**
 * docs/roles.md as data: for every table and view, which staff role may read which rows and who
 * may write through the API. The RLS matrix test and the catalog test are both driven from it.
 */
import type { StaffRole } from "../../server/seed/staff.ts";

/** all: every row; own: only the caller's own staff rows; published: non-draft policy versions; none. */
export type ReadScope = "all" | "own" | "published" | "none";

export interface MatrixTarget {
  name: string;
  kind: "table" | "view";
  read: Record<StaffRole, ReadScope>;
  /** Roles allowed to insert / update through the API (nobody deletes anywhere). */
  insert: readonly StaffRole[];
  update: readonly StaffRole[];
  /** For "own" reads: the column holding the caller's staff_members.id. */
  ownColumn?: string;
}

const ROLES: readonly StaffRole[] = ["dpo", "support", "finance", "admin", "auditor"];

function readers(
  all: readonly StaffRole[],
  rest: ReadScope = "none",
  except: Partial<Record<StaffRole, ReadScope>> = {},
): Record<StaffRole, ReadScope> {
  return Object.fromEntries(ROLES.map((r) => [r, except[r] ?? (all.includes(r) ? "all" : rest)])) as Record<StaffRole, ReadScope>;
}

const table = (name: string, read: Record<StaffRole, ReadScope>, extra: Partial<MatrixTarget> = {}): MatrixTarget => ({
  name,
  kind: "table",
  read,
  insert: [],
  update: [],
  ...extra,
});
const view = (name: string, read: Record<StaffRole, ReadScope>): MatrixTarget => ({ ...table(name, read), kind: "view" });

const PAYMENT_READERS: StaffRole[] = ["dpo", "support", "finance", "auditor"];
const STRIPE_ID_READERS: StaffRole[] = ["dpo", "finance", "auditor"];
const CUSTOMER_READERS: StaffRole[] = ["dpo", "support", "finance"];
const RETENTION_READERS: StaffRole[] = ["dpo", "admin", "auditor"];

export const RLS_MATRIX: readonly MatrixTarget[] = [
  table("staff_members", readers(["dpo", "support", "finance", "admin", "auditor"])),
  table("staff_roles", readers(["dpo", "admin", "auditor"], "own"), { ownColumn: "staff_member_id" }),
  table("customers", readers(CUSTOMER_READERS)),
  table("customer_stripe_ids", readers(STRIPE_ID_READERS)),
  table("projects", readers(["dpo", "support"])),
  table("generations", readers(["dpo", "support"])),
  table("assets", readers(["dpo"])),
  table("subscriptions", readers(PAYMENT_READERS)),
  table("subscription_stripe_ids", readers(STRIPE_ID_READERS)),
  table("payments", readers(PAYMENT_READERS)),
  table("payment_stripe_ids", readers(STRIPE_ID_READERS)),
  table("credit_ledger", readers(PAYMENT_READERS)),
  table("credit_balances", readers(PAYMENT_READERS)),
  table("api_request_logs", readers(["dpo"])),
  table("error_reports", readers(["dpo"])),
  table("consent_events", readers(["dpo", "auditor"])),
  // The address as collected (consent_events.ip is masked): the DPO's only.
  table("consent_event_ips", readers(["dpo"])),
  table("policy_declines", readers(["dpo", "auditor"])),
  table("customer_consents", readers(["dpo", "support", "auditor"])),
  table("policy_versions", readers(["dpo"], "published"), { insert: ["dpo"], update: ["dpo"] }),
  table("audit_log", readers(["dpo", "admin", "auditor"])),
  // Views: rows are whatever the underlying tables' RLS lets the caller see.
  view("customer_directory", readers(CUSTOMER_READERS)),
  view("payment_details", readers(PAYMENT_READERS)),
  view("subscription_details", readers(PAYMENT_READERS)),
  // DSAR desk: written only through the dsar_* functions; support reads the intakes it logged.
  table("dsar_sla_rules", readers(["dpo", "support", "auditor"])),
  table("dsar_reference_counters", readers([])),
  table("dsar_requests", readers(["dpo", "auditor"], "none", { support: "own" }), { ownColumn: "created_by" }),
  table("dsar_events", readers(["dpo", "auditor"])),
  table("dsar_event_payloads", readers(["dpo"])),
  table("dsar_processor_tasks", readers(["dpo", "auditor"])),
  { ...table("dsar_queue", readers(["dpo", "auditor"], "none", { support: "own" }), { ownColumn: "created_by" }), kind: "view" },
  // Credits (issue 4): written only through adjust_credits / approve / reject / set_credit_limit.
  table("credit_limits", readers(["dpo", "support", "finance", "admin", "auditor"])),
  table("credit_adjustments", readers(PAYMENT_READERS)),
  // Refunds (issue 4): written only through request/approve/reject/execute and the service-role
  // functions that record Stripe's answers and webhooks.
  table("refund_approval_thresholds", readers(["dpo", "support", "finance", "admin", "auditor"])),
  table("refunds", readers(PAYMENT_READERS)),
  table("refund_stripe_ids", readers(STRIPE_ID_READERS)),
  table("stripe_webhook_events", readers(["finance", "auditor"])),
  // Reconciliation: written only through record_reconciliation_run (finance).
  table("reconciliation_runs", readers(["finance", "auditor"])),
  table("reconciliation_discrepancies", readers(["finance", "auditor"])),
  // Retention (issue 10): rules change by migration; holds and runs only through the dpo's functions.
  table("retention_rules", readers(RETENTION_READERS)),
  table("legal_holds", readers(["dpo", "auditor"])),
  table("purge_runs", readers(RETENTION_READERS)),
  table("purge_run_categories", readers(RETENTION_READERS)),
  // Rows come from retention_status_at(), which returns none to other roles (as RLS would).
  view("retention_status", readers(RETENTION_READERS)),
];
