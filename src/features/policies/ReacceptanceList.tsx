/**
 * The customers behind a re_accept version, by answer: pending, accepted or declined (one status at a time, paged and
 * counted by the server), each named as the console names customers elsewhere, a declined one with what its decline
 * did; the status shown exportable as CSV.
 */
import { useState } from "react";
import { Alert, Empty, Radio, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table/interface";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { CsvExportButton } from "../../lib/list";
import { messageOf } from "../../lib/rpc";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { labelOf, PURPOSE_LABELS } from "../consent";
import { CustomerLink } from "../customers";
import { policiesKeys } from "./keys";
import { REACCEPTANCE_STATUSES, reacceptancePeopleCsvSource, reacceptancePeoplePage, type ReacceptancePerson, type ReacceptanceStatus } from "./reacceptancePeople";
import "../../i18n/messages/en/policies";

const PAGE_SIZE = 20;
const STATUS_COLOURS: Record<ReacceptanceStatus, string> = { pending: "default", accepted: "green", declined: "orange" };

/** What a decline did, in words: the purposes withdrawn and the account's restriction (or that nothing was recorded). */
export function DeclineEffects({ row }: { row: Pick<ReacceptancePerson, "status" | "withdrawn_purposes" | "account_restricted"> }) {
  const t = useT();
  if (row.status !== "declined") return null;
  if (row.withdrawn_purposes === null) return <Typography.Text type="secondary">{t("policies.reacceptancePeople.notAtPrompt")}</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text>
        {row.withdrawn_purposes.length > 0
          ? t("policies.reacceptancePeople.withdrawn", { purposes: row.withdrawn_purposes.map((p) => labelOf(PURPOSE_LABELS, p)).join(", ") })
          : t("policies.reacceptancePeople.nothingWithdrawn")}
      </Typography.Text>
      {row.account_restricted ? <Tag color="red">{t("policies.reacceptancePeople.restricted")}</Tag> : <Typography.Text type="secondary">{t("policies.reacceptancePeople.notRestricted")}</Typography.Text>}
    </Space>
  );
}

/** Counts per status come from the summary the card already read. */
export function ReacceptanceList({ versionId, label, counts }: { versionId: string; label: string; counts: Record<ReacceptanceStatus, number> }) {
  const t = useT();
  const format = useFormatter();
  const getClient = useSupabaseClient();
  const [status, setStatus] = useState<ReacceptanceStatus>("pending");
  const [page, setPage] = useState(1);
  const people = useQuery({
    queryKey: [...policiesKeys.reacceptance(versionId), "people", status, page],
    queryFn: async () => reacceptancePeoplePage(await getClient(), versionId, status, page, PAGE_SIZE),
    // The previous page stays while the next one loads; another answer's rows never stand in for this one's.
    placeholderData: (previous, query) => (query?.queryKey.includes(status) ? keepPreviousData(previous) : undefined),
  });
  const total = people.data?.total ?? counts[status];
  const columns: ColumnsType<ReacceptancePerson> = [
    { key: "customer", title: t("policies.reacceptancePeople.columns.customer"), render: (_: unknown, row) => <CustomerLink id={row.customer_id} customer={row} /> },
    { key: "answer", title: t("policies.reacceptancePeople.columns.answer"), dataIndex: "status", render: (s: ReacceptanceStatus) => <Tag color={STATUS_COLOURS[s]}>{t(`policies.reacceptancePeople.statuses.${s}`)}</Tag> },
    { key: "at", title: t("policies.reacceptancePeople.columns.at"), dataIndex: "decided_at", render: (at: string | null) => (at ? format.dateTime(at) : t("policies.reacceptancePeople.notYet")) },
    ...(status === "declined" ? [{ key: "followed", title: t("policies.reacceptancePeople.columns.followed"), render: (_: unknown, row: ReacceptancePerson) => <DeclineEffects row={row} /> }] : []),
  ];
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Radio.Group
          aria-label={t("policies.reacceptancePeople.filterLabel")}
          optionType="button"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as ReacceptanceStatus);
            setPage(1);
          }}
          options={REACCEPTANCE_STATUSES.map((s) => ({ value: s, label: t("policies.reacceptancePeople.statusCount", { status: t(`policies.reacceptancePeople.statuses.${s}`), count: counts[s] }) }))}
        />
        <CsvExportButton
          what={t(`policies.reacceptancePeople.exportWhat.${status}`)}
          total={total}
          source={async () => reacceptancePeopleCsvSource(await getClient(), versionId, status)}
          fileName={() => `reacceptance-${status}-${label}-${dayjs().format("YYYYMMDD-HHmm")}.csv`}
        />
      </Space>
      {people.isError ? <Alert type="error" showIcon message={t("policies.reacceptancePeople.failed", { reason: messageOf(people.error) })} /> : null}
      <Table<ReacceptancePerson>
        rowKey="customer_id"
        size="small"
        aria-label={t(`policies.reacceptancePeople.tableLabel.${status}`)}
        loading={people.isFetching}
        dataSource={people.data?.rows ?? []}
        columns={columns}
        pagination={{ current: page, pageSize: PAGE_SIZE, total, showSizeChanger: false, showTotal: (count: number) => t("policies.reacceptancePeople.total", { count }), onChange: setPage }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`policies.reacceptancePeople.empty.${status}`)} /> }}
      />
    </Space>
  );
}
