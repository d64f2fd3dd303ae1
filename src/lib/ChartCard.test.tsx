import { render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChartCard, stackedBarChart } from "./ChartCard";

const WEEKS = [
  { week: "11-09", access: 2, erasure: 1 },
  { week: "11-16", access: 0, erasure: 3 },
];
const SERIES = [
  { key: "access", name: "Access", fill: "#5b3cc4" },
  { key: "erasure", name: "Erasure", fill: "#f5222d" },
];

describe("ChartCard with a stacked bar chart", () => {
  // jsdom lays nothing out: give the responsive container a size so recharts draws the bars and the legend.
  const original = HTMLElement.prototype.getBoundingClientRect;
  beforeEach(() => {
    HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
      return this.classList.contains("recharts-responsive-container") ? DOMRect.fromRect({ width: 560, height: 260 }) : original.call(this);
    };
  });
  afterEach(() => {
    HTMLElement.prototype.getBoundingClientRect = original;
  });

  it("draws every series, stacked, in a region named by the title, with the series in the legend", async () => {
    render(
      <ChartCard title="Requests per week" empty={false} emptyText="Nothing">
        {stackedBarChart({ data: WEEKS, xKey: "week", stackId: "types", series: SERIES })}
      </ChartCard>,
    );
    const region = screen.getByRole("region", { name: "Requests per week" });
    expect(await within(region).findByText("Access")).toBeInTheDocument();
    expect(within(region).getByText("Erasure")).toBeInTheDocument();
    expect(within(region).getByText("11-16")).toBeInTheDocument();
    // One rectangle per non-zero value: 2 + 1 in the first week, 3 in the second.
    expect(region.querySelectorAll(".recharts-bar-rectangle path").length).toBe(3);
    expect(within(region).queryByText("Nothing")).toBeNull();
  });

  it("shows the empty text instead of a chart when there is nothing to draw", () => {
    render(
      <ChartCard title="Requests per week" empty emptyText="No data in this period.">
        {stackedBarChart({ data: [], xKey: "week", stackId: "types", series: SERIES })}
      </ChartCard>,
    );
    const region = screen.getByRole("region", { name: "Requests per week" });
    expect(within(region).getByText("No data in this period.")).toBeInTheDocument();
    expect(region.querySelector(".recharts-surface")).toBeNull();
  });
});
