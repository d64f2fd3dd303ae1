import type { CrudFilters } from "@refinedev/core";
import type { ConsoleClient, RpcArgs, RpcName } from "../../lib/database";
import { readAllRows } from "../../lib/readAll";
import { applyFilters, normaliseQueueSearch, queueSorters, type FilterableQuery, type QueueState } from "./queueState";
import type { DsarQueueRow, StaffMemberOption } from "./types";

/** The DSAR pages' calls that need no React: shared by the hooks in data.ts and the server-backed tests. */
export const DSAR_QUEUE = "dsar_queue";

type LooseQuery = FilterableQuery<LooseQuery>;

/**
 * supabase-js's builder types are too deep for a generic helper; the runtime object has every method used, and the
 * query keeps its own type (its table's rows).
 */
export function withFilters<Query>(query: Query, filters: CrudFilters): Query {
  return applyFilters(query as unknown as LooseQuery, filters) as unknown as Query;
}

/** A refused RPC: the database's message (written for the DPO) plus its SQLSTATE, shown as is on the form. */
export class DsarActionError extends Error {
  constructor(message: string, readonly code: string | null, readonly details: string | null) {
    super(message);
    this.name = "DsarActionError";
  }
}

/** Calls a DSAR function and returns its data, or throws a DsarActionError with the database's message. */
export async function callDsarRpc<T>(client: ConsoleClient, fn: RpcName, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await client.rpc(fn, args as RpcArgs<typeof fn>);
  if (error) throw new DsarActionError(error.message || `${fn} failed`, error.code ?? null, error.details ?? null);
  return data as T;
}

/** staff_roles references staff_members twice (member, granted_by): name the member key for the embed. */
export const DPO_STAFF_SELECT = "id,display_name,email,active,staff_roles!staff_member_id(role)";

export function dpoOptions(rows: readonly (StaffMemberOption & { staff_roles?: { role: string }[] })[]): StaffMemberOption[] {
  return rows
    .filter((row) => !row.staff_roles || row.staff_roles.some((r) => r.role === "dpo"))
    .map(({ id, display_name, email }) => ({ id, display_name, email }));
}

/** Every row of the current filter in the queue's order (the reference breaks ties), page by page with progress. */
export async function fetchAllQueueRows(
  client: ConsoleClient,
  filters: CrudFilters,
  sort: QueueState["sort"],
  onProgress: (fetched: number, total: number | null) => void,
  signal?: AbortSignal,
): Promise<DsarQueueRow[]> {
  const [first, ...rest] = queueSorters(sort).map((s) => ({ column: s.field, ascending: s.order === "asc" }));
  const { data, error } = await readAllRows(
    (from) => withFilters(client.from(DSAR_QUEUE).select("*", from === 0 ? { count: "exact" } : {}), filters),
    [first!, ...rest],
    { signal, onProgress },
  );
  if (error) throw new DsarActionError(error.message, error.code ?? null, null);
  return data as DsarQueueRow[];
}

/**
 * The PostgREST `or` filter for matching a requester to a customer: a Clerk id (user_…) exactly, anything else
 * as part of the email or display name. Null for terms too short to search.
 */
export function customerMatchFilter(raw: string): string | null {
  const term = normaliseQueueSearch(raw);
  if (term.length < 2) return null;
  return /^user_[A-Za-z0-9]+$/.test(term) ? `clerk_user_id.eq.${term}` : `email.ilike."%${term}%",display_name.ilike."%${term}%"`;
}
