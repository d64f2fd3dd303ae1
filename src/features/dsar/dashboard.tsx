import { useQuery } from "@tanstack/react-query";
import { Alert, Col, Row, Typography } from "antd";
import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { Link } from "react-router";
import { PageShell } from "../../components/PageShell";
import { PageLoading } from "../../components/StatusPages";
import { useT } from "../../i18n";
import "../../i18n/messages/en/dsarDashboard";
import { ChartCard, HeadlineFigures, stackedBarChart } from "../../lib/dashboard";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { fetchDsarStats, type DsarStats } from "./api";
import { dsarKeys } from "./keys";
import { DSAR_TYPES, TYPE_LABELS } from "./types";

export type { DsarStats } from "./api";

const TYPE_COLOURS: Record<string, string> = {
  access: "#5b3cc4",
  portability: "#1677ff",
  rectification: "#13c2c2",
  erasure: "#f5222d",
  restriction: "#fa8c16",
  objection: "#faad14",
  complaint: "#8c8c8c",
};

const BUCKET_COLOURS: Record<string, string> = { overdue: "#f5222d", "0-7": "#fa8c16", "8-14": "#fadb14", "15-30": "#52c41a", "31+": "#13c2c2" };

/** Median of the monthly medians is not a median: show the latest month's figure and the trend line instead. */
export function latestMedian(months: DsarStats["on_time_by_month"]): number | null {
  for (let i = months.length - 1; i >= 0; i -= 1) {
    const value = months[i]!.median_days_to_close;
    if (value !== null && value !== undefined && value !== "") return Number(value);
  }
  return null;
}

export default function DsarDashboard() {
  const t = useT();
  const getClient = useSupabaseClient();
  const stats = useQuery({
    queryKey: dsarKeys.stats(),
    queryFn: async () => fetchDsarStats(await getClient()),
  });

  if (stats.isLoading) return <PageLoading label={t("dsarDashboard.loading")} />;
  if (stats.isError || !stats.data) {
    return (
      <PageShell title={t("dsarDashboard.title")}>
        <Alert type="error" showIcon message={t("dsarDashboard.loadFailed")} description={stats.error?.message} />
      </PageShell>
    );
  }
  const data = stats.data;
  const open = data.open_by_days_left ?? [];
  const weeks: Record<string, number | string>[] = (data.requests_per_week ?? []).map((w) => ({ ...w, week: String(w.week).slice(5) }));
  const months = (data.on_time_by_month ?? []).map((m) => ({
    ...m,
    month: String(m.month).slice(0, 7),
    median_days_to_close: m.median_days_to_close === null ? null : Number(m.median_days_to_close),
  }));
  const openTotal = open.reduce((sum, b) => sum + Number(b.count), 0);
  const overdue = Number(open.find((b) => b.bucket === "overdue")?.count ?? 0);
  const median = latestMedian(data.on_time_by_month ?? []);
  const closedInWindow = months.reduce((sum, m) => sum + Number(m.on_time) + Number(m.late), 0);
  const weeklyTotal = weeks.reduce((sum, w) => sum + DSAR_TYPES.reduce((s, type) => s + Number(w[type] ?? 0), 0), 0);
  const noData = t("dsarDashboard.noData");

  return (
    <PageShell title={t("dsarDashboard.title")} extra={<Link to="/dsar">{t("dsarDashboard.openQueue")}</Link>}>
      <Row gutter={[16, 16]}>
        <HeadlineFigures
          figures={[
            { title: t("dsarDashboard.openRequests"), value: openTotal },
            { title: t("dsarDashboard.overdue"), value: overdue, alertColour: overdue > 0 ? "#f5222d" : undefined },
            { title: t("dsarDashboard.closedInYear"), value: closedInWindow },
            { title: t("dsarDashboard.latestMedian"), value: median ?? "—" },
          ]}
        />
        <Col xs={24} lg={12}>
          <ChartCard title={t("dsarDashboard.openByDaysLeft")} empty={openTotal === 0} emptyText={noData}>
            <BarChart data={open}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="bucket" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" name={t("dsarDashboard.openRequests")} isAnimationActive={false}>
                {open.map((b) => (
                  <Cell key={b.bucket} fill={BUCKET_COLOURS[b.bucket] ?? "#8c8c8c"} />
                ))}
              </Bar>
            </BarChart>
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t("dsarDashboard.perWeekByType")} empty={weeklyTotal === 0} emptyText={noData}>
            {stackedBarChart({
              data: weeks,
              xKey: "week",
              stackId: "types",
              series: DSAR_TYPES.map((type) => ({ key: type, name: TYPE_LABELS[type], fill: TYPE_COLOURS[type] })),
            })}
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t("dsarDashboard.onTimeVsLate")} empty={closedInWindow === 0} emptyText={noData}>
            {stackedBarChart({
              data: months,
              xKey: "month",
              stackId: "closed",
              series: [
                { key: "on_time", name: t("dsarDashboard.onTime"), fill: "#52c41a" },
                { key: "late", name: t("dsarDashboard.late"), fill: "#f5222d" },
              ],
            })}
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t("dsarDashboard.medianPerMonth")} empty={closedInWindow === 0} emptyText={noData}>
            <LineChart data={months}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="month" />
              <YAxis />
              <Tooltip />
              <Line type="monotone" dataKey="median_days_to_close" name={t("dsarDashboard.medianDays")} stroke="#5b3cc4" connectNulls isAnimationActive={false} />
            </LineChart>
          </ChartCard>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t("dsarDashboard.footnote", { at: String(data.generated_at).slice(0, 16).replace("T", " ") })}
      </Typography.Paragraph>
    </PageShell>
  );
}
