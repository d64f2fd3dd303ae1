import { useList, useOne, type BaseRecord, type CrudSort } from "@refinedev/core";
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
 * One typed hook per thing the customer page reads (Supabase Studio style). Each section mounts only when the
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

function useCustomerRows<T extends BaseRecord>(resource: string, customerId: string, sort: CrudSort, pageSize = SECTION_PAGE_SIZE, select?: string) {
  return useList<T>({
    resource,
    filters: [{ field: "customer_id", operator: "eq", value: customerId }],
    sorters: [sort],
    pagination: { currentPage: 1, pageSize, mode: "server" },
    errorNotification: false, // each section shows its own error in place; a toast per section would pile up
    ...(select ? { meta: { select } } : {}),
  });
}

const newestFirst = (field: string): CrudSort => ({ field, order: "desc" });

export const useCustomerProjects = (customerId: string) =>
  useCustomerRows<ProjectRow>("projects", customerId, newestFirst("created_at"), SECTION_PAGE_SIZE, "id,title,settings,created_at,updated_at,deleted_at");
export const useCustomerGenerations = (customerId: string) =>
  useCustomerRows<GenerationRow>("generations", customerId, newestFirst("created_at"), SECTION_PAGE_SIZE, "id,project_id,media,model,prompt,credits_cost,status,created_at");
export const useCustomerAssets = (customerId: string) =>
  useCustomerRows<AssetRow>("assets", customerId, newestFirst("created_at"), SECTION_PAGE_SIZE, "id,kind,r2_key,content_type,size_bytes,created_at,deleted_at");
export const useCustomerLedger = (customerId: string) =>
  useCustomerRows<CreditLedgerRow>("credit_ledger", customerId, newestFirst("created_at"), 20, "id,amount,reason,note,created_at");
export const useCustomerPayments = (customerId: string) =>
  useCustomerRows<PaymentDetailsRow>("payment_details", customerId, newestFirst("created_at"), 20);
export const useCustomerSubscriptions = (customerId: string) =>
  useCustomerRows<SubscriptionDetailsRow>("subscription_details", customerId, newestFirst("created_at"), 10);
export const useCustomerConsents = (customerId: string) =>
  useCustomerRows<CustomerConsentRow>("customer_consents", customerId, { field: "purpose", order: "asc" }, 20);
export const useCustomerConsentEvents = (customerId: string) =>
  useCustomerRows<ConsentEventRow>("consent_events", customerId, newestFirst("occurred_at"), SECTION_PAGE_SIZE, "id,purpose,action,policy_version_id,source,ip,occurred_at");
export const useCustomerApiLogs = (customerId: string) =>
  useCustomerRows<ApiRequestLogRow>("api_request_logs", customerId, newestFirst("requested_at"), SECTION_PAGE_SIZE, "id,method,endpoint,status_code,ip,user_agent,requested_at");
export const useCustomerErrorReports = (customerId: string) =>
  useCustomerRows<ErrorReportRow>("error_reports", customerId, newestFirst("occurred_at"), 20, "id,sentry_event_id,summary,occurred_at");
