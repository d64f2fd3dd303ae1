import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { answerRpc, rpcError, signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { captureDownloads } from "../../test/downloads";
import { DPO_ID, dsarDataFor, dsarEvent, dsarRow } from "./test-fixtures";

const REQUEST = dsarRow();
const PATH = `/dsar/${REQUEST.id}`;
const EVENTS = [
  dsarEvent({ id: 2, kind: "identity_verified", from_status: "awaiting_verification", to_status: "in_progress", note: "Replied from the account address", actor_staff_id: DPO_ID, occurred_at: "2026-11-11T03:00:00Z" }),
  dsarEvent(),
];

function withRequest(overrides: Parameters<typeof dsarRow>[0], extra: Record<string, Record<string, unknown>[]> = {}) {
  return dsarDataFor([dsarRow(overrides)], EVENTS, extra);
}

describe("DSAR request page", () => {
  it("the DPO sees the clock, the subject, the timeline and the legal next steps for an access request in progress", async () => {
    signInAs("dpo");
    renderConsole(PATH, { rowsFor: dsarDataFor([REQUEST], EVENTS) });
    expect(await screen.findByRole("heading", { name: "DSAR-2026-0001" })).toBeInTheDocument();
    const header = screen.getByRole("region", { name: "Request" });
    expect(within(header).getByText("14 days left")).toBeInTheDocument();
    expect(within(header).getAllByText("2026-12-10 (Thu)").length).toBeGreaterThanOrEqual(2); // company target and statutory limit
    const actions = screen.getByRole("group", { name: "Request actions" });
    for (const name of ["Wait for the subject", "Mark fulfilled", "Reject…", "Mark withdrawn", "Close as duplicate…", "Assign", "Extend", "Add note"]) {
      expect(within(actions).getByRole("button", { name })).toBeInTheDocument();
    }
    expect(within(actions).queryByRole("button", { name: "Verify identity" })).not.toBeInTheDocument();
    expect(within(actions).queryByRole("button", { name: "Start work" })).not.toBeInTheDocument();
    const subject = screen.getByRole("region", { name: "Subject" });
    expect(within(subject).getByRole("link", { name: "Open customer page" })).toHaveAttribute("href", `/customers/${REQUEST.customer_id}`);
    expect(screen.getByRole("region", { name: "Access export" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Build export" })).toBeInTheDocument();
    const activity = screen.getByRole("region", { name: "Activity" });
    expect(await within(activity).findByText("Replied from the account address")).toBeInTheDocument();
    expect(within(activity).getByText("Identity verified")).toBeInTheDocument();
  });

  it("an extension shows on the clock: the company target moves, the statutory limit stays and still drives the tag", async () => {
    signInAs("dpo");
    renderConsole(PATH, {
      rowsFor: withRequest({
        extension_days: 14,
        extension_reason: "Archived projects to restore",
        promise_due_at: "2026-12-24T17:00:00Z",
        due_at: "2026-12-10T17:00:00Z",
        due_on: "2026-12-10",
        statutory_due_on: "2026-12-10",
        days_left: 14,
      }),
    });
    const header = await screen.findByRole("region", { name: "Request" });
    expect(within(header).getByText("extended 14 days")).toBeInTheDocument();
    expect(within(header).getByText("Archived projects to restore")).toBeInTheDocument();
    expect(within(header).getByText("2026-12-24 (Thu)")).toBeInTheDocument(); // company target
    expect(within(header).getAllByText(/2026-12-10 \(Thu\)/).length).toBeGreaterThanOrEqual(2); // statutory limit, and the due date under the tag
    expect(within(header).getByText("14 days left")).toBeInTheDocument();
  });

  it("a new unverified request offers identity verification, not 'start work', and records the chosen method", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole(PATH, {
      rowsFor: withRequest({ status: "new", identity_verified_at: null, identity_method: null }),
      rpc: (fn) => (fn === "dsar_verify_identity" ? { body: dsarRow({ status: "in_progress" }) } : undefined),
    });
    const actions = await screen.findByRole("group", { name: "Request actions" });
    expect(within(actions).queryByRole("button", { name: "Start work" })).not.toBeInTheDocument();
    expect(within(actions).queryByRole("button", { name: "Mark fulfilled" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Access export" })).not.toBeInTheDocument();
    await userEvent.click(within(actions).getByRole("button", { name: "Verify identity" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.mouseDown(within(dialog).getByRole("combobox", { name: "Verification method" }));
    await userEvent.click(await screen.findByTitle("ID document seen"));
    await userEvent.type(within(dialog).getByLabelText("Verification note"), "Passport checked on video call");
    await userEvent.click(within(dialog).getByRole("button", { name: "Record verification" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(1));
    expect(rpcCalls[0]).toEqual({ fn: "dsar_verify_identity", args: { p_request_id: REQUEST.id, p_method: "id_document", p_note: "Passport checked on video call" }, role: "dpo", method: "POST" });
  });

  it("rejecting needs a refusal ground: without one nothing is sent, with one it goes to dsar_transition", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole(PATH, {
      rowsFor: dsarDataFor([REQUEST], EVENTS),
      rpc: (fn) => (fn === "dsar_transition" ? { body: dsarRow({ status: "rejected" }) } : undefined),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Reject…" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Confirm" }));
    expect(await within(dialog).findByText(/Give the refusal ground/)).toBeInTheDocument();
    expect(rpcCalls).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText("Refusal ground"), "Manifestly excessive: fifth identical request this month");
    await userEvent.click(within(dialog).getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(1));
    expect(rpcCalls[0]!.args).toEqual({
      p_request_id: REQUEST.id,
      p_to_status: "rejected",
      p_note: null,
      p_refusal_ground: "Manifestly excessive: fifth identical request this month",
    });
  });

  it("a refusal from the database is shown in the dialog with its message", async () => {
    signInAs("dpo");
    renderConsole(PATH, {
      rowsFor: dsarDataFor([REQUEST], EVENTS),
      rpc: answerRpc("dsar_transition", rpcError(409, "PT409", "dsar_transition: processor tasks of DSAR-2026-0001 are still open: clerk, r2")),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Mark fulfilled" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Confirm" }));
    expect(await within(dialog).findByText("dsar_transition: processor tasks of DSAR-2026-0001 are still open: clerk, r2")).toBeInTheDocument();
  });

  it("an erasure cannot be marked fulfilled until it ran and every processor task is done", async () => {
    signInAs("dpo");
    const task = (id: string, status: "open" | "done") => ({ id, request_id: REQUEST.id, processor: "clerk", action: "delete user", status, done_by: null, done_at: null, note: null });
    const view = renderConsole(PATH, { rowsFor: withRequest({ type: "erasure" }, { dsar_processor_tasks: [task("t1", "done"), task("t2", "open")] }) });
    const actions = await screen.findByRole("group", { name: "Request actions" });
    await waitFor(() => expect(within(actions).getByRole("button", { name: "Mark fulfilled" })).toBeDisabled());
    expect(within(actions).getByRole("button", { name: "Mark fulfilled" })).toHaveAttribute("title", "1 processor task is still open.");
    view.unmount();

    renderConsole(PATH, { rowsFor: withRequest({ type: "erasure" }, { dsar_processor_tasks: [task("t1", "done"), task("t2", "done")] }) });
    const ready = await screen.findByRole("group", { name: "Request actions" });
    await waitFor(() => expect(within(ready).getByRole("button", { name: "Mark fulfilled" })).toBeEnabled());
  });

  it("a closed request offers no transitions and no fulfilment", async () => {
    signInAs("dpo");
    renderConsole(PATH, { rowsFor: withRequest({ status: "fulfilled", is_open: false, closed_at: "2026-11-20T03:00:00Z" }) });
    const actions = await screen.findByRole("group", { name: "Request actions" });
    expect(within(actions).getAllByRole("button").map((b) => b.textContent)).toEqual(["Add note"]);
    expect(screen.queryByRole("region", { name: "Access export" })).not.toBeInTheDocument();
    expect(screen.getByText("closed")).toBeInTheDocument();
  });

  it("an erasure request shows the preview per category before anything is executed", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole(PATH, {
      rowsFor: withRequest({ type: "erasure" }, { dsar_processor_tasks: [] }),
      rpc: (fn) =>
        fn === "dsar_erasure_preview"
          ? {
              body: [
                { category: "projects", action: "delete", row_count: 3, reason: null },
                { category: "payments", action: "keep", row_count: 2, reason: "Payment records 7 years (Thai tax law)" },
              ],
            }
          : undefined,
    });
    await userEvent.click(await screen.findByRole("button", { name: "Preview erasure" }));
    const preview = await screen.findByRole("table", { name: "Erasure preview" });
    expect(within(preview).getByText("Payment records 7 years (Thai tax law)")).toBeInTheDocument();
    expect(within(preview).getByText("delete")).toBeInTheDocument();
    expect(rpcCalls.map((c) => c.fn)).toEqual(["dsar_erasure_preview"]);
    // Executing asks for the reference to be typed first.
    await userEvent.click(screen.getByRole("button", { name: "Execute erasure…" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByRole("button", { name: "Execute erasure" })).toBeDisabled();
  });

  it("an erasure preview with rows on legal hold labels them, says why, and keeps Execute disabled", async () => {
    signInAs("dpo");
    const hold = "Legal hold h1: Chargeback dispute CB-114 (placed 2026-11-20 by Dpo Person, review by 2027-03-01). Erasing these rows is refused until the hold is released.";
    const { rpcCalls } = renderConsole(PATH, {
      rowsFor: withRequest({ type: "erasure" }, { dsar_processor_tasks: [] }),
      rpc: (fn) =>
        fn === "dsar_erasure_preview"
          ? {
              body: [
                { category: "projects", action: "delete", row_count: 3, reason: null },
                { category: "payments", action: "held", row_count: 2, reason: hold },
              ],
            }
          : undefined,
    });
    await userEvent.click(await screen.findByRole("button", { name: "Preview erasure" }));
    const preview = await screen.findByRole("table", { name: "Erasure preview" });
    const heldRow = within(preview).getByText(hold).closest("tr")!;
    expect(within(heldRow).getByText("held (legal hold)")).toHaveClass("ant-tag-purple");
    expect(screen.getByText(/A legal hold keeps some of this data/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Execute erasure…" })).toBeDisabled();
    expect(rpcCalls.map((c) => c.fn)).toEqual(["dsar_erasure_preview"]);
  });

  it("erasure: execute after typing the reference, tick off the processors, then view the certificate", async () => {
    signInAs("dpo");
    const tasks: Record<string, unknown>[] = [];
    const task = (id: string, processor: string, action: string) => ({ id, request_id: REQUEST.id, processor, action, status: "open", done_by: null, done_at: null, note: null });
    const { rpcCalls } = renderConsole(PATH, {
      rowsFor: (role) => ({ ...withRequest({ type: "erasure" })(role), dsar_processor_tasks: tasks }),
      rpc: (fn, args) => {
        const plan = [
          { category: "projects", action: "delete", row_count: 3, reason: null },
          { category: "payments", action: "keep", row_count: 2, reason: "Payment records 7 years (Thai tax law)" },
        ];
        if (fn === "dsar_erasure_preview") return { body: plan };
        if (fn === "dsar_execute_erasure") {
          tasks.push(task("t-clerk", "clerk", "Delete the Clerk user"), task("t-r2", "r2", "Delete the R2 objects"));
          return { body: plan };
        }
        if (fn === "dsar_complete_processor_task") {
          const done = tasks.find((t) => t.id === args.p_task_id)!;
          Object.assign(done, { status: "done", done_at: "2026-11-26T04:00:00Z", note: args.p_note });
          return { body: done };
        }
        if (fn === "dsar_erasure_certificate") return { body: { certificate: "erasure", reference: REQUEST.reference, kept: [{ category: "payments" }] } };
        return undefined;
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Preview erasure" }));
    await screen.findByRole("table", { name: "Erasure preview" });
    await userEvent.click(screen.getByRole("button", { name: "Execute erasure…" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText("Type the reference to confirm"), "dsar-2026-0001");
    await userEvent.click(within(dialog).getByRole("button", { name: "Execute erasure" }));
    expect(await screen.findByRole("table", { name: "Erasure result" })).toBeInTheDocument();
    expect(await screen.findByText("Processor checklist (0 of 2 done)")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "View certificate" })).toBeDisabled();

    await userEvent.type(screen.getByLabelText("Note for clerk"), "Clerk user deleted, ticket 42");
    const checklist = screen.getByRole("table", { name: "Processor checklist" });
    const clerkRow = within(checklist).getByText("clerk").closest("tr")!;
    await userEvent.click(within(clerkRow).getByRole("button", { name: "Mark done" }));
    expect(await screen.findByText("Processor checklist (1 of 2 done)")).toBeInTheDocument();
    const r2Row = within(screen.getByRole("table", { name: "Processor checklist" })).getByText("r2").closest("tr")!;
    await userEvent.click(within(r2Row).getByRole("button", { name: "Mark done" }));
    expect(await screen.findByText("Processor checklist (2 of 2 done)")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "View certificate" }));
    expect(await screen.findByLabelText("Erasure certificate")).toHaveTextContent('"reference": "DSAR-2026-0001"');
    expect(rpcCalls.map((c) => c.fn)).toEqual([
      "dsar_erasure_preview",
      "dsar_execute_erasure",
      "dsar_complete_processor_task",
      "dsar_complete_processor_task",
      "dsar_erasure_certificate",
    ]);
    expect(rpcCalls[2]!.args).toEqual({ p_task_id: "t-clerk", p_note: "Clerk user deleted, ticket 42" });
    expect(rpcCalls[3]!.args).toEqual({ p_task_id: "t-r2", p_note: null });
  }, 40_000);

  it("an unmatched request is matched to a customer found by email from the subject panel", async () => {
    signInAs("dpo");
    const { rpcCalls, backend } = renderConsole(PATH, {
      rowsFor: withRequest({ customer_id: null, customer_email: null, customer_display_name: null, customer_processing_restricted: null, requester_email: "s.jaidee@gmail.com" }),
      rpc: (fn) => (fn === "dsar_match_customer" ? { body: dsarRow() } : undefined),
    });
    const subject = await screen.findByRole("region", { name: "Subject" });
    expect(within(subject).getByText("Not matched to a customer")).toBeInTheDocument();
    const picker = within(subject).getByRole("combobox", { name: "Customer to match" });
    await userEvent.type(picker, "somchai");
    await waitFor(() => expect(backend.requestsTo("/rest/v1/customer_directory").some((r) => r.url.searchParams.get("or")?.includes('email.ilike."%somchai%"'))).toBe(true));
    await userEvent.click(await screen.findByTitle("somchai.j@example.co.th (user_2kTq9)"));
    await userEvent.click(within(subject).getByRole("button", { name: "Match customer" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(1));
    expect(rpcCalls[0]).toEqual({ fn: "dsar_match_customer", args: { p_request_id: REQUEST.id, p_customer_id: "11111111-1111-4111-8111-111111111111" }, role: "dpo", method: "POST" });
  });

  it("support sees the status of its intake but no actions, timeline or fulfilment", async () => {
    signInAs("support");
    const { backend } = renderConsole(PATH, { rowsFor: dsarDataFor([REQUEST], EVENTS) });
    expect(await screen.findByText("The DPO handles this request")).toBeInTheDocument();
    expect(screen.getByText("In progress")).toBeInTheDocument();
    expect(screen.queryByRole("group", { name: "Request actions" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Access export" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Reply to the subject" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Activity" })).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/dsar_events")).toHaveLength(0);
  });

  it("the auditor reads the timeline and the clock, with no actions, replies or export", async () => {
    signInAs("auditor");
    renderConsole(PATH, { rowsFor: dsarDataFor([REQUEST], EVENTS) });
    const activity = await screen.findByRole("region", { name: "Activity" });
    expect(await within(activity).findByText("Identity verified")).toBeInTheDocument();
    expect(screen.queryByRole("group", { name: "Request actions" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Reply to the subject" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Build export" })).not.toBeInTheDocument();
    // The auditor cannot read customers, so no link to the customer page.
    expect(screen.queryByRole("link", { name: "Open customer page" })).not.toBeInTheDocument();
  });

  it("admin gets the 403 page", async () => {
    signInAs("admin");
    const { backend } = renderConsole(PATH, { rowsFor: dsarDataFor([REQUEST], EVENTS) });
    expect(await screen.findByText("403 — not available for your role")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/dsar_queue")).toHaveLength(0);
  });

  it("the reply panel fills the Thai template and records it as sent", async () => {
    signInAs("dpo");
    const { rpcCalls } = renderConsole(PATH, {
      rowsFor: dsarDataFor([REQUEST], EVENTS),
      rpc: (fn) => (fn === "dsar_record_response" ? { body: dsarEvent({ kind: "email_sent" }) } : undefined),
    });
    const reply = await screen.findByRole("region", { name: "Reply to the subject" });
    const text = within(reply).getByLabelText("Reply text") as HTMLTextAreaElement;
    expect(text.value).toContain("DSAR-2026-0001");
    expect(text.value).toContain("เรียน คุณSomchai Jaidee");
    expect(within(reply).getByRole("link", { name: "Open in mail client" }).getAttribute("href")).toMatch(/^mailto:somchai\.j@example\.co\.th\?subject=/);
    await userEvent.click(within(reply).getByRole("button", { name: "Mark as sent" }));
    await waitFor(() => expect(rpcCalls).toHaveLength(1));
    expect(rpcCalls[0]!.fn).toBe("dsar_record_response");
    expect(rpcCalls[0]!.args).toMatchObject({ p_request_id: REQUEST.id, p_language: "th", p_sent: true });
    expect(String(rpcCalls[0]!.args.p_body)).toContain("DSAR-2026-0001");
  });

  describe("access export", () => {
    it("builds the ZIP, offers it for download and records the manifest hash", async () => {
      // jsdom has no object URLs; record the blob the page hands to the download link instead.
      const { blobs: created } = captureDownloads("export");
      signInAs("dpo");
      const { rpcCalls, backend } = renderConsole(PATH, {
        rowsFor: dsarDataFor([REQUEST], EVENTS),
        rpc: (fn) => (fn === "dsar_record_export" ? { body: dsarEvent({ kind: "export_generated" }) } : undefined),
      });
      await userEvent.click(await screen.findByRole("button", { name: "Build export" }));
      const download = await screen.findByRole("link", { name: "Download DSAR-2026-0001-access.zip" }, { timeout: 20_000 });
      expect(download).toHaveAttribute("href", "blob:export-1");
      expect(download).toHaveAttribute("download", "DSAR-2026-0001-access.zip");
      expect(created[0]!.size).toBeGreaterThan(0);
      await waitFor(() => expect(rpcCalls.filter((c) => c.fn === "dsar_record_export")).toHaveLength(1));
      const recorded = rpcCalls.find((c) => c.fn === "dsar_record_export")!;
      expect(recorded.args.p_request_id).toBe(REQUEST.id);
      expect(recorded.args.p_manifest_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await screen.findByText("recorded")).toBeInTheDocument();
      expect(screen.getByText(String(recorded.args.p_manifest_sha256))).toBeInTheDocument();
      // The subject's rows were read for the export (here: the API log of the fixture customer).
      expect(backend.requestsTo("/rest/v1/api_request_logs").length).toBeGreaterThan(0);
    }, 40_000);
  });
});
