import { useEffect, useMemo, useRef, useState } from "react";
import { useGetIdentity, useList, type CrudFilters } from "@refinedev/core";
import { keepPreviousData } from "@tanstack/react-query";
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Input,
  Modal,
  Progress,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from "antd";
import type { ColumnsType, SortOrder } from "antd/es/table/interface";
import dayjs from "dayjs";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { formatBangkokDateTime } from "../../lib/format";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { DueTag, StatusTag, TypeTag } from "./components";
import { requestIdByReference } from "./api";
import { DSAR_QUEUE, dpoOptions, fetchAllQueueRows, useActiveStaff, useDsarActions, useTabCounts } from "./data";
import { toQueueCsv } from "./csv";
import {
  buildBarFilters,
  EMPTY_QUEUE_FILTERS,
  QUEUE_PAGE_SIZE,
  QUEUE_TABS,
  QueueInputError,
  queueSorters,
  readQueueState,
  TAB_LABELS,
  tabFilters,
  writeQueueState,
  type QueueFilterState,
  type QueueState,
  type QueueTab,
  type SortField,
} from "./queueState";
import {
  CHANNEL_LABELS,
  DSAR_CHANNELS,
  DSAR_STATUSES,
  DSAR_TYPES,
  STATUS_LABELS,
  TYPE_LABELS,
  type BulkResultRow,
  type DsarQueueRow,
} from "./types";

export const SEARCH_DEBOUNCE_MS = 350;

const EMPTY_TEXT: Record<QueueTab, string> = {
  mine: "Nothing in your queue.",
  due_soon: "No open request is due within 7 days.",
  overdue: "No request is overdue.",
  awaiting_identity: "No request is waiting for identity verification.",
  open: "No open requests.",
  closed: "No closed requests yet.",
};

interface BulkOutcome {
  action: string;
  rows: (BulkResultRow & { reference: string })[];
}

