/**
 * A dashboard chart in a titled card (a named region, so tests and screen readers find it by its title): the chart
 * at a fixed height, or an empty state when there is nothing to draw. Used by the privacy and money dashboards.
 */
import { Card, Empty } from "antd";
import type { ReactElement, ReactNode } from "react";
import { ResponsiveContainer } from "recharts";

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
