import type { ReactNode } from "react";
import type { ResourceProps } from "@refinedev/core";
import { AuditOutlined, CheckSquareOutlined, DeleteOutlined, BarChartOutlined, DollarOutlined, FileTextOutlined, FundOutlined, WalletOutlined, FileProtectOutlined, ReconciliationOutlined, RollbackOutlined, SafetyOutlined, TeamOutlined, UserOutlined } from "@ant-design/icons";
import { t } from "../i18n/provider";
import type { common } from "../i18n/messages/en/common";

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

/** A menu entry's meta: its label from the catalogue (read when the menu renders, so it follows the locale), its group and icon. */
function menuEntry(word: keyof typeof common.menu, icon: ReactNode, parent?: string): ResourceProps["meta"] {
  return {
    get label() {
      return t(`common.menu.${word}`);
    },
    icon,
    ...(parent ? { parent } : {}),
  };
}

export const resources: ResourceProps[] = [
  { name: RESOURCE_GROUPS.customers, meta: menuEntry("customersGroup", <TeamOutlined />) },
  { name: RESOURCE_GROUPS.privacy, meta: menuEntry("privacy", <SafetyOutlined />) },
  { name: RESOURCE_GROUPS.money, meta: menuEntry("money", <DollarOutlined />) },
  { name: RESOURCE_GROUPS.admin, meta: menuEntry("admin", <AuditOutlined />) },
  // Reads the security_invoker view, so RLS nulls Stripe ids for roles that may not see them.
  { name: "customer_directory", identifier: "customers", list: "/customers", show: "/customers/:id", meta: menuEntry("customers", <UserOutlined />, RESOURCE_GROUPS.customers) },
  // The DSAR queue reads the security_invoker view dsar_queue (deadlines computed in SQL when read).
  {
    name: "dsar_queue",
    identifier: "dsar_requests",
    list: "/dsar",
    create: "/dsar/new",
    show: "/dsar/:id",
    meta: menuEntry("dsar", <FileProtectOutlined />, RESOURCE_GROUPS.privacy),
  },
  // The consent log across customers (DPO, auditor); a customer's consent page is reached from the customer page.
  { name: "consent_events", list: "/consent", meta: menuEntry("consentLog", <CheckSquareOutlined />, RESOURCE_GROUPS.privacy) },
  { name: "dsar_stats", list: "/dsar/dashboard", meta: menuEntry("privacyDashboard", <BarChartOutlined />, RESOURCE_GROUPS.privacy) },
  // Policy versions per document (every staff role reads what was published; the DPO drafts and publishes).
  { name: "policy_versions", list: "/policies", create: "/policies/new", show: "/policies/:id", edit: "/policies/:id/edit", meta: menuEntry("policies", <FileTextOutlined />, RESOURCE_GROUPS.privacy) },
  // The ledger across customers, with the adjustment requests and the approval queue as tabs.
  { name: "credit_ledger", list: "/credits", meta: menuEntry("credits", <WalletOutlined />, RESOURCE_GROUPS.money) },
  { name: "money_stats", list: "/money", meta: menuEntry("moneyDashboard", <FundOutlined />, RESOURCE_GROUPS.money) },
  // Refund requests across customers: approval queue, Stripe execution and statuses (details in a drawer).
  { name: "refunds", list: "/refunds", meta: menuEntry("refunds", <RollbackOutlined />, RESOURCE_GROUPS.money) },
  // Stripe reconciliation: upload an export or pull from Stripe, match, save runs (finance); runs read by the auditor.
  { name: "reconciliation", list: "/reconciliation", meta: menuEntry("reconciliation", <ReconciliationOutlined />, RESOURCE_GROUPS.money) },
  // Retention: status per category, legal holds, dry runs and purges with certificates (docs/retention.md).
  { name: "retention", list: "/retention", meta: menuEntry("retention", <DeleteOutlined />, RESOURCE_GROUPS.privacy) },
];
