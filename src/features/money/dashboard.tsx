import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Empty, Row, Segmented, Select, Space, Statistic, Typography } from "antd";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Link } from "react-router";
import { PageShell } from "../../components/PageShell";
import { PageLoading } from "../../components/StatusPages";
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

function ChartCard({ title, empty, emptyText, extra, children }: { title: string; empty: boolean; emptyText: string; extra?: React.ReactNode; children: React.ReactElement }) {
  return (
    <Card title={title} size="small" role="region" aria-label={title} extra={extra}>
      {empty ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
      ) : (
        <div style={{ width: "100%", height: 260 }}>
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      )}
    </Card>
  );
}

/** Roles that read reconciliation runs (money_stats returns [] to the others). */
const RUN_READERS = ["finance", "auditor"];

export default function MoneyDashboard() {
  const getClient = useSupabaseClient();
  const { roles = [] } = useStaffRoles();
  const stats = useQuery({
    queryKey: moneyKeys.stats(STATS_WEEKS),
    queryFn: async () => fetchMoneyStats(await getClient(), STATS_WEEKS),
  });
  const [refundMeasure, setRefundMeasure] = useState<"count" | "amount">("count");
  const [currencyChoice, setCurrency] = useState<string | null>(null);
  const [adjustMeasure, setAdjustMeasure] = useState<"count" | "credits">("count");

  if (stats.isLoading) return <PageLoading label="Loading money figures…" />;
  if (stats.isError || !stats.data) {
    return (
      <PageShell title="Money dashboard">
        <Alert
          type="error"
          showIcon
          message="Could not load the money figures"
          description={messageOf(stats.error)}
          action={
            <a onClick={() => void stats.refetch()} role="button">
              Retry
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
    <PageShell title="Money dashboard" extra={<Space>{can(roles, "credit_ledger", "list") ? <Link to="/credits">Credits</Link> : null}</Space>}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={`Refunds, last ${STATS_WEEKS} weeks`} value={refundCount} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={`Refunded (${currency ? currency.toUpperCase() : "—"})`} value={currency ? formatMoney(refundedInCurrency, currency) : "—"} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title="Credit adjustments" value={adjustmentCount} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title="Adjustments waiting for approval" value={pending} valueStyle={pending > 0 ? { color: "#d48806" } : undefined} />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title="Refunds per week by reason"
            empty={weeks.length === 0}
            emptyText={refundMeasure === "amount" && refundCount > 0 ? "No refunds in this currency." : `No refunds in the last ${STATS_WEEKS} weeks.`}
            extra={
              <Space size="small">
                <Segmented
                  size="small"
                  aria-label="Refund measure"
                  value={refundMeasure}
                  onChange={(v) => setRefundMeasure(v as "count" | "amount")}
                  options={[
                    { value: "count", label: "Count" },
                    { value: "amount", label: "Amount" },
                  ]}
                />
                {refundMeasure === "amount" ? (
                  <Select
                    size="small"
                    aria-label="Currency"
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
            <BarChart data={weeks}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={refundMeasure === "amount" && currency !== null && minorPerMajor(currency) > 1} />
              <Tooltip
                formatter={(value) =>
                  refundMeasure === "amount" && currency ? formatMoney(Math.round(Number(value) * minorPerMajor(currency)), currency) : String(value)
                }
              />
              <Legend />
              {REFUND_REASONS.map((reason) => (
                <Bar key={reason} dataKey={reason} name={REASON_LABELS[reason]} stackId="reasons" fill={REASON_COLOURS[reason]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title="Credit adjustments by reason"
            empty={byReason.length === 0}
            emptyText="No credit adjustments yet."
            extra={
              <Segmented
                size="small"
                aria-label="Adjustment measure"
                value={adjustMeasure}
                onChange={(v) => setAdjustMeasure(v as "count" | "credits")}
                options={[
                  { value: "count", label: "Count" },
                  { value: "credits", label: "Net credits" },
                ]}
              />
            }
          >
            <BarChart data={byReason}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip formatter={(value) => formatCredits(Number(value))} />
              <Legend />
              {ADJUSTMENT_STATUS_ORDER.map((status) => (
                <Bar key={status} dataKey={status} name={STATUS_LABELS[status as AdjustmentStatus]} stackId="status" fill={STATUS_FILL[status]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ChartCard>
        </Col>
        {seesRuns ? (
          <Col xs={24}>
            <ChartCard title="Reconciliation discrepancies per run" empty={runs.length === 0} emptyText="No reconciliation run saved yet.">
              <BarChart data={runs}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis allowDecimals={false} />
                <Tooltip labelFormatter={(label, payload) => `${String(label)} — ${String((payload?.[0]?.payload as { file?: string } | undefined)?.file ?? "")}`} />
                <Bar dataKey="discrepancies" name="Discrepancies" fill="#fa8c16" isAnimationActive={false} />
              </BarChart>
            </ChartCard>
          </Col>
        ) : null}
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        Weeks start on Monday, Bangkok time. Refund amounts are shown per currency, never added across currencies.
      </Typography.Paragraph>
    </PageShell>
  );
}
