import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { answerRpc, rpcError, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { latestMedian, type DsarStats } from "./dashboard";
import { dsarDataFor } from "./test-fixtures";

const STATS: DsarStats = {
  generated_at: "2026-11-26T05:00:00Z",
  open_by_days_left: [
    { bucket: "overdue", count: 3 },
    { bucket: "0-7", count: 5 },
    { bucket: "8-14", count: 2 },
    { bucket: "15-30", count: 7 },
    { bucket: "31+", count: 0 },
  ],
  requests_per_week: [{ week: "2026-11-16", access: 2, portability: 0, rectification: 1, erasure: 3, restriction: 0, objection: 1, complaint: 0 }],
  on_time_by_month: [
    { month: "2026-10-01", on_time: 8, late: 1, median_days_to_close: "12.5" },
    { month: "2026-11-01", on_time: 4, late: 2, median_days_to_close: null },
  ],
};

describe("DSAR dashboard", () => {
  it("shows the headline figures and the four charts from dsar_stats", async () => {
    signInAs("auditor");
    const { rpcCalls } = renderConsole("/dsar/dashboard", { rowsFor: dsarDataFor([]), rpc: (fn) => (fn === "dsar_stats" ? { body: STATS } : undefined) });
    expect(await screen.findByText("Open requests")).toBeInTheDocument();
    const overdue = screen.getByText("Overdue").closest(".ant-statistic")!;
    expect(within(overdue as HTMLElement).getByText("3")).toBeInTheDocument();
    const open = screen.getByText("Open requests").closest(".ant-statistic")!;
    expect(within(open as HTMLElement).getByText("17")).toBeInTheDocument();
    const closed = screen.getByText("Closed, last 12 months").closest(".ant-statistic")!;
    expect(within(closed as HTMLElement).getByText("15")).toBeInTheDocument();
    for (const title of ["Open requests by days left", "Requests per week by type", "On time vs late, per month closed", "Median days to close, per month"]) {
      expect(screen.getByRole("region", { name: title })).toBeInTheDocument();
    }
    expect(rpcCalls.map((c) => c.fn)).toEqual(["dsar_stats"]);
  });

  it("says so when the figures cannot be loaded", async () => {
    signInAs("dpo");
    renderConsole("/dsar/dashboard", {
      rowsFor: dsarDataFor([]),
      rpc: answerRpc("dsar_stats", rpcError(500, "XX000", "statement timeout")),
    });
    expect(await screen.findByText("Could not load the DSAR figures")).toBeInTheDocument();
    expect(screen.getByText("statement timeout")).toBeInTheDocument();
  });

  it("support gets the 403 page", async () => {
    signInAs("support");
    const { rpcCalls } = renderConsole("/dsar/dashboard", { rowsFor: dsarDataFor([]) });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
  });

  it("the median shown is the latest month that closed something", () => {
    expect(latestMedian(STATS.on_time_by_month)).toBe(12.5);
    expect(latestMedian([])).toBeNull();
  });
});
