import { useQuery } from "@tanstack/react-query";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useRefresh, type RefreshTargets } from "../../lib/refresh";
import { toRpcError } from "../../lib/rpc";
import { RETENTION_WORDING } from "./api";
import { retentionKeys } from "./keys";
import type { LegalHoldRow, PurgeRunCategoryRow, PurgeRunRow, RetentionRuleRow, RetentionStatusRow, RunWithCategories } from "./types";

/** How many runs the history and the backlog chart read (the demo seed has a dry run a day). */
export const RUNS_SHOWN = 60;

/** One read of a retention table or view through the shared client, its failure worded like the functions'. */
function useRead<T>(key: readonly unknown[], table: string, read: (client: Awaited<ReturnType<ReturnType<typeof useSupabaseClient>>>) => PromiseLike<{ data: unknown; error: { code?: string; message?: string } | null; status: number }>, enabled = true) {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: key,
    enabled,
    queryFn: async () => {
      const { data, error, status } = await read(await getClient());
      if (error) throw toRpcError(table, { error, status }, RETENTION_WORDING);
      return (data ?? []) as T;
    },
  });
}

/** retention_status: one row per category (empty for roles without retention rules). */
export const useRetentionStatus = () =>
  useRead<RetentionStatusRow[]>(retentionKeys.status(), "retention_status", (client) => client.from("retention_status").select("*").order("category"));

/** The rules in force (superseded_at null), by category. */
export const useRetentionRules = () =>
  useRead<RetentionRuleRow[]>(retentionKeys.rules(), "retention_rules", (client) =>
    client.from("retention_rules").select("*").is("superseded_at", null).order("category"),
  );

/** The latest runs (dry and executed), newest first, each with its per-category counts. */
export function usePurgeRuns() {
  const getClient = useSupabaseClient();
  return useQuery({
    queryKey: retentionKeys.runs(),
    queryFn: async (): Promise<RunWithCategories[]> => {
      const client = await getClient();
      const runs = await client.from("purge_runs").select("*").order("started_at", { ascending: false }).order("id").limit(RUNS_SHOWN);
      if (runs.error) throw toRpcError("purge_runs", runs, RETENTION_WORDING);
      const rows = (runs.data ?? []) as PurgeRunRow[];
      if (rows.length === 0) return [];
      const counts = await client.from("purge_run_categories").select("*").in("run_id", rows.map((r) => r.id));
      if (counts.error) throw toRpcError("purge_run_categories", counts, RETENTION_WORDING);
      const byRun = new Map<string, PurgeRunCategoryRow[]>();
      for (const c of (counts.data ?? []) as PurgeRunCategoryRow[]) byRun.set(c.run_id, [...(byRun.get(c.run_id) ?? []), c]);
      return rows.map((run) => ({ ...run, categories: byRun.get(run.id) ?? [] }));
    },
  });
}

/** One run's per-category counts (the dry run just made, the purge just done). */
export function useRunCategories(runId: string | null) {
  return useRead<PurgeRunCategoryRow[]>(
    retentionKeys.runCategories(runId ?? ""),
    "purge_run_categories",
    (client) => client.from("purge_run_categories").select("*").eq("run_id", runId ?? "").order("category"),
    runId !== null,
  );
}

/** Legal holds, newest first (the DPO and the auditor; closed to the admin). */
export const useLegalHolds = (enabled: boolean) =>
  useRead<LegalHoldRow[]>(
    retentionKeys.holds(),
    "legal_holds",
    (client) => client.from("legal_holds").select("*").order("placed_at", { ascending: false }).order("id"),
    enabled,
  );

const RETENTION_REFRESH: RefreshTargets = { resources: [], queryKey: retentionKeys.all };

/** After a hold or a run: the status, the holds and the runs read again. */
export const useRetentionRefresh = () => useRefresh(RETENTION_REFRESH);

/** The emails of the customers holds name (the DPO reads customer_directory; for the auditor it answers nothing). */
export function useHoldCustomerEmails(ids: readonly string[], enabled: boolean) {
  const unique = [...new Set(ids)].sort();
  const read = useRead<{ id: string; email: string }[]>(
    [...retentionKeys.holds(), "customers", unique.join(",")],
    "customer_directory",
    (client) => client.from("customer_directory").select("id,email").in("id", unique),
    enabled && unique.length > 0,
  );
  return new Map((read.data ?? []).map((c) => [c.id, c.email]));
}
