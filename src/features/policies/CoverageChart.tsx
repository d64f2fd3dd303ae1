import { Table, Typography } from "antd";
import { Area, AreaChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { ChartOrTable } from "../../lib/ChartOrTable";
import { coverageOf, useReacceptanceOverTime, type CoverageRow } from "./coverage";
import "../../i18n/messages/en/policies";

const SERIES = [
  { key: "accepted", fill: "#52c41a" },
  { key: "declined", fill: "#f5222d" },
  { key: "pending", fill: "#bfbfbf" },
] as const;

/** Re-acceptance of a re_accept version per day since publication: stacked areas, or the same counts as a table. */
export function CoverageChart({ versionId }: { versionId: string }) {
  const t = useT();
  const format = useFormatter();
  const coverage = useReacceptanceOverTime(versionId);
  const rows = coverage.data ?? [];
  return (
    <ChartOrTable
      title={t("policies.coverage.title")}
      loading={coverage.isLoading}
      error={coverage.error}
      errorTitle={t("policies.coverage.failed")}
      onRetry={() => void coverage.refetch()}
      empty={rows.every((r) => Number(r.active_customers) === 0)}
      emptyText={t("policies.coverage.empty")}
      chart={
        <AreaChart data={[...rows]}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {SERIES.map(({ key, fill }) => (
            <Area key={key} type="stepAfter" dataKey={key} name={t(`policies.coverage.${key}`)} stackId="answers" stroke={fill} fill={fill} isAnimationActive={false} />
          ))}
        </AreaChart>
      }
      table={
        <Table<CoverageRow>
          rowKey="day"
          size="small"
          aria-label={t("policies.coverage.tableLabel")}
          dataSource={[...rows].reverse()}
          pagination={{ pageSize: 31, hideOnSinglePage: true, showSizeChanger: false }}
          columns={[
            { key: "day", title: t("policies.coverage.day"), dataIndex: "day" },
            { key: "active", title: t("policies.coverage.active"), render: (_, r) => format.number(Number(r.active_customers)) },
            { key: "accepted", title: t("policies.coverage.accepted"), render: (_, r) => format.number(Number(r.accepted)) },
            { key: "declined", title: t("policies.coverage.declined"), render: (_, r) => format.number(Number(r.declined)) },
            { key: "pending", title: t("policies.coverage.pending"), render: (_, r) => format.number(Number(r.pending)) },
            { key: "coverage", title: t("policies.coverage.coverage"), render: (_, r) => `${format.number(coverageOf(r), { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%` },
          ]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t("policies.coverage.help")}</Typography.Paragraph>
    </ChartOrTable>
  );
}
