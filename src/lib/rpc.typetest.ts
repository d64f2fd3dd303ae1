/**
 * Compile-time checks (`npm run typecheck` fails if a line marked @ts-expect-error compiles): a feature's hand-typed
 * functions are held to the generated schema.
 */
import { rpcCaller } from "./rpc";

type NoteEvent = { id: number; kind: "note"; note: string | null };
type PlanRow = { category: string; action: "delete" | "anonymise" | "keep"; row_count: number; reason: string };

export const known = rpcCaller<{ dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: unknown } }>();
// @ts-expect-error: no such database function
export const unknownFunction = rpcCaller<{ dsar_add_notes: { Args: { p_request_id: string }; Returns: unknown } }>();
// @ts-expect-error: the database function has no argument p_id
export const unknownArgument = rpcCaller<{ dsar_add_note: { Args: { p_id: string; p_note: string }; Returns: unknown } }>();

// What a function returns: what may be declared.
export const refinedRow = rpcCaller<{
  // Fewer columns than the row, a text column as its values, an optional embed only a select adds.
  dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: NoteEvent & { staff?: { display_name: string } } };
  // A `returns table` column that can be null although the generator says it never is.
  dsar_assign: { Args: { p_request_ids: string[]; p_assignee_id: string }; Returns: { request_id: string; ok: boolean; error: string | null }[] };
  dsar_erasure_preview: { Args: { p_request_id: string }; Returns: PlanRow[] };
  dsar_next_statuses: { Args: { p_status: string }; Returns: ("new" | "in_progress")[] };
  has_role: { Args: { p_role: string }; Returns: boolean };
  // Json: any shape is a refinement.
  dsar_stats: { Args: Record<string, never>; Returns: { generated_at: string; open_by_days_left: { bucket: string }[] } };
  refund_recompute_payment: { Args: { p_payment_id: string }; Returns: void };
}>();

// What it cannot return.
// @ts-expect-error: dsar_events.id is a number
export const wrongColumnType = rpcCaller<{ dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: { id: string } } }>();
// @ts-expect-error: dsar_events has no column title
export const unknownColumn = rpcCaller<{ dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: NoteEvent & { title: string } } }>();
// @ts-expect-error: dsar_add_note returns one row, not a set
export const setForOne = rpcCaller<{ dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: NoteEvent[] } }>();
// @ts-expect-error: each member of a union must be possible, and dsar_add_note never returns an array
export const unionWithSet = rpcCaller<{ dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: NoteEvent | NoteEvent[] } }>();
// @ts-expect-error: dsar_erasure_preview returns a set, not one row
export const oneForSet = rpcCaller<{ dsar_erasure_preview: { Args: { p_request_id: string }; Returns: PlanRow } }>();
// @ts-expect-error: row_count is a number in each row of the set
export const wrongSetColumn = rpcCaller<{ dsar_erasure_preview: { Args: { p_request_id: string }; Returns: (Omit<PlanRow, "row_count"> & { row_count: string })[] } }>();
// @ts-expect-error: has_role returns a boolean
export const wrongScalar = rpcCaller<{ has_role: { Args: { p_role: string }; Returns: "yes" | "no" } }>();
// @ts-expect-error: has_role returns a scalar, not a row
export const rowForScalar = rpcCaller<{ has_role: { Args: { p_role: string }; Returns: { ok: boolean } } }>();
// @ts-expect-error: dsar_next_statuses returns an array of text
export const wrongArrayElement = rpcCaller<{ dsar_next_statuses: { Args: { p_status: string }; Returns: number[] } }>();
// @ts-expect-error: refund_recompute_payment returns nothing
export const valueForVoid = rpcCaller<{ refund_recompute_payment: { Args: { p_payment_id: string }; Returns: number } }>();
