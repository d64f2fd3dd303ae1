import { useEffect, useMemo, useState } from "react";
import { useTable, type CrudSort } from "@refinedev/core";
import { getDefaultSortOrder } from "@refinedev/antd";
import { keepPreviousData } from "@tanstack/react-query";
import { Alert, Button, Col, Input, Row, Select, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { Link, useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import { formatBangkokDateTime, formatCredits } from "../../lib/format";
import { DayRangeFilter, LoadError, openableRow, tableChangeHandler, TYPING_DEBOUNCE_MS, useFilterDraft } from "../../lib/list";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { CustomerStatusTags } from "./CustomerStatusTags";
import { EMPTY_FILTER_STATE, buildCustomerFilters, readCustomerFilters } from "./search";
import type { CustomerDirectoryRow } from "./types";

export const CUSTOMERS_PAGE_SIZE = 25;
export const SEARCH_DEBOUNCE_MS = TYPING_DEBOUNCE_MS;
const DEFAULT_SORT: CrudSort = { field: "created_at", order: "desc" };

export default function CustomerList() {
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
  const { draft } = bar;

  const openCustomer = (id: string) => {
    // A search still waiting for its debounce would re-sync the list URL after we leave: drop it.
    bar.cancelPending();
    setOpeningId(id);
  };

  const columns: ColumnsType<CustomerDirectoryRow> = [
    {
      title: "Email",
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
    { title: "Display name", dataIndex: "display_name", key: "display_name", sorter: true, sortOrder: sortOrder("display_name"), render: (v: string | null) => v ?? "—" },
    {
      title: "Clerk user id",
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
            title: "Stripe customer",
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
    { title: "Country", dataIndex: "country", key: "country", sorter: true, sortOrder: sortOrder("country"), render: (v: string | null) => v ?? "—" },
    {
      title: "Plan",
      dataIndex: "subscription_plan",
      key: "subscription_plan",
      render: (plan: string | null, row) => (plan ? `${plan}${row.subscription_status ? ` (${row.subscription_status})` : ""}` : "—"),
    },
    { title: "Credits", dataIndex: "credit_balance", key: "credit_balance", sorter: true, sortOrder: sortOrder("credit_balance"), align: "right", render: (v) => formatCredits(v) },
    { title: "Status", key: "status", render: (_: unknown, row) => <CustomerStatusTags row={row} /> },
    {
      title: "Created (Bangkok)",
      dataIndex: "created_at",
      key: "created_at",
      sorter: true,
      sortOrder: sortOrder("created_at"),
      render: (v: string) => formatBangkokDateTime(v),
    },
  ];

  const error = tableQuery.error;

  return (
    <PageShell title="Customers">
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <Row gutter={[12, 12]}>
          <Col xs={24} md={10}>
            <Input.Search
              allowClear
              aria-label="Search customers"
              placeholder="Search email, name, Clerk id (user_…) or Stripe id (cus_…)"
              value={draft.search}
              onChange={(e) => bar.updateLater({ search: e.target.value })}
              onSearch={(search) => bar.update({ search })}
            />
          </Col>
          <Col xs={12} md={4}>
            <Select
              aria-label="Status"
              style={{ width: "100%" }}
              value={draft.status}
              onChange={(status) => bar.update({ status })}
              options={[
                { value: "all", label: "Any status" },
                { value: "active", label: "Active" },
                { value: "deleted", label: "Deleted" },
              ]}
            />
          </Col>
          <Col xs={12} md={5}>
            <Select
              aria-label="Processing restriction"
              style={{ width: "100%" }}
              value={draft.restriction}
              onChange={(restriction) => bar.update({ restriction })}
              options={[
                { value: "all", label: "Restricted or not" },
                { value: "restricted", label: "Processing restricted" },
                { value: "unrestricted", label: "Not restricted" },
              ]}
            />
          </Col>
          <Col xs={12} md={5}>
            <Select
              aria-label="Plan"
              style={{ width: "100%" }}
              value={draft.plan}
              onChange={(plan) => bar.update({ plan })}
              options={[
                { value: "all", label: "Any plan" },
                { value: "none", label: "No subscription" },
                { value: "creator", label: "Creator" },
                { value: "pro", label: "Pro" },
                { value: "studio", label: "Studio" },
              ]}
            />
          </Col>
          <Col xs={12} md={4}>
            <Input
              aria-label="Country"
              placeholder="Country (TH)"
              maxLength={2}
              value={draft.country}
              onChange={(e) => {
                const country = e.target.value.toUpperCase();
                // Apply once the code is complete (or cleared); half-typed codes only update the box.
                if (country.length === 2 || country.length === 0) bar.update({ country });
                else bar.edit({ country });
              }}
            />
          </Col>
          <Col xs={24} md={10}>
            <DayRangeFilter
              label="Created between"
              from={draft.createdFrom}
              to={draft.createdTo}
              onChange={({ from, to }) => bar.update({ createdFrom: from, createdTo: to })}
            />
          </Col>
          <Col>
            <Button onClick={bar.clear}>Clear filters</Button>
          </Col>
        </Row>
        {bar.error ? <Alert type="warning" showIcon message={bar.error} /> : null}
        {error ? <LoadError title="Could not load customers" error={error} onRetry={() => void tableQuery.refetch()} /> : null}
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
            showTotal: (total) => `${total} customers`,
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
          locale={{ emptyText: error ? "Customers could not be loaded." : "No customers match these filters." }}
          onRow={(row) => openableRow(`Open customer ${row.email}`, () => openCustomer(row.id), { linksOpenTheRow: true })}
        />
      </Space>
    </PageShell>
  );
}
