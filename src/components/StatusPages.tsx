import type { ReactNode } from "react";
import { Button, Spin } from "antd";
import { StatusResult as Result } from "./StatusResult";
import { Link } from "react-router";
import { useT } from "../i18n";

export function PageLoading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div role="status" aria-live="polite" style={{ display: "flex", justifyContent: "center", padding: 48 }}>
      <Spin tip={label ?? t("common.status.loading")}>
        <div style={{ width: 160, height: 48 }} />
      </Spin>
    </div>
  );
}

/** Shown instead of a page the signed-in role may not open. */
export function ForbiddenPage({ reason }: { reason?: string | undefined }) {
  const t = useT();
  return (
    <Result
      status="403"
      title={t("common.shell.forbiddenTitle")}
      subTitle={reason ?? t("common.shell.forbiddenDetail")}
      extra={
        <Link to="/">
          <Button type="primary">{t("common.shell.backToStart")}</Button>
        </Link>
      }
    />
  );
}

export function NotFoundPage() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t("common.shell.notFoundTitle")}
      subTitle={t("common.shell.notFoundDetail")}
      extra={
        <Link to="/">
          <Button type="primary">{t("common.shell.backToStart")}</Button>
        </Link>
      }
    />
  );
}

export function ErrorPanel({ title, error, action }: { title: string; error: unknown; action?: ReactNode }) {
  const message = error instanceof Error ? error.message : (error as { message?: string })?.message ?? String(error);
  return <Result status="error" title={title} subTitle={message} extra={action} />;
}
