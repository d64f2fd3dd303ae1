import { useGetIdentity } from "@refinedev/core";
import { Card, List, Typography } from "antd";
import { Link, Navigate } from "react-router";
import { can } from "../providers/accessControl";
import { useStaffRoles } from "../providers/useStaffRoles";
import type { StaffIdentity } from "../providers/auth/staff";
import { PageLoading } from "./StatusPages";

/** Start page: straight to customers for roles that use them, otherwise a summary of what the role can do. */
export function HomePage() {
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { roles, isLoading } = useStaffRoles();
  if (isLoading || !roles) return <PageLoading />;
  if (can(roles, "customers", "list")) return <Navigate to="/customers" replace />;

  const sections = [
    { label: "Customers", resource: "customers", path: "/customers" },
  ].filter((section) => can(roles, section.resource, "list"));

  return (
    <Card title={`Welcome${identity ? `, ${identity.display_name}` : ""}`}>
      <Typography.Paragraph>
        Signed in with role{roles.length === 1 ? "" : "s"}: <strong>{roles.join(", ") || "none"}</strong>.
      </Typography.Paragraph>
      {sections.length > 0 ? (
        <List
          dataSource={sections}
          renderItem={(section) => (
            <List.Item>
              <Link to={section.path}>{section.label}</Link>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Paragraph type="secondary">
          The sections for your role (staff roles, audit log, policy versions) are listed in the menu as they become
          available.
        </Typography.Paragraph>
      )}
    </Card>
  );
}
