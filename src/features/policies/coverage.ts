/**
 * Re-acceptance coverage over time: policy_reacceptance_over_time (DPO and auditor) gives, per Bangkok day since the
 * version was published, the customers active at the end of the day as accepted / declined / pending. Today's row
 * equals policy_reacceptance_summary (the database's tests check it).
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import { useQuery } from "@tanstack/react-query";
import type { RpcRow } from "../../lib/database";
import { rpcCaller } from "../../lib/rpc";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { POLICY_WORDING } from "./api";
import { policiesKeys } from "./keys";

export type CoverageRow = RpcRow<"policy_reacceptance_over_time">;

type CoverageFunctions = {
  policy_reacceptance_over_time: { Args: { p_policy_version_id: string }; Returns: CoverageRow[] };
};
const callCoverage = rpcCaller<CoverageFunctions>(POLICY_WORDING);

export function reacceptanceOverTime(client: SupabaseClient, id: string): Promise<CoverageRow[]> {
  return callCoverage(client, "policy_reacceptance_over_time", { p_policy_version_id: id });
}

export function useReacceptanceOverTime(id: string) {
  const getClient = useSupabaseClient();
  return useQuery({ queryKey: policiesKeys.coverage(id), queryFn: async () => reacceptanceOverTime(await getClient(), id) });
}

/** Coverage in percent with one decimal (accepted of active), as the re-acceptance card shows it. */
export function coverageOf(row: Pick<CoverageRow, "accepted" | "active_customers">): number {
  const active = Number(row.active_customers);
  return active > 0 ? Math.round((1000 * Number(row.accepted)) / active) / 10 : 0;
}
