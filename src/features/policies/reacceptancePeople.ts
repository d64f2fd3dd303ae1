/**
 * The people behind a re_accept version (policy_reacceptance_people): one page per status, counted on the server,
 * and every row of a status for the streamed CSV export. E-mail and name come through the caller's RLS on customers (the
 * DPO's; null for the auditor); a declined row carries what its decline did (purposes withdrawn, restriction).
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import { keysetPages, loadCsvFormat, type CsvExportSource, type PagedQuery } from "../../lib/csvExport";
import type { RpcRow, WithNullable } from "../../lib/database";
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
const ORDER = [{ column: "customer_id", ascending: true }] as [{ column: string; ascending: boolean }];

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

/** A page of people as CSV records: codes as stored (a spreadsheet filters on them); the kit guards every text cell. */
function peopleCsvRecords(rows: readonly ReacceptancePerson[]) {
  return rows.map((row) => ({
    customer_id: row.customer_id,
    email: row.email ?? "",
    display_name: row.display_name ?? "",
    status: row.status,
    latest_event_id: row.event_id === null ? "" : String(row.event_id),
    latest_event_at: row.decided_at ?? "",
    withdrawn_purposes: (row.withdrawn_purposes ?? []).join(" "),
    account_restricted: row.account_restricted ? "true" : "false",
  }));
}

/**
 * Every customer in `status` for the streamed CSV export: keyset pages of max_rows after the last customer id (the
 * order is the unique customer id), the first page counting the total.
 */
export async function reacceptancePeopleCsvSource(client: SupabaseClient, id: string, status: ReacceptanceStatus): Promise<CsvExportSource<ReacceptancePerson>> {
  const pages = keysetPages<ReacceptancePerson>((first) => call(client, id, first).eq("status", status) as unknown as PagedQuery<ReacceptancePerson>, ORDER, {
    failure: (error) => toRpcError(FN, { error }, POLICY_WORDING),
  });
  return { pages, format: await loadCsvFormat<ReacceptancePerson>(PEOPLE_CSV_COLUMNS, peopleCsvRecords) };
}
