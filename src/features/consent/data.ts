import { useList } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { consentStateAsOf, CONSENT_EVENTS, CUSTOMER_CONSENTS } from "./api";
import { consentKeys } from "./keys";
import { consentOptInOverTime, policyVersionShare, type PeriodRange } from "./overview";
import { EVENT_SELECT, POLICY_VERSION_SELECT, type ConsentEventRow, type CustomerConsentState, type PolicyVersionRef } from "./types";

/** The versions customers can have been shown (drafts never: no event refers to one), for the version filter. */
export function usePolicyVersions(enabled = true) {
  return useList<PolicyVersionRef>({
    resource: "policy_versions",
    filters: [{ field: "status", operator: "ne", value: "draft" }],
    sorters: [{ field: "document", order: "asc" }, { field: "effective_at", order: "desc" }, { field: "id", order: "asc" }],
    pagination: { mode: "off" },
    meta: { select: POLICY_VERSION_SELECT },
    errorNotification: false,
    queryOptions: { enabled },
  });
}

/** A customer's current state per purpose (customer_consents: the latest event wins; support reads it too). */
export function useCustomerConsents(customerId: string) {
  return useList<CustomerConsentState>({
    resource: CUSTOMER_CONSENTS,
    filters: [{ field: "customer_id", operator: "eq", value: customerId }],
    sorters: [{ field: "purpose", order: "asc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
}

/** A customer's events, newest first (the DPO and the auditor only: never requested for other roles). */
export const TIMELINE_PAGE_SIZE = 50;

export function useCustomerTimeline(customerId: string, page: number, enabled: boolean) {
  return useList<ConsentEventRow>({
    resource: CONSENT_EVENTS,
    filters: [{ field: "customer_id", operator: "eq", value: customerId }],
    sorters: [{ field: "occurred_at", order: "desc" }, { field: "id", order: "desc" }],
    pagination: { currentPage: page, pageSize: TIMELINE_PAGE_SIZE, mode: "server" },
    meta: { select: EVENT_SELECT },
    errorNotification: false,
    queryOptions: { enabled },
  });
}

/** The state at an instant (consent_state_as_of), when one is chosen. */
export function useConsentStateAsOf(customerId: string, at: string | null) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: consentKeys.asOf(customerId, at ?? ""),
    queryFn: async () => consentStateAsOf(await getClient(), customerId, at!),
    enabled: at !== null,
  });
}

/** The opt-in rate per purpose over a period (consent_opt_in_over_time), when the overview is shown. */
export function useOptInOverTime(range: PeriodRange, enabled: boolean) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: consentKeys.optIn(range.from, range.to, range.bucket),
    queryFn: async () => consentOptInOverTime(await getClient(), range),
    enabled,
  });
}

/** Active customers per policy version now (policy_version_share), when the overview is shown. */
export function useVersionShare(enabled: boolean) {
  const getClient = useSupabaseClient();
  return useQuery({ queryKey: consentKeys.versionShare(), queryFn: async () => policyVersionShare(await getClient()), enabled });
}
