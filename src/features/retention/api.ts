import type { SupabaseClient } from "@supabase/supabase-js";
import { t } from "../../i18n/provider";
import { rpcCaller, type CallFailure, type ErrorWording } from "../../lib/rpc";
import type { LegalHoldRow, PurgeRunRow } from "./types";
import "../../i18n/messages/en/retention";

/** "legal_hold_place: a reason is required" → "A reason is required". */
function detailOf(failure: CallFailure): string {
  const text = (failure.message || t("common.errors.callFailed", { name: failure.fn })).replace(/^[a-z_]+: /, "").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** The retention functions' refusals (docs/roles.md "Retention"), keeping the database's specifics. */
export const RETENTION_WORDING: ErrorWording = {
  "42501": (failure) => t("retention.errors.notAllowed", { detail: detailOf(failure) }),
  "22023": (failure) => t("retention.errors.checkInput", { detail: detailOf(failure) }),
  PT404: (failure) => t("retention.errors.notFound", { detail: detailOf(failure) }),
  PT409: (failure) => t("retention.errors.notPossible", { detail: detailOf(failure) }),
  otherwise: (failure) => detailOf(failure) || t("retention.errors.refused"),
};

type RetentionFunctions = {
  legal_hold_place: {
    Args: {
      p_reason: string;
      p_review_on: string;
      p_customer_id?: string;
      p_category?: string;
      p_held_from?: string;
      p_held_until?: string;
    };
    Returns: LegalHoldRow;
  };
  legal_hold_release: { Args: { p_hold_id: string; p_note: string }; Returns: LegalHoldRow };
  retention_dry_run: { Args: { p_cutoff?: string }; Returns: PurgeRunRow };
  retention_purge: { Args: { p_cutoff?: string }; Returns: PurgeRunRow };
};

const call = rpcCaller<RetentionFunctions>(RETENTION_WORDING);

export interface PlaceHoldInput {
  reason: string;
  /** YYYY-MM-DD */
  reviewOn: string;
  customerId?: string | undefined;
  category?: string | undefined;
  /** ISO timestamps */
  heldFrom?: string | undefined;
  heldUntil?: string | undefined;
}

export function placeLegalHold(client: SupabaseClient, input: PlaceHoldInput): Promise<LegalHoldRow> {
  return call(client, "legal_hold_place", {
    p_reason: input.reason,
    p_review_on: input.reviewOn,
    ...(input.customerId ? { p_customer_id: input.customerId } : {}),
    ...(input.category ? { p_category: input.category } : {}),
    ...(input.heldFrom ? { p_held_from: input.heldFrom } : {}),
    ...(input.heldUntil ? { p_held_until: input.heldUntil } : {}),
  });
}

export function releaseLegalHold(client: SupabaseClient, holdId: string, note: string): Promise<LegalHoldRow> {
  return call(client, "legal_hold_release", { p_hold_id: holdId, p_note: note });
}

/** A dry run measured up to `cutoff` (an ISO time; the database's now when left out). */
export function retentionDryRun(client: SupabaseClient, cutoff?: string): Promise<PurgeRunRow> {
  return call(client, "retention_dry_run", cutoff ? { p_cutoff: cutoff } : {});
}

/** The purge, with the dry run's cut-off, so it takes exactly the rows the dry run counted. */
export function retentionPurge(client: SupabaseClient, cutoff: string): Promise<PurgeRunRow> {
  return call(client, "retention_purge", { p_cutoff: cutoff });
}
