import { useEffect, useState } from "react";
import { useLogin } from "@refinedev/core";
import { Alert, Button, Card, List, Space, Tag, Typography } from "antd";
import { useT } from "../../i18n";
import { fetchEmbeddedStaff, type EmbeddedStaffOption } from "../../providers/auth/embedded";

type StaffListState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; staff: EmbeddedStaffOption[] };

/** Demo sign-in for the embedded server: pick a staff member, one click signs in with a server-issued token. */
export function EmbeddedSignInPage({ apiUrl }: { apiUrl: string }) {
  const [state, setState] = useState<StaffListState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const { mutate: login, isPending, variables, error } = useLogin<{ email: string }>();
  const t = useT();

  useEffect(() => {
    let cancelled = false;
    fetchEmbeddedStaff(apiUrl)
      .then((staff) => !cancelled && setState({ status: "ready", staff }))
      .catch((cause: unknown) => {
        if (!cancelled) setState({ status: "error", message: cause instanceof Error ? cause.message : String(cause) });
      });
    return () => {
      cancelled = true;
    };
  }, [apiUrl, attempt]);

  return (
    <main style={{ minHeight: "100vh", display: "flex", alignItems: "center", justifyContent: "center", padding: 24 }}>
      <Card style={{ width: "100%", maxWidth: 520 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t("common.appName")}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t("auth.embedded.intro")}</Typography.Paragraph>
        {error ? <Alert type="error" showIcon message={t("auth.embedded.failed")} description={error.message} style={{ marginBottom: 16 }} /> : null}
        {state.status === "loading" ? <Typography.Text role="status">{t("auth.embedded.loadingStaff")}</Typography.Text> : null}
        {state.status === "error" ? (
          <Alert
            type="error"
            showIcon
            message={t("auth.embedded.unreachable")}
            description={t("auth.embedded.unreachableDetail", { reason: state.message })}
            action={
              <Button
                size="small"
                onClick={() => {
                  setState({ status: "loading" });
                  setAttempt((n) => n + 1);
                }}
              >
                {t("common.actions.retry")}
              </Button>
            }
          />
        ) : null}
        {state.status === "ready" ? (
          <section aria-label={t("auth.embedded.staffListLabel")}>
          <List
            dataSource={state.staff}
            locale={{ emptyText: t("auth.embedded.noStaff") }}
            renderItem={(member) => (
              <List.Item
                actions={[
                  <Button
                    key="sign-in"
                    type="primary"
                    aria-label={t("auth.embedded.signInAs", { email: member.email })}
                    loading={isPending && variables?.email === member.email}
                    disabled={isPending}
                    onClick={() => login({ email: member.email })}
                  >
                    {t("auth.embedded.signIn")}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={member.display_name}
                  description={
                    <Space wrap>
                      <Typography.Text>{member.email}</Typography.Text>
                      {member.roles.map((role) => (
                        <Tag key={role}>{role}</Tag>
                      ))}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
          </section>
        ) : null}
      </Card>
    </main>
  );
}
