import type { SupabaseClient } from "@supabase/supabase-js";
import { t } from "../../i18n/provider";
import { rpcCaller, type CallFailure, type ErrorWording } from "../../lib/rpc";
import type { AdjustmentReason, AdjustmentRow } from "./types";
import "../../i18n/messages/en/credits";

/** "adjust_credits: a note … is required" → "A note … is required": the function name helps nobody at the desk. */
export function databaseDetail(message: string): string {
  const text = message.replace(/^[a-z_]+: /, "").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

const said = (failure: CallFailure) => failure.message || t("common.errors.callFailed", { name: failure.fn });
const detailOf = (failure: CallFailure) => databaseDetail(said(failure));
const sessionExpiredFormKept = () => t("credits.errors.sessionExpiredFormKept");

/**
 * A money function's refusal as one clear sentence for the person at the desk, by SQLSTATE (the codes every money
 * function uses, docs/money.md "Errors"), keeping the database's own wording where it carries the specifics (which
 * limit, how much). The money dashboard's money_stats is worded the same way.
 */
export const MONEY_WORDING: ErrorWording = {
  "42501": (failure) =>
    /four eyes|own/i.test(said(failure))
      ? t("credits.errors.ownRequest")
      : t("credits.errors.notAllowed", { detail: detailOf(failure) }),
  "22023": (failure) => t("credits.errors.checkInput", { detail: detailOf(failure) }),
  PT404: (failure) => t("credits.errors.notFound", { detail: detailOf(failure) }),
  "23505": () => t("credits.errors.keyTaken"),
  PT409: (failure) => t("credits.errors.notPossible", { detail: detailOf(failure) }),
  PGRST301: sessionExpiredFormKept,
  "401": sessionExpiredFormKept,
  otherwise: (failure) => detailOf(failure) || t("credits.errors.refused"),
};

/** The credit functions' arguments and answers (hand-typed until the generated Database type lands). */
type CreditFunctions = {
  adjust_credits: {
    Args: { p_customer_id: string; p_amount: number; p_reason: AdjustmentReason; p_note: string; p_idempotency_key: string };
    Returns: AdjustmentRow;
  };
  approve_credit_adjustment: { Args: { p_id: string; p_note: string | null }; Returns: AdjustmentRow };
  reject_credit_adjustment: { Args: { p_id: string; p_note: string }; Returns: AdjustmentRow };
};

const callCredits = rpcCaller<CreditFunctions>(MONEY_WORDING);

export interface AdjustCreditsInput {
  customerId: string;
  amount: number;
  reason: AdjustmentReason;
  note: string;
  idempotencyKey: string;
}

export function adjustCredits(client: SupabaseClient, input: AdjustCreditsInput): Promise<AdjustmentRow> {
  return callCredits(client, "adjust_credits", {
    p_customer_id: input.customerId,
    p_amount: input.amount,
    p_reason: input.reason,
    p_note: input.note,
    p_idempotency_key: input.idempotencyKey,
  });
}

export function approveAdjustment(client: SupabaseClient, id: string, note: string | null): Promise<AdjustmentRow> {
  return callCredits(client, "approve_credit_adjustment", { p_id: id, p_note: note });
}

export function rejectAdjustment(client: SupabaseClient, id: string, note: string): Promise<AdjustmentRow> {
  return callCredits(client, "reject_credit_adjustment", { p_id: id, p_note: note });
}

export { newIdempotencyKey } from "../../lib/idempotencyKey";
