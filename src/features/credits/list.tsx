import { useState } from "react";
import { useGetIdentity, useList } from "@refinedev/core";
import { keepPreviousData } from "@tanstack/react-query";
import { Empty, Space, Table } from "antd";
import { useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import { ListHeaderActions, ListTabs, LoadError, openableRow, tableChangeHandler, useFilterDraft, useListUrlState } from "../../lib/list";
import { can } from "../../providers/accessControl";
import type { StaffIdentity } from "../../providers/auth/staff";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { AdjustCreditsModal } from "./AdjustCreditsModal";
import { useAdjustmentColumns, useLedgerColumns } from "./columns";
import { CreditFilterBar } from "./CreditFilterBar";
import { CREDIT_ADJUSTMENTS, CREDIT_LEDGER, useCreditsRefresh, usePendingCount } from "./data";
import { DecisionDialog, DecisionResults, useAdjustmentDecisions } from "./decisions";
import { buildCreditFilters, creditListState, creditQueryFilters, CREDITS_PAGE_SIZE, creditSorters, type SortField } from "./state";
import { ADJUSTMENT_SELECT, LEDGER_SELECT, type AdjustmentRow, type LedgerRow } from "./types";
import "../../i18n/messages/en/credits";

/**
 * The credits page's pause before typed amounts apply, as it was before the kit (the kit's default is 350 ms): the
 * page's typing test ("12x" must never apply "1") failed once at 350 ms on a loaded machine.
 */
const CREDITS_TYPING_PAUSE_MS = 400;

/**
 * Keyboard-openable rows without the kit's row click: on the caller's own pending request the disabled decision
 * buttons sit in a wrapper that is no button, and a click there must not leave the page. The customer link is the
 * mouse's way in.
 */
function keyboardOpenableRow(label: string, open: () => void) {
  const { onClick: _mouse, ...keyboard } = openableRow(label, open);
  return keyboard;
}

/** Credits across customers: the ledger, the adjustment requests and the approval queue, filters in the URL. */
export default function CreditList() {
  const t = useT();
  const navigate = useNavigate();
  const { state, setTab, setFilters, setSort, setPage } = useListUrlState(creditListState);
  const { tab } = state;
  const { roles = [] } = useStaffRoles();
  const { data: identity } = useGetIdentity<StaffIdentity | null>();
  const staffId = identity?.id ?? null;
  const mayAdjust = can(roles, CREDIT_ADJUSTMENTS, "create");
  const mayDecide = can(roles, "credit_approvals", "write");
  const refresh = useCreditsRefresh();
  const decisions = useAdjustmentDecisions();
  const [adjusting, setAdjusting] = useState(false);

  // Pickers apply at once, typed amounts after a pause; input the tab cannot use is named and not applied.
  const bar = useFilterDraft({
    applied: state.filters,
    empty: creditListState.emptyFilters,
    validate: (filters) => buildCreditFilters(filters, tab),
    onApply: setFilters,
    normalise: creditListState.normaliseFilters,
    debounceMs: CREDITS_TYPING_PAUSE_MS,
  });

  const filters = creditQueryFilters(state.filters, tab);
  // One query per table, the hidden one disabled: switching tabs shows the kept rows of the other at once.
  const query = {
    filters,
    sorters: creditSorters(state.sort, tab),
    pagination: { currentPage: state.page, pageSize: CREDITS_PAGE_SIZE, mode: "server" as const },
    errorNotification: false as const,
  };
  const ledger = useList<LedgerRow>({ ...query, resource: CREDIT_LEDGER, meta: { select: LEDGER_SELECT }, queryOptions: { placeholderData: keepPreviousData, enabled: tab === "ledger" } });
  const adjustments = useList<AdjustmentRow>({ ...query, resource: CREDIT_ADJUSTMENTS, meta: { select: ADJUSTMENT_SELECT }, queryOptions: { placeholderData: keepPreviousData, enabled: tab !== "ledger" } });
  const pendingCount = usePendingCount(creditQueryFilters(state.filters, "pending"));

  const active = tab === "ledger" ? ledger : adjustments;
  const error = active.query.error;
  const source = tab === "ledger" ? "ledger" : "adjustments";
  const ledgerColumns = useLedgerColumns({ sort: state.sort, staffId });
  const adjustmentColumns = useAdjustmentColumns({ sort: state.sort, staffId, pendingTab: tab === "pending", decisions, mayDecide });
  const openCustomer = (customerId: string) => () => navigate(`/customers/${customerId}`);
  const onTableChange = <Row,>() => tableChangeHandler<Row, SortField>({ onSort: setSort, onPage: setPage, defaultSort: creditListState.defaults.sort });

  const tableProps = {
    loading: active.query.isFetching,
    scroll: { x: true as const },
    pagination: {
      current: state.page,
      pageSize: CREDITS_PAGE_SIZE,
      total: active.result.total ?? 0,
      showSizeChanger: false,
      showTotal: (count: number) => t(`credits.list.total.${source}`, { count }),
    },
    locale: {
      emptyText: error ? (
        t("credits.list.couldNotLoad")
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filters.length > (tab === "pending" ? 1 : 0) ? t("credits.list.noMatch") : t(`credits.list.empty.${tab}`)} />
      ),
    },
  };

  return (
    <PageShell
      title={t("credits.list.title")}
      extra={
        <ListHeaderActions
          dashboard={can(roles, "money_stats", "list") && { to: "/money", label: t("credits.list.moneyDashboard") }}
          primary={mayAdjust && { label: t("credits.list.adjust"), onClick: () => setAdjusting(true) }}
        />
      }
    >
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <ListTabs
          active={tab}
          onChange={setTab}
          tabs={[
            { key: "ledger", label: t("credits.list.tabs.ledger"), showCount: false },
            { key: "adjustments", label: t("credits.list.tabs.adjustments"), showCount: false },
            {
              key: "pending",
              label: t("credits.list.tabs.pending"),
              count: pendingCount.data,
              color: (pendingCount.data ?? 0) > 0 ? "gold" : undefined,
              // The count as a plain figure, as the badge shows it.
              countLabel: t("credits.list.pendingCountLabel", { count: pendingCount.data === undefined ? t("credits.list.pendingCountLoading") : String(pendingCount.data) }),
            },
          ]}
        />
        <CreditFilterBar bar={bar} tab={tab} staffId={staffId} mayReadCustomers={can(roles, "customers", "list")} />
        {error ? <LoadError title={t(`credits.list.loadFailed.${source}`)} error={error} onRetry={() => void active.query.refetch()} /> : null}
        <DecisionResults decisions={decisions} />
        {tab === "ledger" ? (
          <Table<LedgerRow>
            rowKey="id"
            aria-label={t("credits.list.tableLabel.ledger")}
            columns={ledgerColumns}
            dataSource={ledger.result.data ?? []}
            onChange={onTableChange<LedgerRow>()}
            onRow={(row) => keyboardOpenableRow(t("credits.list.ledgerRowLabel", { id: String(row.id) }), openCustomer(row.customer_id))}
            {...tableProps}
          />
        ) : (
          <Table<AdjustmentRow>
            rowKey="id"
            aria-label={t(`credits.list.tableLabel.${tab}`)}
            columns={adjustmentColumns}
            dataSource={adjustments.result.data ?? []}
            onChange={onTableChange<AdjustmentRow>()}
            onRow={(row) => keyboardOpenableRow(t("credits.list.adjustmentRowLabel", { amount: String(row.amount), customer: row.customer?.email ?? row.customer_id }), openCustomer(row.customer_id))}
            {...tableProps}
          />
        )}
      </Space>
      <DecisionDialog decisions={decisions} />
      <AdjustCreditsModal open={adjusting} onClose={() => setAdjusting(false)} onAdjusted={() => void refresh()} />
    </PageShell>
  );
}
