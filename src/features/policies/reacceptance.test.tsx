import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import Papa from "papaparse";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureDownloads } from "../../test/downloads";
import { signInAs, type RpcHandler } from "../../test/fakeBackend";
import { currentLocation, renderConsole } from "../../test/renderConsole";
import { policiesDataFor, policyVersion } from "./test-fixtures";

const RE_ACCEPT = policyVersion({ change_class: "re_accept", change_reason: "Analytics now needs consent" });
const ANONG = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";
const CHAI = "33333333-3333-4333-8333-333333333333";
const DAO = "44444444-4444-4444-8444-444444444444";
const person = (overrides: Record<string, unknown>) => ({
  email: null,
  display_name: null,
  status: "pending",
  event_id: null,
  decided_at: null,
  account_restricted: false,
  withdrawn_purposes: null,
  declined_at: null,
  ...overrides,
});
/** As the DPO reads them: people (RLS on customers lets the e-mail through). */
const PENDING = [
  person({ customer_id: ANONG, email: "anong@example.co.th", display_name: "Anong Srisuk" }),
  person({ customer_id: BOB, email: "=cmd|' /C calc'!A0", display_name: null, event_id: 41, decided_at: "2026-06-01T03:00:00Z" }),
];
const DECLINED = [
  person({ customer_id: CHAI, email: "chai@example.com", display_name: "Chai W.", status: "declined", event_id: 52, decided_at: "2026-06-02T03:00:00Z", account_restricted: true, withdrawn_purposes: ["analytics", "marketing_email"], declined_at: "2026-06-02T03:00:00Z" }),
  person({ customer_id: DAO, email: "dao@example.com", display_name: null, status: "declined", event_id: 53, decided_at: "2026-06-03T03:00:00Z" }),
];
const SUMMARY = { policy_version_id: RE_ACCEPT.id, active_customers: 10, pending: 6, accepted: 2, declined: 2, restricted: 1 };

/** The fake answers the function's rows; the status the page asked for is in the request (checked), the rows follow it. */
function backendFor(auditor = false) {
  let rows: Record<string, unknown>[] = PENDING;
  const rpc: RpcHandler = (fn) => {
    if (fn === "policy_reacceptance_summary") return { body: SUMMARY };
    if (fn === "policy_reacceptance_people") return { rows: auditor ? rows.map((r) => ({ ...r, email: null, display_name: null })) : rows };
    return undefined;
  };
  return { rpc, answer: (next: Record<string, unknown>[]) => (rows = next) };
}

afterEach(() => vi.restoreAllMocks());

