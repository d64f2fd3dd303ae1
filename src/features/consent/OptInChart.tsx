import { Table, Typography } from "antd";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { ChartOrTable } from "../../lib/ChartOrTable";
import { noActiveCustomers, optInPoints, PURPOSES, type OptInPoint, type OptInRow } from "./overview";
import { labelOf, PURPOSE_LABELS } from "./types";
import "../../i18n/messages/en/consent";

const COLOURS: Record<string, string> = {
  terms: "#5b3cc4",
  privacy_policy: "#1677ff",
  cookie_policy: "#13c2c2",
  analytics: "#fa8c16",
  marketing_email: "#f5222d",
};

interface Props {
  rows: readonly OptInRow[] | undefined;
  loading: boolean;
  error: { message: string } | null;
  onRetry: () => void;
  /** The period picker, in the card's header. */
  extra: React.ReactNode;
}

/** consent_opt_in_over_time as lines (percent per purpose) or as a table of rates with their counts. */
export function OptInChart({ rows, loading, error, onRetry, extra }: Props) {
  const t = useT();
  const format = useFormatter();
  const points = optInPoints(rows ?? []);
  const rateText = (p: OptInPoint, purpose: string) => {
    const rate = p.rate[purpose];
    if (rate === null || rate === undefined) return t("consent.overview.noRate");
    return t("consent.overview.rateCell", { rate: format.percent(rate, 1), granted: format.number(p.granted[purpose] ?? 0), active: format.number(p.active) });
  };
  const range = (p: OptInPoint) => (p.first === p.last ? p.first : t("consent.overview.bucketRange", { first: p.first, last: p.last }));
  return (
    <ChartOrTable
      title={t("consent.overview.optInTitle")}
      loading={loading}
      error={error}
      errorTitle={t("consent.overview.optInFailed")}
      onRetry={onRetry}
      empty={noActiveCustomers(points)}
      emptyText={t("consent.overview.optInEmpty")}
      extra={extra}
      chart={
        <LineChart data={points.map((p) => ({ last: p.last, ...p.percent }))}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="last" />
          <YAxis domain={[0, 100]} unit="%" />
          <Tooltip formatter={(value) => `${String(value)}%`} />
          <Legend />
          {PURPOSES.map((purpose) => (
            <Line key={purpose} type="monotone" dataKey={purpose} name={labelOf(PURPOSE_LABELS, purpose)} stroke={COLOURS[purpose]} dot={false} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      }
      table={
        <Table<OptInPoint>
          rowKey="first"
          size="small"
          aria-label={t("consent.overview.optInTableLabel")}
          dataSource={points}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { key: "bucket", title: t("consent.overview.bucket"), render: (_, p) => range(p) },
            { key: "active", title: t("consent.overview.active"), render: (_, p) => format.number(p.active) },
            ...PURPOSES.map((purpose) => ({ key: purpose, title: labelOf(PURPOSE_LABELS, purpose), render: (_: unknown, p: OptInPoint) => rateText(p, purpose) })),
          ]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t("consent.overview.optInHelp")}</Typography.Paragraph>
    </ChartOrTable>
  );
}
