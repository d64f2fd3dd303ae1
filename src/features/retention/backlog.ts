import type { RunWithCategories } from "./types";

/** One point of the backlog chart: a run's cut-off and, per category, the rows past their period then. */
export type BacklogPoint = { cutoff: string; at: string } & Record<string, number | string>;

/**
 * The backlog over time (docs/retention.md "Backlog over time"): `rows_past_period` per category against each run's
 * cut-off, oldest first. Runs still running (no counts yet) are left out.
 */
export function backlogSeries(runs: readonly RunWithCategories[], label: (cutoff: string) => string): { points: BacklogPoint[]; categories: string[] } {
  const categories = new Set<string>();
  const points = runs
    .filter((run) => run.status === "done" && run.categories.length > 0)
    .sort((a, b) => a.cutoff.localeCompare(b.cutoff))
    .map((run) => {
      const point: BacklogPoint = { cutoff: run.cutoff, at: label(run.cutoff) };
      for (const c of run.categories) {
        categories.add(c.category);
        point[c.category] = Number(c.rows_past_period);
      }
      return point;
    });
  return { points, categories: [...categories].sort() };
}
