import { useEffect, useState } from "react";
import { useLogin } from "@refinedev/core";
import { Alert, Button, Card, List, Space, Tag, Typography } from "antd";
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
          M-Factory Console
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          Embedded demo server: choose a staff member to sign in as. What you see afterwards is decided by that
          person&apos;s roles in the database.
        </Typography.Paragraph>
        {error ? <Alert type="error" showIcon message="Sign-in failed" description={error.message} style={{ marginBottom: 16 }} /> : null}
        {state.status === "loading" ? <Typography.Text role="status">Loading staff…</Typography.Text> : null}
        {state.status === "error" ? (
          <Alert
            type="error"
            showIcon
            message="Could not reach the embedded server"
            description={`${state.message}. Is \`npm run dev\` running?`}
            action={
              <Button
                size="small"
                onClick={() => {
                  setState({ status: "loading" });
                  setAttempt((n) => n + 1);
                }}
              >
                Retry
              </Button>
            }
          />
        ) : null}
        {state.status === "ready" ? (
          <section aria-label="Demo staff">
          <List
            dataSource={state.staff}
            locale={{ emptyText: "The server lists no staff members who can sign in." }}
            renderItem={(member) => (
              <List.Item
                actions={[
                  <Button
                    key="sign-in"
                    type="primary"
                    aria-label={`Sign in as ${member.email}`}
                    loading={isPending && variables?.email === member.email}
                    disabled={isPending}
                    onClick={() => login({ email: member.email })}
                  >
                    Sign in
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
