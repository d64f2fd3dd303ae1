import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import "@refinedev/antd/dist/reset.css";
import { ConfigErrorPage } from "./components/ConfigErrorPage";
import { PageLoading } from "./components/StatusPages";
import { appConfig } from "./config";

// Only one of the two roots is ever loaded: Clerk's SDK stays out of the embedded build's first load.
const EmbeddedRoot = lazy(() => import("./providers/auth/EmbeddedRoot"));
const ClerkRoot = lazy(() => import("./providers/auth/ClerkRoot"));

function Root() {
  if (!appConfig.ok) return <ConfigErrorPage message={appConfig.message} missing={appConfig.missing} />;
  const { config } = appConfig;
  return (
    <Suspense fallback={<PageLoading />}>
      {config.mode === "production" ? (
        <ClerkRoot supabaseUrl={config.supabaseUrl} supabaseAnonKey={config.supabaseAnonKey} publishableKey={config.clerkPublishableKey} />
      ) : (
        <EmbeddedRoot supabaseUrl={config.supabaseUrl} supabaseAnonKey={config.supabaseAnonKey} />
      )}
    </Suspense>
  );
}

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
