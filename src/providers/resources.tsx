import type { ResourceProps } from "@refinedev/core";
import { AuditOutlined, BarChartOutlined, DollarOutlined, FundOutlined, WalletOutlined, FileProtectOutlined, ReconciliationOutlined, RollbackOutlined, SafetyOutlined, TeamOutlined, UserOutlined } from "@ant-design/icons";

/**
 * Every console resource, declared once. Menu groups (Customers, Privacy, Money, Admin) carry no route:
 * Refine's menu hides a group until a child with a list page exists, so later features only add children
 * here (e.g. `dsar_requests` under "privacy", `payments` under "money", `staff_roles` under "admin").
 */
export const RESOURCE_GROUPS = {
  customers: "customers_group",
  privacy: "privacy",
  money: "money",
  admin: "admin",
} as const;

export const resources: ResourceProps[] = [
  { name: RESOURCE_GROUPS.customers, meta: { label: "Customers", icon: <TeamOutlined /> } },
  { name: RESOURCE_GROUPS.privacy, meta: { label: "Privacy", icon: <SafetyOutlined /> } },
  { name: RESOURCE_GROUPS.money, meta: { label: "Money", icon: <DollarOutlined /> } },
  { name: RESOURCE_GROUPS.admin, meta: { label: "Admin", icon: <AuditOutlined /> } },
  {
    // Reads the security_invoker view, so RLS nulls Stripe ids for roles that may not see them.
    name: "customer_directory",
    identifier: "customers",
    list: "/customers",
    show: "/customers/:id",
    meta: { label: "Customers", parent: RESOURCE_GROUPS.customers, icon: <UserOutlined /> },
  },
  {
    // The DSAR queue reads the security_invoker view dsar_queue (deadlines computed in SQL when read).
    name: "dsar_queue",
    identifier: "dsar_requests",
    list: "/dsar",
    create: "/dsar/new",
    show: "/dsar/:id",
    meta: { label: "Data subject requests", parent: RESOURCE_GROUPS.privacy, icon: <FileProtectOutlined /> },
  },
  {
    name: "dsar_stats",
    list: "/dsar/dashboard",
    meta: { label: "Privacy dashboard", parent: RESOURCE_GROUPS.privacy, icon: <BarChartOutlined /> },
  },
  {
    // The ledger across customers, with the adjustment requests and the approval queue as tabs.
    name: "credit_ledger",
    list: "/credits",
    meta: { label: "Credits", parent: RESOURCE_GROUPS.money, icon: <WalletOutlined /> },
  },
  {
    name: "money_stats",
    list: "/money",
    meta: { label: "Dashboard", parent: RESOURCE_GROUPS.money, icon: <FundOutlined /> },
  },
  {
    // Refund requests across customers: approval queue, Stripe execution and statuses (details in a drawer).
    name: "refunds",
    list: "/refunds",
    meta: { label: "Refunds", parent: RESOURCE_GROUPS.money, icon: <RollbackOutlined /> },
  },
  {
    // Stripe reconciliation: upload an export or pull from Stripe, match, save runs (finance); runs read by the auditor.
    name: "reconciliation",
    list: "/reconciliation",
    meta: { label: "Reconciliation", parent: RESOURCE_GROUPS.money, icon: <ReconciliationOutlined /> },
  },
];
