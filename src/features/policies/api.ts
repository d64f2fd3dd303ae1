import type { SupabaseClient } from "@supabase/supabase-js";
import { t } from "../../i18n/provider";
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
