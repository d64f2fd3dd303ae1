import type { SupabaseClient } from "@supabase/supabase-js";
import { t } from "../../i18n/provider";
import { neutraliseFormula } from "../../lib/csv";
import { readAllRows, type PageableQuery } from "../../lib/readAll";
import { rpcCaller, toRpcError, type CallFailure, type ErrorWording } from "../../lib/rpc";
import type { ChangeClass, PolicyDocument, PolicyVersionRow } from "./types";
import "../../i18n/messages/en/policies";

/** "publish_policy_version: the draft …" → "The draft …": the function name helps nobody at the desk. */
export function databaseDetail(message: string): string {
  const text = message.replace(/^[a-z_]+: /, "").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

const detailOf = (failure: CallFailure) => databaseDetail(failure.message || t("common.errors.callFailed", { name: failure.fn }));
const sessionExpired = () => t("policies.errors.sessionExpired");

/** The policy functions' and the drafts' refusals, by SQLSTATE, keeping the database's specifics. */
export const POLICY_WORDING: ErrorWording = {
  "42501": (failure) => t("policies.errors.notAllowed", { detail: detailOf(failure) }),
  "22023": (failure) => t("policies.errors.checkInput", { detail: detailOf(failure) }),
  "23514": (failure) => t("policies.errors.checkInput", { detail: detailOf(failure) }),
  "23505": () => t("policies.errors.labelTaken"),
  PT404: (failure) => t("policies.errors.notFound", { detail: detailOf(failure) }),
  // The guard's refusal to change a published or superseded version, or publishing what is not a draft.
  PT409: (failure) =>
    /cannot be (changed|deleted)/.test(failure.message) ? t("policies.errors.immutable") : t("policies.errors.notPossible", { detail: detailOf(failure) }),
  PGRST301: sessionExpired,
  "401": sessionExpired,
  otherwise: (failure) => detailOf(failure) || t("policies.errors.refused"),
};

type PolicyFunctions = {
  publish_policy_version: { Args: { p_id: string; p_change_class: ChangeClass; p_reason?: string }; Returns: PolicyVersionRow };
  policy_version_in_force: { Args: { p_document: PolicyDocument; p_at: string }; Returns: PolicyVersionRow[] };
  policy_reacceptance_summary: { Args: { p_policy_version_id: string }; Returns: ReacceptanceSummary };
};

export interface ReacceptanceSummary {
  policy_version_id: string;
  active_customers: number;
  pending: number;
  accepted: number;
  declined: number;
  restricted: number;
}

const callPolicies = rpcCaller<PolicyFunctions>(POLICY_WORDING);

/** One call: the draft becomes the published version of its document, the previous one superseded. */
export function publishPolicyVersion(client: SupabaseClient, id: string, changeClass: ChangeClass, reason: string): Promise<PolicyVersionRow> {
  const args: PolicyFunctions["publish_policy_version"]["Args"] = { p_id: id, p_change_class: changeClass };
  if (reason.trim()) args.p_reason = reason.trim();
  return callPolicies(client, "publish_policy_version", args);
}

/** The version of `document` in force at `at` (an instant), or null before the first one. */
export async function policyVersionInForce(client: SupabaseClient, document: PolicyDocument, at: string): Promise<PolicyVersionRow | null> {
  const rows = await callPolicies(client, "policy_version_in_force", { p_document: document, p_at: at });
  return rows[0] ?? null;
}

export function reacceptanceSummary(client: SupabaseClient, id: string): Promise<ReacceptanceSummary> {
  return callPolicies(client, "policy_reacceptance_summary", { p_policy_version_id: id });
}

/** What the DPO writes in a draft (the columns the database grants; the hashes are the database's). */
export interface DraftInput {
  document: PolicyDocument;
  version: string;
  title: string;
  effective_at: string | null;
  body_markdown: string;
  body_th: string | null;
  summary_of_changes: string | null;
}

/** A new draft (id given back), or changes to an existing one; a published version is refused by the database (PT409). */
export async function saveDraft(client: SupabaseClient, input: DraftInput, id?: string): Promise<PolicyVersionRow> {
  const table = client.from("policy_versions");
  const { data, error, status } = id
    ? await table.update(input).eq("id", id).select("*").single()
    : await table.insert(input).select("*").single();
  if (error) throw toRpcError("policy_versions", { error, status }, POLICY_WORDING);
  return data as PolicyVersionRow;
}

/** One active customer's answer to a re_accept version (policy_reacceptance). */
export interface ReacceptanceRow {
  customer_id: string;
  status: "pending" | "accepted" | "declined";
  event_id: number | null;
  decided_at: string | null;
  account_restricted: boolean;
}

const REACCEPTANCE_ORDER = [{ column: "customer_id", ascending: true }] as const;

/** The customers still pending on a re_accept version, one page (server-side, counted). */
export async function pendingReacceptancePage(client: SupabaseClient, id: string, page: number, pageSize: number): Promise<{ rows: ReacceptanceRow[]; total: number }> {
  const from = (page - 1) * pageSize;
  const { data, error, status, count } = await client
    .rpc("policy_reacceptance", { p_policy_version_id: id }, { count: "exact" })
    .eq("status", "pending")
    .order("customer_id", { ascending: true })
    .range(from, from + pageSize - 1);
  if (error) throw toRpcError("policy_reacceptance", { error, status }, POLICY_WORDING);
  return { rows: (data ?? []) as ReacceptanceRow[], total: count ?? 0 };
}

/** Every pending customer, in pages of max_rows, for the CSV export. */
export async function allPendingReacceptance(client: SupabaseClient, id: string, onProgress: (fetched: number, total: number | null) => void, signal?: AbortSignal): Promise<ReacceptanceRow[]> {
  const { data, error } = await readAllRows<ReacceptanceRow>(
    (from) => client.rpc("policy_reacceptance", { p_policy_version_id: id }, from === 0 ? { count: "exact" } : {}).eq("status", "pending") as unknown as PageableQuery<ReacceptanceRow>,
    REACCEPTANCE_ORDER,
    { signal, onProgress },
  );
  if (error) throw toRpcError("policy_reacceptance", { error }, POLICY_WORDING);
  return data;
}

/** The pending list as CSV (papaparse loads only when someone exports). */
export async function pendingCsv(rows: readonly ReacceptanceRow[]): Promise<string> {
  const Papa = await import("papaparse");
  const records = rows.map((row) => ({
    customer_id: neutraliseFormula(row.customer_id),
    status: row.status,
    latest_event_id: row.event_id === null ? "" : String(row.event_id),
    latest_event_at: row.decided_at ?? "",
  }));
  return `\uFEFF${Papa.unparse(records, { columns: ["customer_id", "status", "latest_event_id", "latest_event_at"] })}`;
}
