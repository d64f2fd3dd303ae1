import type { ReactNode } from "react";
import { useCan } from "@refinedev/core";
import { useT } from "../i18n";
import { ForbiddenPage, PageLoading } from "./StatusPages";

/** Route guard: a page the role cannot open says so (403) instead of rendering blank or erroring. */
export function RequireAccess({ resource, action, children }: { resource: string; action: string; children: ReactNode }) {
  const { data, isLoading } = useCan({ resource, action });
  const t = useT();
  if (isLoading || !data) return <PageLoading label={t("common.shell.checkingAccess")} />;
  if (!data.can) return <ForbiddenPage reason={data.reason} />;
  return <>{children}</>;
}
