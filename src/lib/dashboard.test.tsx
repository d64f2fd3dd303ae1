import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { sizeChartsInTests } from "../test/chartLayout";
import { ChartCard, HeadlineFigures, stackedBarChart } from "./dashboard";

const WEEKS = [
  { week: "11-09", access: 2, erasure: 1 },
  { week: "11-16", access: 0, erasure: 3 },
];
const SERIES = [
  { key: "access", name: "Access", fill: "#5b3cc4" },
  { key: "erasure", name: "Erasure", fill: "#f5222d" },
];

describe("ChartCard with a stacked bar chart", () => {
  sizeChartsInTests();

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

describe("HeadlineFigures", () => {
  it("shows each figure under its title, coloured only when it calls for attention", () => {
    render(
      <HeadlineFigures
        figures={[
          { title: "Open requests", value: 17 },
          { title: "Overdue", value: 3, alertColour: "#f5222d" },
        ]}
      />,
    );
    const figure = (title: string) => screen.getByText(title).closest(".ant-statistic") as HTMLElement;
    expect(within(figure("Open requests")).getByText("17")).toBeInTheDocument();
    expect(within(figure("Overdue")).getByText("3")).toBeInTheDocument();
    expect((figure("Overdue").querySelector(".ant-statistic-content") as HTMLElement).style.color).toBe("rgb(245, 34, 45)");
    expect((figure("Open requests").querySelector(".ant-statistic-content") as HTMLElement).style.color).toBe("");
  });
});
