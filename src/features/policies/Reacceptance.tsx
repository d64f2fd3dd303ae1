import { Alert, Card, Col, Progress, Row, Spin, Statistic } from "antd";
import { useT } from "../../i18n";
import { messageOf } from "../../lib/rpc";
import { useReacceptanceSummary } from "./data";
import "../../i18n/messages/en/policies";

/** Re-acceptance of a re_accept version (DPO and auditor): pending / accepted / declined and the coverage. */
export function Reacceptance({ versionId }: { versionId: string }) {
  const t = useT();
  const summary = useReacceptanceSummary(versionId, true);
  if (summary.isLoading) return <Spin />;
  if (summary.isError) return <Alert type="error" showIcon message={t("policies.reacceptance.failed", { reason: messageOf(summary.error) })} />;
  const s = summary.data!;
  const coverage = s.active_customers > 0 ? Math.round((1000 * s.accepted) / s.active_customers) / 10 : 0;
  return (
    <Card title={t("policies.reacceptance.title")} size="small">
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
    </Card>
  );
}
