import { lazy, Suspense, type ReactNode } from "react";
import { Authenticated, Refine, type AccessControlProvider, type AuthProvider, type DataProvider } from "@refinedev/core";
import { ThemedLayout, ThemedSider, useNotificationProvider } from "@refinedev/antd";
import routerProvider, { CatchAllNavigate, DocumentTitleHandler } from "@refinedev/react-router";
import type { QueryClient } from "@tanstack/react-query";
import type { ConsoleClient } from "./lib/database";
import { App as AntdApp, ConfigProvider } from "antd";
import { BrowserRouter, Navigate, Outlet, Route, Routes } from "react-router";
import { ConsoleHeader, ConsoleTitle } from "./components/ConsoleHeader";
import { HomePage } from "./components/HomePage";
import { RequireAccess } from "./components/RequireAccess";
import { SessionExpiryWatcher } from "./components/SessionExpiryWatcher";
import { StaffGate } from "./components/StaffGate";
import { NotFoundPage, PageLoading } from "./components/StatusPages";
import { createI18nProvider, t } from "./i18n";
import { resources } from "./providers/resources";
import { SupabaseClientProvider } from "./providers/supabaseContext";

// Pages load on demand: the first-load bundle holds only the shell, and heavy libraries used by later
// features (recharts, papaparse, jszip) stay in their own chunks.
const CustomerList = lazy(() => import("./features/customers/list"));
const CustomerShow = lazy(() => import("./features/customers/show"));
const DsarList = lazy(() => import("./features/dsar/list"));
const DsarCreate = lazy(() => import("./features/dsar/create"));
const DsarShow = lazy(() => import("./features/dsar/show"));
const DsarDashboard = lazy(() => import("./features/dsar/dashboard"));
const ConsentList = lazy(() => import("./features/consent/list"));
const CustomerConsentPage = lazy(() => import("./features/consent/customer"));
const CreditList = lazy(() => import("./features/credits/list"));
const MoneyDashboard = lazy(() => import("./features/money/dashboard"));
const RefundList = lazy(() => import("./features/refunds/list"));
const ReconciliationPage = lazy(() => import("./features/reconciliation/page"));
const RetentionPage = lazy(() => import("./features/retention/page"));
const PolicyList = lazy(() => import("./features/policies/list"));
const PolicyShow = lazy(() => import("./features/policies/show"));
const PolicyDraft = lazy(() => import("./features/policies/draft"));

export interface ConsoleServices {
  dataProvider: DataProvider;
  authProvider: AuthProvider;
  accessControlProvider: AccessControlProvider;
  queryClient: QueryClient;
  /** The shared supabase-js client, for RPCs and edge functions (see useSupabaseClient). */
  getSupabaseClient: () => Promise<ConsoleClient>;
  /** Embedded mode only: time left on the session token, so the console signs out when it expires. */
  msUntilExpiry?: () => number | null;
}

const i18nProvider = createI18nProvider();

export const consoleTheme = {
  token: { colorPrimary: "#5b3cc4", borderRadius: 6 },
};

// Groups start expanded: with few entries per group, a collapsed "Customers" hiding "Customers" only costs a click.
function ConsoleSider(props: Parameters<typeof ThemedSider>[0]) {
  return <ThemedSider {...props} siderItemsAreCollapsed={false} />;
}

function Page({ resource, action, children }: { resource: string; action: string; children: ReactNode }) {
  return (
    <RequireAccess resource={resource} action={action}>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </RequireAccess>
  );
}

