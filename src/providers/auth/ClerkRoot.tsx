import { useMemo } from "react";
import { ClerkLoaded, ClerkLoading, ClerkProvider, SignIn, useClerk } from "@clerk/clerk-react";
import { ConsoleApp, type ConsoleServices } from "../../App";
import { PageLoading } from "../../components/StatusPages";
import { createAccessControlProvider, menuGroupsOf } from "../accessControl";
import { resources } from "../resources";
import { createLazyBackend } from "../backend";
import { clearSessionCache, createConsoleQueryClient } from "../queryClient";
import { createClerkAuth, type ClerkSessionSource } from "./clerk";
import { fetchCurrentStaff } from "./staff";

export function createClerkServices(supabaseUrl: string, supabaseAnonKey: string, clerk: ClerkSessionSource): ConsoleServices {
  const queryClient = createConsoleQueryClient();
  const auth = createClerkAuth({
    clerk,
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
  };
}

function ClerkSignInPage() {
  return (
    <main style={{ minHeight: "100vh", display: "flex", alignItems: "center", justifyContent: "center", padding: 24 }}>
      {/* Hash routing keeps Clerk's multi-step flow inside /login without extra routes. */}
      <SignIn routing="hash" fallbackRedirectUrl="/" />
    </main>
  );
}

function ClerkConsole({ supabaseUrl, supabaseAnonKey }: { supabaseUrl: string; supabaseAnonKey: string }) {
  const clerk = useClerk();
  // `clerk` is a stable singleton whose `session` updates in place, so the providers are built once.
  const services = useMemo(() => createClerkServices(supabaseUrl, supabaseAnonKey, clerk), [supabaseUrl, supabaseAnonKey, clerk]);
  return <ConsoleApp services={services} loginPage={<ClerkSignInPage />} />;
}

/** Production mode: Clerk signs staff in; Supabase accepts Clerk session tokens (third-party auth). */
export default function ClerkRoot(props: { supabaseUrl: string; supabaseAnonKey: string; publishableKey: string }) {
  return (
    <ClerkProvider publishableKey={props.publishableKey} afterSignOutUrl="/login">
      <ClerkLoading>
        <PageLoading label="Connecting to Clerk…" />
      </ClerkLoading>
      <ClerkLoaded>
        <ClerkConsole supabaseUrl={props.supabaseUrl} supabaseAnonKey={props.supabaseAnonKey} />
      </ClerkLoaded>
    </ClerkProvider>
  );
}
