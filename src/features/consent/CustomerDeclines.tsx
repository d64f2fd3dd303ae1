/**
 * A customer's declines of re_accept policy versions and what each did (policy_declines: DPO and auditor): the
 * consent withdrawn with it and the account's restriction — still in force while the decline is the customer's latest
 * answer to that version, lifted by a later acceptance (the rule of policy_reacceptance).
 */
import { useList } from "@refinedev/core";
import { Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table/interface";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import type { Tables } from "../../lib/database";
import { SectionCard } from "../customers";
import { labelOf, PURPOSE_LABELS, versionLabel } from "./types";
import "../../i18n/messages/en/consent";

type DeclineRow = Pick<Tables<"policy_declines">, "id" | "policy_version_id" | "consent_event_id" | "withdrawn_purposes" | "account_restricted" | "declined_at"> & {
  policy: { document: string; version: string } | null;
};
type AnswerRow = Pick<Tables<"consent_events">, "id" | "purpose" | "action" | "policy_version_id" | "occurred_at">;

/** A customer's declines, newest first; and the customer's answers about those versions, to tell whether each still holds. */
function useDeclines(customerId: string) {
  const declines = useList<DeclineRow>({
    resource: "policy_declines",
    filters: [{ field: "customer_id", operator: "eq", value: customerId }],
    sorters: [{ field: "declined_at", order: "desc" }, { field: "id", order: "desc" }],
    pagination: { mode: "off" },
    meta: { select: "id,policy_version_id,consent_event_id,withdrawn_purposes,account_restricted,declined_at,policy:policy_versions(document,version)" },
    errorNotification: false,
  });
  const versionIds = [...new Set((declines.result.data ?? []).map((d) => d.policy_version_id))];
  const answers = useList<AnswerRow>({
    resource: "consent_events",
    filters: [
      { field: "customer_id", operator: "eq", value: customerId },
      { field: "policy_version_id", operator: "in", value: versionIds },
    ],
    sorters: [{ field: "occurred_at", order: "desc" }, { field: "id", order: "desc" }],
    pagination: { mode: "off" },
    meta: { select: "id,purpose,action,policy_version_id,occurred_at" },
    errorNotification: false,
    queryOptions: { enabled: versionIds.length > 0 },
  });
  return { declines, answers };
}

export function CustomerDeclines({ customerId }: { customerId: string }) {
  const t = useT();
  const format = useFormatter();
  const { declines, answers } = useDeclines(customerId);
  const rows = declines.result.data ?? [];
  // The latest answer about the version (events come newest first; analytics and marketing e-mail events name the
  // privacy policy too, so only the document's own purpose counts): the decline's own event, or what came after it.
  const latestAbout = (row: DeclineRow) => (answers.result.data ?? []).find((a) => a.policy_version_id === row.policy_version_id && a.purpose === row.policy?.document);
  const restriction = (row: DeclineRow) => {
    if (!row.account_restricted) return <Typography.Text type="secondary">{t("consent.declines.notRestricted")}</Typography.Text>;
    const last = latestAbout(row);
    if (last && last.id !== row.consent_event_id && (last.action === "granted" || last.action === "re_accepted"))
      return <Tag color="green">{t("consent.declines.lifted", { at: format.dateTime(last.occurred_at) })}</Tag>;
    return <Tag color="red">{t("consent.declines.restricted")}</Tag>;
  };
  const columns: ColumnsType<DeclineRow> = [
    { title: t("consent.declines.version"), key: "version", render: (_: unknown, row) => versionLabel(row.policy, row.policy_version_id) },
    { title: t("consent.declines.when"), key: "when", dataIndex: "declined_at", render: (v: string) => format.dateTime(v, true) },
    {
      title: t("consent.declines.withdrawn"),
      key: "withdrawn",
      dataIndex: "withdrawn_purposes",
      render: (purposes: string[]) =>
        purposes.length > 0 ? (
          <Space size={4} wrap>
            {purposes.map((p) => (
              <Tag key={p}>{labelOf(PURPOSE_LABELS, p)}</Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t("consent.declines.noneWithdrawn")}</Typography.Text>
        ),
    },
    { title: t("consent.declines.account"), key: "account", render: (_: unknown, row) => (answers.query.isLoading ? null : restriction(row)) },
  ];
  const title = t("consent.declines.title");
  return (
    <SectionCard title={title} query={{ ...declines.query, error: declines.query.error ? { message: t("consent.declines.failed") } : null }} count={rows.length} empty={t("consent.declines.empty")}>
      <Table<DeclineRow> rowKey="id" size="small" pagination={false} columns={columns} dataSource={rows} aria-label={title} />
    </SectionCard>
  );
}