describe("re-acceptance of a re_accept version: the customers by answer", () => {
  it("the DPO sees people linked to their page, filters by answer on the server, and sees what a decline did", async () => {
    signInAs("dpo");
    const fake = backendFor();
    // The declined answer is held back a moment, to see what the table shows meanwhile.
    const delayFor = (url: URL) => (url.searchParams.get("status") === "eq.declined" ? 400 : 0);
    const { backend } = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: fake.rpc, delayFor });
    const card = (await screen.findByText("Re-acceptance")).closest(".ant-card") as HTMLElement;
    expect(await within(card).findByText("20")).toBeInTheDocument(); // coverage: 2 of 10 accepted
    const pending = await within(card).findByRole("table", { name: "Customers pending re-acceptance" });
    const anong = await within(pending).findByRole("link", { name: /Anong Srisuk/ });
    expect(anong).toHaveAttribute("href", `/customers/${ANONG}`);
    expect(within(anong).getByText("anong@example.co.th")).toBeInTheDocument();
    expect(within(pending).queryByText(ANONG)).not.toBeInTheDocument();
    expect(within(pending).getByText("not yet")).toBeInTheDocument();
    const first = backend.requestsTo("/rest/v1/rpc/policy_reacceptance_people")[0]!.url.searchParams;
    expect([first.get("status"), first.get("order"), first.get("offset"), first.get("limit")]).toEqual(["eq.pending", "customer_id.asc", "0", "20"]);
    expect(backend.rpcCalls.find((c) => c.fn === "policy_reacceptance_people")!.args).toEqual({ p_policy_version_id: RE_ACCEPT.id });

    fake.answer(DECLINED);
    await userEvent.click(within(card).getByRole("radio", { name: "Declined (2)" }));
    // While the declined customers load, the pending ones are not shown under the declined heading.
    const declined = await within(card).findByRole("table", { name: "Customers who declined" });
    expect(within(declined).queryByRole("link", { name: /Anong Srisuk/ })).not.toBeInTheDocument();
    expect(await within(declined).findByText("Consent withdrawn: Product analytics, Marketing e-mail")).toBeInTheDocument();
    expect(within(declined).getByText("Account restricted")).toBeInTheDocument();
    // A refusal made outside the prompt has no decline record: said so, not guessed.
    expect(within(declined).getByText("Refused outside the prompt: no withdrawal or restriction recorded")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/rpc/policy_reacceptance_people").at(-1)!.url.searchParams.get("status")).toBe("eq.declined");
    // Nothing of this in the page's address: the version page stays the version page.
    expect(currentLocation().search).toBe("");
  });

  it("the export holds every customer of the answer shown, people and what followed, formula-guarded", async () => {
    const downloads = captureDownloads("csv");
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    signInAs("dpo");
    const fake = backendFor();
    const { backend } = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: fake.rpc });
    const card = (await screen.findByText("Re-acceptance")).closest(".ant-card") as HTMLElement;
    await within(card).findByRole("link", { name: /Anong Srisuk/ });
    await userEvent.click(within(card).getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloads.blobs).toHaveLength(1));
    const parsed = Papa.parse<Record<string, string>>((await downloads.text(0)).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true });
    expect(parsed.data).toEqual([
      { customer_id: ANONG, email: "anong@example.co.th", display_name: "Anong Srisuk", status: "pending", latest_event_id: "", latest_event_at: "", withdrawn_purposes: "", account_restricted: "false" },
      { customer_id: BOB, email: "'=cmd|' /C calc'!A0", display_name: "", status: "pending", latest_event_id: "41", latest_event_at: "2026-06-01T03:00:00Z", withdrawn_purposes: "", account_restricted: "false" },
    ]);
    expect(names[0]).toMatch(/^reacceptance-pending-2026-05-12-\d{8}-\d{4}\.csv$/);
    const read = backend.requestsTo("/rest/v1/rpc/policy_reacceptance_people").at(-1)!.url.searchParams;
    expect([read.get("status"), read.get("order"), read.get("limit")]).toEqual(["eq.pending", "customer_id.asc", "1000"]);

    fake.answer(DECLINED);
    await userEvent.click(within(card).getByRole("radio", { name: "Declined (2)" }));
    await within(card).findByRole("table", { name: "Customers who declined" });
    await userEvent.click(within(card).getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloads.blobs).toHaveLength(2));
    const declined = Papa.parse<Record<string, string>>((await downloads.text(1)).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true });
    expect(declined.data[0]).toMatchObject({ customer_id: CHAI, status: "declined", withdrawn_purposes: "analytics marketing_email", account_restricted: "true" });
    expect(backend.requestsTo("/rest/v1/rpc/policy_reacceptance_people").at(-1)!.url.searchParams.get("status")).toBe("eq.declined");
  });

  it("the auditor tracks the same answers by customer id: no contact data, no link to a customer page", async () => {
    signInAs("auditor");
    const fake = backendFor(true);
    renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: fake.rpc });
    const card = (await screen.findByText("Re-acceptance")).closest(".ant-card") as HTMLElement;
    const pending = await within(card).findByRole("table", { name: "Customers pending re-acceptance" });
    expect(await within(pending).findByText("customer 11111111…")).toBeInTheDocument();
    expect(within(pending).queryByRole("link")).not.toBeInTheDocument();
    expect(within(pending).queryByText(/@/)).not.toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Export CSV" })).toBeInTheDocument();
  });

  it.each(["support", "finance"])("%s reads the version but not the re-acceptance tracking, and asks for none of it", async (role) => {
    signInAs(role);
    const fake = backendFor();
    const { backend } = renderConsole(`/policies/${RE_ACCEPT.id}`, { rowsFor: policiesDataFor([RE_ACCEPT]), rpc: fake.rpc });
    expect(await screen.findByText("Analytics now needs consent")).toBeInTheDocument();
    expect(screen.queryByText("Re-acceptance")).not.toBeInTheDocument();
    expect(backend.rpcCalls.filter((c) => c.fn.startsWith("policy_reacceptance"))).toHaveLength(0);
  });
});
