/**
 * The people behind a re_accept version (policy_reacceptance_people): one page per status, counted on the server,
 * and every row of a status for the CSV export. E-mail and name come through the caller's RLS on customers (the
 * DPO's; null for the auditor); a declined row carries what its decline did (purposes withdrawn, restriction).
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import { neutraliseFormula } from "../../lib/csv";
import type { RpcRow, WithNullable } from "../../lib/database";
import { readAllRows, type PageableQuery } from "../../lib/readAll";
import { toRpcError } from "../../lib/rpc";
import { POLICY_WORDING } from "./api";

export const REACCEPTANCE_STATUSES = ["pending", "accepted", "declined"] as const;
export type ReacceptanceStatus = (typeof REACCEPTANCE_STATUSES)[number];

const FN = "policy_reacceptance_people";

/** One active customer's answer; email/name null when the caller may not read them, decline columns null unless declined at the prompt. */
export type ReacceptancePerson = WithNullable<
  RpcRow<typeof FN>,
  "email" | "display_name" | "event_id" | "decided_at" | "withdrawn_purposes" | "declined_at"
> & { status: ReacceptanceStatus };

/** Paging needs a total order: the customer id is unique in the answer. */
const ORDER = [{ column: "customer_id", ascending: true }] as const;

const call = (client: SupabaseClient, id: string, count: boolean) =>
  client.rpc(FN, { p_policy_version_id: id }, count ? { count: "exact" } : {});

/** One page of the customers in `status`, with the total in that status. */
export async function reacceptancePeoplePage(
  client: SupabaseClient,
  id: string,
  status: ReacceptanceStatus,
  page: number,
  pageSize: number,
): Promise<{ rows: ReacceptancePerson[]; total: number }> {
  const from = (page - 1) * pageSize;
  const { data, error, status: httpStatus, count } = await call(client, id, true)
    .eq("status", status)
    .order("customer_id", { ascending: true })
    .range(from, from + pageSize - 1);
  if (error) throw toRpcError(FN, { error, status: httpStatus }, POLICY_WORDING);
  return { rows: (data ?? []) as ReacceptancePerson[], total: count ?? 0 };
}

/** Every customer in `status`, in pages of max_rows, for the CSV export. */
export async function allReacceptancePeople(
  client: SupabaseClient,
  id: string,
  status: ReacceptanceStatus,
  onProgress: (fetched: number, total: number | null) => void,
  signal?: AbortSignal,
): Promise<ReacceptancePerson[]> {
  const { data, error } = await readAllRows<ReacceptancePerson>(
    (from) => call(client, id, from === 0).eq("status", status) as unknown as PageableQuery<ReacceptancePerson>,
    ORDER,
    { signal, onProgress },
  );
  if (error) throw toRpcError(FN, { error }, POLICY_WORDING);
  return data;
}

export const PEOPLE_CSV_COLUMNS = [
  "customer_id",
  "email",
  "display_name",
  "status",
  "latest_event_id",
  "latest_event_at",
  "withdrawn_purposes",
  "account_restricted",
] as const;

/** The list as CSV: codes as stored (a spreadsheet filters on them), every text cell formula-guarded. */
export async function peopleCsv(rows: readonly ReacceptancePerson[]): Promise<string> {
  const Papa = await import("papaparse");
  const records = rows.map((row) => ({
    customer_id: row.customer_id,
    email: neutraliseFormula(row.email ?? ""),
    display_name: neutraliseFormula(row.display_name ?? ""),
    status: row.status,
    latest_event_id: row.event_id === null ? "" : String(row.event_id),
    latest_event_at: row.decided_at ?? "",
    withdrawn_purposes: (row.withdrawn_purposes ?? []).join(" "),
    account_restricted: row.account_restricted ? "true" : "false",
  }));
  return `\uFEFF${Papa.unparse(records, { columns: [...PEOPLE_CSV_COLUMNS] })}`;
}
