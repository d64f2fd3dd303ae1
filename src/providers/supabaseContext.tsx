import { createContext, useContext, type ReactNode } from "react";
import type { ConsoleClient } from "../lib/database";

/**
 * Access to the console's one supabase-js client for what the dataProvider does not cover: privileged RPCs
 * (`(await getClient()).rpc("adjust_credits", …)`) and edge functions (`.functions.invoke(…)`). It resolves
 * once the client's chunk has loaded; the client always carries the signed-in staff member's token.
 */
type GetSupabaseClient = () => Promise<ConsoleClient>;

const SupabaseClientContext = createContext<GetSupabaseClient | null>(null);

export function SupabaseClientProvider({ getClient, children }: { getClient: GetSupabaseClient; children: ReactNode }) {
  return <SupabaseClientContext.Provider value={getClient}>{children}</SupabaseClientContext.Provider>;
}

export function useSupabaseClient(): GetSupabaseClient {
  const getClient = useContext(SupabaseClientContext);
  if (!getClient) throw new Error("useSupabaseClient must be used inside the console (SupabaseClientProvider missing)");
  return getClient;
}
