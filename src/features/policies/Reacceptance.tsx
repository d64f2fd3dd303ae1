import { Alert, Card, Col, Progress, Row, Space, Spin, Statistic } from "antd";
import { useT } from "../../i18n";
import { messageOf } from "../../lib/rpc";
import { useReacceptanceSummary } from "./data";
import { ReacceptanceList } from "./ReacceptanceList";
import "../../i18n/messages/en/policies";

/** Coverage: the share of active customers who accepted, in percent with one decimal. */
export function coveragePercent(accepted: number, active: number): number {
  return active > 0 ? Math.round((1000 * accepted) / active) / 10 : 0;
}

/** Re-acceptance of a re_accept version (DPO and auditor): pending / accepted / declined, the coverage, the customers by answer. */
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
        <ReacceptanceList versionId={versionId} label={label} counts={s} />
      </Space>
    </Card>
  );
}
