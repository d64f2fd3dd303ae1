import { useMemo } from "react";
import type { QueryClient } from "@tanstack/react-query";
import { ConsoleApp, type ConsoleServices } from "../../App";
import { EmbeddedSignInPage } from "../../features/auth/EmbeddedSignInPage";
import { createAccessControlProvider } from "../accessControl";
import { createDataProvider } from "../dataProvider";
import { clearSessionCache, createConsoleQueryClient } from "../queryClient";
import { createConsoleSupabaseClient } from "../supabaseClient";
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
    lookupStaff: () => fetchCurrentStaff(client),
    onSessionChange: () => clearSessionCache(queryClient),
  });
  const client = createConsoleSupabaseClient(supabaseUrl, supabaseAnonKey, auth.getAccessToken);
  const loadRoles = async () => ((await auth.authProvider.getPermissions?.()) as string[] | undefined) ?? [];
  return {
    dataProvider: createDataProvider(client),
    authProvider: auth.authProvider,
    accessControlProvider: createAccessControlProvider(loadRoles),
    queryClient,
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
