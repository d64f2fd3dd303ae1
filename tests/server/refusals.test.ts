/**
 * A refusal is never a 500: every function exposed to `authenticated` (read from the catalog, so a new function
 * without cases fails here), called over HTTP through the embedded server on the real migrations, with unknown
 * ids, in each refused state the fixture can reach, by the wrong role, and with bad arguments. Each refusal
 * must carry the status PostgREST gives for the code the function raises: 403 role (42501), 404 unknown (PT404),
 * 409 wrong state or conflict (PT409, 23505), 400 bad argument (22023, 22P02…). Then every function is called by
 * every kind of caller with unknown and null arguments, and nothing may answer 5xx.
 *
 * PGlite in memory by default; with DATABASE_URL a fresh database on that server (npm run test:db, PostgreSQL 15).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSecret, issueStaffToken } from "../../server/auth/jwt.ts";
import { startEmbeddedServer, type EmbeddedServer } from "../../server/index.ts";
import { DEMO_STAFF } from "../../server/seed/staff.ts";
import { insertDsarFixture, type DsarFixture } from "../db/dsar-fixture.ts";
import { insertPayment, insertRefundFixture } from "../db/refunds-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

type Caller = "anon" | "stranger" | "inactive" | "dpo" | "support" | "finance" | "approver" | "admin" | "auditor";
const STAFF_EMAIL: Record<Exclude<Caller, "anon" | "stranger" | "inactive">, string> = {
  dpo: "dpo@m-factory.test",
  support: "support@m-factory.test",
  finance: "finance@m-factory.test",
  approver: "finance.approver@m-factory.test",
  admin: "admin@m-factory.test",
  auditor: "auditor@m-factory.test",
};
const CALLERS: readonly Caller[] = ["anon", "stranger", "inactive", "dpo", "support", "finance", "approver", "admin", "auditor"];
const INACTIVE = { clerkUserId: "user_formerStaff01", email: "former@m-factory.test" };

interface Answer {
  status: number;
  body: { code?: string; message?: string } | null;
}

/** One refused call: who, with what, and the status and code PostgREST must answer. */
interface Refusal {
  what: string;
  as: Caller;
  args: () => Record<string, unknown>;
  status: number;
  code: string;
}

const unknownId = "00000000-0000-4000-8000-0000000000ff";
const sha = "a".repeat(64);

const db = openBeforeAll(createTestDatabase, 180_000);
let server: EmbeddedServer;
const tokens = new Map<Caller, string>();

