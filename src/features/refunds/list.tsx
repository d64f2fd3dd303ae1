import { useEffect, useMemo, useRef } from "react";
import { useGetIdentity, useList, type CrudFilters } from "@refinedev/core";
import { keepPreviousData } from "@tanstack/react-query";
import { Empty, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { Link } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import { formatBangkokDateTime, formatMoney } from "../../lib/format";
import { FilterInputError, filtersOrNone, ListTabs, LoadError, openableRow, tableChangeHandler, useListUrlState } from "../../lib/list";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { RefundActions } from "./actions";
import { approvalsText, RefundStatusTag, shortId, staffLabel } from "./components";
import { useStaffNames } from "../../lib/staffNames";
import { pollWhileInFlight, REFUND_POLLING, REFUNDS, useCustomerNames, useRefundTabCounts } from "./data";
import { RefundFilterBar } from "./FilterBar";
import { barFilters, REFUND_PAGE_SIZE, REFUND_TABS, refundListState, tabFilters } from "./listState";
import { RefundDrawer } from "./RefundDrawer";
import { IN_FLIGHT_STATUSES, REASON_LABELS, type RefundablePayment, type RefundRow } from "./types";
import "../../i18n/messages/en/refunds";

export { REFUND_POLLING } from "./data";

/** Why the URL's bar filters cannot be applied (a hand-edited link with an inverted range), or null. */
function urlFilterError(filters: Parameters<typeof barFilters>[0]): string | null {
  try {
    barFilters(filters);
    return null;
  } catch (cause) {
    if (cause instanceof FilterInputError) return cause.message;
    throw cause;
  }
}

/** Refunds across customers: status tabs with counts, filters in the URL, finance's actions per row, live statuses. */
export default function RefundList() {
  const t = useT();
  const list = useListUrlState(refundListState);
  const { state } = list;
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const { roles = [] } = useStaffRoles();
  const me = identity?.id ?? null;

  const bar: CrudFilters = filtersOrNone(barFilters, state.filters);
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

  const mayAct = can(roles, "refund_approvals", "write") || can(roles, "refund_execution", "write");
  const setOpen = (open: string) => list.setExtras({ open });

  const columns: ColumnsType<RefundRow> = [
    {
      title: t("refunds.columns.customer"),
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
      title: t("refunds.columns.payment"),
      dataIndex: "payment_id",
      key: "payment",
      render: (id: string) => {
        const payment = paymentById.get(id);
        return payment ? (
          <Space direction="vertical" size={0}>
            <span>{formatMoney(payment.amount, payment.currency)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("refunds.list.paymentMeta", { kind: payment.kind.replace("_", "-"), at: formatBangkokDateTime(payment.created_at) })}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text code>{shortId(id)}</Typography.Text>
        );
      },
    },
    { title: t("refunds.columns.amount"), dataIndex: "amount", key: "amount", align: "right", render: (v: number | string, row) => <strong>{formatMoney(v, row.currency)}</strong> },
    { title: t("refunds.columns.reason"), dataIndex: "reason", key: "reason", render: (v: RefundRow["reason"]) => REASON_LABELS[v] ?? v },
    {
      title: t("refunds.columns.status"),
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
    { title: t("refunds.columns.approvals"), key: "approvals", render: (_: unknown, row) => approvalsText(row) },
    { title: t("refunds.columns.requester"), dataIndex: "requested_by", key: "requester", render: (v: string) => staffLabel(v, me, staffNames) },
    { title: t("refunds.columns.requestedAt"), dataIndex: "requested_at", key: "requested_at", render: (v: string) => formatBangkokDateTime(v) },
    ...(mayAct ? [{ title: t("refunds.columns.actions"), key: "actions", render: (_: unknown, row: RefundRow) => <RefundActions refund={row} me={me} roles={roles} /> }] : []),
  ];

  return (
    <PageShell title={t("refunds.title")}>
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <ListTabs
          active={state.tab}
          onChange={list.setTab}
          tabs={REFUND_TABS.map((key) => ({
            key,
            label: t(`refunds.tabs.${key}`),
            count: counts.data?.[key],
            color: key === "awaiting" && (counts.data?.awaiting ?? 0) > 0 ? "purple" : undefined,
          }))}
        />
        <RefundFilterBar applied={state.filters} onApply={list.setFilters} me={me} staffNames={staffNames} urlError={urlFilterError(state.filters)} />
        {query.error ? <LoadError title={t("refunds.list.loadFailed")} error={query.error} onRetry={() => void query.refetch()} /> : null}
        <Table<RefundRow>
          rowKey="id"
          aria-label={t("refunds.list.tableLabel")}
          columns={columns}
          dataSource={rows}
          loading={query.isLoading}
          scroll={{ x: true }}
          pagination={{ current: state.page, pageSize: REFUND_PAGE_SIZE, total: result.total ?? 0, showSizeChanger: false, showTotal: (total) => t("refunds.list.total", { total }) }}
          onChange={tableChangeHandler<RefundRow, never>({ onSort: list.setSort, onPage: list.setPage, defaultSort: refundListState.defaults.sort })}
          locale={{
            emptyText: query.error ? (
              t("refunds.list.notLoaded")
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={bar.length > 0 ? t("refunds.empty.filtered") : t(`refunds.empty.${state.tab}`)} />
            ),
          }}
          onRow={(row) => openableRow(t("refunds.list.openRow", { amount: formatMoney(row.amount, row.currency) }), () => setOpen(row.id))}
        />
      </Space>
      {state.extras.open ? <RefundDrawer id={state.extras.open} me={me} roles={roles} pollMs={REFUND_POLLING.intervalMs} onClose={() => setOpen("")} /> : null}
    </PageShell>
  );
}
