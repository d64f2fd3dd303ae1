import type { ConsoleClient, RpcArgs, RpcName } from "../../lib/database";
import type { AdjustmentReason, AdjustmentRow } from "./types";

/** A refused money RPC: the database's message plus its SQLSTATE (docs/money.md, "Errors"). */
export class MoneyRpcError extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
    this.name = "MoneyRpcError";
  }
}

export async function callMoneyRpc<T>(client: ConsoleClient, fn: RpcName, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await client.rpc(fn, args as RpcArgs<typeof fn>);
  if (error) throw new MoneyRpcError(error.message || `${fn} failed`, error.code ?? null);
  return data as T;
}

/** "adjust_credits: a note … is required" → "A note … is required": the function name helps nobody at the desk. */
export function databaseDetail(message: string): string {
  const text = message.replace(/^[a-z_]+: /, "").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/**
 * A database refusal as one clear sentence for the person at the desk, by SQLSTATE (the codes every money
 * function uses), keeping the database's own wording where it carries the specifics (which limit, how much).
 */
export function describeMoneyError(cause: unknown): string {
  if (!(cause instanceof MoneyRpcError)) return cause instanceof Error ? cause.message : String(cause);
  const detail = databaseDetail(cause.message);
  switch (cause.code) {
    case "42501":
      return /four eyes|own/i.test(cause.message)
        ? "Not allowed: nobody decides their own request. A different finance user must approve."
        : `Not allowed for your role. ${detail}`;
    case "22023":
      return `Check the input: ${detail}`;
    case "PT404":
      return `Not found: ${detail}`;
    case "23505":
      return "This form's earlier submit was recorded with other values (its idempotency key is taken). Close the form, check the customer's adjustments, and start again.";
    case "PT409":
      return `Not possible now: ${detail}`;
    case "PGRST301":
    case "401":
      return "Your session has expired. Sign in again; the form keeps what you typed.";
    default:
      return detail || "The database refused the request.";
  }
}

export interface AdjustCreditsInput {
  customerId: string;
  amount: number;
  reason: AdjustmentReason;
  note: string;
  idempotencyKey: string;
}

export function adjustCredits(client: ConsoleClient, input: AdjustCreditsInput): Promise<AdjustmentRow> {
  return callMoneyRpc<AdjustmentRow>(client, "adjust_credits", {
    p_customer_id: input.customerId,
    p_amount: input.amount,
    p_reason: input.reason,
    p_note: input.note,
    p_idempotency_key: input.idempotencyKey,
  });
}

export function approveAdjustment(client: ConsoleClient, id: string, note: string | null): Promise<AdjustmentRow> {
  return callMoneyRpc<AdjustmentRow>(client, "approve_credit_adjustment", { p_id: id, p_note: note });
}

export function rejectAdjustment(client: ConsoleClient, id: string, note: string): Promise<AdjustmentRow> {
  return callMoneyRpc<AdjustmentRow>(client, "reject_credit_adjustment", { p_id: id, p_note: note });
}

export { newIdempotencyKey } from "../../lib/idempotencyKey";
