import type { ColumnsType } from "antd/es/table";
import { Space, Tag } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { Sha } from "./Sha";
import { changeClassLabel, statusLabel, type PolicyVersionRow } from "./types";
import "../../i18n/messages/en/policies";

const STATUS_COLOURS: Record<string, string> = { draft: "gold", published: "green", superseded: "default" };

export function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLOURS[status] ?? "default"}>{statusLabel(status)}</Tag>;
}

/** Label, title, status, effective date, published by/when, change class, SHA-256 of the English (and Thai) body. */
export function usePolicyColumns(): ColumnsType<PolicyVersionRow> {
  const t = useT();
  const format = useFormatter();
  return [
    { key: "version", title: t("policies.list.columns.version"), dataIndex: "version", render: (version: string) => <strong>{version}</strong> },
    { key: "title", title: t("policies.list.columns.title"), dataIndex: "title" },
    { key: "status", title: t("policies.list.columns.status"), dataIndex: "status", render: (status: string) => <StatusTag status={status} /> },
    {
      key: "effective",
      title: t("policies.list.columns.effective"),
      dataIndex: "effective_at",
      render: (at: string | null) => (at ? format.dateTime(at) : t("policies.show.facts.notSet")),
    },
    {
      key: "published",
      title: t("policies.list.columns.published"),
      render: (_: unknown, row) =>
        row.published_at
          ? t("policies.list.publishedBy", { when: format.dateTime(row.published_at), who: row.publisher?.display_name ?? row.published_by ?? "" })
          : t("policies.list.notPublished"),
    },
    { key: "changeClass", title: t("policies.list.columns.changeClass"), dataIndex: "change_class", render: (c: string | null) => changeClassLabel(c) ?? t("policies.list.unclassified") },
    {
      key: "sha256",
      title: t("policies.list.columns.sha256"),
      render: (_: unknown, row) => (
        <Space direction="vertical" size={0}>
          <Sha hash={row.body_sha256} />
          {row.body_th_sha256 ? <Sha hash={row.body_th_sha256} /> : null}
        </Space>
      ),
    },
  ];
}
