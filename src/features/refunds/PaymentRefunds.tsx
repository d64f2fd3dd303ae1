import { useMemo, useRef, useState, type ReactNode } from "react";
import { useGetIdentity } from "@refinedev/core";
import { Button, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { ExpandableConfig } from "antd/es/table/interface";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { formatBangkokDateTime, formatMoney } from "../../lib/format";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { approvalsText, RefundStatusTag, staffLabel } from "./components";
import { useStaffNames } from "../../lib/staffNames";
import { useCustomerRefunds } from "./data";
import { summarisePayment } from "./money";
import { RefundModal } from "./RefundModal";
import { REASON_LABELS, type RefundablePayment, type RefundRow } from "./types";
import "../../i18n/messages/en/refunds";

/**
 * The customer page's Payments section, refund part: a Refund (finance) / Request refund (support) button on
 * succeeded payments with something left, and each payment's refunds listed under it.
 */
export function useRefundsOnPayments<P extends RefundablePayment>(customerId: string) {
  const t = useT();
  const { roles = [] } = useStaffRoles();
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const readable = can(roles, "refunds", "read");
  const mode: "refund" | "request" | null = !can(roles, "refunds", "create") ? null : roles.includes("finance") ? "refund" : "request";
  const { query, result } = useCustomerRefunds(customerId, readable);
  const [opening, setOpening] = useState<{ payment: P; n: number } | null>(null);
  const openings = useRef(0);

  const byPayment = useMemo(() => {
    const map = new Map<string, RefundRow[]>();
    for (const refund of result.data ?? []) (map.get(refund.payment_id) ?? map.set(refund.payment_id, []).get(refund.payment_id)!).push(refund);
    return map;
  }, [result.data]);

  const refundsKnown = readable && query.isSuccess;
  const remainingOf = (payment: P) => summarisePayment(payment.amount, byPayment.get(payment.id) ?? []).remaining;

  const columns: ColumnsType<P> = readable
    ? [
        {
          title: t("refunds.payments.refundColumn"),
          key: "refund-action",
          render: (_: unknown, payment: P) => {
            if (!mode || !refundsKnown || payment.status !== "succeeded") return null;
            if (remainingOf(payment) <= 0) return <Typography.Text type="secondary">{t("refunds.payments.fullyRefunded")}</Typography.Text>;
            return (
              <Button
                size="small"
                danger={mode === "refund"}
                onClick={() => {
                  openings.current += 1;
                  setOpening({ payment, n: openings.current });
                }}
              >
                {mode === "refund" ? t("refunds.payments.refund") : t("refunds.payments.requestRefund")}
              </Button>
            );
          },
        },
      ]
    : [];

  const me = identity?.id ?? null;
  const expandable: ExpandableConfig<P> | undefined = refundsKnown
    ? {
        expandedRowKeys: [...byPayment.keys()],
        showExpandColumn: false,
        rowExpandable: (payment) => byPayment.has(payment.id),
        expandedRowRender: (payment) => <RefundSubList refunds={byPayment.get(payment.id) ?? []} me={me} />,
      }
    : undefined;

  const modal: ReactNode =
    opening && mode ? <RefundModal key={opening.n} payment={opening.payment} customerId={customerId} mode={mode} onClose={() => setOpening(null)} /> : null;

  const error = readable && query.isError ? <Typography.Text type="danger">{t("refunds.payments.loadFailed", { reason: query.error?.message ?? "" })}</Typography.Text> : null;
  return { columns, expandable, modal, error };
}

function RefundSubList({ refunds, me }: { refunds: RefundRow[]; me: string | null }) {
  const t = useT();
  const names = useStaffNames(refunds.map((r) => r.requested_by));
  const columns: ColumnsType<RefundRow> = [
    { title: t("refunds.payments.requested"), dataIndex: "requested_at", render: (v: string) => formatBangkokDateTime(v) },
    { title: t("refunds.payments.amount"), dataIndex: "amount", align: "right", render: (v: number | string, row) => formatMoney(v, row.currency) },
    { title: t("refunds.payments.reason"), dataIndex: "reason", render: (v: RefundRow["reason"]) => REASON_LABELS[v] ?? v },
    { title: t("refunds.payments.status"), dataIndex: "status", render: (v: RefundRow["status"]) => <RefundStatusTag status={v} /> },
    { title: t("refunds.payments.approvals"), key: "approvals", render: (_: unknown, row) => approvalsText(row) },
    { title: t("refunds.payments.requestedBy"), dataIndex: "requested_by", render: (v: string) => staffLabel(v, me, names) },
    { title: "", key: "open", render: (_: unknown, row) => <Link to={`/refunds?tab=all&open=${row.id}`}>{t("refunds.payments.details")}</Link> },
  ];
  return <Table<RefundRow> rowKey="id" size="small" pagination={false} columns={columns} dataSource={refunds} aria-label={t("refunds.payments.tableLabel")} />;
}
