import { useState } from "react";
import { useGetIdentity, useList, type CrudFilters } from "@refinedev/core";
import { keepPreviousData } from "@tanstack/react-query";
import { Alert, Empty, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table/interface";
import dayjs from "dayjs";
import { Link, useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import "../../i18n/messages/en/dsar";
import { useT } from "../../i18n";
import { formatBangkokDateTime } from "../../lib/format";
import {
  BulkResults,
  CsvExportButton,
  filtersOrNone,
  ListHeaderActions,
  ListTabs,
  LoadError,
  openableRow,
  sortOrderOf,
  tableChangeHandler,
  TYPING_DEBOUNCE_MS,
  useFilterDraft,
  useListUrlState,
  useScopedSelection,
  type BulkOutcome,
} from "../../lib/list";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { DueTag, StatusTag, TypeTag } from "./components";
import { DSAR_QUEUE, dpoOptions, queueCsvSource, useActiveStaff, useTabCounts } from "./data";
import { QueueBulkBar } from "./queueBulk";
import { QueueFilterBar } from "./queueFilterBar";
import { buildBarFilters, QUEUE_PAGE_SIZE, QUEUE_TABS, queueCodec, queueSorters, tabFilters, type QueueTab, type SortField } from "./queueState";
import { CHANNEL_LABELS, type DsarQueueRow } from "./types";

export const SEARCH_DEBOUNCE_MS = TYPING_DEBOUNCE_MS;

/** The DSAR queue: tabs with counts, filters in the URL, the clock per row, bulk actions with per-row results. */
export default function DsarList() {
  const t = useT();
  const navigate = useNavigate();
  const getClient = useSupabaseClient();
  const { state, setTab, setFilters, setSort, setPage } = useListUrlState(queueCodec);
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { roles = [] } = useStaffRoles();
  const isDpo = roles.includes("dpo");
  const staffId = identity?.id ?? null;
  // Support only ever sees its own intakes (RLS): for them "My queue" would be the whole list, so it is not offered.
  const mineMeansCreatedBy = !isDpo;
  const tabs: readonly QueueTab[] = isDpo ? QUEUE_TABS : QUEUE_TABS.filter((tab) => tab !== "mine");

  const bar = useFilterDraft({
    applied: state.filters,
    empty: queueCodec.emptyFilters,
    validate: buildBarFilters,
    onApply: setFilters,
    normalise: queueCodec.normaliseFilters,
  });
  const barFilters = filtersOrNone(buildBarFilters, state.filters);
  const tab = tabs.includes(state.tab) ? state.tab : "open";
  const filters: CrudFilters = [...tabFilters(tab, staffId, mineMeansCreatedBy), ...barFilters];
  const waitingForIdentity = tab === "mine" && !staffId;

  const { query, result } = useList<DsarQueueRow>({
    resource: DSAR_QUEUE,
    filters,
    sorters: queueSorters(state.sort),
    pagination: { currentPage: state.page, pageSize: QUEUE_PAGE_SIZE, mode: "server" },
    queryOptions: { placeholderData: keepPreviousData, enabled: !waitingForIdentity },
    errorNotification: false,
  });
  const counts = useTabCounts(barFilters, staffId, mineMeansCreatedBy, tabs);
  const staff = useActiveStaff(isDpo);
  const assignees = dpoOptions(staff.result.data ?? []);

  // A selection belongs to one tab and filter: changing either starts with nothing selected.
  const { selected, setSelected } = useScopedSelection(`${tab}|${JSON.stringify(state.filters)}`);
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | null>(null);

  const open = (id: string) => {
    bar.cancelPending();
    navigate(`/dsar/${id}`);
  };
  const sortOrder = (field: SortField) => sortOrderOf(state.sort, field);
  const rows = result.data ?? [];
  const referenceOf = (id: string) => rows.find((r) => r.id === id)?.reference ?? id;
  const error = query.error;

  const columns: ColumnsType<DsarQueueRow> = [
    {
      title: t("dsar.queue.columns.reference"),
      dataIndex: "reference",
      key: "reference",
      sorter: true,
      sortOrder: sortOrder("reference"),
      render: (reference: string, row) => (
        <Link to={`/dsar/${row.id}`} tabIndex={-1}>
          {reference}
        </Link>
      ),
    },
    { title: t("dsar.queue.columns.type"), dataIndex: "type", key: "type", sorter: true, sortOrder: sortOrder("type"), render: (type: DsarQueueRow["type"]) => <TypeTag type={type} /> },
    { title: t("dsar.queue.columns.status"), dataIndex: "status", key: "status", sorter: true, sortOrder: sortOrder("status"), render: (status: DsarQueueRow["status"]) => <StatusTag status={status} /> },
    { title: t("dsar.queue.columns.daysLeft"), key: "due_at", dataIndex: "due_at", sorter: true, sortOrder: sortOrder("due_at"), render: (_: unknown, row) => <DueTag row={row} /> },
    {
      title: t("dsar.queue.columns.requester"),
      key: "requester_email",
      dataIndex: "requester_email",
      sorter: true,
      sortOrder: sortOrder("requester_email"),
      render: (email: string, row) => (
        <Space direction="vertical" size={0}>
          <span>{email}</span>
          {row.customer_id ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.customer_display_name ?? row.customer_email ?? t("dsar.queue.matchedCustomer")}
              {row.customer_processing_restricted ? <Tag color="red" style={{ marginLeft: 4 }}>{t("dsar.queue.restricted")}</Tag> : null}
            </Typography.Text>
          ) : (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {t("dsar.queue.unmatched")}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t("dsar.queue.columns.received"), dataIndex: "received_at", key: "received_at", sorter: true, sortOrder: sortOrder("received_at"), render: (v: string) => formatBangkokDateTime(v) },
    { title: t("dsar.queue.columns.channel"), dataIndex: "channel", key: "channel", render: (v: DsarQueueRow["channel"]) => CHANNEL_LABELS[v] ?? v },
    {
      title: t("dsar.queue.columns.assignee"),
      dataIndex: "assignee_name",
      key: "assignee_name",
      render: (v: string | null) => v ?? <Typography.Text type="secondary">{t("dsar.queue.unassigned")}</Typography.Text>,
    },
  ];

  return (
    <PageShell
      title={t("dsar.queue.title")}
      extra={
        <ListHeaderActions
          dashboard={can(roles, "dsar_stats", "list") && { to: "/dsar/dashboard", label: t("dsar.queue.dashboard") }}
          primary={can(roles, "dsar_requests", "create") && { label: t("dsar.queue.newRequest"), onClick: () => navigate("/dsar/new") }}
        >
          <CsvExportButton
            what={t("dsar.queue.exportWhat")}
            total={result.total ?? 0}
            source={async () => queueCsvSource(await getClient(), filters, state.sort)}
            fileName={() => `dsar-queue-${dayjs().format("YYYYMMDD-HHmm")}.csv`}
          />
        </ListHeaderActions>
      }
    >
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <ListTabs
          active={tab}
          onChange={setTab}
          tabs={tabs.map((key) => {
            const count = counts.data?.[key];
            return {
              key,
              label: t(`dsar.queue.tabs.${key}`),
              count,
              color: key === "overdue" && (count ?? 0) > 0 ? "red" : undefined,
              countLabel: count === undefined ? t("dsar.queue.tabCountLoading") : t("dsar.queue.tabCount", { count }),
            };
          })}
        />
        <QueueFilterBar bar={bar} assignees={isDpo ? assignees : null} />
        {bar.error ? <Alert type="warning" showIcon message={bar.error} /> : null}
        {error ? <LoadError title={t("dsar.queue.loadFailed")} error={error} onRetry={() => void query.refetch()} /> : null}
        {isDpo && selected.length > 0 ? (
          <QueueBulkBar
            selected={selected}
            assignees={assignees}
            onDone={(outcome) => {
              setBulkOutcome({ action: outcome.action, rows: outcome.rows.map((r) => ({ key: r.request_id, label: referenceOf(r.request_id), ok: r.ok, error: r.error })) });
              setSelected([]);
            }}
          />
        ) : null}
        {bulkOutcome ? <BulkResults outcome={bulkOutcome} rowTitle={t("dsar.bulk.request")} onClose={() => setBulkOutcome(null)} /> : null}
        <Table<DsarQueueRow>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={query.isFetching}
          scroll={{ x: true }}
          rowSelection={isDpo ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
          pagination={{ current: state.page, pageSize: QUEUE_PAGE_SIZE, total: result.total ?? 0, showSizeChanger: false, showTotal: (total) => t("dsar.queue.total", { count: total }) }}
          onChange={tableChangeHandler<DsarQueueRow, SortField>({ onSort: setSort, onPage: setPage, defaultSort: queueCodec.defaults.sort })}
          locale={{
            emptyText: error ? (
              t("dsar.queue.loadFailedShort")
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={barFilters.length > 0 ? t("dsar.queue.noMatch") : t(`dsar.queue.empty.${tab}`)} />
            ),
          }}
          onRow={(row) => openableRow(t("dsar.queue.openRow", { reference: row.reference }), () => open(row.id))}
        />
      </Space>
    </PageShell>
  );
}
