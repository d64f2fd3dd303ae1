import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Col, Row, Segmented, Select, Space, Typography } from "antd";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { Link } from "react-router";
import { PageShell } from "../../components/PageShell";
import { PageLoading } from "../../components/StatusPages";
import { useT } from "../../i18n";
import "../../i18n/messages/en/money";
import { ChartCard, HeadlineFigures, stackedBarChart } from "../../lib/dashboard";
import { formatCredits, formatMoney } from "../../lib/format";
import { can } from "../../providers/accessControl";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { messageOf } from "../../lib/rpc";
import { reasonLabel, STATUS_LABELS, type AdjustmentStatus } from "../credits";
import { REASON_LABELS, REFUND_REASONS } from "../refunds";
import { fetchMoneyStats } from "./api";
import { moneyKeys } from "./keys";
import {
  ADJUSTMENT_STATUS_ORDER,
  adjustmentsByReason,
  minorPerMajor,
  refundCurrencies,
  refundWeeks,
  runSeries,
} from "./stats";

export const STATS_WEEKS = 12;

const REASON_COLOURS: Record<string, string> = { duplicate: "#1677ff", fraudulent: "#f5222d", requested_by_customer: "#5b3cc4" };
const STATUS_FILL: Record<string, string> = { applied: "#52c41a", pending: "#faad14", rejected: "#f5222d" };

/** A small switch between two ways of measuring a chart (count or amount). */
function MeasureSwitch<M extends string>({ label, value, onChange, options }: { label: string; value: M; onChange: (value: M) => void; options: readonly { value: M; label: string }[] }) {
  return <Segmented size="small" aria-label={label} value={value} onChange={(v) => onChange(v as M)} options={[...options]} />;
}

/** Roles that read reconciliation runs (money_stats returns [] to the others). */
const RUN_READERS = ["finance", "auditor"];