/** Routes and layout; separate from the router so tests can mount it in a MemoryRouter. */
export function ConsoleRoutes({ services, loginPage }: { services: ConsoleServices; loginPage: ReactNode }) {
  const notificationProvider = useNotificationProvider();
  return (
    <SupabaseClientProvider getClient={services.getSupabaseClient}>
      <Refine
        dataProvider={services.dataProvider}
        authProvider={services.authProvider}
        accessControlProvider={services.accessControlProvider}
        routerProvider={routerProvider}
        notificationProvider={notificationProvider}
        i18nProvider={i18nProvider}
        resources={resources}
        options={{
          syncWithLocation: true,
          warnWhenUnsavedChanges: true,
          disableTelemetry: true,
          reactQuery: { clientConfig: services.queryClient },
          title: { text: t("common.appName") },
        }}
      >
        <Routes>
          <Route
            element={
              <Authenticated key="console" fallback={<CatchAllNavigate to="/login" />} loading={<PageLoading />}>
                <StaffGate>
                  {services.msUntilExpiry ? <SessionExpiryWatcher msUntilExpiry={services.msUntilExpiry} /> : null}
                  <ThemedLayout Header={ConsoleHeader} Title={ConsoleTitle} Sider={ConsoleSider}>
                    <Outlet />
                  </ThemedLayout>
                </StaffGate>
              </Authenticated>
            }
          >
            <Route index element={<HomePage />} />
            <Route path="/customers">
              <Route
                index
                element={
                  <Page resource="customers" action="list">
                    <CustomerList />
                  </Page>
                }
              />
              <Route
                path=":id"
                element={
                  <Page resource="customers" action="show">
                    <CustomerShow />
                  </Page>
                }
              />
            </Route>
            <Route path="/dsar">
              <Route index element={<Page resource="dsar_requests" action="list"><DsarList /></Page>} />
              <Route path="new" element={<Page resource="dsar_requests" action="create"><DsarCreate /></Page>} />
              <Route path="dashboard" element={<Page resource="dsar_stats" action="list"><DsarDashboard /></Page>} />
              <Route path=":id" element={<Page resource="dsar_requests" action="show"><DsarShow /></Page>} />
            </Route>
            <Route path="/consent">
              <Route index element={<Page resource="consent_events" action="list"><ConsentList /></Page>} />
              <Route path="customer/:id" element={<Page resource="customer_consents" action="list"><CustomerConsentPage /></Page>} />
            </Route>
            <Route path="/policies">
              <Route index element={<Page resource="policy_versions" action="list"><PolicyList /></Page>} />
              <Route path="new" element={<Page resource="policy_versions" action="create"><PolicyDraft /></Page>} />
              <Route path=":id" element={<Page resource="policy_versions" action="show"><PolicyShow /></Page>} />
              <Route path=":id/edit" element={<Page resource="policy_versions" action="edit"><PolicyDraft /></Page>} />
            </Route>
            <Route path="/credits" element={<Page resource="credit_ledger" action="list"><CreditList /></Page>} />
            <Route path="/money" element={<Page resource="money_stats" action="list"><MoneyDashboard /></Page>} />
            <Route path="/refunds" element={<Page resource="refunds" action="list"><RefundList /></Page>} />
            <Route path="/reconciliation" element={<Page resource="reconciliation" action="list"><ReconciliationPage /></Page>} />
            <Route path="/retention" element={<Page resource="retention" action="list"><RetentionPage /></Page>} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route
            element={
              <Authenticated key="sign-in" fallback={<Outlet />} loading={<PageLoading />}>
                <Navigate to="/" replace />
              </Authenticated>
            }
          >
            <Route path="/login" element={loginPage} />
          </Route>
        </Routes>
        <DocumentTitleHandler handler={() => t("common.appName")} />
      </Refine>
    </SupabaseClientProvider>
  );
}

/** The whole console around a given set of providers (embedded or Clerk). */
export function ConsoleApp({ services, loginPage }: { services: ConsoleServices; loginPage: ReactNode }) {
  return (
    <BrowserRouter>
      <ConfigProvider theme={consoleTheme}>
        <AntdApp>
          <ConsoleRoutes services={services} loginPage={loginPage} />
        </AntdApp>
      </ConfigProvider>
    </BrowserRouter>
  );
}
