import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { rpcError, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { sizeChartsInTests } from "../../test/chartLayout";
import { adjustmentsByReason, refundCurrencies, refundWeeks, runSeries, type MoneyStats } from "./stats";
// The dashboard reads money_stats only; the shared customers fixture is enough behind it.
import { customerDataFor } from "../../test/fixtures";

const STATS: MoneyStats = {
  refunds_per_week: [
    { week: "2026-11-09", reason: "requested_by_customer", currency: "thb", count: 3, amount: 89700 },
    { week: "2026-11-09", reason: "duplicate", currency: "thb", count: 1, amount: 29900 },
    { week: "2026-11-16", reason: "fraudulent", currency: "usd", count: 1, amount: 1999 },
    { week: "2026-11-16", reason: "requested_by_customer", currency: "thb", count: 2, amount: 59800 },
  ],
  adjustments_by_reason: [
    { reason: "goodwill", status: "applied", count: 12, credits: 2400 },
    { reason: "goodwill", status: "pending", count: 2, credits: 1600 },
    { reason: "correction", status: "rejected", count: 1, credits: 300 },
  ],
  reconciliation_runs: [
    { id: "run-2", created_at: "2026-11-20T02:00:00Z", source: "upload", file_name: "balance_report_nov.csv", discrepancies: 4 },
    { id: "run-1", created_at: "2026-11-13T02:00:00Z", source: "pull", file_name: null, discrepancies: 0 },
  ],
};
const EMPTY: MoneyStats = { refunds_per_week: [], adjustments_by_reason: [], reconciliation_runs: [] };

function statistic(title: string): HTMLElement {
  return screen.getByText(title).closest(".ant-statistic") as HTMLElement;
}

function renderDashboard(role: string, stats: MoneyStats | { status: number; body: unknown }) {
  signInAs(role);
  return renderConsole("/money", {
    rowsFor: customerDataFor,
    rpc: (fn) => (fn === "money_stats" ? ("status" in stats ? stats : { body: stats }) : undefined),
  });
}

describe("money dashboard", () => {
  // jsdom lays nothing out: the charts' containers get a size so recharts draws the bars and legends.
  sizeChartsInTests();

  it("shows the figures and the three charts from money_stats to finance", async () => {
    const { rpcCalls } = renderDashboard("finance", STATS);
    expect(await screen.findByText("Refunds, last 12 weeks")).toBeInTheDocument();
    expect(within(statistic("Refunds, last 12 weeks")).getByText("7")).toBeInTheDocument();
    // The busiest currency is chosen first; amounts are never added across currencies.
    expect(within(statistic("Refunded (THB)")).getByText("฿1,794.00")).toBeInTheDocument();
    expect(within(statistic("Credit adjustments")).getByText("15")).toBeInTheDocument();
    expect(within(statistic("Adjustments waiting for approval")).getByText("2")).toBeInTheDocument();
    const refunds = screen.getByRole("region", { name: "Refunds per week by reason" });
    expect(within(refunds).getByText("Requested by customer")).toBeInTheDocument();
    expect(within(refunds).getByText("Fraudulent")).toBeInTheDocument();
    expect(refunds.querySelectorAll(".recharts-bar-rectangle").length).toBeGreaterThan(0);
    const adjustments = screen.getByRole("region", { name: "Credit adjustments by reason" });
    expect(within(adjustments).getByText("Pending approval")).toBeInTheDocument();
    expect(within(adjustments).getByText("Goodwill")).toBeInTheDocument();
    const runs = screen.getByRole("region", { name: "Reconciliation discrepancies per run" });
    expect(runs.querySelector(".recharts-surface")).not.toBeNull();
    expect(rpcCalls.map((c) => [c.fn, c.args])).toEqual([["money_stats", { p_weeks: 12 }]]);
  });

  it("amounts follow the chosen currency", async () => {
    renderDashboard("finance", STATS);
    const refunds = await screen.findByRole("region", { name: "Refunds per week by reason" });
    await userEvent.click(within(refunds).getByText("Amount"));
    const currency = await within(refunds).findByRole("combobox", { name: "Currency" });
    fireEvent.mouseDown(currency);
    await userEvent.click(await screen.findByTitle("USD"));
    await waitFor(() => expect(within(statistic("Refunded (USD)")).getByText("$19.99")).toBeInTheDocument());
  });

  it("support sees no reconciliation chart (runs are for finance and the auditor)", async () => {
    renderDashboard("support", { ...STATS, reconciliation_runs: [] });
    expect(await screen.findByRole("region", { name: "Credit adjustments by reason" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Reconciliation discrepancies per run" })).not.toBeInTheDocument();
  });

  it("says so when there is nothing to chart", async () => {
    renderDashboard("auditor", EMPTY);
    expect(await screen.findByText("No refunds in the last 12 weeks.")).toBeInTheDocument();
    expect(screen.getByText("No credit adjustments yet.")).toBeInTheDocument();
    expect(screen.getByText("No reconciliation run saved yet.")).toBeInTheDocument();
    expect(document.querySelector(".recharts-surface")).toBeNull();
  });

  it("says so when the figures cannot be loaded", async () => {
    renderDashboard("dpo", rpcError(500, "XX000", "money_stats: statement timeout"));
    expect(await screen.findByText("Could not load the money figures")).toBeInTheDocument();
    expect(screen.getByText("Statement timeout")).toBeInTheDocument();
  });

  it("admin gets the 403 page and no call", async () => {
    const { rpcCalls } = renderDashboard("admin", STATS);
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
  });
});

describe("money_stats reshaping", () => {
  it("pivots refunds per week by reason: counts across currencies, amounts for one currency in major units", () => {
    expect(refundWeeks(STATS, "count", null)).toEqual([
      { week: "2026-11-09", duplicate: 1, fraudulent: 0, requested_by_customer: 3 },
      { week: "2026-11-16", duplicate: 0, fraudulent: 1, requested_by_customer: 2 },
    ]);
    expect(refundWeeks(STATS, "amount", "thb")).toEqual([
      { week: "2026-11-09", duplicate: 299, fraudulent: 0, requested_by_customer: 897 },
      { week: "2026-11-16", duplicate: 0, fraudulent: 0, requested_by_customer: 598 },
    ]);
    expect(refundWeeks({ ...EMPTY, refunds_per_week: [{ week: "2026-11-09", reason: "duplicate", currency: "jpy", count: 1, amount: 5000 }] }, "amount", "jpy")[0]!.duplicate).toBe(5000);
    expect(refundCurrencies(STATS)).toEqual(["thb", "usd"]);
    // A week without refunds between two with refunds keeps its place, at zero.
    const gap = refundWeeks({ ...EMPTY, refunds_per_week: [STATS.refunds_per_week[0]!, { ...STATS.refunds_per_week[2]!, week: "2026-11-30" }] }, "count", null);
    expect(gap.map((w) => [w.week, w.requested_by_customer, w.fraudulent])).toEqual([
      ["2026-11-09", 3, 0],
      ["2026-11-16", 0, 0],
      ["2026-11-23", 0, 0],
      ["2026-11-30", 0, 1],
    ]);
  });
  it("splits adjustments by reason into status columns and orders runs oldest first", () => {
    expect(adjustmentsByReason(STATS, "count")).toEqual([
      { reason: "goodwill", applied: 12, pending: 2, rejected: 0 },
      { reason: "correction", applied: 0, pending: 0, rejected: 1 },
    ]);
    expect(adjustmentsByReason(STATS, "credits")[0]).toEqual({ reason: "goodwill", applied: 2400, pending: 1600, rejected: 0 });
    expect(runSeries(STATS).map((r) => [r.id, r.discrepancies, r.file])).toEqual([
      ["run-1", 0, "pull"],
      ["run-2", 4, "balance_report_nov.csv"],
    ]);
  });
});
