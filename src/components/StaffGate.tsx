import type { ReactNode } from "react";
import { useGetIdentity, useLogout } from "@refinedev/core";
import { Button } from "antd";
import { StatusResult as Result } from "./StatusResult";
import { useT } from "../i18n";
import type { StaffIdentity } from "../providers/auth/staff";
import { PageLoading } from "./StatusPages";

/**
 * Signed in is not the same as on staff: the database (RPC current_staff) decides. Anyone else
 * (a Clerk user who is not active staff) gets a clear page and a way out instead of empty screens.
 */
export function StaffGate({ children }: { children: ReactNode }) {
  const { data: identity, isLoading, isError, error, refetch } = useGetIdentity<StaffIdentity | null>();
  const { mutate: logout } = useLogout();
  const t = useT();

  if (isLoading) return <PageLoading label={t("common.staffGate.loadingProfile")} />;
  if (isError) {
    return (
      <Result
        status="error"
        title={t("common.staffGate.profileFailed")}
        subTitle={error instanceof Error ? error.message : t("common.staffGate.serverSilent")}
        extra={[
          <Button key="retry" type="primary" onClick={() => void refetch()}>
            {t("common.staffGate.tryAgain")}
          </Button>,
          <Button key="logout" onClick={() => logout()}>
            {t("common.staffGate.signOut")}
          </Button>,
        ]}
      />
    );
  }
  if (!identity) {
    return (
      <Result
        status="403"
        title={t("common.staffGate.notStaffTitle")}
        subTitle={t("common.staffGate.notStaffDetail")}
        extra={
          <Button type="primary" onClick={() => logout()}>
            {t("common.staffGate.signOut")}
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}
