import { useState } from "react";
import { useGetIdentity } from "@refinedev/core";
import { Alert, Button, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { formatBangkokDateTime, formatSignedCredits } from "../../lib/format";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { AdjustCreditsModal, type AdjustCreditsCustomer } from "./AdjustCreditsModal";
import { CREDIT_ADJUSTMENTS, useCreditsRefresh, useCustomerPendingAdjustments } from "./data";
import { DecisionButtons, DecisionDialog, DecisionResults, useAdjustmentDecisions } from "./decisions";
import { pendingReasonLabel, reasonLabel, type AdjustmentRow } from "./types";

/** The customer page's "Adjust credits" button (support and finance) and its modal, pre-filled with the customer. */
export function AdjustCreditsButton({ customer }: { customer: AdjustCreditsCustomer }) {
  const { roles = [] } = useStaffRoles();
  const refresh = useCreditsRefresh();
  const [open, setOpen] = useState(false);
  if (!can(roles, CREDIT_ADJUSTMENTS, "create")) return null;
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        Adjust credits
      </Button>
      <AdjustCreditsModal open={open} customer={customer} onClose={() => setOpen(false)} onAdjusted={() => void refresh()} />
    </>
  );
}

/** This customer's adjustments waiting for a finance decision; finance decides them here too. */
export function CustomerPendingAdjustments({ customerId }: { customerId: string }) {
  const { roles = [] } = useStaffRoles();
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { query, result } = useCustomerPendingAdjustments(customerId);
  const decisions = useAdjustmentDecisions();
  if (!can(roles, CREDIT_ADJUSTMENTS, "list")) return null;
  const mayDecide = can(roles, "credit_approvals", "write");
  const staffId = identity?.id ?? null;
  const rows = result.data ?? [];
  const columns: ColumnsType<AdjustmentRow> = [
    { title: "Requested", dataIndex: "requested_at", render: (v: string) => formatBangkokDateTime(v) },
    { title: "Amount", dataIndex: "amount", align: "right", render: (v: number) => formatSignedCredits(v) },
    { title: "Reason", dataIndex: "reason", render: (v: string) => reasonLabel(v) },
    { title: "Note", dataIndex: "note", ellipsis: true },
    { title: "Why it waits", dataIndex: "pending_reason", render: (v: string | null) => <Tag color="gold">{pendingReasonLabel(v) || "pending"}</Tag> },
    {
      title: "Requested by",
      dataIndex: "requested_by",
      render: (v: string, row) => (v === staffId ? "You" : (row.requester?.display_name ?? `staff ${v.slice(0, 8)}`)),
    },
    ...(mayDecide ? [{ title: "Decision", key: "decision", render: (_: unknown, row: AdjustmentRow) => <DecisionButtons row={row} decisions={decisions} mayDecide staffId={staffId} /> }] : []),
  ];
  return (
    <section aria-label="Adjustments waiting for approval" style={{ marginTop: 12 }}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Text strong>Waiting for approval</Typography.Text>
        <DecisionResults decisions={decisions} />
        {query.isError ? (
          <Alert type="error" showIcon message="Could not load the pending adjustments" description={query.error?.message} />
        ) : rows.length === 0 && !query.isLoading ? (
          <Typography.Text type="secondary">No adjustment waits for approval.</Typography.Text>
        ) : (
          <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={rows} loading={query.isLoading} scroll={{ x: true }} />
        )}
      </Space>
      <DecisionDialog decisions={decisions} />
    </section>
  );
}
