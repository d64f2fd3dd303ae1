import type { DataProvider } from "@refinedev/core";
import { dataProvider as supabaseDataProvider } from "@refinedev/supabase";
import type { SupabaseClient } from "@supabase/supabase-js";

/** Refine CRUD over PostgREST: every row comes through RLS as the signed-in staff member. */
export function createDataProvider(client: SupabaseClient): DataProvider {
  return supabaseDataProvider(client);
}
