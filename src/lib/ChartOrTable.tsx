/**
 * A chart in a titled card (a named region) with its accessible alternative: "Show as table" swaps the drawing for
 * the same figures as a table, for screen readers and for reading exact values. Loading, a load error (with retry)
 * and an empty state take the chart's place. Only lazily loaded pages import it (it brings recharts).
 */
import { Button, Card, Empty, Spin } from "antd";
import { useState, type ReactElement, type ReactNode } from "react";
import { ResponsiveContainer } from "recharts";
import { useT } from "../i18n";
import { LoadError } from "./list";

export interface ChartOrTableProps {
  title: string;
  loading: boolean;
  /** The load failed: `errorTitle` and the error's message, with a retry. */
  error: { message: string } | null;
  errorTitle: string;
  onRetry: () => void;
  /** Nothing to draw: `emptyText` instead of the chart and the table. */
  empty: boolean;
  emptyText: string;
  /** Controls in the card's header (a period). */
  extra?: ReactNode;
  /** One recharts chart (`<LineChart>`, `<AreaChart>`, `<BarChart>`), sized by the card. */
  chart: ReactElement;
  /** The same figures as a table. */
  table: ReactNode;
  /** Above the chart or table (a headline figure). */
  children?: ReactNode;
}

export function ChartOrTable({ title, loading, error, errorTitle, onRetry, empty, emptyText, extra, chart, table, children }: ChartOrTableProps) {
  const t = useT();
  const [asTable, setAsTable] = useState(false);
  const ready = !loading && !error && !empty;
  const toggle = ready ? (
    <Button size="small" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
      {asTable ? t("common.charts.showChart") : t("common.charts.showTable")}
    </Button>
  ) : null;
  let body: ReactNode;
  if (loading) body = <Spin aria-label={t("common.charts.loading")} />;
  else if (error) body = <LoadError title={errorTitle} error={error} onRetry={onRetry} />;
  else if (empty) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />;
  else if (asTable) body = table;
  else
    body = (
      <div style={{ width: "100%", height: 260 }}>
        <ResponsiveContainer width="100%" height="100%">
          {chart}
        </ResponsiveContainer>
      </div>
    );
  return (
    <Card title={title} size="small" role="region" aria-label={title} extra={<span style={{ display: "inline-flex", gap: 8 }}>{extra}{toggle}</span>}>
      {ready ? children : null}
      {body}
    </Card>
  );
}
