import { useEffect, useMemo, useRef } from "react";
import { useGetIdentity, useList, type CrudFilters } from "@refinedev/core";
import { keepPreviousData } from "@tanstack/react-query";
import { Alert, Badge, Button, Col, DatePicker, Empty, Row, Select, Space, Table, Tabs, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs from "dayjs";
import { Link, useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { formatBangkokDateTime, formatMoney } from "../../lib/format";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { RefundActions } from "./actions";
import { approvalsText, RefundStatusTag, shortId, staffLabel } from "./components";
import { useStaffNames } from "../../lib/staffNames";
import { pollWhileInFlight, REFUND_POLLING, REFUNDS, useCustomerNames, useRefundTabCounts, useRefundThresholds } from "./data";
import {
  barFilters as buildBarFilters,
  EMPTY_FILTERS,
  FilterInputError,
  readListState,
  REFUND_PAGE_SIZE,
  REFUND_TABS,
  TAB_LABELS,
  tabFilters,
  writeListState,
  type RefundFilterState,
  type RefundListState,
  type RefundTab,
} from "./listState";
import { RefundDrawer } from "./RefundDrawer";
import { IN_FLIGHT_STATUSES, REASON_LABELS, REFUND_REASONS, type RefundablePayment, type RefundRow } from "./types";

export { REFUND_POLLING } from "./data";

const EMPTY_TEXT: Record<RefundTab, string> = {
  awaiting: "No refund is waiting for approval.",
  approved: "No approved refund is waiting to be sent.",
  in_progress: "No refund is in flight at Stripe.",
  succeeded: "No succeeded refunds.",
  failed: "No failed or canceled refunds.",
  rejected: "No rejected refunds.",
  all: "No refunds yet.",
};

/** Refunds across customers: status tabs with counts, filters in the URL, finance's actions per row, live statuses. */
export default function RefundList() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readListState(params), [params]);
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { roles = [] } = useStaffRoles();
  const me = identity?.id ?? null;
  const setState = (next: RefundListState) => setParams(writeListState(next), { replace: true });
  const update = (patch: Partial<RefundFilterState>) => setState({ ...state, filters: { ...state.filters, ...patch }, page: 1 });

  let bar: CrudFilters = [];
  let inputError: string | null = null;
  try {
    bar = buildBarFilters(state.filters);
  } catch (cause) {
    if (!(cause instanceof FilterInputError)) throw cause;
    inputError = cause.message;
  }
  const filters: CrudFilters = [...tabFilters(state.tab), ...bar];

  const { query, result } = useList<RefundRow>({
    resource: REFUNDS,
    filters,
    sorters: [
      { field: "requested_at", order: "desc" },
      { field: "id", order: "asc" },
    ],
    pagination: { currentPage: state.page, pageSize: REFUND_PAGE_SIZE, mode: "server" },
    queryOptions: {
      placeholderData: keepPreviousData,
      // Live statuses: re-read while any row on screen is still in flight at Stripe; stop once none is.
      refetchInterval: pollWhileInFlight,
    },
    errorNotification: false,
  });
  const rows = useMemo(() => result.data ?? [], [result.data]);
  const anyInFlight = rows.some((r) => IN_FLIGHT_STATUSES.includes(r.status));
  const counts = useRefundTabCounts(bar, anyInFlight ? REFUND_POLLING.intervalMs : false);
  // When the last in-flight refund settles, polling stops: count once more so the tabs show where it landed.
  const wasInFlight = useRef(anyInFlight);
  const { refetch: recount } = counts;
  useEffect(() => {
    if (wasInFlight.current && !anyInFlight) void recount();
    wasInFlight.current = anyInFlight;
  }, [anyInFlight, recount]);
  const thresholds = useRefundThresholds();
  const readsCustomers = can(roles, "customers", "read");
  const customers = useCustomerNames(
    rows.map((r) => r.customer_id),
    readsCustomers,
  );
  const payments = useList<RefundablePayment>({
    resource: "payment_details",
    filters: [{ field: "id", operator: "in", value: [...new Set(rows.map((r) => r.payment_id))].sort() }],
    pagination: { mode: "off" },
    meta: { select: "id,kind,amount,amount_refunded,currency,status,credits_granted,created_at" },
    queryOptions: { enabled: rows.length > 0 },
    errorNotification: false,
  });
  const paymentById = new Map((payments.result.data ?? []).map((p) => [p.id, p]));
  const staffNames = useStaffNames(rows.map((r) => r.requested_by));

  const currencyOptions = [...new Set([...(thresholds.result.data ?? []).map((t) => t.currency), ...(state.filters.currency ? [state.filters.currency] : [])])];
  const requesterOptions = [
    ...(me ? [{ value: me, label: "Me" }] : []),
    ...[...staffNames.entries()].filter(([id]) => id !== me).map(([value, label]) => ({ value, label })),
    ...(state.filters.requester && state.filters.requester !== me && !staffNames.has(state.filters.requester)
      ? [{ value: state.filters.requester, label: `staff ${shortId(state.filters.requester)}` }]
      : []),
  ].filter((option, index, all) => all.findIndex((o) => o.value === option.value) === index);

  const mayAct = can(roles, "refund_approvals", "write") || can(roles, "refund_execution", "write");
  const openRefund = (id: string) => setState({ ...state, open: id });

  const columns: ColumnsType<RefundRow> = [
    {
      title: "Customer",
      dataIndex: "customer_id",
      key: "customer",
      render: (id: string) => {
        const customer = customers.get(id);
        if (!readsCustomers) return <Typography.Text code>{shortId(id)}</Typography.Text>;
        return (
          <Link to={`/customers/${id}`} onClick={(e) => e.stopPropagation()}>
            {customer ? (customer.display_name ?? customer.email) : shortId(id)}
          </Link>
        );
      },
    },
    {
      title: "Payment",
      dataIndex: "payment_id",
      key: "payment",
      render: (id: string) => {
        const payment = paymentById.get(id);
        return payment ? (
          <Space direction="vertical" size={0}>
            <span>{formatMoney(payment.amount, payment.currency)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {payment.kind.replace("_", "-")} · {formatBangkokDateTime(payment.created_at)}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text code>{shortId(id)}</Typography.Text>
        );
      },
    },
    { title: "Amount", dataIndex: "amount", key: "amount", align: "right", render: (v: number | string, row) => <strong>{formatMoney(v, row.currency)}</strong> },
    { title: "Reason", dataIndex: "reason", key: "reason", render: (v: RefundRow["reason"]) => REASON_LABELS[v] ?? v },
    {
      title: "Status",
      dataIndex: "status",
      key: "status",
      render: (v: RefundRow["status"], row) => (
        <Space direction="vertical" size={0}>
          <RefundStatusTag status={v} />
          {row.failure_reason ? (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {row.failure_reason}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: "Approvals", key: "approvals", render: (_: unknown, row) => approvalsText(row) },
    { title: "Requester", dataIndex: "requested_by", key: "requester", render: (v: string) => staffLabel(v, me, staffNames) },
    { title: "Requested (Bangkok)", dataIndex: "requested_at", key: "requested_at", render: (v: string) => formatBangkokDateTime(v) },
    ...(mayAct ? [{ title: "Actions", key: "actions", render: (_: unknown, row: RefundRow) => <RefundActions refund={row} me={me} roles={roles} /> }] : []),
  ];

  return (
    <PageShell title="Refunds">
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <Tabs
          activeKey={state.tab}
          onChange={(key) => setState({ ...state, tab: key as RefundTab, page: 1 })}
          items={REFUND_TABS.map((key) => ({
            key,
            label: (
              <span>
                {TAB_LABELS[key]} <Badge count={counts.data?.[key] ?? "…"} showZero overflowCount={9999} color={key === "awaiting" && (counts.data?.awaiting ?? 0) > 0 ? "purple" : "#8c8c8c"} />
              </span>
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
              value={state.filters.reasons}
              onChange={(reasons) => update({ reasons })}
              options={REFUND_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }))}
            />
          </Col>
          <Col xs={12} md={4}>
            <Select
              allowClear
              aria-label="Currency"
              placeholder="Any currency"
              style={{ width: "100%" }}
              value={state.filters.currency || undefined}
              onChange={(currency) => update({ currency: currency ?? "" })}
              options={currencyOptions.map((value) => ({ value, label: value.toUpperCase() }))}
            />
          </Col>
          <Col xs={12} md={5}>
            <Select
              allowClear
              aria-label="Requester"
              placeholder="Any requester"
              style={{ width: "100%" }}
              value={state.filters.requester || undefined}
              onChange={(requester) => update({ requester: requester ?? "" })}
              options={requesterOptions}
            />
          </Col>
          <Col xs={24} md={7}>
            <DatePicker.RangePicker
              aria-label="Requested between"
              style={{ width: "100%" }}
              allowEmpty={[true, true]}
              placeholder={["Requested from", "Requested to"]}
              value={[state.filters.from ? dayjs(state.filters.from) : null, state.filters.to ? dayjs(state.filters.to) : null]}
              onChange={(range) => update({ from: range?.[0] ? range[0].format("YYYY-MM-DD") : "", to: range?.[1] ? range[1].format("YYYY-MM-DD") : "" })}
            />
          </Col>
          <Col>
            <Button onClick={() => setState({ ...state, filters: EMPTY_FILTERS, page: 1 })}>Clear filters</Button>
          </Col>
        </Row>
        {inputError ? <Alert type="warning" showIcon message={inputError} /> : null}
        {query.error ? (
          <Alert
            type="error"
            showIcon
            message="Could not load refunds"
            description={query.error.message}
            action={
              <Button size="small" onClick={() => void query.refetch()}>
                Retry
              </Button>
            }
          />
        ) : null}
        <Table<RefundRow>
          rowKey="id"
          aria-label="Refunds"
          columns={columns}
          dataSource={rows}
          loading={query.isLoading}
          scroll={{ x: true }}
          pagination={{ current: state.page, pageSize: REFUND_PAGE_SIZE, total: result.total ?? 0, showSizeChanger: false, showTotal: (total) => `${total} refunds` }}
          onChange={(pagination, _filters, _sorter, extra) => {
            if (extra.action === "paginate" && pagination.current) setState({ ...state, page: pagination.current });
          }}
          locale={{
            emptyText: query.error ? "Refunds could not be loaded." : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={bar.length > 0 ? "No refund matches these filters." : EMPTY_TEXT[state.tab]} />,
          }}
          onRow={(row) => ({
            tabIndex: 0,
            "aria-label": `Open the refund of ${formatMoney(row.amount, row.currency)}`,
            style: { cursor: "pointer" },
            onClick: (event) => {
              if ((event.target as HTMLElement).closest("a, button, .ant-tooltip, .ant-modal")) return;
              openRefund(row.id);
            },
            onKeyDown: (event) => {
              if (event.key === "Enter" && event.target === event.currentTarget) openRefund(row.id);
            },
          })}
        />
      </Space>
      {state.open ? <RefundDrawer id={state.open} me={me} roles={roles} pollMs={REFUND_POLLING.intervalMs} onClose={() => setState({ ...state, open: "" })} /> : null}
    </PageShell>
  );
}
