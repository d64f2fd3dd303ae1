import { useMemo } from "react";
import { useList, useOne, type CrudFilters } from "@refinedev/core";
import type { SupabaseClient } from "@supabase/supabase-js";
import { useQuery } from "@tanstack/react-query";
import { withFilters } from "../../lib/postgrestFilters";
import { useRefresh, type RefreshTargets } from "../../lib/refresh";
import { toRpcError } from "../../lib/rpc";
import { useSupabaseClient } from "../../providers/supabaseContext";
import {
  addNote,
  assignRequests,
  closeAsDuplicate,
  completeProcessorTask,
  createRequest,
  DPO_STAFF_SELECT,
  DSAR_QUEUE,
  DSAR_WORDING,
  erasureCertificate,
  executeErasure,
  extendRequest,
  matchCustomer,
  previewErasure,
  recordExport,
  recordResponse,
  rectifyCustomer,
  setRestriction,
  transitionRequest,
  verifyIdentity,
  withdrawConsent,
} from "./api";
import { dsarKeys } from "./keys";
import { QUEUE_TABS, tabFilters, type QueueTab } from "./queueState";
import type { DsarEventRow, DsarQueueRow, DsarSlaRule, ProcessorTaskRow, StaffMemberOption } from "./types";

export { DPO_STAFF_SELECT, DSAR_QUEUE, dpoOptions, queueCsvSource } from "./api";

/** The workflow's database functions, each taking the client first (api.ts). */
const DSAR_ACTIONS = {
  createRequest,
  transition: transitionRequest,
  verifyIdentity,
  assign: assignRequests,
  closeAsDuplicate,
  extend: extendRequest,
  addNote,
  matchCustomer,
  recordExport,
  recordResponse,
  rectifyCustomer,
  setRestriction,
  withdrawConsent,
  previewErasure,
  executeErasure,
  completeProcessorTask,
  erasureCertificate,
};

/** An api function with the client already given. */
type WithClient<F> = F extends (client: SupabaseClient, ...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never;
export type DsarActions = { [K in keyof typeof DSAR_ACTIONS]: WithClient<(typeof DSAR_ACTIONS)[K]> };

/** The queue, the request and its timeline and tasks: read again after every workflow action. */
const DSAR_REFRESH: RefreshTargets = {
  resources: [
    // Refine keys the view's queries by the resource identifier ("dsar_requests", providers/resources.tsx),
    // not by the view name, and "detail" without an id refreshes nothing: refresh all of the resource's queries.
    { resource: "dsar_requests", invalidates: ["resourceAll"] },
    { resource: "dsar_events", invalidates: ["list"] },
    { resource: "dsar_processor_tasks", invalidates: ["list"] },
  ],
  queryKey: dsarKeys.all,
};

/**
 * Every workflow action as a typed function: runs the database function, then refreshes the queue, the request and
 * its timeline so the page shows what the database now holds (never an optimistic guess). A refusal is thrown as
 * the RpcError with the database's message, and nothing is refreshed.
 */
export function useDsarActions(): DsarActions {
  const getClient = useSupabaseClient();
  const refresh = useRefresh(DSAR_REFRESH);
  return useMemo(() => {
    const bind = <A extends unknown[], R>(action: (client: SupabaseClient, ...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const data = await action(await getClient(), ...args);
        await refresh();
        return data;
      };
    return Object.fromEntries(Object.entries(DSAR_ACTIONS).map(([name, action]) => [name, bind(action as (client: SupabaseClient, ...args: unknown[]) => Promise<unknown>)])) as DsarActions;
  }, [getClient, refresh]);
}

/** Tab counts as `count=exact` HEAD requests: no rows travel, only the Content-Range total. */
export function useTabCounts(barFilters: CrudFilters, staffId: string | null, mineMeansCreatedBy: boolean, tabs: readonly QueueTab[] = QUEUE_TABS) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: dsarKeys.tabCounts(barFilters, staffId, mineMeansCreatedBy, tabs),
    queryFn: async () => {
      const client = await getClient();
      const entries = await Promise.all(
        tabs.map(async (tab) => {
          const query = withFilters(client.from(DSAR_QUEUE).select("id", { count: "exact", head: true }), [
            ...tabFilters(tab, staffId, mineMeansCreatedBy),
            ...barFilters,
          ]);
          const { count, error, status } = await query;
          if (error) throw toRpcError(DSAR_QUEUE, { error, status }, DSAR_WORDING);
          return [tab, count ?? 0] as const;
        }),
      );
      return Object.fromEntries(entries) as Record<QueueTab, number>;
    },
  });
}

/** Active staff with their roles: names for the timeline, and (through dpoOptions) the assignee pickers. */
export function useActiveStaff(enabled: boolean) {
  return useList<StaffMemberOption & { active: boolean; staff_roles?: { role: string }[] }>({
    resource: "staff_members",
    filters: [{ field: "active", operator: "eq", value: true }],
    sorters: [{ field: "display_name", order: "asc" }],
    pagination: { mode: "off" },
    meta: { select: DPO_STAFF_SELECT },
    queryOptions: { enabled },
    errorNotification: false,
  });
}

export function useDsarRequest(id: string) {
  return useOne<DsarQueueRow>({ resource: DSAR_QUEUE, id, queryOptions: { enabled: id !== "" }, errorNotification: false });
}

export function useDsarEvents(requestId: string, enabled: boolean) {
  return useList<DsarEventRow>({
    resource: "dsar_events",
    filters: [{ field: "request_id", operator: "eq", value: requestId }],
    sorters: [{ field: "occurred_at", order: "desc" }, { field: "id", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 200, mode: "server" },
    queryOptions: { enabled: enabled && requestId !== "" },
    errorNotification: false,
  });
}

/** An erasure's processor checklist: the erasure panel and the "Mark fulfilled" button read one cached list. */
export function useProcessorTasks(requestId: string, enabled = true) {
  return useList<ProcessorTaskRow>({
    resource: "dsar_processor_tasks",
    filters: [{ field: "request_id", operator: "eq", value: requestId }],
    sorters: [{ field: "processor", order: "asc" }],
    pagination: { mode: "off" },
    errorNotification: false,
    queryOptions: { enabled },
  });
}

export function useSlaRules() {
  return useList<DsarSlaRule>({ resource: "dsar_sla_rules", pagination: { mode: "off" }, meta: { uniqueOrder: ["type"] }, errorNotification: false });
}

/** Other open requests from the same person (same matched customer, or the same email when unmatched). */
export function useRelatedOpenRequests(request: DsarQueueRow | undefined) {
  const byCustomer = Boolean(request?.customer_id);
  return useList<DsarQueueRow>({
    resource: DSAR_QUEUE,
    filters: request
      ? [
          { field: "is_open", operator: "eq", value: true },
          { field: "id", operator: "ne", value: request.id },
          byCustomer
            ? { field: "customer_id", operator: "eq", value: request.customer_id }
            : { field: "requester_email", operator: "eq", value: request.requester_email },
        ]
      : [],
    sorters: [{ field: "due_at", order: "asc" }],
    pagination: { currentPage: 1, pageSize: 20, mode: "server" },
    queryOptions: { enabled: Boolean(request) },
    errorNotification: false,
  });
}

