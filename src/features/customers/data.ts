import { useList, useOne, type CrudSort } from "@refinedev/core";
import type {
  ApiRequestLogRow,
  AssetRow,
  ConsentEventRow,
  CreditLedgerRow,
  CustomerConsentRow,
  CustomerDirectoryRow,
  ErrorReportRow,
  GenerationRow,
  PaymentDetailsRow,
  ProjectRow,
  SubscriptionDetailsRow,
} from "./types";

/**
 * What the customer page reads (Supabase Studio style: typed reads, one place). Each section mounts only when the
 * role may see it, so a forbidden section never even asks; RLS still answers every request that is made.
 */
export const CUSTOMER_DIRECTORY = "customer_directory";
export const SECTION_PAGE_SIZE = 50;

export function useCustomerProfile(customerId: string) {
  return useOne<CustomerDirectoryRow>({
    resource: CUSTOMER_DIRECTORY,
    id: customerId,
    queryOptions: { enabled: customerId !== "" },
    errorNotification: false, // the page shows the error in place
  });
}

/** Each section of the customer page and the row it reads. */
interface SectionRows {
  projects: ProjectRow;
  generations: GenerationRow;
  assets: AssetRow;
  ledger: CreditLedgerRow;
  payments: PaymentDetailsRow;
  subscriptions: SubscriptionDetailsRow;
  consents: CustomerConsentRow;
  consentEvents: ConsentEventRow;
  apiLogs: ApiRequestLogRow;
  errorReports: ErrorReportRow;
}
export type CustomerSection = keyof SectionRows;
export type SectionRow<S extends CustomerSection> = SectionRows[S];

interface SectionRead {
  resource: string;
  sort: CrudSort;
  pageSize: number;
  /** The columns to read; all of them when absent (the views narrow them already). */
  select?: string;
}

const newestFirst = (field: string): CrudSort => ({ field, order: "desc" });

/** Where each section reads its rows: the newest first (consents by purpose), bounded. */
const SECTION_READS: Record<CustomerSection, SectionRead> = {
  projects: { resource: "projects", sort: newestFirst("created_at"), pageSize: SECTION_PAGE_SIZE, select: "id,title,settings,created_at,updated_at,deleted_at" },
  generations: {
    resource: "generations",
    sort: newestFirst("created_at"),
    pageSize: SECTION_PAGE_SIZE,
    select: "id,project_id,media,model,prompt,credits_cost,status,created_at",
  },
  assets: { resource: "assets", sort: newestFirst("created_at"), pageSize: SECTION_PAGE_SIZE, select: "id,kind,r2_key,content_type,size_bytes,created_at,deleted_at" },
  ledger: { resource: "credit_ledger", sort: newestFirst("created_at"), pageSize: 20, select: "id,amount,reason,note,created_at" },
  payments: { resource: "payment_details", sort: newestFirst("created_at"), pageSize: 20 },
  subscriptions: { resource: "subscription_details", sort: newestFirst("created_at"), pageSize: 10 },
  // The version each consent names is read with it (document and label), so the page shows "Privacy policy 2026-05-12".
  consents: {
    resource: "customer_consents",
    sort: { field: "purpose", order: "asc" },
    pageSize: 20,
    select: "customer_id,purpose,granted,action,policy_version_id,updated_at,policy:policy_versions(document,version)",
  },
  consentEvents: {
    resource: "consent_events",
    sort: newestFirst("occurred_at"),
    pageSize: SECTION_PAGE_SIZE,
    select: "id,purpose,action,policy_version_id,source,ip,occurred_at,policy:policy_versions(document,version)",
  },
  apiLogs: {
    resource: "api_request_logs",
    sort: newestFirst("requested_at"),
    pageSize: SECTION_PAGE_SIZE,
    select: "id,method,endpoint,status_code,ip,user_agent,requested_at",
  },
  errorReports: { resource: "error_reports", sort: newestFirst("occurred_at"), pageSize: 20, select: "id,sentry_event_id,summary,occurred_at" },
};

/** One section's rows of one customer. */
export function useCustomerSection<S extends CustomerSection>(section: S, customerId: string) {
  const { resource, sort, pageSize, select } = SECTION_READS[section];
  return useList<SectionRow<S>>({
    resource,
    filters: [{ field: "customer_id", operator: "eq", value: customerId }],
    sorters: [sort],
    pagination: { currentPage: 1, pageSize, mode: "server" },
    errorNotification: false, // each section shows its own error in place; a toast per section would pile up
    ...(select ? { meta: { select } } : {}),
  });
}