/** The DSAR queue: tabs with counts, filters in the URL, the clock per row, bulk actions with per-row results. */
export default function DsarList() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readQueueState(params), [params]);
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { roles = [] } = useStaffRoles();
  const isDpo = roles.includes("dpo");
  const mayCreate = can(roles, "dsar_requests", "create");
  const staffId = identity?.id ?? null;
  const mineMeansCreatedBy = !isDpo;
  const tabs: readonly QueueTab[] = isDpo ? QUEUE_TABS : QUEUE_TABS.filter((tab) => tab !== "mine");

  const setState = (next: QueueState) => setParams(writeQueueState(next), { replace: true });

  // Filter bar draft: applied at once except typing, which waits for a pause.
  const [draft, setDraft] = useState<QueueFilterState>(state.filters);
  const appliedKey = JSON.stringify(state.filters);
  const lastApplied = useRef(appliedKey);
  useEffect(() => {
    if (appliedKey !== lastApplied.current) {
      lastApplied.current = appliedKey;
      setDraft(state.filters);
    }
  }, [appliedKey, state.filters]);

  const [inputError, setInputError] = useState<string | null>(null);
  let barFilters: CrudFilters = [];
  try {
    barFilters = buildBarFilters(state.filters);
  } catch (cause) {
    if (!(cause instanceof QueueInputError)) throw cause;
  }

  const apply = (filters: QueueFilterState) => {
    try {
      buildBarFilters(filters);
    } catch (cause) {
      if (cause instanceof QueueInputError) {
        setInputError(cause.message);
        return;
      }
      throw cause;
    }
    setInputError(null);
    lastApplied.current = JSON.stringify(filters);
    setState({ ...state, filters, page: 1 });
  };
  const update = (patch: Partial<QueueFilterState>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    apply(next);
  };
  const pendingSearch = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (pendingSearch.current) clearTimeout(pendingSearch.current);
  }, []);

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

  // A selection belongs to one filter and tab: changing either starts with nothing selected.
  const selectionKey = `${tab}|${appliedKey}`;
  const [selection, setSelection] = useState<{ key: string; ids: string[] }>({ key: selectionKey, ids: [] });
  const selected = selection.key === selectionKey ? selection.ids : [];
  const setSelected = (ids: string[]) => setSelection({ key: selectionKey, ids });
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | null>(null);

  const sortOrder = (field: SortField): SortOrder => (state.sort.field === field ? (state.sort.order === "asc" ? "ascend" : "descend") : null);

  const open = (id: string) => {
    if (pendingSearch.current) clearTimeout(pendingSearch.current);
    navigate(`/dsar/${id}`);
  };

  const columns: ColumnsType<DsarQueueRow> = [
    {
      title: "Reference",
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
    { title: "Type", dataIndex: "type", key: "type", sorter: true, sortOrder: sortOrder("type"), render: (type: DsarQueueRow["type"]) => <TypeTag type={type} /> },
    { title: "Status", dataIndex: "status", key: "status", sorter: true, sortOrder: sortOrder("status"), render: (status: DsarQueueRow["status"]) => <StatusTag status={status} /> },
    {
      title: "Days left",
      key: "due_at",
      dataIndex: "due_at",
      sorter: true,
      sortOrder: sortOrder("due_at"),
      render: (_: unknown, row) => <DueTag row={row} />,
    },
    {
      title: "Requester / customer",
      key: "requester_email",
      dataIndex: "requester_email",
      sorter: true,
      sortOrder: sortOrder("requester_email"),
      render: (email: string, row) => (
        <Space direction="vertical" size={0}>
          <span>{email}</span>
          {row.customer_id ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.customer_display_name ?? row.customer_email ?? "matched customer"}
              {row.customer_processing_restricted ? <Tag color="red" style={{ marginLeft: 4 }}>restricted</Tag> : null}
            </Typography.Text>
          ) : (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              unmatched
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: "Received (Bangkok)",
      dataIndex: "received_at",
      key: "received_at",
      sorter: true,
      sortOrder: sortOrder("received_at"),
      render: (v: string) => formatBangkokDateTime(v),
    },
    { title: "Channel", dataIndex: "channel", key: "channel", render: (v: DsarQueueRow["channel"]) => CHANNEL_LABELS[v] ?? v },
    { title: "Assignee", dataIndex: "assignee_name", key: "assignee_name", render: (v: string | null) => v ?? <Typography.Text type="secondary">unassigned</Typography.Text> },
  ];

  const error = query.error;
  const rows = result.data ?? [];
  const referenceOf = (id: string) => rows.find((r) => r.id === id)?.reference ?? id;

  return (
    <PageShell
      title="Data subject requests"
      extra={
        <Space wrap>
          {can(roles, "dsar_stats", "list") ? <Link to="/dsar/dashboard">Dashboard</Link> : null}
          <CsvExportButton filters={filters} sort={state.sort} total={result.total ?? 0} />
          {mayCreate ? (
            <Button type="primary" onClick={() => navigate("/dsar/new")}>
              New request
            </Button>
          ) : null}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <Tabs
          activeKey={tab}
          onChange={(key) => setState({ ...state, tab: key as QueueTab, page: 1 })}
          items={tabs.map((key) => ({
            key,
            label: (
              <span>
                {TAB_LABELS[key]}{" "}
                <Badge
                  count={counts.data?.[key] ?? "…"}
                  showZero
                  overflowCount={9999}
                  color={key === "overdue" && (counts.data?.overdue ?? 0) > 0 ? "red" : "#8c8c8c"}
                  aria-label={`${counts.data?.[key] ?? "loading"} requests`}
                />
              </span>
            ),
          }))}
        />
        <Row gutter={[12, 12]}>
          <Col xs={24} md={8}>
            <Input.Search
              allowClear
              aria-label="Search requests"
              placeholder="Reference, requester email or customer"
              value={draft.search}
              onChange={(e) => {
                const next = { ...draft, search: e.target.value };
                setDraft(next);
                if (pendingSearch.current) clearTimeout(pendingSearch.current);
                pendingSearch.current = setTimeout(() => apply(next), SEARCH_DEBOUNCE_MS);
              }}
              onSearch={(value) => {
                if (pendingSearch.current) clearTimeout(pendingSearch.current);
                update({ search: value });
              }}
            />
          </Col>
          <Col xs={12} md={4}>
            <Select
              mode="multiple"
              allowClear
              aria-label="Type"
              placeholder="Any type"
              style={{ width: "100%" }}
              value={draft.types}
              onChange={(types) => update({ types })}
              options={DSAR_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }))}
            />
          </Col>
          <Col xs={12} md={4}>
            <Select
              mode="multiple"
              allowClear
              aria-label="Status"
              placeholder="Any status"
              style={{ width: "100%" }}
              value={draft.statuses}
              onChange={(statuses) => update({ statuses })}
              options={DSAR_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
            />
          </Col>
          <Col xs={12} md={4}>
            <Select
              mode="multiple"
              allowClear
              aria-label="Channel"
              placeholder="Any channel"
              style={{ width: "100%" }}
              value={draft.channels}
              onChange={(channels) => update({ channels })}
              options={DSAR_CHANNELS.map((value) => ({ value, label: CHANNEL_LABELS[value] }))}
            />
          </Col>
          {isDpo ? (
            <Col xs={12} md={4}>
              <Select
                allowClear
                aria-label="Assignee"
                placeholder="Any assignee"
                style={{ width: "100%" }}
                value={draft.assignee || undefined}
                onChange={(assignee) => update({ assignee: assignee ?? "" })}
                options={[{ value: "none", label: "Unassigned" }, ...assignees.map((s) => ({ value: s.id, label: s.display_name }))]}
              />
            </Col>
          ) : null}
          <Col xs={24} md={8}>
            <DatePicker.RangePicker
              aria-label="Received between"
              style={{ width: "100%" }}
              allowEmpty={[true, true]}
              placeholder={["Received from", "Received to"]}
              value={[draft.receivedFrom ? dayjs(draft.receivedFrom) : null, draft.receivedTo ? dayjs(draft.receivedTo) : null]}
              onChange={(range) =>
                update({
                  receivedFrom: range?.[0] ? range[0].format("YYYY-MM-DD") : "",
                  receivedTo: range?.[1] ? range[1].format("YYYY-MM-DD") : "",
                })
              }
            />
          </Col>
          <Col>
            <Checkbox checked={draft.overdueOnly} onChange={(e) => update({ overdueOnly: e.target.checked })}>
              Overdue only
            </Checkbox>
          </Col>
          <Col>
            <Button
              onClick={() => {
                setDraft(EMPTY_QUEUE_FILTERS);
                apply(EMPTY_QUEUE_FILTERS);
              }}
            >
              Clear filters
            </Button>
          </Col>
        </Row>
        {inputError ? <Alert type="warning" showIcon message={inputError} /> : null}
        {error ? (
          <Alert
            type="error"
            showIcon
            message="Could not load requests"
            description={error.message}
            action={
              <Button size="small" onClick={() => void query.refetch()}>
                Retry
              </Button>
            }
          />
        ) : null}
        {isDpo && selected.length > 0 ? (
          <BulkBar
            selected={selected}
            assignees={assignees}
            onDone={(outcome) => {
              setBulkOutcome({ ...outcome, rows: outcome.rows.map((r) => ({ ...r, reference: referenceOf(r.request_id) })) });
              setSelected([]);
            }}
          />
        ) : null}
        {bulkOutcome ? <BulkResults outcome={bulkOutcome} onClose={() => setBulkOutcome(null)} /> : null}
        <Table<DsarQueueRow>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={query.isFetching}
          scroll={{ x: true }}
          rowSelection={isDpo ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
          pagination={{
            current: state.page,
            pageSize: QUEUE_PAGE_SIZE,
            total: result.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => `${total} requests`,
          }}
          onChange={(pagination, _filters, sorter, extra) => {
            if (extra.action === "sort") {
              const active = (Array.isArray(sorter) ? sorter : [sorter]).find((s) => s.order);
              const field = active ? String(active.columnKey ?? active.field) : undefined;
              setState({
                ...state,
                page: 1,
                sort: active && field ? { field: field as SortField, order: active.order === "ascend" ? "asc" : "desc" } : { field: "due_at", order: "asc" },
              });
            } else if (extra.action === "paginate" && pagination.current) {
              setState({ ...state, page: pagination.current });
            }
          }}
          locale={{
            emptyText: error ? (
              "Requests could not be loaded."
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={barFilters.length > 0 ? "No request matches these filters." : EMPTY_TEXT[tab]} />
            ),
          }}
          onRow={(row) => ({
            tabIndex: 0,
            "aria-label": `Open request ${row.reference}`,
            style: { cursor: "pointer" },
            onClick: (event) => {
              const target = event.target as HTMLElement;
              // Ticking the selection box must not open the request.
              if (target.closest(".ant-checkbox-wrapper, .ant-table-selection-column, a")) return;
              if (event.metaKey || event.ctrlKey || event.shiftKey) return;
              open(row.id);
            },
            onKeyDown: (event) => {
              if (event.key === "Enter" && event.target === event.currentTarget) open(row.id);
            },
          })}
        />
      </Space>
    </PageShell>
  );
}

function BulkBar({
  selected,
  assignees,
  onDone,
}: {
  selected: string[];
  assignees: { id: string; display_name: string }[];
  onDone: (outcome: { action: string; rows: BulkResultRow[] }) => void;
}) {
  const actions = useDsarActions();
  const getClient = useSupabaseClient();
  const [assignee, setAssignee] = useState<string | undefined>();
  const [originalReference, setOriginalReference] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const perform = async (action: string, work: () => Promise<BulkResultRow[]>) => {
    setPending(true);
    setError(null);
    try {
      onDone({ action, rows: await work() });
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setPending(false);
    }
  };

  const assign = () =>
    perform("Assign", async () => (assignee ? actions.assign(selected, assignee) : []));

  const closeAsDuplicate = () =>
    perform("Close as duplicate", async () => {
      const reference = originalReference.trim().toUpperCase();
      const original = await requestIdByReference(await getClient(), reference);
      if (!original) throw new Error(`No request with reference ${reference}.`);
      return actions.closeAsDuplicate(selected, original);
    });

  return (
    <Alert
      type="info"
      message={
        <Space wrap>
          <strong>{selected.length} selected</strong>
          <Select
            aria-label="Assign selected to"
            placeholder="Assign to…"
            style={{ width: 200 }}
            value={assignee}
            onChange={setAssignee}
            options={assignees.map((s) => ({ value: s.id, label: s.display_name }))}
          />
          <Button onClick={() => void assign()} disabled={!assignee || pending} loading={pending}>
            Assign
          </Button>
          <Input
            aria-label="Original request reference"
            placeholder="Original (DSAR-2026-0001)"
            style={{ width: 220 }}
            value={originalReference}
            onChange={(e) => setOriginalReference(e.target.value)}
          />
          <Button danger onClick={() => void closeAsDuplicate()} disabled={originalReference.trim() === "" || pending}>
            Close as duplicate
          </Button>
          {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
        </Space>
      }
    />
  );
}

function BulkResults({ outcome, onClose }: { outcome: BulkOutcome; onClose: () => void }) {
  const failed = outcome.rows.filter((r) => !r.ok).length;
  return (
    <Alert
      type={failed === 0 ? "success" : failed === outcome.rows.length ? "error" : "warning"}
      closable
      onClose={onClose}
      message={`${outcome.action}: ${outcome.rows.length - failed} done, ${failed} refused`}
      description={
        <Table
          size="small"
          rowKey="request_id"
          aria-label="Bulk action results"
          pagination={false}
          dataSource={outcome.rows}
          columns={[
            { title: "Request", dataIndex: "reference" },
            { title: "Result", dataIndex: "ok", render: (ok: boolean) => (ok ? <Tag color="green">done</Tag> : <Tag color="red">refused</Tag>) },
            { title: "Why", dataIndex: "error", render: (v: string | null) => v ?? "—" },
          ]}
        />
      }
    />
  );
}

function CsvExportButton({ filters, sort, total }: { filters: CrudFilters; sort: QueueState["sort"]; total: number }) {
  const getClient = useSupabaseClient();
  const [progress, setProgress] = useState<{ fetched: number; total: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setProgress({ fetched: 0, total });
    try {
      const client = await getClient();
      const rows = await fetchAllQueueRows(client, filters, sort, (fetched, all) => setProgress({ fetched, total: all }), controller.signal);
      const csv = await toQueueCsv(rows);
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `dsar-queue-${dayjs().format("YYYYMMDD-HHmm")}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setProgress(null);
    } catch (cause) {
      setProgress(null);
      if ((cause as Error).name !== "AbortError") setError((cause as Error).message);
    }
  };

  return (
    <>
      <Button onClick={() => void start()} disabled={progress !== null}>
        Export CSV
      </Button>
      {error ? <Typography.Text type="danger">CSV export failed: {error}</Typography.Text> : null}
      <Modal
        open={progress !== null}
        title="Exporting the filtered queue"
        closable={false}
        maskClosable={false}
        okButtonProps={{ style: { display: "none" } }}
        cancelText="Cancel"
        onCancel={() => abort.current?.abort()}
      >
        <Progress
          percent={progress?.total ? Math.round((progress.fetched / progress.total) * 100) : 0}
          status="active"
          aria-label="CSV export progress"
        />
        <Typography.Text>
          {progress?.fetched ?? 0} of {progress?.total ?? "…"} rows
        </Typography.Text>
      </Modal>
    </>
  );
}
