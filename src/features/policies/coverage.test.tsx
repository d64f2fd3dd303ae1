import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { rpcError, signInAs, type RpcHandler } from "../../test/fakeBackend";
import { sizeChartsInTests } from "../../test/chartLayout";
import { renderConsole } from "../../test/renderConsole";
import { policiesDataFor, policyVersion } from "./test-fixtures";

const RE_ACCEPT = policyVersion({ change_class: "re_accept", change_reason: "Analytics now needs consent" });
const day = (d: string, active: number, accepted: number, declined: number) => ({
  day: d, as_of: `${d}T17:00:00Z`, active_customers: active, accepted, declined, pending: active - accepted - declined,
});
/** policy_reacceptance_over_time: three days since publication. */
const DAYS = [day("2026-06-01", 10, 0, 0), day("2026-06-02", 10, 3, 1), day("2026-06-03", 11, 6, 1)];
const rpc = (days: unknown[] = DAYS): RpcHandler => (fn) => {
  if (fn === "policy_reacceptance_over_time") return { rows: days };
  if (fn === "policy_reacceptance_summary") return { body: { policy_version_id: RE_ACCEPT.id, active_customers: 11, pending: 4, accepted: 6, declined: 1, restricted: 1 } };
  if (fn === "policy_reacceptance") return { rows: [] };
  return undefined;
};

describe("re-acceptance coverage over time", () => {
  sizeChartsInTests();

  it.each(["dpo", "auditor"])("the %s sees the daily counts the function computed, as stacked areas and as a table", async (role) => {
    signInAs(role);
    const { backend } = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: rpc() });
    const card = await screen.findByRole("region", { name: "Coverage over time" });
    await waitFor(() => expect(card.querySelectorAll(".recharts-area")).toHaveLength(3));
    expect(within(card).getByText("Pending")).toBeInTheDocument(); // legend
    expect(backend.rpcCalls.find((c) => c.fn === "policy_reacceptance_over_time")!.args).toEqual({ p_policy_version_id: RE_ACCEPT.id });

    await userEvent.click(within(card).getByRole("button", { name: "Show as table" }));
    const table = within(card).getByRole("table", { name: "Re-acceptance per day" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(4); // newest first
    expect(rows.slice(1).map((r) => within(r).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["2026-06-03", "11", "6", "1", "4", "54.5%"],
      ["2026-06-02", "10", "3", "1", "6", "30.0%"],
      ["2026-06-01", "10", "0", "0", "10", "0.0%"],
    ]);
  });

  it("a refusal is shown in words; no active customer is an empty state", async () => {
    signInAs("dpo");
    const failing: RpcHandler = (fn, args) =>
      fn === "policy_reacceptance_over_time" ? rpcError(409, "PT409", "policy_reacceptance_over_time: privacy_policy version 2026-05-12 is published (notify)") : rpc()(fn, args);
    const first = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: failing });
    const card = await screen.findByRole("region", { name: "Coverage over time" });
    expect(await within(card).findByText("Could not load the coverage over time")).toBeInTheDocument();
    expect(within(card).getByText(/is published \(notify\)/)).toBeInTheDocument();
    first.unmount();

    renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: rpc([day("2026-06-01", 0, 0, 0)]) });
    const empty = await screen.findByRole("region", { name: "Coverage over time" });
    expect(await within(empty).findByText("No active customers to count yet.")).toBeInTheDocument();
  });

  it("no chart for a version not published as re_accept", async () => {
    signInAs("dpo");
    const notify = policyVersion({ change_class: "notify" });
    const { backend } = renderConsole(`/policies/${notify.id}`, { rowsFor: policiesDataFor([notify]), rpc: rpc() });
    expect(await screen.findByRole("heading", { name: /2026-05-12/ })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Coverage over time" })).not.toBeInTheDocument();
    expect(backend.rpcCalls.filter((c) => c.fn === "policy_reacceptance_over_time")).toHaveLength(0);
  });

  it.each(["support", "finance", "admin"])("the %s reads the version but neither sees nor asks for the coverage", async (role) => {
    signInAs(role);
    const { backend } = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: rpc() });
    expect(await screen.findByText("Analytics now needs consent")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Coverage over time" })).not.toBeInTheDocument();
    expect(backend.rpcCalls.filter((c) => c.fn === "policy_reacceptance_over_time")).toHaveLength(0);
  });
});
