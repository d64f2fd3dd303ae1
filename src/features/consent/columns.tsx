/** The explorer's columns: every code shown by its catalogue label, times in Bangkok, the masked network as stored. */
import { Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table/interface";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { sortOrderOf } from "../../lib/list";
import { EvidenceButton, type EvidenceDownload } from "./evidence";
import type { ConsentSort } from "./state";
import { ACTION_COLOURS, ACTION_LABELS, labelOf, LANGUAGE_LABELS, METHOD_LABELS, PURPOSE_LABELS, SOURCE_LABELS, versionLabel, type ConsentEventRow } from "./types";
import "../../i18n/messages/en/consent";

export function ActionTag({ action }: { action: string }) {
  return <Tag color={ACTION_COLOURS[action] ?? "default"}>{labelOf(ACTION_LABELS, action)}</Tag>;
}

function CustomerCell({ row }: { row: ConsentEventRow }) {
  const t = useT();
  // The auditor reads no customer contact data (RLS): the embed comes back null, the id stays.
  const name = row.customer ? (row.customer.display_name ?? row.customer.email) : t("consent.cells.customerShort", { id: row.customer_id.slice(0, 8) });
  return (
    <Link to={`/consent/customer/${row.customer_id}`} tabIndex={-1}>
      {name}
    </Link>
  );
}

export function useConsentColumns({ sort, evidence, withCustomer = true }: { sort: ConsentSort | null; evidence: EvidenceDownload; withCustomer?: boolean }): ColumnsType<ConsentEventRow> {
  const t = useT();
  const format = useFormatter();
  const sorted = (field: ConsentSort["field"]) => (sort ? { sorter: true, sortOrder: sortOrderOf(sort, field) } : {});
  const muted = (text: string | null) => (text ? text : <Typography.Text type="secondary">{t("consent.cells.none")}</Typography.Text>);
  return [
    { title: t("consent.columns.when"), key: "date", dataIndex: "occurred_at", ...sorted("date"), render: (v: string) => format.dateTime(v, true) },
    ...(withCustomer ? [{ title: t("consent.columns.customer"), key: "customer", render: (_: unknown, row: ConsentEventRow) => <CustomerCell row={row} /> }] : []),
    { title: t("consent.columns.purpose"), key: "purpose", dataIndex: "purpose", ...sorted("purpose"), render: (v: string) => labelOf(PURPOSE_LABELS, v) },
    { title: t("consent.columns.action"), key: "action", dataIndex: "action", ...sorted("action"), render: (v: string) => <ActionTag action={v} /> },
    { title: t("consent.columns.version"), key: "version", render: (_: unknown, row) => versionLabel(row.policy, row.policy_version_id) },
    { title: t("consent.columns.language"), key: "language", dataIndex: "language", render: (v: string | null) => labelOf(LANGUAGE_LABELS, v) },
    { title: t("consent.columns.source"), key: "source", dataIndex: "source", ...sorted("source"), render: (v: string) => labelOf(SOURCE_LABELS, v) },
    { title: t("consent.columns.method"), key: "method", dataIndex: "collection_method", render: (v: string | null) => labelOf(METHOD_LABELS, v) },
    { title: t("consent.columns.ip"), key: "ip", dataIndex: "ip", render: (v: string | null) => muted(v) },
    {
      title: t("consent.columns.userAgent"),
      key: "userAgent",
      dataIndex: "user_agent",
      render: (v: string | null) => (v ? <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 180 }}>{v}</Typography.Text> : muted(null)),
    },
    { title: t("consent.columns.evidence"), key: "evidence", fixed: "right", render: (_: unknown, row) => <EvidenceButton eventId={row.id} evidence={evidence} /> },
  ];
}