async function rpc(as: Caller, fn: string, args: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${server.url}/rest/v1/rpc/${fn}`, {
    method: "POST",
    headers: { apikey: server.anonKey, Authorization: `Bearer ${tokens.get(as)}`, "Content-Type": "application/json" },
    body: JSON.stringify(args),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer["body"]) : null };
}

/** Set up through the functions as the console would, straight in SQL (the calls under test go through HTTP). */
async function idFrom(as: "dpo" | "support" | "finance" | "approver", sql: string, params: unknown[] = []): Promise<string> {
  const session = as === "approver" ? db.asStaff(STAFF_EMAIL.approver) : db.asRole(as);
  const { rows } = await session.query<{ id: string }>(sql, params);
  return rows[0]!.id;
}

async function ownerId(sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await db.engine.query<{ id: string }>(sql, params);
  return String(rows[0]!.id);
}

/** Everything the cases refer to: one row in each refused state. */
interface World {
  dsar: DsarFixture;
  customers: TestDatabase["fixture"]["customerIds"];
  deletedCustomer: string;
  pendingAdjustment: string;
  financePendingAdjustment: string;
  appliedAdjustment: string;
  uncoveredDebit: string;
  usedCreditKey: string;
  thaiPayment: string;
  unchargedPayment: string;
  canceledPayment: string;
  usedRefundKey: string;
  succeededRefund: string;
  awaitingRefund: string;
  ownApprovedRefund: string;
  onceApprovedRefund: string;
  rejectedRefund: string;
  chargeGoneRefund: string;
  inactiveStaff: string;
  staff: Readonly<Record<string, string>>;
  /** When the "logged@example.org" access request was received (logging it again is a duplicate). */
  loggedAt: string;
  newAccess: string;
  unmatchedAccess: string;
  closedComplaint: string;
  unexecutedErasure: string;
  unverifiedErasure: string;
  unmatchedErasure: string;
  duplicateRequest: string;
  thaiRectification: string;
  deletedRectification: string;
  objection: string;
  doneTask: string;
  releasedHold: string;
}
let w: World;

async function buildWorld(): Promise<World> {
  const dsar = await insertDsarFixture(db);
  const { succeededId, awaitingId } = await insertRefundFixture(db);
  const customers = db.fixture.customerIds;
  // The fixture's erasure ran on the restricted customer: that account is now deleted.
  const { rows: deleted } = await db.engine.query<{ deleted: boolean }>("select deleted_at is not null as deleted from public.customers where id = $1", [customers.restricted]);
  expect(deleted[0]?.deleted).toBe(true);

  const credit = (as: "support" | "finance", customer: string, amount: number, key: string) =>
    idFrom(as, "select id from public.adjust_credits($1, $2, 'goodwill', 'refusal test', $3)", [customer, amount, key]);
  const pendingAdjustment = await credit("support", customers.thai, 600, "refusals-pending-0001"); // over support's 500
  const financePendingAdjustment = await credit("finance", customers.thai, 6000, "refusals-pending-0002"); // over finance's 5000
  const appliedAdjustment = await credit("support", customers.thai, 10, "refusals-applied-0001");
  // A debit that waits for approval while the balance covers it, then the balance drops below it.
  const rich = await insertPayment(db, { amount: 1000, balance: 1000 });
  const uncoveredDebit = await credit("support", rich.customerId, -600, "refusals-uncovered-0001");
  await credit("finance", rich.customerId, -500, "refusals-drop-0001");

  const thaiPayment = await ownerId("select payment_id as id from public.payment_stripe_ids where stripe_payment_intent_id = 'pi_FixThai01'");
  const unchargedPayment = (await insertPayment(db, { amount: 5000, charge: false })).paymentId;
  const canceledPayment = (await insertPayment(db, { amount: 5000, status: "canceled" })).paymentId;
  const refund = (as: "support" | "finance", payment: string, amount: number, key: string) =>
    idFrom(as, "select id from public.request_refund($1, $2, 'thb', 'requested_by_customer', 'refusal test', $3)", [payment, amount, key]);
  const usedRefundKey = "refusals-refund-key-0001";
  await refund("finance", thaiPayment, 100, usedRefundKey);
  const ownApprovedRefund = await refund("finance", thaiPayment, 200, "refusals-own-0001"); // finance, below the threshold: approved
  const big = await insertPayment(db, { amount: 1_000_000 });
  const onceApprovedRefund = await refund("support", big.paymentId, 600_000, "refusals-twice-0001"); // support, above: two approvals
  await idFrom("approver", "select id from public.approve_refund($1)", [onceApprovedRefund]);
  const rejectedRefund = await refund("support", thaiPayment, 300, "refusals-rejected-0001");
  await idFrom("finance", "select id from public.reject_refund($1, 'not needed')", [rejectedRefund]);
  const charged = await insertPayment(db, { amount: 5000 });
  const chargeGoneRefund = await refund("finance", charged.paymentId, 1000, "refusals-charge-gone-0001");
  await db.engine.query("update public.payment_stripe_ids set stripe_charge_id = null where payment_id = $1", [charged.paymentId]);

  const inactiveStaff = await ownerId(
    "insert into public.staff_members (clerk_user_id, email, display_name, active) values ($1, $2, 'Former staff', false) returning id",
    [INACTIVE.clerkUserId, INACTIVE.email],
  );

  const create = (type: string, email: string, customer: string | null, hoursAgo: number) =>
    idFrom("dpo", "select id from public.dsar_create_request($1, 'email', $2, now() - make_interval(hours => $3), $4)", [type, email, hoursAgo, customer]);
  const verify = (id: string) => db.asRole("dpo").query("select public.dsar_verify_identity($1, 'email_link')", [id]);
  const loggedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
  await idFrom("dpo", "select id from public.dsar_create_request('access', 'email', 'logged@example.org', $1)", [loggedAt]);
  const newAccess = await create("access", "new.access@example.org", customers.thai, 1);
  const unmatchedAccess = await create("access", "unmatched@example.org", null, 2);
  await verify(unmatchedAccess);
  const closedComplaint = await create("complaint", "closed@example.org", null, 3);
  await db.asRole("dpo").query("select public.dsar_transition($1, 'withdrawn')", [closedComplaint]);
  const unexecutedErasure = await create("erasure", "somsak.k@example.co.th", customers.thai, 4);
  await verify(unexecutedErasure);
  const unverifiedErasure = await create("erasure", "jane.doe@example.com", customers.international, 5);
  const unmatchedErasure = await create("erasure", "nobody@example.org", null, 6);
  const duplicateRequest = await create("complaint", "twice@example.org", null, 7);
  await db.asRole("dpo").query("select public.dsar_transition($1, 'duplicate', null, null, $2)", [duplicateRequest, closedComplaint]);
  const thaiRectification = await create("rectification", "somsak.k@example.co.th", customers.thai, 8);
  await verify(thaiRectification);
  const deletedRectification = await create("rectification", "restricted@example.net", customers.restricted, 9);
  await verify(deletedRectification);
  const objection = await create("objection", "jane.doe@example.com", customers.international, 10);
  await verify(objection);
  await db.asRole("dpo").query("select public.dsar_extend($1, 50, 'complex request')", [dsar.accessId]);
  const doneTask = await ownerId("select id from public.dsar_processor_tasks where request_id = $1 order by processor limit 1", [dsar.erasureId]);
  await db.asRole("dpo").query("select public.dsar_complete_processor_task($1, 'done')", [doneTask]);
  const releasedHold = await idFrom("dpo", "select id from public.legal_hold_place('Refusal test', current_date + 1, null, 'api_logs', '2001-01-01', '2001-01-02')");
  await db.asRole("dpo").query("select public.legal_hold_release($1, 'over')", [releasedHold]);

  return {
    dsar, customers, deletedCustomer: customers.restricted, pendingAdjustment, financePendingAdjustment, appliedAdjustment, uncoveredDebit,
    usedCreditKey: "refusals-applied-0001", thaiPayment, unchargedPayment, canceledPayment, usedRefundKey,
    succeededRefund: succeededId, awaitingRefund: awaitingId, ownApprovedRefund, onceApprovedRefund, rejectedRefund,
    chargeGoneRefund, inactiveStaff, staff: db.staffIds, loggedAt, newAccess, unmatchedAccess, closedComplaint, unexecutedErasure,
    unverifiedErasure, unmatchedErasure, duplicateRequest, thaiRectification, deletedRectification, objection, doneTask,
    releasedHold,
  };
}

const staffId = (role: keyof typeof STAFF_EMAIL) => w.staff[STAFF_EMAIL[role]]!;
const adjust = (customer: string, amount: number, key: string) => ({
  p_customer_id: customer, p_amount: amount, p_reason: "goodwill", p_note: "refusal test", p_idempotency_key: key,
});
const refundArgs = (payment: string, amount: number, key: string, currency = "thb") => ({
  p_payment_id: payment, p_amount: amount, p_currency: currency, p_reason: "requested_by_customer", p_note: "refusal test", p_idempotency_key: key,
});
const createArgs = (overrides: Record<string, unknown> = {}) => ({
  p_type: "access", p_channel: "email", p_requester_email: "someone@example.org", p_received_at: new Date(Date.now() - 3_600_000).toISOString(), ...overrides,
});
const r = (what: string, as: Caller, args: () => Record<string, unknown>, status: number, code: string): Refusal => ({ what, as, args, status, code });
const FORBIDDEN = [403, "42501"] as const;
const UNKNOWN = [404, "PT404"] as const;
const STATE = [409, "PT409"] as const;
const ALREADY = [409, "23505"] as const;
const BAD = [400, "22023"] as const;
const MALFORMED = [400, "22P02"] as const;

/** Per exposed function, its refusals (or, for what any signed-in caller may use, the answers it gives). */
const CASES: Record<string, Refusal[]> = {
  adjust_credits: [
    r("by the DPO", "dpo", () => adjust(w.customers.thai, 10, "refusals-k-0001"), ...FORBIDDEN),
    r("an unknown customer", "support", () => adjust(unknownId, 10, "refusals-k-0002"), ...UNKNOWN),
    r("a deleted customer", "support", () => adjust(w.deletedCustomer, 10, "refusals-k-0003"), ...STATE),
    r("a debit below zero", "support", () => adjust(w.customers.international, -101, "refusals-k-0004"), ...STATE),
    r("a used key with other values", "support", () => adjust(w.customers.thai, 11, w.usedCreditKey), ...ALREADY),
    r("a zero amount", "support", () => adjust(w.customers.thai, 0, "refusals-k-0005"), ...BAD),
    r("no customer", "support", () => adjust(null as never, 10, "refusals-k-0006"), ...BAD),
    r("an amount that is not a number", "support", () => adjust(w.customers.thai, "ten" as never, "refusals-k-0007"), ...MALFORMED),
  ],
  approve_credit_adjustment: [
    r("by support", "support", () => ({ p_id: w.pendingAdjustment }), ...FORBIDDEN),
    r("an unknown adjustment", "finance", () => ({ p_id: unknownId }), ...UNKNOWN),
    r("one's own request", "finance", () => ({ p_id: w.financePendingAdjustment }), ...FORBIDDEN),
    r("an applied adjustment", "finance", () => ({ p_id: w.appliedAdjustment }), ...STATE),
    r("a debit the balance no longer covers", "approver", () => ({ p_id: w.uncoveredDebit }), ...STATE),
    r("no id", "finance", () => ({ p_id: null }), ...BAD),
    r("an id that is not a uuid", "finance", () => ({ p_id: "adj-1" }), ...MALFORMED),
  ],
  reject_credit_adjustment: [
    r("by the auditor", "auditor", () => ({ p_id: w.pendingAdjustment, p_note: "no" }), ...FORBIDDEN),
    r("an unknown adjustment", "finance", () => ({ p_id: unknownId, p_note: "no" }), ...UNKNOWN),
    r("one's own request", "finance", () => ({ p_id: w.financePendingAdjustment, p_note: "no" }), ...FORBIDDEN),
    r("an applied adjustment", "finance", () => ({ p_id: w.appliedAdjustment, p_note: "no" }), ...STATE),
    r("no note", "finance", () => ({ p_id: w.pendingAdjustment, p_note: " " }), ...BAD),
  ],
  set_credit_limit: [
    r("by support", "support", () => ({ p_role: "support", p_per_adjustment_max: 100, p_per_day_max: 200 }), ...FORBIDDEN),
    r("finance raising its own limits", "finance", () => ({ p_role: "finance", p_per_adjustment_max: 100, p_per_day_max: 200 }), ...FORBIDDEN),
    r("a role without limits", "admin", () => ({ p_role: "dpo", p_per_adjustment_max: 100, p_per_day_max: 200 }), ...BAD),
    r("a daily limit below the single one", "admin", () => ({ p_role: "support", p_per_adjustment_max: 300, p_per_day_max: 200 }), ...BAD),
    r("a role that does not exist", "admin", () => ({ p_role: "boss", p_per_adjustment_max: 100, p_per_day_max: 200 }), ...MALFORMED),
  ],
  request_refund: [
    r("by the DPO", "dpo", () => refundArgs(w.thaiPayment, 100, "refusals-r-0001"), ...FORBIDDEN),
    r("an unknown payment", "finance", () => refundArgs(unknownId, 100, "refusals-r-0002"), ...UNKNOWN),
    r("a canceled payment", "finance", () => refundArgs(w.canceledPayment, 100, "refusals-r-0003"), ...STATE),
    r("a payment without a Stripe charge", "finance", () => refundArgs(w.unchargedPayment, 100, "refusals-r-0004"), ...STATE),
    r("a used key with other values", "finance", () => refundArgs(w.thaiPayment, 101, w.usedRefundKey), ...ALREADY),
    r("another currency", "finance", () => refundArgs(w.thaiPayment, 100, "refusals-r-0005", "usd"), ...BAD),
    r("more than remains", "finance", () => refundArgs(w.thaiPayment, 10_000_000, "refusals-r-0006"), ...BAD),
  ],
  approve_refund: [
    r("by support", "support", () => ({ p_id: w.awaitingRefund }), ...FORBIDDEN),
    r("an unknown refund", "finance", () => ({ p_id: unknownId }), ...UNKNOWN),
    r("one's own refund", "finance", () => ({ p_id: w.ownApprovedRefund }), ...FORBIDDEN),
    r("a second approval by the same person", "approver", () => ({ p_id: w.onceApprovedRefund }), ...FORBIDDEN),
    r("a refund that succeeded", "approver", () => ({ p_id: w.succeededRefund }), ...STATE),
    r("a rejected refund", "approver", () => ({ p_id: w.rejectedRefund }), ...STATE),
    r("no id", "finance", () => ({ p_id: null }), ...BAD),
  ],
  reject_refund: [
    r("by support", "support", () => ({ p_id: w.awaitingRefund, p_note: "no" }), ...FORBIDDEN),
    r("an unknown refund", "finance", () => ({ p_id: unknownId, p_note: "no" }), ...UNKNOWN),
    r("one's own refund", "finance", () => ({ p_id: w.ownApprovedRefund, p_note: "no" }), ...FORBIDDEN),
    r("a refund that succeeded", "approver", () => ({ p_id: w.succeededRefund, p_note: "no" }), ...STATE),
    r("a rejected refund", "approver", () => ({ p_id: w.rejectedRefund, p_note: "no" }), ...STATE),
    r("no note", "finance", () => ({ p_id: w.awaitingRefund, p_note: "" }), ...BAD),
  ],
  refund_begin_execution: [
    r("by support", "support", () => ({ p_id: w.ownApprovedRefund }), ...FORBIDDEN),
    r("an unknown refund", "finance", () => ({ p_id: unknownId }), ...UNKNOWN),
    r("a refund awaiting approval", "finance", () => ({ p_id: w.awaitingRefund }), ...STATE),
    r("a refund that succeeded", "finance", () => ({ p_id: w.succeededRefund }), ...STATE),
    r("a payment whose charge is gone", "finance", () => ({ p_id: w.chargeGoneRefund }), ...STATE),
    r("no id", "finance", () => ({ p_id: null }), ...BAD),
  ],
  set_refund_threshold: [
    r("by finance", "finance", () => ({ p_currency: "thb", p_second_approval_above: 1000 }), ...FORBIDDEN),
    r("a currency that is no code", "admin", () => ({ p_currency: "baht", p_second_approval_above: 1000 }), ...BAD),
    r("a threshold of zero", "admin", () => ({ p_currency: "thb", p_second_approval_above: 0 }), ...BAD),
  ],
  grant_staff_role: [
    r("by the DPO", "dpo", () => ({ p_staff_member_id: staffId("support"), p_role: "auditor" }), ...FORBIDDEN),
    r("to oneself", "admin", () => ({ p_staff_member_id: staffId("admin"), p_role: "dpo" }), ...FORBIDDEN),
    r("to an unknown member", "admin", () => ({ p_staff_member_id: unknownId, p_role: "dpo" }), ...UNKNOWN),
    r("to an inactive member", "admin", () => ({ p_staff_member_id: w.inactiveStaff, p_role: "dpo" }), ...STATE),
    r("a role already held", "admin", () => ({ p_staff_member_id: staffId("dpo"), p_role: "dpo" }), ...ALREADY),
    r("no member", "admin", () => ({ p_staff_member_id: null, p_role: "dpo" }), ...BAD),
    r("a role that does not exist", "admin", () => ({ p_staff_member_id: staffId("dpo"), p_role: "owner" }), ...MALFORMED),
  ],
  revoke_staff_role: [
    r("by finance", "finance", () => ({ p_staff_member_id: staffId("support"), p_role: "support" }), ...FORBIDDEN),
    r("from oneself", "admin", () => ({ p_staff_member_id: staffId("admin"), p_role: "admin" }), ...FORBIDDEN),
    r("from an unknown member", "admin", () => ({ p_staff_member_id: unknownId, p_role: "dpo" }), ...UNKNOWN),
    r("a role not held", "admin", () => ({ p_staff_member_id: staffId("dpo"), p_role: "admin" }), ...UNKNOWN),
    r("no role", "admin", () => ({ p_staff_member_id: staffId("dpo"), p_role: null }), ...BAD),
  ],
  publish_policy_version: [
    r("by support", "support", () => ({ p_id: db.fixture.draftPolicyId, p_change_class: "notify" }), ...FORBIDDEN),
    r("an unknown version", "dpo", () => ({ p_id: unknownId, p_change_class: "notify" }), ...UNKNOWN),
    r("the published version", "dpo", () => ({ p_id: db.fixture.publishedPolicyId, p_change_class: "notify" }), ...STATE),
    r("no id", "dpo", () => ({ p_id: null, p_change_class: "notify" }), ...BAD),
    r("no classification", "dpo", () => ({ p_id: db.fixture.draftPolicyId }), ...BAD),
    r("re_accept without a reason", "dpo", () => ({ p_id: db.fixture.draftPolicyId, p_change_class: "re_accept" }), ...BAD),
  ],
  policy_version_in_force: [
    r("a document that does not exist", "support", () => ({ p_document: "faq", p_at: "2026-01-01T00:00:00Z" }), ...BAD),
    r("no date", "auditor", () => ({ p_document: "terms", p_at: null }), ...BAD),
  ],
  consent_state_as_of: [
    r("by support (history)", "support", () => ({ p_customer_id: w.customers.thai, p_at: "2026-01-01T00:00:00Z" }), ...FORBIDDEN),
    r("an unknown customer", "auditor", () => ({ p_customer_id: unknownId, p_at: "2026-01-01T00:00:00Z" }), ...UNKNOWN),
    r("no date", "dpo", () => ({ p_customer_id: w.customers.thai, p_at: null }), ...BAD),
  ],
  consent_evidence: [
    r("by the admin", "admin", () => ({ p_event_id: 1 }), ...FORBIDDEN),
    r("an unknown event", "auditor", () => ({ p_event_id: 999_999_999 }), ...UNKNOWN),
    r("no event", "dpo", () => ({ p_event_id: null }), ...BAD),
  ],
  policy_reacceptance: [
    r("by support", "support", () => ({ p_policy_version_id: db.fixture.publishedPolicyId }), ...FORBIDDEN),
    r("an unknown version", "dpo", () => ({ p_policy_version_id: unknownId }), ...UNKNOWN),
    r("a version not published as re_accept", "auditor", () => ({ p_policy_version_id: db.fixture.publishedPolicyId }), ...STATE),
    r("no version", "dpo", () => ({ p_policy_version_id: null }), ...BAD),
  ],
  policy_reacceptance_people: [
    r("by the admin", "admin", () => ({ p_policy_version_id: db.fixture.publishedPolicyId }), ...FORBIDDEN),
    r("an unknown version", "auditor", () => ({ p_policy_version_id: unknownId }), ...UNKNOWN),
    r("a version not published as re_accept", "dpo", () => ({ p_policy_version_id: db.fixture.publishedPolicyId }), ...STATE),
    r("no version", "dpo", () => ({ p_policy_version_id: null }), ...BAD),
  ],
  policy_reacceptance_summary: [
    r("by finance", "finance", () => ({ p_policy_version_id: db.fixture.publishedPolicyId }), ...FORBIDDEN),
    r("an unknown version", "dpo", () => ({ p_policy_version_id: unknownId }), ...UNKNOWN),
    r("a draft", "dpo", () => ({ p_policy_version_id: db.fixture.draftPolicyId }), ...STATE),
    r("no version", "auditor", () => ({ p_policy_version_id: null }), ...BAD),
  ],
  consent_opt_in_over_time: [
    r("by support", "support", () => ({ p_from: "2026-01-01", p_to: "2026-01-31", p_bucket: "week" }), ...FORBIDDEN),
    r("an unknown bucket", "dpo", () => ({ p_from: "2026-01-01", p_to: "2026-01-31", p_bucket: "year" }), ...BAD),
    r("a reversed period", "auditor", () => ({ p_from: "2026-02-01", p_to: "2026-01-31", p_bucket: "day" }), ...BAD),
    r("a date that is no date", "dpo", () => ({ p_from: "soon", p_to: "2026-01-31", p_bucket: "day" }), 400, "22007"),
  ],
  policy_version_share: [r("by the admin", "admin", () => ({}), ...FORBIDDEN)],
  policy_reacceptance_over_time: [
    r("by finance", "finance", () => ({ p_policy_version_id: db.fixture.publishedPolicyId }), ...FORBIDDEN),
    r("an unknown version", "dpo", () => ({ p_policy_version_id: unknownId }), ...UNKNOWN),
    r("a version not published as re_accept", "auditor", () => ({ p_policy_version_id: db.fixture.publishedPolicyId }), ...STATE),
    r("no version", "dpo", () => ({ p_policy_version_id: null }), ...BAD),
  ],
  verify_audit_chain: [r("by support", "support", () => ({}), ...FORBIDDEN)],
  money_stats: [
    r("by the admin", "admin", () => ({ p_weeks: 4 }), ...FORBIDDEN),
    r("zero weeks", "finance", () => ({ p_weeks: 0 }), ...BAD),
  ],
  reconciliation_records: [
    r("by support", "support", () => ({ p_from: "2026-01-01T00:00:00Z", p_to: "2026-02-01T00:00:00Z" }), ...FORBIDDEN),
    r("a range that ends before it starts", "finance", () => ({ p_from: "2026-02-01T00:00:00Z", p_to: "2026-01-01T00:00:00Z" }), ...BAD),
    r("a date that is no date", "finance", () => ({ p_from: "yesterday-ish", p_to: "2026-01-01T00:00:00Z" }), 400, "22007"),
  ],
  record_reconciliation_run: [
    r("by support", "support", () => ({ p_run: {}, p_discrepancies: [] }), ...FORBIDDEN),
    r("a run that is not an object", "finance", () => ({ p_run: [], p_discrepancies: [] }), ...BAD),
  ],
  dsar_stats: [r("by support", "support", () => ({}), ...FORBIDDEN)],
  dsar_create_request: [
    r("by finance", "finance", () => createArgs(), ...FORBIDDEN),
    r("an unknown customer", "dpo", () => createArgs({ p_customer_id: unknownId }), ...UNKNOWN),
    r("a request already logged", "dpo", () => createArgs({ p_requester_email: "logged@example.org", p_received_at: w.loggedAt }), ...ALREADY),
    r("an unknown type", "dpo", () => createArgs({ p_type: "deletion" }), ...BAD),
    r("a receipt in the future", "support", () => createArgs({ p_received_at: new Date(Date.now() + 86_400_000).toISOString() }), ...BAD),
  ],
  dsar_transition: [
    r("by support", "support", () => ({ p_request_id: w.newAccess, p_to_status: "withdrawn" }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_to_status: "withdrawn" }), ...UNKNOWN),
    r("a closed request", "dpo", () => ({ p_request_id: w.closedComplaint, p_to_status: "in_progress" }), ...STATE),
    r("work before the identity is verified", "dpo", () => ({ p_request_id: w.newAccess, p_to_status: "in_progress" }), ...STATE),
    r("fulfilling an erasure that has not run", "dpo", () => ({ p_request_id: w.unexecutedErasure, p_to_status: "fulfilled" }), ...STATE),
    r("the status it already has", "dpo", () => ({ p_request_id: w.dsar.accessId, p_to_status: "in_progress" }), ...ALREADY),
    r("an unknown original", "dpo", () => ({ p_request_id: w.newAccess, p_to_status: "duplicate", p_duplicate_of: unknownId }), ...UNKNOWN),
    r("rejecting without a ground", "dpo", () => ({ p_request_id: w.newAccess, p_to_status: "rejected" }), ...BAD),
    r("an unknown status", "dpo", () => ({ p_request_id: w.newAccess, p_to_status: "done" }), ...BAD),
  ],
  dsar_verify_identity: [
    r("by support", "support", () => ({ p_request_id: w.newAccess, p_method: "email_link" }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_method: "email_link" }), ...UNKNOWN),
    r("an identity already verified", "dpo", () => ({ p_request_id: w.dsar.accessId, p_method: "email_link" }), ...ALREADY),
    r("a closed request", "dpo", () => ({ p_request_id: w.closedComplaint, p_method: "email_link" }), ...STATE),
    r("an unknown method", "dpo", () => ({ p_request_id: w.newAccess, p_method: "phone" }), ...BAD),
  ],
  dsar_assign: [
    r("by support", "support", () => ({ p_request_ids: [w.newAccess], p_assignee_id: staffId("dpo") }), ...FORBIDDEN),
    r("an unknown assignee", "dpo", () => ({ p_request_ids: [w.newAccess], p_assignee_id: unknownId }), ...UNKNOWN),
    r("an assignee who is no DPO", "dpo", () => ({ p_request_ids: [w.newAccess], p_assignee_id: staffId("support") }), ...BAD),
    r("no requests", "dpo", () => ({ p_request_ids: [], p_assignee_id: staffId("dpo") }), ...BAD),
    // Per-row outcomes: unknown and closed requests are reported in the rows of a 200.
    r("unknown and closed requests (reported per row)", "dpo", () => ({ p_request_ids: [unknownId, w.closedComplaint], p_assignee_id: staffId("dpo") }), 200, ""),
  ],
  dsar_close_as_duplicate: [
    r("by support", "support", () => ({ p_request_ids: [w.newAccess], p_duplicate_of: w.closedComplaint }), ...FORBIDDEN),
    r("an unknown original", "dpo", () => ({ p_request_ids: [w.newAccess], p_duplicate_of: unknownId }), ...UNKNOWN),
    r("an original that is itself a duplicate", "dpo", () => ({ p_request_ids: [w.newAccess], p_duplicate_of: w.duplicateRequest }), ...BAD),
    r("no original", "dpo", () => ({ p_request_ids: [w.newAccess], p_duplicate_of: null }), ...BAD),
  ],
  dsar_extend: [
    r("by the auditor", "auditor", () => ({ p_request_id: w.newAccess, p_days: 10, p_reason: "x" }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_days: 10, p_reason: "x" }), ...UNKNOWN),
    r("a closed request", "dpo", () => ({ p_request_id: w.closedComplaint, p_days: 10, p_reason: "x" }), ...STATE),
    r("past 60 days in all", "dpo", () => ({ p_request_id: w.dsar.accessId, p_days: 20, p_reason: "x" }), ...STATE),
    r("zero days", "dpo", () => ({ p_request_id: w.newAccess, p_days: 0, p_reason: "x" }), ...BAD),
  ],
  dsar_add_note: [
    r("by support", "support", () => ({ p_request_id: w.newAccess, p_note: "x" }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_note: "x" }), ...UNKNOWN),
    r("an empty note", "dpo", () => ({ p_request_id: w.newAccess, p_note: " " }), ...BAD),
  ],
  dsar_match_customer: [
    r("by support", "support", () => ({ p_request_id: w.unmatchedAccess, p_customer_id: w.customers.thai }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_customer_id: w.customers.thai }), ...UNKNOWN),
    r("an unknown customer", "dpo", () => ({ p_request_id: w.unmatchedAccess, p_customer_id: unknownId }), ...UNKNOWN),
    r("the customer it is matched to", "dpo", () => ({ p_request_id: w.newAccess, p_customer_id: w.customers.thai }), ...ALREADY),
    r("a closed request", "dpo", () => ({ p_request_id: w.closedComplaint, p_customer_id: w.customers.thai }), ...STATE),
    r("an erasure that has run", "dpo", () => ({ p_request_id: w.dsar.erasureId, p_customer_id: w.customers.thai }), ...STATE),
    r("no customer", "dpo", () => ({ p_request_id: w.unmatchedAccess, p_customer_id: null }), ...BAD),
  ],
  dsar_record_export: [
    r("by support", "support", () => ({ p_request_id: w.dsar.accessId, p_manifest_sha256: sha, p_details: {} }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_manifest_sha256: sha, p_details: {} }), ...UNKNOWN),
    r("an erasure request", "dpo", () => ({ p_request_id: w.dsar.erasureId, p_manifest_sha256: sha, p_details: {} }), ...STATE),
    r("a request not yet verified", "dpo", () => ({ p_request_id: w.newAccess, p_manifest_sha256: sha, p_details: {} }), ...STATE),
    r("a request not matched to a customer", "dpo", () => ({ p_request_id: w.unmatchedAccess, p_manifest_sha256: sha, p_details: {} }), ...STATE),
    r("a hash that is no SHA-256", "dpo", () => ({ p_request_id: w.dsar.accessId, p_manifest_sha256: "abc", p_details: {} }), ...BAD),
  ],
  dsar_record_response: [
    r("by support", "support", () => ({ p_request_id: w.newAccess, p_language: "en", p_body: "x", p_sent: false }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_language: "en", p_body: "x", p_sent: false }), ...UNKNOWN),
    r("an unknown language", "dpo", () => ({ p_request_id: w.newAccess, p_language: "fr", p_body: "x", p_sent: false }), ...BAD),
  ],
  dsar_rectify_customer: [
    r("by support", "support", () => ({ p_request_id: w.thaiRectification, p_changes: { display_name: "S" } }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_changes: { display_name: "S" } }), ...UNKNOWN),
    r("a request of another type", "dpo", () => ({ p_request_id: w.dsar.accessId, p_changes: { display_name: "S" } }), ...STATE),
    r("a deleted account", "dpo", () => ({ p_request_id: w.deletedRectification, p_changes: { display_name: "S" } }), ...STATE),
    r("the values it already has", "dpo", () => ({ p_request_id: w.thaiRectification, p_changes: { display_name: "Somsak Kittisak" } }), ...ALREADY),
    r("another customer's email", "dpo", () => ({ p_request_id: w.thaiRectification, p_changes: { email: "jane.doe@example.com" } }), ...ALREADY),
    r("a field that cannot be rectified", "dpo", () => ({ p_request_id: w.thaiRectification, p_changes: { credit_balance: "9" } }), ...BAD),
  ],
  dsar_set_restriction: [
    r("by support", "support", () => ({ p_request_id: w.dsar.accessId, p_restricted: true, p_reason: "x" }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_restricted: true, p_reason: "x" }), ...UNKNOWN),
    r("lifting it for a deleted account", "dpo", () => ({ p_request_id: w.dsar.erasureId, p_restricted: false, p_reason: "x" }), ...STATE),
    r("the restriction it already has", "dpo", () => ({ p_request_id: w.dsar.accessId, p_restricted: false, p_reason: "x" }), ...ALREADY),
    r("no reason", "dpo", () => ({ p_request_id: w.dsar.accessId, p_restricted: true, p_reason: "" }), ...BAD),
  ],
  dsar_withdraw_consent: [
    r("by support", "support", () => ({ p_request_id: w.objection, p_purposes: ["analytics"] }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId, p_purposes: ["analytics"] }), ...UNKNOWN),
    r("a request of another type", "dpo", () => ({ p_request_id: w.dsar.accessId, p_purposes: ["analytics"] }), ...STATE),
    r("a consent already withdrawn", "dpo", () => ({ p_request_id: w.objection, p_purposes: ["analytics"] }), ...ALREADY),
    r("a purpose that is not consent-based", "dpo", () => ({ p_request_id: w.objection, p_purposes: ["terms"] }), ...BAD),
  ],
  dsar_erasure_preview: [
    r("by support", "support", () => ({ p_request_id: w.unexecutedErasure }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId }), ...UNKNOWN),
    r("a request of another type", "dpo", () => ({ p_request_id: w.dsar.accessId }), ...STATE),
    r("an erasure not matched to a customer", "dpo", () => ({ p_request_id: w.unmatchedErasure }), ...STATE),
    r("no id", "dpo", () => ({ p_request_id: null }), ...BAD),
  ],
  dsar_execute_erasure: [
    r("by the admin", "admin", () => ({ p_request_id: w.unexecutedErasure }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId }), ...UNKNOWN),
    r("a request of another type", "dpo", () => ({ p_request_id: w.dsar.accessId }), ...STATE),
    r("an erasure whose identity is not verified", "dpo", () => ({ p_request_id: w.unverifiedErasure }), ...STATE),
    r("an erasure not matched to a customer", "dpo", () => ({ p_request_id: w.unmatchedErasure }), ...STATE),
  ],
  dsar_complete_processor_task: [
    r("by support", "support", () => ({ p_task_id: w.doneTask, p_note: "x" }), ...FORBIDDEN),
    r("an unknown task", "dpo", () => ({ p_task_id: unknownId, p_note: "x" }), ...UNKNOWN),
    r("a task already done", "dpo", () => ({ p_task_id: w.doneTask, p_note: "x" }), ...ALREADY),
    r("no task", "dpo", () => ({ p_task_id: null, p_note: "x" }), ...BAD),
  ],
  dsar_erasure_certificate: [
    r("by the auditor", "auditor", () => ({ p_request_id: w.dsar.erasureId }), ...FORBIDDEN),
    r("an unknown request", "dpo", () => ({ p_request_id: unknownId }), ...UNKNOWN),
    r("an erasure that has not run", "dpo", () => ({ p_request_id: w.unexecutedErasure }), ...STATE),
    r("processor tasks still open", "dpo", () => ({ p_request_id: w.dsar.erasureId }), ...STATE),
  ],
  legal_hold_place: [
    r("by support", "support", () => ({ p_reason: "Claim", p_review_on: "2099-01-01", p_category: "api_logs" }), ...FORBIDDEN),
    r("an unknown customer", "dpo", () => ({ p_reason: "Claim", p_review_on: "2099-01-01", p_customer_id: unknownId }), ...UNKNOWN),
    r("no reason", "dpo", () => ({ p_reason: " ", p_review_on: "2099-01-01", p_category: "api_logs" }), ...BAD),
    r("nothing to hold", "dpo", () => ({ p_reason: "Claim", p_review_on: "2099-01-01" }), ...BAD),
  ],
  legal_hold_release: [
    r("by the auditor", "auditor", () => ({ p_hold_id: w.releasedHold, p_note: "x" }), ...FORBIDDEN),
    r("an unknown hold", "dpo", () => ({ p_hold_id: unknownId, p_note: "x" }), ...UNKNOWN),
    r("a hold already released", "dpo", () => ({ p_hold_id: w.releasedHold, p_note: "x" }), ...STATE),
    r("no note", "dpo", () => ({ p_hold_id: w.releasedHold, p_note: "" }), ...BAD),
  ],
  retention_dry_run: [
    r("by the admin", "admin", () => ({ p_cutoff: null }), ...FORBIDDEN),
    r("a future cut-off", "dpo", () => ({ p_cutoff: "2999-01-01T00:00:00Z" }), ...BAD),
  ],
  retention_purge: [
    r("by the auditor", "auditor", () => ({ p_cutoff: null }), ...FORBIDDEN),
    r("a future cut-off", "dpo", () => ({ p_cutoff: "2999-01-01T00:00:00Z" }), ...BAD),
  ],
  retention_status_at: [
    r("by finance", "finance", () => ({ p_at: null }), ...FORBIDDEN),
    r("an unknown category", "auditor", () => ({ p_at: null, p_category: "photos" }), ...BAD),
  ],
  // Anyone signed in may ask who they are and read the DSAR clock; none of these refuses, and bad input is a 400.
  current_staff: [r("a caller who is not staff (null)", "stranger", () => ({}), 200, "")],
  current_staff_id: [r("a caller who is not staff (null)", "stranger", () => ({}), 200, "")],
  has_role: [r("a role that does not exist (false)", "stranger", () => ({ p_role: "owner" }), 200, "")],
  has_any_role: [r("roles as text (false)", "inactive", () => ({ p_roles: ["dpo"] }), 200, "")],
  dsar_deadline: [r("a time that is no time", "dpo", () => ({ p_received_at: "soon", p_days: 30 }), 400, "22007")],
  dsar_due_at: [r("an unknown type (null)", "dpo", () => ({ p_received_at: "2026-01-01T00:00:00Z", p_type: "x", p_extension_days: 0 }), 200, "")],
  dsar_due_on: [r("a time that is no time", "dpo", () => ({ p_due_at: "later" }), 400, "22007")],
  dsar_next_statuses: [r("an unknown status (null)", "dpo", () => ({ p_status: "x" }), 200, "")],
  dsar_promise_days: [r("an unknown type (null)", "dpo", () => ({ p_type: "x" }), 200, "")],
  dsar_promise_due_at: [r("days that are no number", "dpo", () => ({ p_received_at: "2026-01-01T00:00:00Z", p_type: "access", p_extension_days: "ten" }), ...MALFORMED)],
  dsar_statutory_days: [r("an unknown type (null)", "dpo", () => ({ p_type: "x" }), 200, "")],
  dsar_statutory_due_at: [r("an unknown type (null)", "dpo", () => ({ p_received_at: "2026-01-01T00:00:00Z", p_type: "x" }), 200, "")],
};

/** Functions any signed-in caller may use: everything else is privileged, and a caller who is not staff gets 403. */
const OPEN_TO_ANY_SIGNED_IN = new Set([
  "current_staff", "current_staff_id", "has_role", "has_any_role", "dsar_deadline", "dsar_due_at", "dsar_due_on",
  "dsar_next_statuses", "dsar_promise_days", "dsar_promise_due_at", "dsar_statutory_days", "dsar_statutory_due_at",
]);

interface ExposedFunction {
  name: string;
  args: { name: string; type: string }[];
}

/** What PostgREST exposes to a signed-in caller: the functions of schema public that `authenticated` may execute. */
async function exposedFunctions(): Promise<ExposedFunction[]> {
  const { rows } = await db.engine.query<ExposedFunction>(`
    select p.proname as name,
           coalesce((select json_agg(json_build_object('name', a.name, 'type', format_type(a.type, null)) order by a.ord)
                       from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames,
                                   coalesce(p.proargmodes, array_fill('i'::"char", array[p.pronargs])))
                            with ordinality as a(type, name, mode, ord)
                      where a.mode in ('i', 'b')), '[]'::json) as args
      from pg_proc p
     where p.pronamespace = 'public'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')
     order by p.proname`);
  return rows;
}

/** An argument of the given type that names nothing that exists. */
function unknownValue(type: string): unknown {
  if (type.endsWith("[]")) return [unknownValue(type.slice(0, -2))];
  if (type === "uuid") return unknownId;
  if (type === "integer" || type === "bigint" || type === "numeric") return 1;
  if (type === "boolean") return true;
  if (type === "jsonb" || type === "json") return {};
  if (type.startsWith("timestamp")) return "2026-01-01T00:00:00Z";
  if (type === "staff_role") return "support";
  return "unknown";
}

beforeAll(async () => {
  const jwtSecret = generateSecret();
  server = await startEmbeddedServer({ engine: db.engine, port: 0, jwtSecret, prepare: false, stripe: false, schemaCheckIntervalMs: 0, log: () => undefined });
  tokens.set("anon", server.anonKey);
  tokens.set("stranger", issueStaffToken({ clerkUserId: "user_notStaff01", email: "someone@example.test" }, jwtSecret).token);
  tokens.set("inactive", issueStaffToken(INACTIVE, jwtSecret).token);
  for (const [caller, email] of Object.entries(STAFF_EMAIL)) {
    tokens.set(caller as Caller, issueStaffToken(DEMO_STAFF.find((s) => s.email === email)!, jwtSecret).token);
  }
  w = await buildWorld();
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe("a refusal is never a 500", () => {
  it("every function exposed to authenticated has its cases here (a new function needs them)", async () => {
    expect((await exposedFunctions()).map((f) => f.name).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))("%s answers each refusal with its status and code", async (fn) => {
    const got: string[] = [];
    const want: string[] = [];
    for (const c of CASES[fn]!) {
      const answer = await rpc(c.as, fn, c.args());
      const code = answer.status < 300 ? "" : (answer.body?.code ?? "?");
      got.push(`${c.what} (as ${c.as}): ${answer.status} ${code}${answer.status >= 300 ? ` — ${answer.body?.message}` : ""}`);
      want.push(`${c.what} (as ${c.as}): ${c.status} ${c.code}${c.status >= 300 ? ` — ${answer.body?.message}` : ""}`);
      if (answer.status >= 300) expect(answer.body?.message, `${fn}: ${c.what}`).toMatch(/\w/);
    }
    expect(got).toEqual(want);
  });

  it("anon may call none of them (401), and a signed-in caller who is not (or no longer) staff gets 403 from every privileged one", async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const f of await exposedFunctions()) {
      const args = Object.fromEntries(f.args.map((a) => [a.name, null]));
      const anon = await rpc("anon", f.name, args);
      got.push(`${f.name} as anon: ${anon.status} ${anon.body?.code}`);
      want.push(`${f.name} as anon: 401 42501`);
      if (OPEN_TO_ANY_SIGNED_IN.has(f.name)) continue;
      for (const caller of ["stranger", "inactive"] as const) {
        const answer = await rpc(caller, f.name, args);
        got.push(`${f.name} as ${caller}: ${answer.status} ${answer.body?.code}`);
        want.push(`${f.name} as ${caller}: 403 42501`);
      }
    }
    expect(got).toEqual(want);
  });

  // About a thousand HTTP calls (every function × nine callers × two argument sets): on PGlite, on a shared CPU,
  // that passed the default 30 s once the retention functions (issue 10) joined.
  it("no caller gets a 5xx from any function, with unknown or null arguments", async () => {
    const errors: string[] = [];
    for (const f of await exposedFunctions()) {
      const argSets = [
        Object.fromEntries(f.args.map((a) => [a.name, unknownValue(a.type)])),
        Object.fromEntries(f.args.map((a) => [a.name, null])),
      ];
      for (const caller of CALLERS) {
        for (const args of argSets) {
          const answer = await rpc(caller, f.name, args);
          if (answer.status >= 500) errors.push(`${f.name} as ${caller} ${JSON.stringify(args)}: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
      }
    }
    expect(errors).toEqual([]);
    // Every exposed function × every caller × two argument sets over HTTP: ~12 s alone, more on a shared CPU.
  }, 120_000);
});
