/**
 * The DSAR pages' own queries against the real thing: the embedded server on an in-memory PGlite with the
 * migrations and the demo seed. The component tests mock the backend; this checks that what the pages send
 * (tab counts as HEAD requests, search, staff embed, CSV paging, the dashboard RPC) is accepted by the server
 * and counts what the database holds.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { DEMO_STAFF, type StaffRole } from "../../server/seed/staff.ts";
import { exportToRecords } from "../helpers/csvExport.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";
import { startDemoServer } from "../helpers/server.ts";
import {
  addNote,
  assignRequests,
  createRequest,
  DPO_STAFF_SELECT,
  dpoOptions,
  extendRequest,
  queueCsvSource,
  recordResponse,
  transitionRequest,
  verifyIdentity,
} from "../../src/features/dsar/api";
import { MAX_ROWS } from "../../src/lib/readAll";
import { validateIntake } from "../../src/features/dsar/intake";
import { daysLeft, dueDateOfDeadline, previewDeadlines } from "../../src/features/dsar/sla";
import { customerMatchFilter } from "../../src/features/customers/search";
import { applyFilters, type FilterableQuery } from "../../src/lib/postgrestFilters";
import { buildQueueFilters, EMPTY_QUEUE_FILTERS, QUEUE_TABS, tabFilters, type QueueTab } from "../../src/features/dsar/queueState";
import type { DsarQueueRow } from "../../src/features/dsar/types";

const demo = openBeforeAll(() => startDemoServer({ demoCustomers: 40 }), 180_000);

function clientAs(role: StaffRole): { client: SupabaseClient } {
  return { client: demo.clientAs(role) };
}

async function staffIdOf(role: StaffRole): Promise<string> {
  const staff = DEMO_STAFF.find((s) => s.roles.includes(role))!;
  const { rows } = await demo.engine.query<{ id: string }>("select id from public.staff_members where clerk_user_id = $1", [staff.clerkUserId]);
  return rows[0]!.id;
}

type LooseQuery = FilterableQuery<LooseQuery>;
async function countWith(client: SupabaseClient, tab: QueueTab, staffId: string, mineMeansCreatedBy = false): Promise<number> {
  const query = applyFilters(client.from("dsar_queue").select("id", { count: "exact", head: true }) as unknown as LooseQuery, tabFilters(tab, staffId, mineMeansCreatedBy));
  const { count, error } = (await (query as unknown as PromiseLike<{ count: number | null; error: { message: string } | null }>));
  if (error) throw new Error(error.message);
  return count ?? -1;
}

/** The owner's count (no RLS) for what each tab means. */
const OWNER_TAB_SQL: Record<QueueTab, string> = {
  mine: "select count(*)::int as n from public.dsar_queue where is_open and assignee_id = $1",
  due_soon: "select count(*)::int as n from public.dsar_queue where is_open and days_left between 0 and 7 and $1::uuid is not null",
  overdue: "select count(*)::int as n from public.dsar_queue where is_open and is_overdue and $1::uuid is not null",
  awaiting_identity: "select count(*)::int as n from public.dsar_queue where status = 'awaiting_verification' and $1::uuid is not null",
  open: "select count(*)::int as n from public.dsar_queue where is_open and $1::uuid is not null",
  closed: "select count(*)::int as n from public.dsar_queue where not is_open and $1::uuid is not null",
};

