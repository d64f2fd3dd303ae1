import { useState } from "react";
import { Alert, Card, Col, Empty, Progress, Row, Space, Spin, Statistic, Table, Typography } from "antd";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { CsvExportButton } from "../../lib/list";
import { messageOf } from "../../lib/rpc";
import { can } from "../../providers/accessControl";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { allPendingReacceptance, pendingCsv, pendingReacceptancePage, type ReacceptanceRow } from "./api";
import { useReacceptanceSummary } from "./data";
import { policiesKeys } from "./keys";
import "../../i18n/messages/en/policies";

const PENDING_PAGE_SIZE = 20;

/** Coverage: the share of active customers who accepted, in percent with one decimal. */
export function coveragePercent(accepted: number, active: number): number {
  return active > 0 ? Math.round((1000 * accepted) / active) / 10 : 0;
}

/** Re-acceptance of a re_accept version (DPO and auditor): pending / accepted / declined, the coverage, the pending list. */
export function Reacceptance({ versionId, label }: { versionId: string; label: string }) {
  const t = useT();
  const summary = useReacceptanceSummary(versionId, true);
  if (summary.isLoading) return <Spin />;
  if (summary.isError) return <Alert type="error" showIcon message={t("policies.reacceptance.failed", { reason: messageOf(summary.error) })} />;
  const s = summary.data!;
  const coverage = coveragePercent(s.accepted, s.active_customers);
  return (
    <Card title={t("policies.reacceptance.title")} size="small">
      <Space direction="vertical" style={{ width: "100%" }}>
        <Row gutter={16}>
          <Col span={4}><Statistic title={t("policies.reacceptance.active")} value={s.active_customers} /></Col>
          <Col span={4}><Statistic title={t("policies.reacceptance.pending")} value={s.pending} /></Col>
          <Col span={4}><Statistic title={t("policies.reacceptance.accepted")} value={s.accepted} /></Col>
          <Col span={4}><Statistic title={t("policies.reacceptance.declined")} value={s.declined} /></Col>
          <Col span={4}><Statistic title={t("policies.reacceptance.restricted")} value={s.restricted} /></Col>
          <Col span={4}>
            <Statistic title={t("policies.reacceptance.coverage")} value={coverage} suffix="%" />
            <Progress percent={coverage} showInfo={false} size="small" />
          </Col>
        </Row>
        <PendingList versionId={versionId} label={label} />
      </Space>
    </Card>
  );
}

function PendingList({ versionId, label }: { versionId: string; label: string }) {
  const t = useT();
  const format = useFormatter();
  const getClient = useSupabaseClient();
  const { roles = [] } = useStaffRoles();
  // The auditor tracks re-acceptance but reads no customer page: the id alone.
  const linkCustomers = can(roles, "customers", "show");
  const [page, setPage] = useState(1);
  const pending = useQuery({
    queryKey: [...policiesKeys.reacceptance(versionId), "pending", page],
    queryFn: async () => pendingReacceptancePage(await getClient(), versionId, page, PENDING_PAGE_SIZE),
    placeholderData: keepPreviousData,
  });
  const total = pending.data?.total ?? 0;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Typography.Text strong>{t("policies.reacceptance.pendingTitle")}</Typography.Text>
        <CsvExportButton
          what={t("policies.reacceptance.exportWhat")}
          total={total}
          fetchRows={async (onProgress, signal) => allPendingReacceptance(await getClient(), versionId, onProgress, signal)}
          toCsv={pendingCsv}
          fileName={() => `reacceptance-pending-${label}-${dayjs().format("YYYYMMDD-HHmm")}.csv`}
        />
      </Space>
      {pending.isError ? <Alert type="error" showIcon message={t("policies.reacceptance.failed", { reason: messageOf(pending.error) })} /> : null}
      <Table<ReacceptanceRow>
        rowKey="customer_id"
        size="small"
        aria-label={t("policies.reacceptance.pendingLabel")}
        loading={pending.isFetching}
        dataSource={pending.data?.rows ?? []}
        columns={[
          { key: "customer", title: t("policies.reacceptance.columns.customer"), dataIndex: "customer_id", render: (id: string) => (linkCustomers ? <Link to={`/customers/${id}`}>{id}</Link> : id) },
          { key: "event", title: t("policies.reacceptance.columns.latestEvent"), dataIndex: "event_id", render: (id: number | null) => (id === null ? t("policies.reacceptance.noEvent") : String(id)) },
          { key: "at", title: t("policies.reacceptance.columns.at"), dataIndex: "decided_at", render: (at: string | null) => (at ? format.dateTime(at) : "") },
        ]}
        pagination={{ current: page, pageSize: PENDING_PAGE_SIZE, total, showSizeChanger: false, showTotal: (count: number) => t("policies.reacceptance.pendingTotal", { count }), onChange: setPage }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("policies.reacceptance.pendingNone")} /> }}
      />
    </Space>
  );
}
