import type { SupabaseClient } from "@supabase/supabase-js";
import { invokeFunction } from "../../lib/rpc";

/**
 * Which Stripe the server's functions talk to. Asked by the header on every page (StripeModeTag), so this module
 * carries none of the refund desk's words: a failure only hides the tag, and keeps the shared wording.
 */
export type StripeMode = "sandbox" | "test" | "live" | "not_configured";

const MODES: readonly StripeMode[] = ["sandbox", "test", "live", "not_configured"];

/** The Stripe mode the server runs with (GET /functions/v1/health → stripe.mode); null when not reported. */
export async function fetchStripeMode(client: SupabaseClient): Promise<StripeMode | null> {
  const data = await invokeFunction<{ stripe?: { mode?: string } }>(client, "health", { method: "GET" });
  const mode = data?.stripe?.mode;
  return mode && (MODES as readonly string[]).includes(mode) ? (mode as StripeMode) : null;
}