export default function MoneyDashboard() {
  const t = useT();
  const getClient = useSupabaseClient();
  const { roles = [] } = useStaffRoles();
  const stats = useQuery({
    queryKey: moneyKeys.stats(STATS_WEEKS),
    queryFn: async () => fetchMoneyStats(await getClient(), STATS_WEEKS),
  });
  const [refundMeasure, setRefundMeasure] = useState<"count" | "amount">("count");
  const [currencyChoice, setCurrency] = useState<string | null>(null);
  const [adjustMeasure, setAdjustMeasure] = useState<"count" | "credits">("count");

  if (stats.isLoading) return <PageLoading label={t("money.loading")} />;
  if (stats.isError || !stats.data) {
    return (
      <PageShell title={t("money.title")}>
        <Alert
          type="error"
          showIcon
          message={t("money.loadFailed")}
          description={messageOf(stats.error)}
          action={
            <a onClick={() => void stats.refetch()} role="button">
              {t("money.retry")}
            </a>
          }
        />
      </PageShell>
    );
  }
  const data = stats.data;
  const currencies = refundCurrencies(data);
  const currency = currencyChoice && currencies.includes(currencyChoice) ? currencyChoice : (currencies[0] ?? null);
  const weeks = refundWeeks(data, refundMeasure, currency).map((w) => ({ ...w, label: String(w.week).slice(5) }));
  const refundCount = (data.refunds_per_week ?? []).reduce((sum, r) => sum + Number(r.count), 0);
  const refundedInCurrency = (data.refunds_per_week ?? []).filter((r) => r.currency === currency).reduce((sum, r) => sum + Number(r.amount), 0);
  const byReason = adjustmentsByReason(data, adjustMeasure).map((r) => ({ ...r, label: reasonLabel(r.reason) }));
  const adjustmentCount = (data.adjustments_by_reason ?? []).reduce((sum, a) => sum + Number(a.count), 0);
  const pending = (data.adjustments_by_reason ?? []).filter((a) => a.status === "pending").reduce((sum, a) => sum + Number(a.count), 0);
  const runs = runSeries(data);
  const seesRuns = roles.some((role) => RUN_READERS.includes(role));

  return (
    <PageShell title={t("money.title")} extra={<Space>{can(roles, "credit_ledger", "list") ? <Link to="/credits">{t("money.credits")}</Link> : null}</Space>}>
      <Row gutter={[16, 16]}>
        <HeadlineFigures
          figures={[
            { title: t("money.refundsInWeeks", { weeks: STATS_WEEKS }), value: refundCount },
            { title: t("money.refundedIn", { currency: currency ? currency.toUpperCase() : "—" }), value: currency ? formatMoney(refundedInCurrency, currency) : "—" },
            { title: t("money.adjustments"), value: adjustmentCount },
            { title: t("money.awaitingApproval"), value: pending, alertColour: pending > 0 ? "#d48806" : undefined },
          ]}
        />
        <Col xs={24} lg={12}>
          <ChartCard
            title={t("money.refundsChart.title")}
            empty={weeks.length === 0}
            emptyText={refundMeasure === "amount" && refundCount > 0 ? t("money.refundsChart.emptyInCurrency") : t("money.refundsChart.empty", { weeks: STATS_WEEKS })}
            extra={
              <Space size="small">
                <MeasureSwitch
                  label={t("money.refundsChart.measure")}
                  value={refundMeasure}
                  onChange={setRefundMeasure}
                  options={[
                    { value: "count", label: t("money.refundsChart.count") },
                    { value: "amount", label: t("money.refundsChart.amount") },
                  ]}
                />
                {refundMeasure === "amount" ? (
                  <Select
                    size="small"
                    aria-label={t("money.refundsChart.currency")}
                    style={{ width: 90 }}
                    value={currency ?? undefined}
                    onChange={setCurrency}
                    options={currencies.map((c) => ({ value: c, label: c.toUpperCase() }))}
                    disabled={currencies.length === 0}
                  />
                ) : null}
              </Space>
            }
          >
            {stackedBarChart({
              data: weeks,
              xKey: "label",
              stackId: "reasons",
              series: REFUND_REASONS.map((reason) => ({ key: reason, name: REASON_LABELS[reason], fill: REASON_COLOURS[reason] })),
              allowDecimals: refundMeasure === "amount" && currency !== null && minorPerMajor(currency) > 1,
              formatValue: (value) =>
                refundMeasure === "amount" && currency ? formatMoney(Math.round(Number(value) * minorPerMajor(currency)), currency) : String(value),
            })}
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title={t("money.adjustmentsChart.title")}
            empty={byReason.length === 0}
            emptyText={t("money.adjustmentsChart.empty")}
            extra={
              <MeasureSwitch
                label={t("money.adjustmentsChart.measure")}
                value={adjustMeasure}
                onChange={setAdjustMeasure}
                options={[
                  { value: "count", label: t("money.adjustmentsChart.count") },
                  { value: "credits", label: t("money.adjustmentsChart.credits") },
                ]}
              />
            }
          >
            {stackedBarChart({
              data: byReason,
              xKey: "label",
              stackId: "status",
              series: ADJUSTMENT_STATUS_ORDER.map((status) => ({ key: status, name: STATUS_LABELS[status as AdjustmentStatus], fill: STATUS_FILL[status] })),
              formatValue: (value) => formatCredits(Number(value)),
            })}
          </ChartCard>
        </Col>
        {seesRuns ? (
          <Col xs={24}>
            <ChartCard title={t("money.runsChart.title")} empty={runs.length === 0} emptyText={t("money.runsChart.empty")}>
              <BarChart data={runs}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis allowDecimals={false} />
                <Tooltip labelFormatter={(label, payload) => `${String(label)} — ${String((payload?.[0]?.payload as { file?: string } | undefined)?.file ?? "")}`} />
                <Bar dataKey="discrepancies" name={t("money.runsChart.series")} fill="#fa8c16" isAnimationActive={false} />
              </BarChart>
            </ChartCard>
          </Col>
        ) : null}
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t("money.footnote")}
      </Typography.Paragraph>
    </PageShell>
  );
}
