import { useState } from "react";
import { useGetIdentity } from "@refinedev/core";
import { Alert, Button, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { AdjustCreditsModal, type AdjustCreditsCustomer } from "./AdjustCreditsModal";
import { CREDIT_ADJUSTMENTS, useCreditsRefresh, useCustomerPendingAdjustments } from "./data";
import { DecisionButtons, DecisionDialog, DecisionResults, useAdjustmentDecisions } from "./decisions";
import { pendingReasonLabel, reasonLabel, type AdjustmentRow } from "./types";
import "../../i18n/messages/en/credits";

/** The customer page's "Adjust credits" button (support and finance) and its modal, pre-filled with the customer. */
export function AdjustCreditsButton({ customer }: { customer: AdjustCreditsCustomer }) {
  const t = useT();
  const { roles = [] } = useStaffRoles();
  const refresh = useCreditsRefresh();
  const [open, setOpen] = useState(false);
  if (!can(roles, CREDIT_ADJUSTMENTS, "create")) return null;
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        {t("credits.list.adjust")}
      </Button>
      <AdjustCreditsModal open={open} customer={customer} onClose={() => setOpen(false)} onAdjusted={() => void refresh()} />
    </>
  );
}

/** This customer's adjustments waiting for a finance decision; finance decides them here too. */
export function CustomerPendingAdjustments({ customerId }: { customerId: string }) {
  const t = useT();
  const format = useFormatter();
  const { roles = [] } = useStaffRoles();
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { query, result } = useCustomerPendingAdjustments(customerId);
  const decisions = useAdjustmentDecisions();
  if (!can(roles, CREDIT_ADJUSTMENTS, "list")) return null;
  const mayDecide = can(roles, "credit_approvals", "write");
  const staffId = identity?.id ?? null;
  const rows = result.data ?? [];
  const columns: ColumnsType<AdjustmentRow> = [
    { title: t("credits.customerPanel.requested"), dataIndex: "requested_at", render: (v: string) => format.dateTime(v) },
    { title: t("credits.columns.amount"), dataIndex: "amount", align: "right", render: (v: number) => format.signedCredits(v) },
    { title: t("credits.columns.reason"), dataIndex: "reason", render: (v: string) => reasonLabel(v) },
    { title: t("credits.columns.note"), dataIndex: "note", ellipsis: true },
    { title: t("credits.customerPanel.whyItWaits"), dataIndex: "pending_reason", render: (v: string | null) => <Tag color="gold">{pendingReasonLabel(v) || t("credits.customerPanel.pending")}</Tag> },
    {
      title: t("credits.columns.requestedBy"),
      dataIndex: "requested_by",
      render: (v: string, row) => (v === staffId ? t("credits.cells.you") : (row.requester?.display_name ?? t("credits.cells.staffShort", { id: v.slice(0, 8) }))),
    },
    ...(mayDecide ? [{ title: t("credits.columns.decision"), key: "decision", render: (_: unknown, row: AdjustmentRow) => <DecisionButtons row={row} decisions={decisions} mayDecide staffId={staffId} /> }] : []),
  ];
  return (
    <section aria-label={t("credits.customerPanel.label")} style={{ marginTop: 12 }}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Text strong>{t("credits.customerPanel.heading")}</Typography.Text>
        <DecisionResults decisions={decisions} />
        {query.isError ? (
          <Alert type="error" showIcon message={t("credits.customerPanel.loadFailed")} description={query.error?.message} />
        ) : rows.length === 0 && !query.isLoading ? (
          <Typography.Text type="secondary">{t("credits.customerPanel.none")}</Typography.Text>
        ) : (
          <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={rows} loading={query.isLoading} scroll={{ x: true }} />
        )}
      </Space>
      <DecisionDialog decisions={decisions} />
    </section>
  );
}
