import { useGetIdentity } from "@refinedev/core";
import { Card, List, Typography } from "antd";
import { Link, Navigate } from "react-router";
import { useT } from "../i18n";
import { can } from "../providers/accessControl";
import { useStaffRoles } from "../providers/useStaffRoles";
import type { StaffIdentity } from "../providers/auth/staff";
import { PageLoading } from "./StatusPages";

/** Start page: straight to customers for roles that use them, otherwise a summary of what the role can do. */
export function HomePage() {
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { roles, isLoading } = useStaffRoles();
  const t = useT();
  if (isLoading || !roles) return <PageLoading />;
  if (can(roles, "customers", "list")) return <Navigate to="/customers" replace />;

  const sections = [
    { label: t("common.shell.sections.customers"), resource: "customers", path: "/customers" },
  ].filter((section) => can(roles, section.resource, "list"));

  return (
    <Card title={identity ? t("common.shell.welcomeName", { name: identity.display_name }) : t("common.shell.welcome")}>
      <Typography.Paragraph>
        {t("common.shell.signedInWithRoles", { count: roles.length })} <strong>{roles.join(", ") || t("common.shell.noRoles")}</strong>.
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
          {t("common.shell.moreSectionsLater")}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
