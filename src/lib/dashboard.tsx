/**
 * The pieces of the privacy and money dashboards: the headline figures, and each chart in a titled card (a named
 * region, so tests and screen readers find it by its title) at a fixed height, or an empty state when there is
 * nothing to draw; `stackedBarChart` for their charts of stacked series.
 */
import { Card, Col, Empty, Statistic } from "antd";
import type { ReactElement, ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface HeadlineFigure {
  title: string;
  value: number | string;
  /** The figure's colour when it calls for attention (overdue, waiting). */
  alertColour?: string | undefined;
}

/** The figures above a dashboard's charts, four to a row on wide screens (inside the dashboard's antd Row). */
export function HeadlineFigures({ figures }: { figures: readonly HeadlineFigure[] }) {
  return (
    <>
      {figures.map(({ title, value, alertColour }) => (
        <Col key={title} xs={12} md={6}>
          <Statistic title={title} value={value} valueStyle={alertColour ? { color: alertColour } : undefined} />
        </Col>
      ))}
    </>
  );
}

export interface ChartCardProps {
  title: string;
  /** Nothing to draw: `emptyText` instead of the chart. */
  empty: boolean;
  emptyText: string;
  /** Controls in the card's header (a measure switch, a currency). */
  extra?: ReactNode;
  /** One recharts chart (`<BarChart>`, `<LineChart>`), sized by the card. */
  children: ReactElement;
}

export function ChartCard({ title, empty, emptyText, extra, children }: ChartCardProps) {
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

export interface StackedSeries {
  /** The data's field this series draws. */
  key: string;
  /** Its name in the legend and tooltip. */
  name: string;
  fill: string | undefined;
}

export interface StackedBarChartOptions<Row> {
  data: readonly Row[];
  /** The data's field along the x axis. */
  xKey: string;
  series: readonly StackedSeries[];
  stackId: string;
  /** Whether the y axis may show fractions (amounts in major units); counts may not. */
  allowDecimals?: boolean;
  /** How the tooltip shows a value (money, credits); recharts' default otherwise. */
  formatValue?: (value: unknown) => string;
}

/**
 * A bar chart of series stacked per x value, with grid, axes, tooltip and legend. A function returning the
 * `<BarChart>` element (not a component), so ChartCard's ResponsiveContainer sizes the chart itself.
 */
export function stackedBarChart<Row>({ data, xKey, series, stackId, allowDecimals = false, formatValue }: StackedBarChartOptions<Row>): ReactElement {
  return (
    <BarChart data={[...data]}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey={xKey} />
      <YAxis allowDecimals={allowDecimals} />
      {formatValue ? <Tooltip formatter={(value) => formatValue(value)} /> : <Tooltip />}
      <Legend />
      {series.map(({ key, name, fill }) => (
        <Bar key={key} dataKey={key} name={name} stackId={stackId} fill={fill} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
