import type { ReactNode } from "react";
import { Button, Result, Spin } from "antd";
import { Link } from "react-router";

export function PageLoading({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" style={{ display: "flex", justifyContent: "center", padding: 48 }}>
      <Spin tip={label}>
        <div style={{ width: 160, height: 48 }} />
      </Spin>
    </div>
  );
}

/** Shown instead of a page the signed-in role may not open. */
export function ForbiddenPage({ reason }: { reason?: string | undefined }) {
  return (
    <Result
      status="403"
      title="403 — not available for your role"
      subTitle={reason ?? "Your staff role does not give access to this page. Ask an admin if you need it."}
      extra={
        <Link to="/">
          <Button type="primary">Back to the start page</Button>
        </Link>
      }
    />
  );
}

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="Page not found"
      subTitle="There is no console page at this address."
      extra={
        <Link to="/">
          <Button type="primary">Back to the start page</Button>
        </Link>
      }
    />
  );
}

export function ErrorPanel({ title, error, action }: { title: string; error: unknown; action?: ReactNode }) {
  const message = error instanceof Error ? error.message : (error as { message?: string })?.message ?? String(error);
  return <Result status="error" title={title} subTitle={message} extra={action} />;
}
