/** The credits page's two tables: the ledger's columns and the adjustment requests' (with the decision buttons). */
import { Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table/interface";
import { Link } from "react-router";
import { useT, type TFunction } from "../../i18n";
import { useFormatter, type Formatter } from "../../i18n/format";
import { sortOrderOf } from "../../lib/list";
import { DecisionButtons, type Decisions } from "./decisions";
import type { CreditSort } from "./state";
import { pendingReasonLabel, reasonLabel, STATUS_COLOURS, STATUS_LABELS, type AdjustmentRow, type CustomerRef, type LedgerRow, type StaffRef } from "./types";
import "../../i18n/messages/en/credits";

function Signed({ amount }: { amount: number }) {
  const format = useFormatter();
  return <Typography.Text type={amount < 0 ? "danger" : undefined}>{format.signedCredits(amount)}</Typography.Text>;
}

function CustomerCell({ id, customer }: { id: string; customer: CustomerRef | null | undefined }) {
  const t = useT();
  // The auditor reads the ledger but no customer contact data (RLS): the embed comes back null.
  return (
    <Link to={`/customers/${id}`} tabIndex={-1}>
      {customer ? (customer.display_name ?? customer.email) : <Typography.Text type="secondary">{t("credits.cells.customerShort", { id: id.slice(0, 8) })}</Typography.Text>}
      {customer?.display_name ? (
        <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
          {customer.email}
        </Typography.Text>
      ) : null}
    </Link>
  );
}

/** Long notes stay on one line (full text on hover), so the decision buttons stay in view. */
function NoteText({ text }: { text: string }) {
  return (
    <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 220 }}>
      {text}
    </Typography.Text>
  );
}

function staffName(t: TFunction, id: string | null, ref: StaffRef | null | undefined, me: string | null): string {
  if (!id) return t("common.status.noValue");
  if (id === me) return t("credits.cells.nameYou", { name: ref?.display_name ?? t("credits.cells.you") });
  // A name the caller cannot read (a row outside the embed) falls back to a short id.
  return ref?.display_name ?? t("credits.cells.staffShort", { id: id.slice(0, 8) });
}

interface ColumnContext {
  sort: CreditSort;
  /** The signed-in staff member, whose own rows say "(you)". */
  staffId: string | null;
}

/** When, who, how much and why: the first four columns of both tables (the date is each table's own). */
function leadingColumns<Row extends { customer_id: string; customer?: CustomerRef | null }>(
  t: TFunction,
  format: Formatter,
  sort: CreditSort,
  date: { title: string; dataIndex: "created_at" | "requested_at" },
): ColumnsType<Row> {
  return [
    { title: date.title, key: "date", dataIndex: date.dataIndex, sorter: true, sortOrder: sortOrderOf(sort, "date"), render: (v: string) => format.dateTime(v) },
    { title: t("credits.columns.customer"), key: "customer", render: (_: unknown, row) => <CustomerCell id={row.customer_id} customer={row.customer} /> },
    { title: t("credits.columns.amount"), key: "amount", dataIndex: "amount", align: "right", sorter: true, sortOrder: sortOrderOf(sort, "amount"), render: (v: number) => <Signed amount={v} /> },
    { title: t("credits.columns.reason"), key: "reason", dataIndex: "reason", sorter: true, sortOrder: sortOrderOf(sort, "reason"), render: (v: string) => reasonLabel(v) },
  ];
}

export function useLedgerColumns({ sort, staffId }: ColumnContext): ColumnsType<LedgerRow> {
  const t = useT();
  const format = useFormatter();
  return [
    ...leadingColumns<LedgerRow>(t, format, sort, { title: t("credits.columns.when"), dataIndex: "created_at" }),
    { title: t("credits.columns.note"), key: "note", dataIndex: "note", render: (v: string | null) => (v ? <NoteText text={v} /> : t("common.status.noValue")) },
    {
      title: t("credits.columns.by"),
      key: "actor",
      render: (_: unknown, row) => (row.actor_staff_id ? staffName(t, row.actor_staff_id, row.actor, staffId) : <Typography.Text type="secondary">{t("credits.cells.product")}</Typography.Text>),
    },
  ];
}

function StatusCell({ row }: { row: AdjustmentRow }) {
  const t = useT();
  return (
    <Space direction="vertical" size={0}>
      <Tag color={STATUS_COLOURS[row.status]}>{STATUS_LABELS[row.status] ?? row.status}</Tag>
      {row.status === "pending" && row.pending_reason ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {pendingReasonLabel(row.pending_reason)}
        </Typography.Text>
      ) : null}
      {row.status === "rejected" && row.decision_note ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("credits.cells.quoted", { text: row.decision_note })}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

export function useAdjustmentColumns({ sort, staffId, pendingTab, decisions, mayDecide }: ColumnContext & { pendingTab: boolean; decisions: Decisions; mayDecide: boolean }): ColumnsType<AdjustmentRow> {
  const t = useT();
  const format = useFormatter();
  return [
    ...leadingColumns<AdjustmentRow>(t, format, sort, { title: t("credits.columns.requested"), dataIndex: "requested_at" }),
    { title: t("credits.columns.note"), key: "note", dataIndex: "note", render: (v: string) => <NoteText text={v} /> },
    { title: t("credits.columns.status"), key: "status", render: (_: unknown, row) => <StatusCell row={row} /> },
    { title: t("credits.columns.requestedBy"), key: "requester", render: (_: unknown, row) => staffName(t, row.requested_by, row.requester, staffId) },
    {
      // Always empty while pending: only the adjustments tab shows who decided.
      title: t("credits.columns.decided"),
      key: "decided",
      hidden: pendingTab,
      render: (_: unknown, row) =>
        row.decided_by ? (
          <span>
            {staffName(t, row.decided_by, row.decider, staffId)}
            <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
              {format.dateTime(row.decided_at)}
            </Typography.Text>
          </span>
        ) : (
          t("common.status.noValue")
        ),
    },
    ...(mayDecide
      ? [{ title: t("credits.columns.decision"), key: "decision", fixed: "right" as const, render: (_: unknown, row: AdjustmentRow) => <DecisionButtons row={row} decisions={decisions} mayDecide={mayDecide} staffId={staffId} /> }]
      : []),
  ];
}
