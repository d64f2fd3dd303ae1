import { useMemo } from "react";
import type { QueryClient } from "@tanstack/react-query";
import { ConsoleApp, type ConsoleServices } from "../../App";
import { EmbeddedSignInPage } from "../../features/auth/EmbeddedSignInPage";
import { createAccessControlProvider, menuGroupsOf } from "../accessControl";
import { resources } from "../resources";
import { createLazyBackend } from "../backend";
import { clearSessionCache, createConsoleQueryClient } from "../queryClient";
import { createEmbeddedAuth } from "./embedded";
import { fetchCurrentStaff } from "./staff";

export function createEmbeddedServices(
  supabaseUrl: string,
  supabaseAnonKey: string,
  storage: Storage,
  queryClient: QueryClient = createConsoleQueryClient(),
): ConsoleServices {
  const auth = createEmbeddedAuth({
    apiUrl: supabaseUrl,
    storage,
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
    msUntilExpiry: auth.msUntilExpiry,
  };
}

/** Embedded mode: demo sign-in against the local server, token kept for this browser tab only. */
export default function EmbeddedRoot({ supabaseUrl, supabaseAnonKey }: { supabaseUrl: string; supabaseAnonKey: string }) {
  const services = useMemo(
    () => createEmbeddedServices(supabaseUrl, supabaseAnonKey, window.sessionStorage),
    [supabaseUrl, supabaseAnonKey],
  );
  return <ConsoleApp services={services} loginPage={<EmbeddedSignInPage apiUrl={supabaseUrl} />} />;
}
