import { Empty, Space, Table } from "antd";
import { useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import { ListHeaderActions, ListTabs, LoadError, openableRow, useListUrlState } from "../../lib/list";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { usePolicyColumns } from "./columns";
import { POLICIES_PAGE_SIZE, POLICY_VERSIONS, usePolicyVersions } from "./data";
import { InForceLookup } from "./InForceLookup";
import { policyListState } from "./state";
import { DOCUMENT_LABELS, documentLabel, POLICY_DOCUMENTS, type PolicyVersionRow } from "./types";
import "../../i18n/messages/en/policies";

/**
 * The policy versions of each document (privacy policy, terms, cookie policy): every staff role reads what was
 * published; the DPO also sees and starts drafts (RLS decides what comes back, the page only hides the buttons).
 */
export default function PolicyList() {
  const t = useT();
  const navigate = useNavigate();
  const { state, setTab, setPage } = useListUrlState(policyListState);
  const document = state.tab;
  const { roles = [] } = useStaffRoles();
  const mayDraft = can(roles, POLICY_VERSIONS, "create");
  const versions = usePolicyVersions(document, state.page);
  const columns = usePolicyColumns();
  const error = versions.query.error;
  const docName = documentLabel(document).toLowerCase();

  return (
    <PageShell
      title={t("policies.list.title")}
      extra={<ListHeaderActions primary={mayDraft && { label: t("policies.list.newDraft"), onClick: () => navigate(`/policies/new?document=${document}`) }} />}
    >
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <ListTabs active={document} onChange={setTab} tabs={POLICY_DOCUMENTS.map((key) => ({ key, label: DOCUMENT_LABELS[key], showCount: false }))} />
        <InForceLookup key={document} document={document} />
        {error ? <LoadError title={t("policies.list.loadFailed")} error={error} onRetry={() => void versions.query.refetch()} /> : null}
        <Table<PolicyVersionRow>
          rowKey="id"
          aria-label={t("policies.list.tableLabel", { document: docName })}
          columns={columns}
          dataSource={versions.result.data ?? []}
          loading={versions.query.isFetching}
          scroll={{ x: true }}
          onRow={(row) => openableRow(t("policies.list.rowLabel", { version: row.version }), () => navigate(`/policies/${row.id}`))}
          onChange={(pagination) => pagination.current && setPage(pagination.current)}
          pagination={{
            current: state.page,
            pageSize: POLICIES_PAGE_SIZE,
            total: versions.result.total ?? 0,
            showSizeChanger: false,
            showTotal: (count: number) => t("policies.list.total", { count }),
          }}
          locale={{
            emptyText: error ? t("policies.list.couldNotLoad") : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={mayDraft ? t("policies.list.emptyDpo") : t("policies.list.empty")} />,
          }}
        />
      </Space>
    </PageShell>
  );
}
