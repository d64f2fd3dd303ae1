import { Tag } from "antd";
import { SyncOutlined } from "@ant-design/icons";
import { t } from "../../i18n/provider";
import { STATUS_COLOURS, STATUS_LABELS, type RefundRow, type RefundStatus } from "./types";
import "../../i18n/messages/en/refunds";

export function RefundStatusTag({ status }: { status: RefundStatus }) {
  return (
    <Tag color={STATUS_COLOURS[status] ?? "default"} icon={status === "processing" ? <SyncOutlined spin /> : undefined}>
      {STATUS_LABELS[status] ?? status}
    </Tag>
  );
}

/** Finance approvals given and needed: "1 of 2", or null when the request needed none. */
export function approvalsProgress(row: Pick<RefundRow, "approvals_needed" | "first_approved_by" | "second_approved_by">): { given: number; total: number } | null {
  const given = (row.first_approved_by ? 1 : 0) + (row.second_approved_by ? 1 : 0);
  const total = given + Number(row.approvals_needed ?? 0);
  return total === 0 ? null : { given, total };
}

export function approvalsText(row: Pick<RefundRow, "approvals_needed" | "first_approved_by" | "second_approved_by">): string {
  const progress = approvalsProgress(row);
  return progress ? t("refunds.approvalsOf", { given: progress.given, total: progress.total }) : t("refunds.approvalsNotNeeded");
}

export const shortId = (id: string | null | undefined) => (id ? `${id.slice(0, 8)}…` : t("common.status.noValue"));

/** A staff member's name when RLS lets this reader see it; "you" for the reader; else a short id. */
export function staffLabel(id: string | null | undefined, me: string | null, names: Map<string, string>): string {
  if (!id) return t("common.status.noValue");
  if (id === me) return t("refunds.you");
  return names.get(id) ?? t("refunds.staff", { id: shortId(id) });
}
