import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { signInAs, type RpcHandler } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { policiesDataFor, policyVersion } from "./test-fixtures";

const RE_ACCEPT = policyVersion({ change_class: "re_accept", change_reason: "Analytics now needs consent" });
const PENDING = [
  { customer_id: "11111111-1111-4111-8111-111111111111", status: "pending", event_id: null, decided_at: null, account_restricted: false },
  { customer_id: "22222222-2222-4222-8222-222222222222", status: "pending", event_id: 41, decided_at: "2026-06-01T03:00:00Z", account_restricted: false },
];
const rpc: RpcHandler = (fn) => {
  if (fn === "policy_reacceptance_summary") return { body: { policy_version_id: RE_ACCEPT.id, active_customers: 10, pending: 7, accepted: 2, declined: 1, restricted: 1 } };
  if (fn === "policy_reacceptance") return { rows: PENDING };
  return undefined;
};

describe("re-acceptance of a re_accept version", () => {
  it.each(["dpo", "auditor"])("%s sees the counts, the coverage and the pending list", async (role) => {
    signInAs(role);
    const { backend } = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc });
    expect(await screen.findByText("Analytics now needs consent")).toBeInTheDocument();
    const card = (await screen.findByText("Re-acceptance")).closest(".ant-card") as HTMLElement;
    await waitFor(() => expect(within(card).getByText("Coverage")).toBeInTheDocument());
    expect(within(card).getByText("20")).toBeInTheDocument(); // 2 of 10 accepted
    const list = await within(card).findByRole("table", { name: "Customers pending re-acceptance" });
    expect(await within(list).findByText(PENDING[1]!.customer_id)).toBeInTheDocument();
    expect(within(list).getByText("none yet")).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: /Export CSV/ })).toBeInTheDocument();
    const calls = backend.rpcCalls.filter((c) => c.fn === "policy_reacceptance");
    expect(calls[0]!.args).toEqual({ p_policy_version_id: RE_ACCEPT.id });
    expect(backend.requestsTo("/rest/v1/rpc/policy_reacceptance")[0]!.url.searchParams.get("status")).toBe("eq.pending");
  });

  it("support reads the version but not the re-acceptance tracking", async () => {
    signInAs("support");
    const { backend } = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc });
    expect(await screen.findByText("Analytics now needs consent")).toBeInTheDocument();
    expect(screen.queryByText("Re-acceptance")).not.toBeInTheDocument();
    expect(backend.rpcCalls.filter((c) => c.fn.startsWith("policy_reacceptance"))).toHaveLength(0);
  });
});