describe("DSAR queue queries on the embedded server", () => {
  it("every tab count (HEAD, count=exact) equals the database's own count for the DPO", async () => {
    const { client } = clientAs("dpo");
    const dpoId = await staffIdOf("dpo");
    let total = 0;
    for (const tab of QUEUE_TABS) {
      const { rows } = await demo.engine.query<{ n: number }>(OWNER_TAB_SQL[tab], [dpoId]);
      expect({ tab, count: await countWith(client, tab, dpoId) }).toEqual({ tab, count: rows[0]!.n });
      if (tab === "open" || tab === "closed") total += rows[0]!.n;
    }
    expect(total).toBeGreaterThanOrEqual(48); // the demo seed's few dozen requests
    const { rows } = await demo.engine.query<{ n: number }>("select count(*)::int as n from public.dsar_queue where is_open and is_overdue");
    expect(rows[0]!.n).toBeGreaterThan(0); // the demo has overdue requests to show
  });

  it("the page's deadline mirror agrees with the view for every seeded request (dates, binding date, days left)", async () => {
    const { rows } = await demo.engine.query<{
      received_at: Date; promise_days: number; statutory_days: number; extension_days: number;
      promise_due_at: Date; promise_due_on: string; statutory_due_on: string; due_on: string; days_left: number;
    }>(`select q.received_at, r.promise_days, r.statutory_days, q.extension_days, q.promise_due_at,
               q.promise_due_on::text, q.statutory_due_on::text, q.due_on::text, q.days_left
          from public.dsar_queue q join public.dsar_sla_rules r on r.type = q.type`);
    expect(rows.length).toBeGreaterThanOrEqual(48);
    for (const row of rows) {
      const mirror = previewDeadlines(row.received_at, row.promise_days, row.statutory_days, row.extension_days);
      expect({ promise: mirror.promiseDueOn, statutory: mirror.statutoryDueOn, due: mirror.dueOn }).toEqual({
        promise: row.promise_due_on,
        statutory: row.statutory_due_on,
        due: row.due_on,
      });
      expect(dueDateOfDeadline(row.promise_due_at)).toBe(row.promise_due_on);
      expect(daysLeft(row.due_on)).toBe(row.days_left);
    }
  });

  it("support counts only the requests it logged", async () => {
    const { client } = clientAs("support");
    const supportId = await staffIdOf("support");
    const { rows } = await demo.engine.query<{ n: number }>("select count(*)::int as n from public.dsar_queue where is_open and created_by = $1", [supportId]);
    expect(await countWith(client, "open", supportId, true)).toBe(rows[0]!.n);
    expect(await countWith(client, "mine", supportId, true)).toBe(rows[0]!.n);
  });

  it("search by reference and by requester email finds the request", async () => {
    const { client } = clientAs("dpo");
    const { rows } = await demo.engine.query<{ reference: string; requester_email: string }>("select reference, requester_email from public.dsar_requests order by reference limit 1");
    const target = rows[0]!;
    for (const term of [target.reference, target.requester_email.slice(0, 8)]) {
      const filters = buildQueueFilters({ tab: "open", filters: { ...EMPTY_QUEUE_FILTERS, search: term } }, null).filter((f) => !("field" in f && f.field === "is_open"));
      const { data, error } = await (applyFilters(client.from("dsar_queue").select("reference,requester_email") as unknown as LooseQuery, filters) as unknown as PromiseLike<{ data: DsarQueueRow[] | null; error: { message: string } | null }>);
      expect(error).toBeNull();
      expect(data!.some((r) => r.reference === target.reference)).toBe(true);
    }
  });

  it("the assignee list embeds roles and keeps the DPO staff", async () => {
    const { client } = clientAs("dpo");
    const { data, error } = await client.from("staff_members").select(DPO_STAFF_SELECT).eq("active", true);
    expect(error).toBeNull();
    const options = dpoOptions((data ?? []) as never);
    const dpoId = await staffIdOf("dpo");
    expect(options.map((o) => o.id)).toContain(dpoId);
    expect(options.map((o) => o.id)).not.toContain(await staffIdOf("finance"));
  });

  it("matching a requester finds the customer by Clerk id exactly, or by part of the email", async () => {
    const { client } = clientAs("support");
    const { rows } = await demo.engine.query<{ id: string; email: string; clerk_user_id: string }>("select id, email, clerk_user_id from public.customers order by created_at limit 1");
    const customer = rows[0]!;
    for (const term of [customer.clerk_user_id, customer.email.split("@")[0]!]) {
      const { data, error } = await client.from("customer_directory").select("id").or(customerMatchFilter(term)!).limit(20);
      expect(error).toBeNull();
      expect((data ?? []).map((r) => (r as { id: string }).id)).toContain(customer.id);
    }
    expect(customerMatchFilter("a")).toBeNull();
  });

  it("the CSV export fetches every row of the filter, page by page, with progress", async () => {
    const { client } = clientAs("dpo");
    const progress: number[] = [];
    const { records: rows, total } = await exportToRecords(await queueCsvSource(client, tabFilters("closed", null), { field: "due_at", order: "asc" }), (fetched) => progress.push(fetched));
    const { rows: owner } = await demo.engine.query<{ n: number }>("select count(*)::int as n from public.dsar_queue where not is_open");
    expect(rows).toHaveLength(owner[0]!.n);
    expect(total).toBe(owner[0]!.n);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(rows.length);
    expect(progress[progress.length - 1]).toBe(rows.length);
    expect(rows.length).toBeLessThan(MAX_ROWS); // one page at demo size; the loop ends on a short page
  });

  it("dsar_stats answers the dashboard's shape for the auditor, and refuses support", async () => {
    const { data, error } = await clientAs("auditor").client.rpc("dsar_stats");
    expect(error).toBeNull();
    expect(data.open_by_days_left.map((b: { bucket: string }) => b.bucket)).toEqual(["overdue", "0-7", "8-14", "15-30", "31+"]);
    expect(data.requests_per_week).toHaveLength(12);
    expect(data.on_time_by_month).toHaveLength(12);
    const refused = await clientAs("support").client.rpc("dsar_stats");
    expect(refused.error?.message).toMatch(/only the DPO or the auditor/);
  });

  it("the arguments the pages send are the ones the workflow functions take: intake to rejection", async () => {
    const support = clientAs("support").client;
    const dpo = clientAs("dpo").client;
    const { args } = validateIntake({ type: "access", channel: "email", requesterEmail: "walk-in@example.com", receivedBangkok: "2026-11-20 09:30", customerId: null, summary: "Asked at the front desk" }, new Date("2026-11-26T05:00:00Z"));
    const created = (await createRequest(support, args!)) as DsarQueueRow;
    expect(created.reference).toMatch(/^DSAR-\d{4}-\d{4,}$/);
    expect(created.status).toBe("new");
    await expect(createRequest(support, args!)).rejects.toThrow(/already logged/);

    await verifyIdentity(dpo, { requestId: created.id, method: "email_link", note: null });
    await extendRequest(dpo, { requestId: created.id, days: 14, reason: "Archived projects to restore" });
    await addNote(dpo, created.id, "Called the requester");
    const assigned = await assignRequests(dpo, [created.id], await staffIdOf("dpo"));
    expect(assigned.map((r) => r.ok)).toEqual([true]);
    await recordResponse(dpo, { requestId: created.id, language: "th", body: "เรียน ท่านเจ้าของข้อมูล", sent: false });
    await expect(transitionRequest(dpo, { requestId: created.id, to: "rejected", note: null })).rejects.toThrow(/needs a refusal ground/);
    await transitionRequest(dpo, { requestId: created.id, to: "rejected", note: null, refusalGround: "Not the data subject" });

    const { rows } = await demo.engine.query<{ kind: string }>("select kind from public.dsar_events where request_id = $1 order by id", [created.id]);
    expect(rows.map((r) => r.kind)).toEqual(["created", "identity_verified", "extended", "note", "assigned", "email_drafted", "status_changed"]);
    const { rows: queue } = await demo.engine.query<{ status: string; extension_days: number; promise_due_on: string; statutory_due_on: string }>(
      "select status, extension_days, promise_due_on::text, statutory_due_on::text from public.dsar_queue where id = $1", [created.id]);
    // Received 20 Nov (Bangkok): the promise is 30 + 14 days, the statutory limit stays at 30.
    expect(queue[0]).toEqual({ status: "rejected", extension_days: 14, promise_due_on: "2027-01-03", statutory_due_on: "2026-12-20" });
  });
});
