import { useMemo } from "react";
import { ClerkLoaded, ClerkLoading, ClerkProvider, SignIn, useClerk } from "@clerk/clerk-react";
import { ConsoleApp, type ConsoleServices } from "../../App";
import { PageLoading } from "../../components/StatusPages";
import { t } from "../../i18n/provider";
import { createConsoleQueryClient } from "../queryClient";
import { createClerkAuth, type ClerkSessionSource } from "./clerk";
import { assembleServices } from "./services";

export function createClerkServices(supabaseUrl: string, supabaseAnonKey: string, clerk: ClerkSessionSource): ConsoleServices {
  return assembleServices(supabaseUrl, supabaseAnonKey, createConsoleQueryClient(), (hooks) => createClerkAuth({ clerk, ...hooks }));
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
        <PageLoading label={t("auth.clerk.connecting")} />
      </ClerkLoading>
      <ClerkLoaded>
        <ClerkConsole supabaseUrl={props.supabaseUrl} supabaseAnonKey={props.supabaseAnonKey} />
      </ClerkLoaded>
    </ClerkProvider>
  );
}
