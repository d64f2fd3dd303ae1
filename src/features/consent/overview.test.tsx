import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { rpcError, signInAs, type RpcHandler } from "../../test/fakeBackend";
import { sizeChartsInTests } from "../../test/chartLayout";
import { currentLocation, renderConsole } from "../../test/renderConsole";
import { consentDataFor, OPT_IN_ROWS, SHARE_ROWS } from "./test-fixtures";

const OVERVIEW_FUNCTIONS = ["consent_opt_in_over_time", "policy_version_share"];
const rpc: RpcHandler = (fn) => {
  if (fn === "consent_opt_in_over_time") return { rows: OPT_IN_ROWS };
  if (fn === "policy_version_share") return { rows: SHARE_ROWS };
  return undefined;
};

async function region(name: string): Promise<HTMLElement> {
  return screen.findByRole("region", { name });
}

describe("consent overview", () => {
  sizeChartsInTests();
  // 20:00 UTC on 15 June is already 16 June in Bangkok: the period ends on the Bangkok day.
  beforeEach(() => vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-06-15T20:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  it.each(["dpo", "auditor"])("the %s sees the opt-in rates the function computed, as lines and as a table", async (role) => {
    signInAs(role);
    const { backend } = renderConsole("/consent?tab=overview&period=12w", { rowsFor: consentDataFor(), rpc });
    const card = await region("Opt-in rate per purpose");
    expect(await within(card).findByText("Marketing e-mail")).toBeInTheDocument(); // the legend
    expect(card.querySelectorAll(".recharts-line")).toHaveLength(5);
    await waitFor(() => expect(backend.rpcCalls.filter((c) => c.fn === "consent_opt_in_over_time")).toHaveLength(1));
    expect(backend.rpcCalls.find((c) => c.fn === "consent_opt_in_over_time")!.args).toEqual({ p_from: "2026-03-30", p_to: "2026-06-16", p_bucket: "week" });

    await userEvent.click(within(card).getByRole("button", { name: "Show as table" }));
    const table = within(card).getByRole("table", { name: "Opt-in rate per purpose, by period" });
    const rows = within(table).getAllByRole("row");
    expect(within(rows[1]!).getByText("2026-06-01 – 2026-06-07")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("87.5% (7 of 8)")).toBeInTheDocument(); // privacy policy
    expect(within(rows[2]!).getByText("10.0% (1 of 10)")).toBeInTheDocument(); // marketing e-mail
    expect(within(rows[2]!).getByText("10")).toBeInTheDocument(); // active customers
    await userEvent.click(within(card).getByRole("button", { name: "Show as chart" }));
    expect(within(card).queryByRole("table")).not.toBeInTheDocument();
  });

  it("the share of customers per version: the headline, the bars and the table come from policy_version_share", async () => {
    signInAs("dpo");
    renderConsole("/consent?tab=overview", { rowsFor: consentDataFor(), rpc });
    const card = await region("Customers per policy version");
    expect(await within(card).findByText("62.5%")).toBeInTheDocument(); // 10 of 16 on the privacy policy in force
    expect(within(card).getByText("Never accepted")).toBeInTheDocument(); // legend
    await userEvent.click(within(card).getByRole("button", { name: "Show as table" }));
    const table = within(card).getByRole("table", { name: "Active customers per policy version" });
    const older = within(table).getByText("2025-11-01").closest("tr") as HTMLElement;
    expect(within(older).getByText("Older version")).toBeInTheDocument();
    expect(within(older).getByText("4")).toBeInTheDocument();
    expect(within(older).getByText("25.0%")).toBeInTheDocument();
    expect(within(table).getAllByText("Never accepted")).toHaveLength(3);
  });

  it("the period is kept in the URL and asked of the function; the default period leaves the URL plain", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/consent?tab=overview", { rowsFor: consentDataFor(), rpc });
    await region("Opt-in rate per purpose");
    await waitFor(() => expect(backend.rpcCalls.some((c) => c.fn === "consent_opt_in_over_time")).toBe(true));
    expect(currentLocation().searchParams.get("period")).toBeNull();
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Period" }));
    await userEvent.click(await screen.findByTitle("Last 30 days (daily)"));
    await waitFor(() => expect(currentLocation().searchParams.get("period")).toBe("30d"));
    await waitFor(() => expect(backend.rpcCalls.filter((c) => c.fn === "consent_opt_in_over_time").at(-1)!.args).toEqual({ p_from: "2026-05-18", p_to: "2026-06-16", p_bucket: "day" }));
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Period" }));
    await userEvent.click(await screen.findByTitle("Last 12 months (monthly)"));
    await waitFor(() => expect(backend.rpcCalls.filter((c) => c.fn === "consent_opt_in_over_time").at(-1)!.args).toEqual({ p_from: "2025-07-01", p_to: "2026-06-16", p_bucket: "month" }));
    expect(currentLocation().searchParams.get("tab")).toBe("overview");
  });

  it("the log tab asks for no chart; the overview tab does not load the log", async () => {
    signInAs("dpo");
    const { backend } = renderConsole("/consent", { rowsFor: consentDataFor(), rpc });
    await screen.findByRole("table", { name: "Consent events" });
    expect(backend.rpcCalls.filter((c) => OVERVIEW_FUNCTIONS.includes(c.fn))).toHaveLength(0);
    await userEvent.click(screen.getByRole("tab", { name: "Overview" }));
    await region("Opt-in rate per purpose");
    expect(currentLocation().searchParams.get("tab")).toBe("overview");
    expect(screen.queryByRole("table", { name: "Consent events" })).not.toBeInTheDocument();
  });

  it("a refusal is shown in words with a retry; no active customer is an empty state", async () => {
    signInAs("auditor");
    const failing: RpcHandler = (fn) => {
      if (fn === "consent_opt_in_over_time") return rpcError(400, "22023", "consent_opt_in_over_time: the period ends on 2026-06-17, after today (2026-06-16, Bangkok)");
      if (fn === "policy_version_share") return { rows: SHARE_ROWS.map((r) => ({ ...r, customers: 0, active_customers: 0, share: null })) };
      return undefined;
    };
    renderConsole("/consent?tab=overview", { rowsFor: consentDataFor(), rpc: failing });
    const card = await region("Opt-in rate per purpose");
    expect(await within(card).findByText("Could not load the opt-in rates")).toBeInTheDocument();
    expect(within(card).getByText(/after today \(2026-06-16, Bangkok\)/)).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Retry" })).toBeInTheDocument();
    const share = await region("Customers per policy version");
    expect(await within(share).findByText("There are no active customers.")).toBeInTheDocument();
    expect(within(share).queryByRole("button", { name: "Show as table" })).not.toBeInTheDocument();
  });

  it("says it is loading while the function answers", async () => {
    signInAs("dpo");
    const slow: RpcHandler = (fn, args) => (fn === "consent_opt_in_over_time" ? { rows: OPT_IN_ROWS, delayMs: 300 } : rpc(fn, args));
    renderConsole("/consent?tab=overview", { rowsFor: consentDataFor(), rpc: slow });
    const card = await region("Opt-in rate per purpose");
    expect(within(card).getByLabelText("Loading the figures…")).toBeInTheDocument();
    expect(await within(card).findByRole("button", { name: "Show as table" })).toBeInTheDocument();
    expect(within(card).queryByLabelText("Loading the figures…")).not.toBeInTheDocument();
  });

  it("an empty period says so", async () => {
    signInAs("dpo");
    const empty: RpcHandler = (fn) => (fn === "consent_opt_in_over_time" ? { rows: OPT_IN_ROWS.map((r) => ({ ...r, active_customers: 0, granted: 0, rate: null })) } : rpc(fn, {}));
    renderConsole("/consent?tab=overview", { rowsFor: consentDataFor(), rpc: empty });
    const card = await region("Opt-in rate per purpose");
    expect(await within(card).findByText("No customer was active in this period.")).toBeInTheDocument();
  });

  it.each(["support", "finance", "admin"])("the %s neither sees the overview nor calls its functions", async (role) => {
    signInAs(role);
    const { backend } = renderConsole("/consent?tab=overview", { rowsFor: consentDataFor(), rpc });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Opt-in rate per purpose" })).not.toBeInTheDocument();
    expect(backend.rpcCalls.filter((c) => OVERVIEW_FUNCTIONS.includes(c.fn))).toHaveLength(0);
  });
});
