import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { ChartCard } from "../../lib/dashboard";
import { backlogSeries } from "./backlog";
import { categoryLabel, RETENTION_CATEGORIES, type RunWithCategories } from "./types";

const COLOURS = ["#5b3cc4", "#1677ff", "#13c2c2", "#fa8c16", "#f5222d", "#52c41a", "#8c8c8c"];
const colourOf = (category: string) => {
  const index = (RETENTION_CATEGORIES as readonly string[]).indexOf(category);
  return COLOURS[index >= 0 ? index : COLOURS.length - 1];
};

/** Rows past their period per category, per run (dry or executed), from purge_runs + purge_run_categories. */
export function BacklogChart({ runs }: { runs: readonly RunWithCategories[] }) {
  const t = useT();
  const format = useFormatter();
  const { points, categories } = backlogSeries(runs, (cutoff) => format.dateTime(cutoff).slice(0, 10));
  return (
    <ChartCard title={t("retention.chart.title")} empty={points.length === 0} emptyText={t("retention.chart.empty")}>
      <LineChart data={points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="at" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        {categories.map((category) => (
          <Line key={category} type="monotone" dataKey={category} name={categoryLabel(category)} stroke={colourOf(category)} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </ChartCard>
  );
}
