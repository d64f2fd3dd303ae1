import type { AccessControlProvider } from "@refinedev/core";
import { t } from "../i18n/provider";

/**
 * What each staff role may do in the console. It mirrors the database's RLS policies (docs/roles.md) so the UI
 * can hide what would be refused anyway; the database remains the security boundary.
 */
export const STAFF_ROLES = ["dpo", "support", "finance", "admin", "auditor"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type AccessAction = "list" | "show" | "read" | "create" | "edit" | "delete" | "write";

/** Console resources and data sections (names follow the tables/views they read). */
export const ACCESS_RESOURCES = [
  "customers",
  "stripe_ids",
  "projects",
  "generations",
  "assets",
  "credit_ledger",
  "credit_balances",
  "payments",
  "subscriptions",
  "customer_consents",
  "consent_events",
  "api_request_logs",
  "error_reports",
  "policy_versions",
  "staff_roles",
  "audit_log",
  "dsar_requests",
  "dsar_events",
  "dsar_fulfilment",
  "dsar_stats",
  "credit_adjustments",
  "credit_approvals",
  "money_stats",
  "refunds",
  "refund_approvals",
  "refund_execution",
  "reconciliation",
  "retention",
  "legal_holds",
] as const;
export type AccessResource = (typeof ACCESS_RESOURCES)[number];

interface ResourceRule {
  read: readonly StaffRole[];
  write: readonly StaffRole[];
}

const ALL_STAFF = STAFF_ROLES;

export const ACCESS_MATRIX: Record<AccessResource, ResourceRule> = {
  customers: { read: ["dpo", "support", "finance"], write: [] },
  stripe_ids: { read: ["dpo", "finance", "auditor"], write: [] },
  projects: { read: ["dpo", "support"], write: [] },
  generations: { read: ["dpo", "support"], write: [] },
  assets: { read: ["dpo"], write: [] },
  credit_ledger: { read: ["dpo", "support", "finance", "auditor"], write: [] },
  credit_balances: { read: ["dpo", "support", "finance", "auditor"], write: [] },
  payments: { read: ["dpo", "support", "finance", "auditor"], write: [] },
  subscriptions: { read: ["dpo", "support", "finance", "auditor"], write: [] },
  customer_consents: { read: ["dpo", "support", "auditor"], write: [] },
  consent_events: { read: ["dpo", "auditor"], write: [] },
  api_request_logs: { read: ["dpo"], write: [] },
  error_reports: { read: ["dpo"], write: [] },
  policy_versions: { read: ALL_STAFF, write: ["dpo"] },
  staff_roles: { read: ["dpo", "admin", "auditor"], write: ["admin"] },
  audit_log: { read: ["dpo", "admin", "auditor"], write: [] },
  // DSAR queue (a later feature): support logs intakes, the DPO runs the queue, the auditor reads metadata.
  dsar_requests: { read: ["dpo", "support", "auditor"], write: ["dpo", "support"] },
  // The request's timeline: the DPO and the auditor (metadata); support sees status only.
  dsar_events: { read: ["dpo", "auditor"], write: [] },
  // Workflow actions and fulfilment (exports, erasure, replies): the DPO alone.
  dsar_fulfilment: { read: ["dpo"], write: ["dpo"] },
  // Aggregate charts of the queue.
  dsar_stats: { read: ["dpo", "auditor"], write: [] },
  // Money desk, credits: support and finance request adjustments (adjust_credits); everyone who reads the ledger
  // reads the requests.
  credit_adjustments: { read: ["dpo", "support", "finance", "auditor"], write: ["support", "finance"] },
  // Deciding a pending adjustment (approve_credit_adjustment / reject_credit_adjustment): finance alone, never the
  // requester (checked per row by the database and the page).
  credit_approvals: { read: ["finance"], write: ["finance"] },
  // The money dashboard's aggregates (money_stats()).
  money_stats: { read: ["dpo", "support", "finance", "auditor"], write: [] },
  // Money desk, refunds: everyone who reads payments reads the refund requests; support and finance request them
  // (request_refund).
  refunds: { read: ["dpo", "support", "finance", "auditor"], write: ["support", "finance"] },
  // Approving or rejecting a refund request (approve_refund / reject_refund): finance alone, never the requester.
  refund_approvals: { read: ["finance"], write: ["finance"] },
  // Sending an approved refund to Stripe (refund-execute) and retrying one in flight: finance alone.
  refund_execution: { read: ["finance"], write: ["finance"] },
  // Stripe reconciliation: finance runs and saves reconciliations (record_reconciliation_run), the auditor reads the runs.
  reconciliation: { read: ["finance", "auditor"], write: ["finance"] },
  // Retention (issue 10): status, rules and purge runs read by the DPO, admin and auditor; the DPO runs purges.
  retention: { read: ["dpo", "admin", "auditor"], write: ["dpo"] },
  // Legal holds: the DPO places and releases them, the auditor reads; closed to the admin (a reason may name a person).
  legal_holds: { read: ["dpo", "auditor"], write: ["dpo"] },
};

// Aliases so Refine resource names that differ from the matrix keys resolve to the same rule.
const RESOURCE_ALIASES: Record<string, AccessResource> = {
  customer_directory: "customers",
  customer_stripe_ids: "stripe_ids",
  payment_details: "payments",
  subscription_details: "subscriptions",
  staff_members: "staff_roles",
  dsar_queue: "dsar_requests",
  // A customer's declines of re_accept versions are consent history: the DPO and the auditor (RLS says the same).
  policy_declines: "consent_events",
};

export function isAccessResource(name: string): name is AccessResource {
  return (ACCESS_RESOURCES as readonly string[]).includes(name);
}

function resolveResource(name: string): AccessResource | undefined {
  if (isAccessResource(name)) return name;
  return RESOURCE_ALIASES[name];
}

function isWriteAction(action: string): boolean {
  return action === "create" || action === "edit" || action === "delete" || action === "write";
}

/**
 * Pure decision: may a staff member holding `roles` perform `action` on `resource`?
 * Unknown resources and unknown actions are denied (fail closed).
 */
export function can(roles: readonly string[], resource: string, action: string): boolean {
  const key = resolveResource(resource);
  if (!key) return false;
  const rule = ACCESS_MATRIX[key];
  let allowed: readonly StaffRole[];
  if (isWriteAction(action)) allowed = rule.write;
  else if (action === "list" || action === "show" || action === "read") allowed = rule.read;
  else return false;
  return roles.some((role) => (allowed as readonly string[]).includes(role));
}

/** Menu group name → the resource names under it (Refine strips children before asking `can`). */
export type MenuGroups = Readonly<Record<string, readonly string[]>>;

export function menuGroupsOf(resources: readonly { name: string; meta?: { parent?: string } }[]): MenuGroups {
  const groups: Record<string, string[]> = {};
  for (const resource of resources) {
    const parent = resource.meta?.parent;
    if (parent) (groups[parent] ??= []).push(resource.name);
  }
  for (const resource of resources) {
    if (!resource.meta?.parent && !groups[resource.name] && !resolveResource(resource.name)) groups[resource.name] = [];
  }
  return groups;
}

/** Refine access control over the roles the auth provider loads from the database. */
export function createAccessControlProvider(
  loadRoles: () => Promise<readonly string[]>,
  menuGroups: MenuGroups = {},
): AccessControlProvider {
  return {
    can: async ({ resource, action }) => {
      if (!resource) return { can: false, reason: t("common.access.noResource") };
      const roles = await loadRoles().catch(() => [] as readonly string[]);
      // Menu groups (Customers, Privacy, Money, Admin) carry no data; they show when any child is usable.
      const children = menuGroups[resource];
      if (children && !resolveResource(resource)) {
        return children.some((child) => can(roles, child, action))
          ? { can: true }
          : { can: false, reason: t("common.access.nothingInGroup") };
      }
      const allowed = can(roles, resource, action);
      return allowed
        ? { can: true }
        : { can: false, reason: t("common.access.roleCannot", { count: roles.length, roles: roles.join(", ") || t("common.shell.noRoles"), action, resource }) };
    },
    options: { buttons: { enableAccessControl: true, hideIfUnauthorized: true } },
  };
}
