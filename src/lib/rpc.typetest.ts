/**
 * Compile-time checks (`npm run typecheck` fails if a line marked @ts-expect-error compiles): a feature's hand-typed
 * functions are held to the generated schema.
 */
import { rpcCaller } from "./rpc";

export const known = rpcCaller<{ dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: unknown } }>();
// @ts-expect-error: no such database function
export const unknownFunction = rpcCaller<{ dsar_add_notes: { Args: { p_request_id: string }; Returns: unknown } }>();
// @ts-expect-error: the database function has no argument p_id
export const unknownArgument = rpcCaller<{ dsar_add_note: { Args: { p_id: string; p_note: string }; Returns: unknown } }>();
