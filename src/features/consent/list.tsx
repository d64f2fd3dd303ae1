import { useList } from "@refinedev/core";
import { keepPreviousData } from "@tanstack/react-query";
import { Empty, Space, Table, Tabs } from "antd";
import dayjs from "dayjs";
import { useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import { CsvExportButton, ListHeaderActions, LoadError, openableRow, tableChangeHandler, useFilterDraft, useListUrlState } from "../../lib/list";
import { can } from "../../providers/accessControl";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { CONSENT_EVENTS, consentCsvSource } from "./api";
import { useConsentColumns } from "./columns";
import { ConsentFilterBar } from "./ConsentFilterBar";
import { ConsentOverview } from "./ConsentOverview";
import { usePolicyVersions } from "./data";
import { EvidenceError, useEvidenceDownload } from "./evidence";
import { buildConsentFilters, CONSENT_PAGE_SIZE, consentListState, consentQueryFilters, consentSorters, type SortField } from "./state";
import { ACTION_LABELS, EVENT_SELECT, labelOf, PURPOSE_LABELS, type ConsentEventRow } from "./types";
import "../../i18n/messages/en/consent";

/** The consent log across customers (DPO and auditor): filters in the URL, paged and sorted on the server, CSV, evidence. */
export default function ConsentList() {
  const t = useT();
  const navigate = useNavigate();
  const getClient = useSupabaseClient();
  const { state, setFilters, setSort, setPage, setTab, setExtras } = useListUrlState(consentListState);
  const overview = state.tab === "overview";
  const { roles = [] } = useStaffRoles();
  const evidence = useEvidenceDownload();
  const versions = usePolicyVersions();

  // Pickers apply at once, a typed customer id after a pause; input the bar cannot use is named and not applied.
  const bar = useFilterDraft({
    applied: state.filters,
    empty: consentListState.emptyFilters,
    validate: buildConsentFilters,
    onApply: setFilters,
    normalise: consentListState.normaliseFilters,
  });

  const filters = consentQueryFilters(state.filters);
  const { query, result } = useList<ConsentEventRow>({
    resource: CONSENT_EVENTS,
    filters,
    sorters: consentSorters(state.sort),
    pagination: { currentPage: state.page, pageSize: CONSENT_PAGE_SIZE, mode: "server" },
    meta: { select: EVENT_SELECT },
    errorNotification: false,
    queryOptions: { placeholderData: keepPreviousData, enabled: !overview },
  });
  const columns = useConsentColumns({ sort: state.sort, evidence });
  const error = query.error;

  return (
    <PageShell
      title={t("consent.list.title")}
      extra={
        overview ? null : (
          <ListHeaderActions>
            <CsvExportButton
              what={t("consent.list.exportWhat")}
              total={result.total ?? 0}
              source={async () => consentCsvSource(await getClient(), filters, state.sort)}
              fileName={() => `consent-log-${dayjs().format("YYYYMMDD-HHmm")}.csv`}
            />
          </ListHeaderActions>
        )
      }
    >
      <Tabs
        activeKey={state.tab}
        onChange={(key) => setTab(key === "overview" ? "overview" : "log")}
        items={[
          { key: "log", label: t("consent.tabs.log") },
          { key: "overview", label: t("consent.tabs.overview") },
        ]}
      />
      {overview ? (
        <ConsentOverview period={state.extras.period} onPeriod={(period) => setExtras({ period })} />
      ) : (
        <Space direction="vertical" style={{ width: "100%" }} size="middle">
          <ConsentFilterBar bar={bar} versions={versions.result.data ?? []} mayReadCustomers={can(roles, "customers", "list")} />
          {error ? <LoadError title={t("consent.list.loadFailed")} error={error} onRetry={() => void query.refetch()} /> : null}
          <EvidenceError evidence={evidence} />
          <Table<ConsentEventRow>
            rowKey="id"
            aria-label={t("consent.list.tableLabel")}
            columns={columns}
            dataSource={result.data ?? []}
            loading={query.isFetching}
            scroll={{ x: true }}
            onChange={tableChangeHandler<ConsentEventRow, SortField>({ onSort: setSort, onPage: setPage, defaultSort: consentListState.defaults.sort })}
            onRow={(row) =>
              openableRow(t("consent.list.rowLabel", { id: String(row.id), action: labelOf(ACTION_LABELS, row.action), purpose: labelOf(PURPOSE_LABELS, row.purpose) }), () =>
                navigate(`/consent/customer/${row.customer_id}`),
              )
            }
            pagination={{
              current: state.page,
              pageSize: CONSENT_PAGE_SIZE,
              total: result.total ?? 0,
              showSizeChanger: false,
              showTotal: (count: number) => t("consent.list.total", { count }),
            }}
            locale={{
              emptyText: error ? t("consent.list.couldNotLoad") : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filters.length > 0 ? t("consent.list.noMatch") : t("consent.list.empty")} />,
            }}
          />
        </Space>
      )}
    </PageShell>
  );
}
