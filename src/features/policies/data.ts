import { useList } from "@refinedev/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useRefresh, type RefreshTargets } from "../../lib/refresh";
import { toRpcError } from "../../lib/rpc";
import { policyVersionInForce, POLICY_WORDING, reacceptanceSummary } from "./api";
import { policiesKeys } from "./keys";
import { LIST_SELECT, SHOW_SELECT, type PolicyDocument, type PolicyVersionRow } from "./types";

export const POLICY_VERSIONS = "policy_versions";
export const POLICIES_PAGE_SIZE = 25;

/** The versions of one document, newest effective date first (drafts without one first), paged on the server. */
export function usePolicyVersions(document: PolicyDocument, page: number) {
  return useList<PolicyVersionRow>({
    resource: POLICY_VERSIONS,
    filters: [{ field: "document", operator: "eq", value: document }],
    sorters: [{ field: "effective_at", order: "desc" }, { field: "created_at", order: "desc" }, { field: "id", order: "desc" }],
    pagination: { currentPage: page, pageSize: POLICIES_PAGE_SIZE, mode: "server" },
    meta: { select: LIST_SELECT },
    errorNotification: false,
    queryOptions: { placeholderData: keepPreviousData },
  });
}

/** Every version of a document (labels only), for the diff's picker: a document has a handful of versions. */
export function useDocumentVersions(document: string | undefined) {
  return useList<PolicyVersionRow>({
    resource: POLICY_VERSIONS,
    filters: [{ field: "document", operator: "eq", value: document ?? "" }],
    sorters: [{ field: "effective_at", order: "desc" }, { field: "created_at", order: "desc" }, { field: "id", order: "desc" }],
    pagination: { mode: "off" },
    meta: { select: "id,document,version,title,status,effective_at,created_at" },
    errorNotification: false,
    queryOptions: { enabled: !!document },
  });
}

/** One version with its bodies, or null when it does not exist or the role cannot read it (a draft). */
export function usePolicyVersion(id: string | undefined) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: [...policiesKeys.all, "version", id ?? ""],
    enabled: !!id,
    queryFn: async (): Promise<PolicyVersionRow | null> => {
      const client = await getClient();
      const { data, error, status } = await client.from(POLICY_VERSIONS).select(SHOW_SELECT).eq("id", id!).maybeSingle();
      if (error) throw toRpcError(POLICY_VERSIONS, { error, status }, POLICY_WORDING);
      return (data as PolicyVersionRow | null) ?? null;
    },
  });
}

/** "Which version was in force on …": `at` is an instant (ISO); disabled until one is chosen. */
export function useVersionInForce(document: PolicyDocument, at: string | null) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: policiesKeys.inForce(document, at ?? ""),
    enabled: !!at,
    queryFn: async () => policyVersionInForce(await getClient(), document, at!),
  });
}

export function useReacceptanceSummary(id: string, enabled: boolean) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: policiesKeys.reacceptance(id),
    enabled,
    queryFn: async () => reacceptanceSummary(await getClient(), id),
  });
}

const POLICIES_REFRESH: RefreshTargets = {
  resources: [{ resource: POLICY_VERSIONS, invalidates: ["resourceAll"] }],
  queryKey: policiesKeys.all,
};

/** After a draft is saved or a version published: the lists, the version pages and the in-force answers. */
export const usePoliciesRefresh = () => useRefresh(POLICIES_REFRESH);
