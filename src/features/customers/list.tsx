import { useEffect, useMemo, useState } from "react";
import { useTable, type CrudSort } from "@refinedev/core";
import { getDefaultSortOrder } from "@refinedev/antd";
import { keepPreviousData } from "@tanstack/react-query";
import { Alert, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { Link, useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import { formatBangkokDateTime, formatCredits } from "../../lib/format";
import { LoadError, openableRow, tableChangeHandler, TYPING_DEBOUNCE_MS, useFilterDraft } from "../../lib/list";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { useT } from "../../i18n";
import { CustomerFilterBar } from "./CustomerFilterBar";
import { CustomerStatusTags } from "./CustomerStatusTags";
import { EMPTY_FILTER_STATE, buildCustomerFilters, readCustomerFilters } from "./search";
import type { CustomerDirectoryRow } from "./types";
import "../../i18n/messages/en/customers";

export const CUSTOMERS_PAGE_SIZE = 25;
export const SEARCH_DEBOUNCE_MS = TYPING_DEBOUNCE_MS;
const DEFAULT_SORT: CrudSort = { field: "created_at", order: "desc" };

export default function CustomerList() {
  const t = useT();
  const navigate = useNavigate();
  // Opening a customer goes through state and an effect, not a direct navigate() in the event handler:
  // Refine's URL sync (a `replace` to the list URL) may still be pending from the last filter change, and
  // effects from earlier renders always flush first, so this navigation is the one that sticks.
  const [openingId, setOpeningId] = useState<string | null>(null);
  useEffect(() => {
    if (openingId) navigate(`/customers/${openingId}`);
  }, [openingId, navigate]);
  const { roles = [] } = useStaffRoles();
  const showStripe = can(roles, "stripe_ids", "list");

  // Refine core's table state (synced with the URL) drives a plain antd Table: sort order shown in the headers
  // always comes from that state, so a shared or reloaded link shows the sort it applies.
  const { tableQuery, result, filters, setFilters, sorters, setSorters, currentPage, setCurrentPage, pageSize } =
    useTable<CustomerDirectoryRow>({
      syncWithLocation: true,
      pagination: { pageSize: CUSTOMERS_PAGE_SIZE, mode: "server" },
      sorters: { initial: [DEFAULT_SORT] },
      filters: { defaultBehavior: "replace" },
      errorNotification: false, // shown above the table, with a retry
      // Keep the current rows on screen while the next page/search loads: no empty flash, and a focused row
      // that is still in the new results keeps keyboard focus.
      queryOptions: { placeholderData: keepPreviousData },
    });
  const sortOrder = (field: string) => getDefaultSortOrder(field, sorters) ?? null;

  // The bar edits a draft; the applied filters are Refine's (in the URL). Typing applies after a pause.
  const applied = useMemo(() => readCustomerFilters(filters), [filters]);
  const bar = useFilterDraft({
    applied,
    empty: EMPTY_FILTER_STATE,
    validate: buildCustomerFilters,
    normalise: (next) => readCustomerFilters(buildCustomerFilters(next)),
    onApply: (next) => {
      setFilters(buildCustomerFilters(next), "replace");
      setCurrentPage(1);
    },
  });

  const openCustomer = (id: string) => {
    // A search still waiting for its debounce would re-sync the list URL after we leave: drop it.
    bar.cancelPending();
    setOpeningId(id);
  };

  const columns: ColumnsType<CustomerDirectoryRow> = [
    {
      title: t("customers.columns.email"),
      dataIndex: "email",
      key: "email",
      sorter: true,
      sortOrder: sortOrder("email"),
      render: (email: string, row) => (
        <Link
          to={`/customers/${row.id}`}
          tabIndex={-1}
          onClick={(event) => {
            // Plain clicks open through the row (below); modified clicks keep the browser's new-tab behaviour.
            if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey) event.preventDefault();
          }}
        >
          {email}
        </Link>
      ),
    },
    { title: t("customers.columns.displayName"), dataIndex: "display_name", key: "display_name", sorter: true, sortOrder: sortOrder("display_name"), render: (v: string | null) => v ?? "—" },
    {
      title: t("customers.columns.clerkUserId"),
      dataIndex: "clerk_user_id",
      key: "clerk_user_id",
      render: (v: string) => (
        <Typography.Text code style={{ whiteSpace: "nowrap" }}>
          {v}
        </Typography.Text>
      ),
    },
    ...(showStripe
      ? [
          {
            title: t("customers.columns.stripeCustomer"),
            dataIndex: "stripe_customer_id",
            key: "stripe_customer_id",
            render: (v: string | null) =>
              v ? (
                <Typography.Text code style={{ whiteSpace: "nowrap" }}>
                  {v}
                </Typography.Text>
              ) : (
                "—"
              ),
          },
        ]
      : []),
    { title: t("customers.columns.country"), dataIndex: "country", key: "country", sorter: true, sortOrder: sortOrder("country"), render: (v: string | null) => v ?? "—" },
    {
      title: t("customers.columns.plan"),
      dataIndex: "subscription_plan",
      key: "subscription_plan",
      render: (plan: string | null, row) => (plan ? `${plan}${row.subscription_status ? ` (${row.subscription_status})` : ""}` : "—"),
    },
    { title: t("customers.columns.credits"), dataIndex: "credit_balance", key: "credit_balance", sorter: true, sortOrder: sortOrder("credit_balance"), align: "right", render: (v) => formatCredits(v) },
    { title: t("customers.columns.status"), key: "status", render: (_: unknown, row) => <CustomerStatusTags row={row} /> },
    {
      title: t("customers.columns.createdBangkok"),
      dataIndex: "created_at",
      key: "created_at",
      sorter: true,
      sortOrder: sortOrder("created_at"),
      render: (v: string) => formatBangkokDateTime(v),
    },
  ];

  const error = tableQuery.error;

  return (
    <PageShell title={t("customers.list.title")}>
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <CustomerFilterBar bar={bar} />
        {bar.error ? <Alert type="warning" showIcon message={bar.error} /> : null}
        {error ? <LoadError title={t("customers.list.loadFailed")} error={error} onRetry={() => void tableQuery.refetch()} /> : null}
        <Table<CustomerDirectoryRow>
          rowKey="id"
          columns={columns}
          dataSource={result.data}
          loading={tableQuery.isFetching}
          scroll={{ x: true }}
          pagination={{
            current: currentPage,
            pageSize,
            total: result.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t("customers.list.total", { total }),
          }}
          // One sort column at a time; clearing it falls back to newest first.
          onChange={tableChangeHandler<CustomerDirectoryRow, string>({
            onSort: (sort) => {
              setSorters([sort]);
              setCurrentPage(1);
            },
            onPage: setCurrentPage,
            defaultSort: DEFAULT_SORT,
          })}
          locale={{ emptyText: error ? t("customers.list.notLoaded") : t("customers.list.noMatch") }}
          onRow={(row) => openableRow(t("customers.list.openRow", { email: row.email }), () => openCustomer(row.id), { linksOpenTheRow: true })}
        />
      </Space>
    </PageShell>
  );
}
