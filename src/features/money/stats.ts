import { currencyExponent, formatBangkokDateTime } from "../../lib/format";
import { REFUND_REASONS } from "../refunds";

/** Minor units in one major unit (1 for zero-decimal currencies such as JPY, else 100). */
export function minorPerMajor(currency: string): number {
  return 10 ** currencyExponent(currency);
}

/** What `money_stats(p_weeks)` returns (contract: docs of issue 4), and the pure reshaping the charts need. */
export interface MoneyStats {
  refunds_per_week: { week: string; reason: string; currency: string; count: number | string; amount: number | string }[];
  adjustments_by_reason: { reason: string; status: string; count: number | string; credits: number | string }[];
  reconciliation_runs: { id: string; created_at: string; source: string; file_name: string | null; discrepancies: number | string }[];
}


export type WeekRow = { week: string } & Record<string, number | string>;

/** Currencies present in the refunds, most refunded (by count) first, so the selector starts on the busiest. */
export function refundCurrencies(stats: MoneyStats): string[] {
  const counts = new Map<string, number>();
  for (const r of stats.refunds_per_week ?? []) counts.set(r.currency, (counts.get(r.currency) ?? 0) + Number(r.count));
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

/**
 * One row per week with a column per reason: the refund count (every currency) or, for one currency, the
 * amount in major units. Weeks are sorted; a week with no refund of that kind has 0.
 */
export function refundWeeks(stats: MoneyStats, measure: "count" | "amount", currency: string | null): WeekRow[] {
  const divisor = currency ? minorPerMajor(currency) : 100;
  const weeks = new Map<string, WeekRow>();
  for (const r of stats.refunds_per_week ?? []) {
    if (measure === "amount" && r.currency !== currency) continue;
    const week = String(r.week).slice(0, 10);
    const row = weeks.get(week) ?? (Object.fromEntries([["week", week], ...REFUND_REASONS.map((reason) => [reason, 0])]) as WeekRow);
    const value = measure === "count" ? Number(r.count) : Number(r.amount) / divisor;
    row[r.reason] = Number(row[r.reason] ?? 0) + value;
    weeks.set(week, row);
  }
  // Weeks without any refund still get their place on the axis (every Monday from the first to the last).
  const sorted = [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
  if (sorted.length < 2) return sorted;
  const filled: WeekRow[] = [];
  const last = Date.parse(`${sorted[sorted.length - 1]!.week}T00:00:00Z`);
  for (let t = Date.parse(`${sorted[0]!.week}T00:00:00Z`); t <= last; t += 7 * 86_400_000) {
    const week = new Date(t).toISOString().slice(0, 10);
    filled.push(weeks.get(week) ?? (Object.fromEntries([["week", week], ...REFUND_REASONS.map((reason) => [reason, 0])]) as WeekRow));
  }
  return filled;
}

export const ADJUSTMENT_STATUS_ORDER = ["applied", "pending", "rejected"] as const;

/** One row per adjustment reason with a column per status (count or credits). */
export function adjustmentsByReason(stats: MoneyStats, measure: "count" | "credits"): ({ reason: string } & Record<string, number | string>)[] {
  const rows = new Map<string, { reason: string } & Record<string, number | string>>();
  for (const a of stats.adjustments_by_reason ?? []) {
    const row = rows.get(a.reason) ?? (Object.fromEntries([["reason", a.reason], ...ADJUSTMENT_STATUS_ORDER.map((s) => [s, 0])]) as { reason: string } & Record<string, number>);
    row[a.status] = Number(row[a.status] ?? 0) + Number(measure === "count" ? a.count : a.credits);
    rows.set(a.reason, row);
  }
  return [...rows.values()];
}

/** Runs oldest first (the function lists the latest 30, newest first), labelled by their Bangkok date. */
export function runSeries(stats: MoneyStats): { id: string; label: string; discrepancies: number; file: string }[] {
  return [...(stats.reconciliation_runs ?? [])]
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((r) => ({ id: r.id, label: formatBangkokDateTime(r.created_at), discrepancies: Number(r.discrepancies), file: r.file_name ?? r.source }));
}
