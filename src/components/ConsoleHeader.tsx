import { useGetIdentity } from "@refinedev/core";
import { Layout, Space, Tag, Typography } from "antd";
import { useT } from "../i18n";
import type { StaffIdentity } from "../providers/auth/staff";
import { StripeModeTag } from "../features/refunds/StripeModeTag";

/** Who is signed in and with which roles (from the database), always visible. */
export function ConsoleHeader() {
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const t = useT();
  return (
    <Layout.Header
      style={{ display: "flex", justifyContent: "flex-end", alignItems: "center", background: "transparent", paddingInline: 24 }}
    >
      {identity ? (
        <Space>
          <StripeModeTag />
          <Space aria-label={t("common.shell.signedInStaff")}>
            <Typography.Text strong>{identity.display_name}</Typography.Text>
            <Typography.Text type="secondary">{identity.email}</Typography.Text>
            {identity.roles.map((role) => (
              <Tag key={role} color="blue">
                {role}
              </Tag>
            ))}
          </Space>
        </Space>
      ) : null}
    </Layout.Header>
  );
}

export function ConsoleTitle({ collapsed }: { collapsed: boolean }) {
  const t = useT();
  return (
    <Typography.Text strong style={{ fontSize: 16, whiteSpace: "nowrap" }}>
      {collapsed ? t("common.appNameShort") : t("common.appName")}
    </Typography.Text>
  );
}
