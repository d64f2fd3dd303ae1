import { useEffect, useMemo, useRef, useState } from "react";
import { useGetIdentity, useList, type CrudFilters } from "@refinedev/core";
import { keepPreviousData } from "@tanstack/react-query";
import { Alert, Badge, Button, Col, DatePicker, Empty, Input, Row, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { ColumnsType, SortOrder } from "antd/es/table/interface";
import dayjs from "dayjs";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { formatBangkokDateTime, formatCredits, formatSignedCredits } from "../../lib/format";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { useCustomerSearch } from "../customers";
import { AdjustCreditsModal } from "./AdjustCreditsModal";
import { CREDIT_ADJUSTMENTS, CREDIT_LEDGER, useCreditsRefresh, usePendingCount, useVisibleStaff } from "./data";
import { DecisionButtons, DecisionDialog, DecisionResults, useAdjustmentDecisions } from "./decisions";
import {
  buildCreditFilters,
  CREDIT_TABS,
  CREDITS_PAGE_SIZE,
  CreditInputError,
  creditSorters,
  EMPTY_FILTERS,
  readCreditState,
  TAB_LABELS,
  writeCreditState,
  type CreditFilterState,
  type CreditPageState,
  type CreditTab,
  type SortField,
} from "./state";
import {
  ADJUSTMENT_SELECT,
  ADJUSTMENT_STATUSES,
  LEDGER_REASONS,
  LEDGER_SELECT,
  pendingReasonLabel,
  reasonLabel,
  STATUS_COLOURS,
  STATUS_LABELS,
  type AdjustmentRow,
  type CustomerRef,
  type LedgerRow,
  type StaffRef,
} from "./types";

const EMPTY_TEXT: Record<CreditTab, string> = {
  ledger: "No ledger entries yet.",
  adjustments: "No credit adjustments yet.",
  pending: "Nothing waits for approval.",
};

function signed(amount: number) {
  return <Typography.Text type={amount < 0 ? "danger" : undefined}>{formatSignedCredits(amount)}</Typography.Text>;
}

function CustomerCell({ id, customer }: { id: string; customer: CustomerRef | null | undefined }) {
  // The auditor reads the ledger but no customer contact data (RLS): the embed comes back null.
  return (
    <Link to={`/customers/${id}`} tabIndex={-1}>
      {customer ? (customer.display_name ?? customer.email) : <Typography.Text type="secondary">customer {id.slice(0, 8)}</Typography.Text>}
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

function staffName(id: string | null, ref: StaffRef | null | undefined, me: string | null): string {
  if (!id) return "—";
  if (id === me) return `${ref?.display_name ?? "You"} (you)`;
  // A name the caller cannot read (a row outside the embed) falls back to a short id.
  return ref?.display_name ?? `staff ${id.slice(0, 8)}`;
}

/** Credits across customers: the ledger, the adjustment requests and the approval queue, filters in the URL. */
export default function CreditList() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readCreditState(params), [params]);
  const setState = (next: CreditPageState) => setParams(writeCreditState(next), { replace: true });
  const { roles = [] } = useStaffRoles();
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const staffId = identity?.id ?? null;
  const mayAdjust = can(roles, CREDIT_ADJUSTMENTS, "create");
  const mayDecide = can(roles, "credit_approvals", "write");
  const mayReadCustomers = can(roles, "customers", "list");
  const refresh = useCreditsRefresh();
  const decisions = useAdjustmentDecisions();
  const [adjusting, setAdjusting] = useState(false);

  // Typed amounts wait for a pause; everything else applies at once.
  const [draft, setDraft] = useState<CreditFilterState>(state.filters);
  const appliedKey = JSON.stringify(state.filters);
  const lastApplied = useRef(appliedKey);
  useEffect(() => {
    if (appliedKey !== lastApplied.current) {
      lastApplied.current = appliedKey;
      setDraft(state.filters);
    }
  }, [appliedKey, state.filters]);
  const [inputError, setInputError] = useState<string | null>(null);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (typing.current) clearTimeout(typing.current);
  }, []);

  const apply = (filters: CreditFilterState) => {
    try {
      buildCreditFilters(filters, state.tab);
    } catch (cause) {
      if (cause instanceof CreditInputError) {
        setInputError(cause.message);
        return;
      }
      throw cause;
    }
    setInputError(null);
    lastApplied.current = JSON.stringify(filters);
    setState({ ...state, filters, page: 1 });
  };
  const update = (patch: Partial<CreditFilterState>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    apply(next);
  };
  const updateLater = (patch: Partial<CreditFilterState>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (typing.current) clearTimeout(typing.current);
    typing.current = setTimeout(() => apply(next), 400);
  };

  const tab = state.tab;
  const safeFilters = (t: CreditTab): CrudFilters => {
    try {
      return buildCreditFilters(state.filters, t);
    } catch (cause) {
      if (cause instanceof CreditInputError) return t === "pending" ? [{ field: "status", operator: "eq", value: "pending" }] : [];
      throw cause;
    }
  };
  const filters = safeFilters(tab);
  const pagination = { currentPage: state.page, pageSize: CREDITS_PAGE_SIZE, mode: "server" as const };
  const sorters = creditSorters(state.sort, tab);
  const ledger = useList<LedgerRow>({
    resource: CREDIT_LEDGER,
    filters,
    sorters,
    pagination,
    meta: { select: LEDGER_SELECT },
    queryOptions: { placeholderData: keepPreviousData, enabled: tab === "ledger" },
    errorNotification: false,
  });
  const adjustments = useList<AdjustmentRow>({
    resource: CREDIT_ADJUSTMENTS,
    filters,
    sorters,
    pagination,
    meta: { select: ADJUSTMENT_SELECT },
    queryOptions: { placeholderData: keepPreviousData, enabled: tab !== "ledger" },
    errorNotification: false,
  });
  const pendingCount = usePendingCount(safeFilters("pending"));
  const staff = useVisibleStaff();
  const customers = useCustomerSearch();

  const sortOrder = (field: SortField): SortOrder => (state.sort.field === field ? (state.sort.order === "asc" ? "ascend" : "descend") : null);
  const active = tab === "ledger" ? ledger : adjustments;
  const error = active.query.error;
  const total = active.result.total ?? 0;

  const ledgerColumns: ColumnsType<LedgerRow> = [
    { title: "When (Bangkok)", key: "date", dataIndex: "created_at", sorter: true, sortOrder: sortOrder("date"), render: (v: string) => formatBangkokDateTime(v) },
    { title: "Customer", key: "customer", render: (_: unknown, row) => <CustomerCell id={row.customer_id} customer={row.customer} /> },
    { title: "Amount", key: "amount", dataIndex: "amount", align: "right", sorter: true, sortOrder: sortOrder("amount"), render: signed },
    { title: "Reason", key: "reason", dataIndex: "reason", sorter: true, sortOrder: sortOrder("reason"), render: (v: string) => reasonLabel(v) },
    { title: "Note", key: "note", dataIndex: "note", render: (v: string | null) => (v ? <NoteText text={v} /> : "—") },
    { title: "By", key: "actor", render: (_: unknown, row) => (row.actor_staff_id ? staffName(row.actor_staff_id, row.actor, staffId) : <Typography.Text type="secondary">product</Typography.Text>) },
  ];
  const adjustmentColumns: ColumnsType<AdjustmentRow> = [
    { title: "Requested (Bangkok)", key: "date", dataIndex: "requested_at", sorter: true, sortOrder: sortOrder("date"), render: (v: string) => formatBangkokDateTime(v) },
    { title: "Customer", key: "customer", render: (_: unknown, row) => <CustomerCell id={row.customer_id} customer={row.customer} /> },
    { title: "Amount", key: "amount", dataIndex: "amount", align: "right", sorter: true, sortOrder: sortOrder("amount"), render: signed },
    { title: "Reason", key: "reason", dataIndex: "reason", sorter: true, sortOrder: sortOrder("reason"), render: (v: string) => reasonLabel(v) },
    { title: "Note", key: "note", dataIndex: "note", render: (v: string) => <NoteText text={v} /> },
    {
      title: "Status",
      key: "status",
      render: (_: unknown, row) => (
        <Space direction="vertical" size={0}>
          <Tag color={STATUS_COLOURS[row.status]}>{STATUS_LABELS[row.status] ?? row.status}</Tag>
          {row.status === "pending" && row.pending_reason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {pendingReasonLabel(row.pending_reason)}
            </Typography.Text>
          ) : null}
          {row.status === "rejected" && row.decision_note ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              “{row.decision_note}”
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: "Requested by", key: "requester", render: (_: unknown, row) => staffName(row.requested_by, row.requester, staffId) },
    {
      // Always empty while pending: only the adjustments tab shows who decided.
      title: "Decided",
      key: "decided",
      hidden: tab === "pending",
      render: (_: unknown, row) =>
        row.decided_by ? (
          <span>
            {staffName(row.decided_by, row.decider, staffId)}
            <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
              {formatBangkokDateTime(row.decided_at)}
            </Typography.Text>
          </span>
        ) : (
          "—"
        ),
    },
    ...(mayDecide
      ? [{ title: "Decision", key: "decision", fixed: "right" as const, render: (_: unknown, row: AdjustmentRow) => <DecisionButtons row={row} decisions={decisions} mayDecide={mayDecide} staffId={staffId} /> }]
      : []),
  ];

  const staffOptions = [
    { value: "none", label: "Nobody (the product)" },
    ...(staff.result.data ?? []).map((s) => ({ value: s.id, label: s.id === staffId ? `${s.display_name} (you)` : s.display_name })),
  ];
  if (staffId && !staffOptions.some((o) => o.value === staffId)) staffOptions.push({ value: staffId, label: "Me" });
  if (draft.actor && !staffOptions.some((o) => o.value === draft.actor)) staffOptions.push({ value: draft.actor, label: `staff ${draft.actor.slice(0, 8)}` });
  const customerOptions = customers.options.map((c) => ({ value: c.id, label: c.display_name ? `${c.display_name} (${c.email})` : c.email }));
  if (draft.customer && !customerOptions.some((o) => o.value === draft.customer)) customerOptions.push({ value: draft.customer, label: `customer ${draft.customer.slice(0, 8)}` });

  const onTableChange = (page: number | undefined, sorter: unknown, action: string) => {
    if (action === "sort") {
      const first = (Array.isArray(sorter) ? sorter : [sorter]).find((s: { order?: string }) => s.order) as { columnKey?: string; order?: string } | undefined;
      setState({ ...state, page: 1, sort: first?.columnKey ? { field: first.columnKey as SortField, order: first.order === "ascend" ? "asc" : "desc" } : { field: "date", order: "desc" } });
    } else if (action === "paginate" && page) setState({ ...state, page });
  };
  const tableProps = {
    loading: active.query.isFetching,
    scroll: { x: true as const },
    pagination: { current: state.page, pageSize: CREDITS_PAGE_SIZE, total, showSizeChanger: false, showTotal: (n: number) => `${formatCredits(n)} ${tab === "ledger" ? "entries" : "adjustments"}` },
    locale: {
      emptyText: error ? "Could not load." : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filters.length > (tab === "pending" ? 1 : 0) ? "Nothing matches these filters." : EMPTY_TEXT[tab]} />,
    },
  };
  const rowKeys = (customerId: string) => ({
    tabIndex: 0,
    style: { cursor: "pointer" },
    onKeyDown: (event: React.KeyboardEvent<HTMLElement>) => {
      if (event.key === "Enter" && event.target === event.currentTarget) navigate(`/customers/${customerId}`);
    },
  });

  return (
    <PageShell
      title="Credits"
      extra={
        <Space wrap>
          {can(roles, "money_stats", "list") ? <Link to="/money">Money dashboard</Link> : null}
          {mayAdjust ? (
            <Button type="primary" onClick={() => setAdjusting(true)}>
              Adjust credits
            </Button>
          ) : null}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <Tabs
          activeKey={tab}
          onChange={(key) => setState({ ...state, tab: key as CreditTab, page: 1 })}
          items={CREDIT_TABS.map((key) => ({
            key,
            label:
              key === "pending" ? (
                <span>
                  {TAB_LABELS[key]}{" "}
                  <Badge count={pendingCount.data ?? "…"} showZero overflowCount={9999} color={(pendingCount.data ?? 0) > 0 ? "gold" : "#8c8c8c"} aria-label={`${pendingCount.data ?? "loading"} waiting`} />
                </span>
              ) : (
                TAB_LABELS[key]
              ),
          }))}
        />
        <Row gutter={[12, 12]}>
          <Col xs={24} md={6}>
            <Select
              mode="multiple"
              allowClear
              aria-label="Reason"
              placeholder="Any reason"
              style={{ width: "100%" }}
              value={draft.reasons}
              onChange={(reasons) => update({ reasons })}
              options={LEDGER_REASONS.map((value) => ({ value, label: reasonLabel(value) }))}
            />
          </Col>
          <Col xs={12} md={5}>
            <Select
              allowClear
              aria-label="Staff member"
              placeholder={tab === "ledger" ? "Anyone (made by)" : "Anyone (requested by)"}
              style={{ width: "100%" }}
              value={draft.actor || undefined}
              onChange={(actor?: string) => update({ actor: actor ?? "" })}
              options={staffOptions}
            />
          </Col>
          <Col xs={12} md={7}>
            <DatePicker.RangePicker
              aria-label="Date range"
              style={{ width: "100%" }}
              allowEmpty={[true, true]}
              placeholder={["From (Bangkok)", "To"]}
              value={[draft.from ? dayjs(draft.from) : null, draft.to ? dayjs(draft.to) : null]}
              onChange={(range) => update({ from: range?.[0] ? range[0].format("YYYY-MM-DD") : "", to: range?.[1] ? range[1].format("YYYY-MM-DD") : "" })}
            />
          </Col>
          <Col xs={12} md={3}>
            <Input aria-label="Minimum amount" placeholder="Min credits" inputMode="numeric" value={draft.min} onChange={(e) => updateLater({ min: e.target.value })} onPressEnter={() => apply(draft)} />
          </Col>
          <Col xs={12} md={3}>
            <Input aria-label="Maximum amount" placeholder="Max credits" inputMode="numeric" value={draft.max} onChange={(e) => updateLater({ max: e.target.value })} onPressEnter={() => apply(draft)} />
          </Col>
          {/* The auditor reads no customer contact data, so there is nothing to search (a customer link still filters). */}
          {mayReadCustomers || draft.customer ? (
            <Col xs={24} md={8}>
              <Select
                showSearch
                allowClear
                disabled={!mayReadCustomers}
                aria-label="Customer filter"
                placeholder="Any customer (search email or name)"
                style={{ width: "100%" }}
                filterOption={false}
                onSearch={customers.search}
                loading={customers.searching}
                value={draft.customer || undefined}
                onChange={(customer?: string) => update({ customer: customer ?? "" })}
                options={customerOptions}
              />
            </Col>
          ) : null}
          {tab === "adjustments" ? (
            <Col xs={24} md={6}>
              <Select
                mode="multiple"
                allowClear
                aria-label="Status"
                placeholder="Any status"
                style={{ width: "100%" }}
                value={draft.statuses}
                onChange={(statuses) => update({ statuses })}
                options={ADJUSTMENT_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
              />
            </Col>
          ) : null}
          <Col>
            <Button
              onClick={() => {
                setDraft(EMPTY_FILTERS);
                apply(EMPTY_FILTERS);
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
            message={tab === "ledger" ? "Could not load the ledger" : "Could not load the adjustments"}
            description={error.message}
            action={
              <Button size="small" onClick={() => void active.query.refetch()}>
                Retry
              </Button>
            }
          />
        ) : null}
        <DecisionResults decisions={decisions} />
        {tab === "ledger" ? (
          <Table<LedgerRow>
            rowKey="id"
            aria-label="Credit ledger"
            columns={ledgerColumns}
            dataSource={ledger.result.data ?? []}
            onChange={(p, _f, sorter, extra) => onTableChange(p.current, sorter, extra.action)}
            onRow={(row) => ({ ...rowKeys(row.customer_id), "aria-label": `Ledger entry ${row.id}` })}
            {...tableProps}
          />
        ) : (
          <Table<AdjustmentRow>
            rowKey="id"
            aria-label={tab === "pending" ? "Adjustments waiting for approval" : "Credit adjustments"}
            columns={adjustmentColumns}
            dataSource={adjustments.result.data ?? []}
            onChange={(p, _f, sorter, extra) => onTableChange(p.current, sorter, extra.action)}
            onRow={(row) => ({ ...rowKeys(row.customer_id), "aria-label": `Adjustment ${row.amount} for ${row.customer?.email ?? row.customer_id}` })}
            {...tableProps}
          />
        )}
      </Space>
      <DecisionDialog decisions={decisions} />
      <AdjustCreditsModal open={adjusting} onClose={() => setAdjusting(false)} onAdjusted={() => void refresh()} />
    </PageShell>
  );
}
