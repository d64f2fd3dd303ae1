import { useMemo } from "react";
import type { QueryClient } from "@tanstack/react-query";
import { ConsoleApp, type ConsoleServices } from "../../App";
import { EmbeddedSignInPage } from "../../features/auth/EmbeddedSignInPage";
import { createConsoleQueryClient } from "../queryClient";
import { createEmbeddedAuth } from "./embedded";
import { assembleServices } from "./services";

export function createEmbeddedServices(
  supabaseUrl: string,
  supabaseAnonKey: string,
  storage: Storage,
  queryClient: QueryClient = createConsoleQueryClient(),
): ConsoleServices {
  return assembleServices(supabaseUrl, supabaseAnonKey, queryClient, (hooks) => createEmbeddedAuth({ apiUrl: supabaseUrl, storage, ...hooks }));
}

/** Embedded mode: demo sign-in against the local server, token kept for this browser tab only. */
export default function EmbeddedRoot({ supabaseUrl, supabaseAnonKey }: { supabaseUrl: string; supabaseAnonKey: string }) {
  const services = useMemo(
    () => createEmbeddedServices(supabaseUrl, supabaseAnonKey, window.sessionStorage),
    [supabaseUrl, supabaseAnonKey],
  );
  return <ConsoleApp services={services} loginPage={<EmbeddedSignInPage apiUrl={supabaseUrl} />} />;
}
