import type { ReactNode } from "react";
import { useGetIdentity, useLogout } from "@refinedev/core";
import { Button, Result } from "antd";
import type { StaffIdentity } from "../providers/auth/staff";
import { PageLoading } from "./StatusPages";

/**
 * Signed in is not the same as on staff: the database (RPC current_staff) decides. Anyone else
 * (a Clerk user who is not active staff) gets a clear page and a way out instead of empty screens.
 */
export function StaffGate({ children }: { children: ReactNode }) {
  const { data: identity, isLoading, isError, error, refetch } = useGetIdentity<StaffIdentity | null>();
  const { mutate: logout } = useLogout();

  if (isLoading) return <PageLoading label="Loading your staff profile…" />;
  if (isError) {
    return (
      <Result
        status="error"
        title="Could not load your staff profile"
        subTitle={error instanceof Error ? error.message : "The server did not answer."}
        extra={[
          <Button key="retry" type="primary" onClick={() => void refetch()}>
            Try again
          </Button>,
          <Button key="logout" onClick={() => logout()}>
            Sign out
          </Button>,
        ]}
      />
    );
  }
  if (!identity) {
    return (
      <Result
        status="403"
        title="Not a staff member"
        subTitle="You are signed in, but this account is not an active M-Factory staff member, so the console shows nothing. Ask an admin to add you, or sign in with your staff account."
        extra={
          <Button type="primary" onClick={() => logout()}>
            Sign out
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}
