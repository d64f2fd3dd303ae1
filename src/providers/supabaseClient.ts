import { createClient } from "@supabase/supabase-js";
import type { ConsoleClient, Database } from "../lib/database";

/** Returns the current session token (Clerk's or the embedded server's), or null when signed out. */
export type AccessTokenSource = () => Promise<string | null>;

/**
 * The console's one supabase-js client. It never signs in itself: with `accessToken`, supabase-js sends whatever
 * the configured token source returns, which is what Supabase third-party auth (Clerk) and the embedded server
 * both expect.
 */
export function createConsoleSupabaseClient(
  supabaseUrl: string,
  supabaseAnonKey: string,
  getAccessToken: AccessTokenSource,
): ConsoleClient {
  return createClient<Database>(supabaseUrl, supabaseAnonKey, {
    accessToken: getAccessToken,
    // Resolve fetch at call time so tests (and polyfills installed later) are honoured.
    global: { fetch: (input, init) => globalThis.fetch(input, init) },
  });
}
