import type { AuthProvider } from "@refinedev/core";
import type { QueryClient } from "@tanstack/react-query";
import type { ConsoleServices } from "../../App";
import { createAccessControlProvider, menuGroupsOf } from "../accessControl";
import { createLazyBackend } from "../backend";
import { clearSessionCache } from "../queryClient";
import { resources } from "../resources";
import type { AccessTokenSource } from "../supabaseClient";
import { fetchCurrentStaff, type StaffIdentity } from "./staff";

/** What a sign-in mode's auth gets from the console: who the token is on staff, and a hook for session changes. */
export interface SessionHooks {
  lookupStaff: () => Promise<StaffIdentity | null>;
  onSessionChange: () => void;
}

/** What a sign-in mode gives back: Refine's auth provider, the token supabase-js sends, and (embedded) the expiry. */
export interface SignInMode {
  authProvider: AuthProvider;
  getAccessToken: AccessTokenSource;
  msUntilExpiry?: () => number | null;
}

/**
 * The services every sign-in mode (embedded demo, Clerk) assembles the same way around its own auth: the lazy
 * backend carrying the mode's token, the staff lookup through it, roles from the auth provider and access control
 * over the menu. A new session drops the previous person's cached rows.
 */
export function assembleServices(supabaseUrl: string, supabaseAnonKey: string, queryClient: QueryClient, createAuth: (hooks: SessionHooks) => SignInMode): ConsoleServices {
  const auth = createAuth({
    lookupStaff: async () => fetchCurrentStaff(await backend.getClient()),
    onSessionChange: () => clearSessionCache(queryClient),
  });
  const backend = createLazyBackend(supabaseUrl, supabaseAnonKey, auth.getAccessToken);
  const loadRoles = async () => ((await auth.authProvider.getPermissions?.()) as string[] | undefined) ?? [];
  return {
    dataProvider: backend.dataProvider,
    authProvider: auth.authProvider,
    accessControlProvider: createAccessControlProvider(loadRoles, menuGroupsOf(resources)),
    queryClient,
    getSupabaseClient: backend.getClient,
    ...(auth.msUntilExpiry ? { msUntilExpiry: auth.msUntilExpiry } : {}),
  };
}
