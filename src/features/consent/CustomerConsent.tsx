/** A customer's consent: the current state per purpose (support too), and for the DPO and the auditor the timeline and "as of". */
import { useState } from "react";
import { Card, DatePicker, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table/interface";
import dayjs from "dayjs";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { bangkokEndOfDayExclusiveIso } from "../../lib/format";
import { isCalendarDay } from "../../lib/list";
import { SectionCard } from "../customers";
import { ActionTag, useConsentColumns } from "./columns";
import { TIMELINE_PAGE_SIZE, useConsentStateAsOf, useCustomerConsents, useCustomerTimeline, usePolicyVersions } from "./data";
import { EvidenceError, useEvidenceDownload } from "./evidence";
import { labelOf, PURPOSE_LABELS, SOURCE_LABELS, versionLabel, type PolicyVersionRef } from "./types";
import "../../i18n/messages/en/consent";

interface StateRow {
  purpose: string;
  granted: boolean;
  action: string;
  policy_version_id: string | null;
  since: string;
  source?: string;
}

function GrantedTag({ granted }: { granted: boolean }) {
  const t = useT();
  return granted ? <Tag color="green">{t("consent.customer.given")}</Tag> : <Tag color="orange">{t("consent.customer.notGiven")}</Tag>;
}

function useStateColumns(versions: readonly PolicyVersionRef[], withSource: boolean): ColumnsType<StateRow> {
  const t = useT();
  const format = useFormatter();
  const byId = new Map(versions.map((v) => [v.id, v]));
  return [
    { title: t("consent.columns.purpose"), key: "purpose", dataIndex: "purpose", render: (v: string) => labelOf(PURPOSE_LABELS, v) },
    { title: t("consent.customer.state"), key: "granted", dataIndex: "granted", render: (v: boolean) => <GrantedTag granted={v} /> },
    { title: t("consent.columns.action"), key: "action", dataIndex: "action", render: (v: string) => <ActionTag action={v} /> },
    { title: t("consent.columns.version"), key: "version", render: (_: unknown, row) => versionLabel(byId.get(row.policy_version_id ?? ""), row.policy_version_id) },
    ...(withSource ? [{ title: t("consent.columns.source"), key: "source", dataIndex: "source", render: (v: string) => labelOf(SOURCE_LABELS, v) }] : []),
    { title: t("consent.customer.since"), key: "since", dataIndex: "since", render: (v: string) => format.dateTime(v, true) },
  ];
}

export function CurrentConsentState({ customerId }: { customerId: string }) {
  const t = useT();
  const { query, result } = useCustomerConsents(customerId);
  const versions = usePolicyVersions();
  const columns = useStateColumns(versions.result.data ?? [], false);
  const rows: StateRow[] = (result.data ?? []).map((r) => ({ purpose: r.purpose, granted: r.granted, action: r.action, policy_version_id: r.policy_version_id, since: r.updated_at }));
  return (
    <SectionCard title={t("consent.customer.current")} query={{ ...query, error: query.error ? { message: t("consent.customer.currentFailed") } : null }} count={rows.length} empty={t("consent.customer.currentEmpty")}>
      <Table<StateRow> rowKey="purpose" size="small" pagination={false} columns={columns} dataSource={rows} aria-label={t("consent.customer.current")} />
    </SectionCard>
  );
}

export function ConsentTimeline({ customerId }: { customerId: string }) {
  const t = useT();
  const evidence = useEvidenceDownload();
  const [page, setPage] = useState(1);
  const { query, result } = useCustomerTimeline(customerId, page, true);
  const columns = useConsentColumns({ sort: null, evidence, withCustomer: false });
  return (
    <SectionCard title={t("consent.customer.timeline")} query={{ ...query, error: query.error ? { message: t("consent.customer.timelineFailed") } : null }} count={result.data?.length ?? 0} empty={t("consent.customer.timelineEmpty")}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <EvidenceError evidence={evidence} />
        <Table
          rowKey="id"
          size="small"
          scroll={{ x: true }}
          columns={columns}
          dataSource={result.data ?? []}
          loading={query.isFetching}
          aria-label={t("consent.customer.timeline")}
          // The whole history, a page at a time from the server (newest first).
          pagination={{ current: page, pageSize: TIMELINE_PAGE_SIZE, total: result.total ?? 0, showSizeChanger: false, hideOnSinglePage: true, onChange: setPage, showTotal: (count: number) => t("consent.list.total", { count }) }}
        />
      </Space>
    </SectionCard>
  );
}

/** "As of" a Bangkok day: the state at the end of that day (the last instant of it), from consent_state_as_of. */
export function ConsentAsOf({ customerId, day, onDay }: { customerId: string; day: string; onDay: (day: string) => void }) {
  const t = useT();
  const valid = isCalendarDay(day);
  const at = valid ? new Date(new Date(bangkokEndOfDayExclusiveIso(day)).getTime() - 1).toISOString() : null;
  const asOf = useConsentStateAsOf(customerId, at);
  const versions = usePolicyVersions();
  const columns = useStateColumns(versions.result.data ?? [], true);
  const rows: StateRow[] = (asOf.data ?? []).map((r) => ({ ...r, since: r.occurred_at }));
  const title = t("consent.customer.asOf");
  return (
    <Card title={title} size="small" role="region" aria-label={title}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <DatePicker aria-label={t("consent.customer.asOfLabel")} value={valid ? dayjs(day) : null} onChange={(value) => onDay(value ? value.format("YYYY-MM-DD") : "")} />
        {!valid ? (
          <Typography.Text type="secondary">{t("consent.customer.asOfPick")}</Typography.Text>
        ) : asOf.isError ? (
          <Typography.Text type="danger">{t("consent.customer.asOfFailed", { reason: (asOf.error as Error).message })}</Typography.Text>
        ) : (
          <Table<StateRow> rowKey="purpose" size="small" pagination={false} loading={asOf.isLoading} columns={columns} dataSource={rows} locale={{ emptyText: t("consent.customer.asOfEmpty") }} aria-label={title} />
        )}
      </Space>
    </Card>
  );
}
