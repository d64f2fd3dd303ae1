import { describe, expect, it } from "vitest";
import { applyFilters, type FilterableQuery } from "../../lib/postgrestFilters";
import {
  buildBarFilters,
  buildQueueFilters,
  EMPTY_QUEUE_FILTERS,
  queueSorters,
  readQueueState,
  tabFilters,
  writeQueueState,
} from "./queueState";

const STAFF = "00000000-0000-4000-8000-000000000000";

describe("queue state in the URL", () => {
  it("a plain address is the open tab sorted by deadline", () => {
    const state = readQueueState(new URLSearchParams(""));
    expect(state).toEqual({ tab: "open", page: 1, sort: { field: "due_at", order: "asc" }, filters: EMPTY_QUEUE_FILTERS });
    expect(writeQueueState(state).toString()).toBe("");
  });

  it("round-trips every filter", () => {
    const params = new URLSearchParams("tab=overdue&q=somchai&type=erasure,access&status=new&channel=email&assignee=none&from=2026-11-01&to=2026-11-30&overdue=1&sort=received_at&order=desc&page=3");
    const state = readQueueState(params);
    expect(state.tab).toBe("overdue");
    expect(state.filters).toEqual({
      search: "somchai",
      types: ["erasure", "access"],
      statuses: ["new"],
      channels: ["email"],
      assignee: "none",
      receivedFrom: "2026-11-01",
      receivedTo: "2026-11-30",
      overdueOnly: true,
    });
    expect(readQueueState(writeQueueState(state))).toEqual(state);
  });

  it("ignores hand-edited nonsense instead of sending it to the database", () => {
    const state = readQueueState(new URLSearchParams("tab=everything&type=gossip,access&assignee=robert'); drop&from=yesterday&page=-2&sort=password"));
    expect(state.tab).toBe("open");
    expect(state.filters.types).toEqual(["access"]);
    expect(state.filters.assignee).toBe("");
    expect(state.filters.receivedFrom).toBe("");
    expect(state.page).toBe(1);
    expect(state.sort.field).toBe("due_at");
  });
});

describe("tabs as filters", () => {
  it("my queue is open requests assigned to me (DPO) or logged by me (support)", () => {
    expect(tabFilters("mine", STAFF)).toEqual([
      { field: "is_open", operator: "eq", value: true },
      { field: "assignee_id", operator: "eq", value: STAFF },
    ]);
    expect(tabFilters("mine", STAFF, true)[1]).toEqual({ field: "created_by", operator: "eq", value: STAFF });
  });

  it("due ≤ 7 days is open requests with 0 to 7 days left (overdue ones have their own tab)", () => {
    expect(tabFilters("due_soon", STAFF)).toEqual([
      { field: "is_open", operator: "eq", value: true },
      { field: "days_left", operator: "gte", value: 0 },
      { field: "days_left", operator: "lte", value: 7 },
    ]);
  });

  it("overdue, awaiting identity and closed", () => {
    expect(tabFilters("overdue", STAFF)).toContainEqual({ field: "is_overdue", operator: "eq", value: true });
    expect(tabFilters("awaiting_identity", STAFF)).toEqual([{ field: "status", operator: "eq", value: "awaiting_verification" }]);
    expect(tabFilters("closed", STAFF)).toEqual([{ field: "is_open", operator: "eq", value: false }]);
  });
});

describe("filter bar", () => {
  it("searches reference, requester email and the matched customer", () => {
    const [search] = buildBarFilters({ ...EMPTY_QUEUE_FILTERS, search: ' DSAR-2026-00*4"2 ' });
    expect(search).toEqual({
      operator: "or",
      value: [
        { field: "reference", operator: "contains", value: "DSAR-2026-0042" },
        { field: "requester_email", operator: "contains", value: "DSAR-2026-0042" },
        { field: "customer_email", operator: "contains", value: "DSAR-2026-0042" },
        { field: "customer_display_name", operator: "contains", value: "DSAR-2026-0042" },
      ],
    });
  });

  it("turns the received range into Bangkok day bounds", () => {
    const filters = buildBarFilters({ ...EMPTY_QUEUE_FILTERS, receivedFrom: "2026-11-01", receivedTo: "2026-11-30" });
    expect(filters).toEqual([
      { field: "received_at", operator: "gte", value: "2026-10-31T17:00:00.000Z" },
      { field: "received_at", operator: "lt", value: "2026-11-30T17:00:00.000Z" },
    ]);
  });

  it("refuses a range whose start is after its end", () => {
    expect(() => buildBarFilters({ ...EMPTY_QUEUE_FILTERS, receivedFrom: "2026-12-01", receivedTo: "2026-11-01" })).toThrow("Received date: the start is after the end.");
  });

  it("combines tab and bar filters", () => {
    const filters = buildQueueFilters({ tab: "open", filters: { ...EMPTY_QUEUE_FILTERS, types: ["erasure"], assignee: "none", overdueOnly: true } }, STAFF);
    expect(filters).toEqual([
      { field: "is_open", operator: "eq", value: true },
      { field: "type", operator: "in", value: ["erasure"] },
      { field: "assignee_id", operator: "null", value: "null" },
      { field: "is_overdue", operator: "eq", value: true },
    ]);
  });

  it("sorts with the reference as a tie-breaker", () => {
    expect(queueSorters({ field: "due_at", order: "asc" })).toEqual([{ field: "due_at", order: "asc" }, { field: "reference", order: "asc" }]);
    expect(queueSorters({ field: "reference", order: "desc" })).toEqual([{ field: "reference", order: "desc" }]);
  });
});

describe("applyFilters (counts and CSV use the same filters as the table)", () => {
  class Recorder implements FilterableQuery<Recorder> {
    calls: string[] = [];
    private add(text: string) { this.calls.push(text); return this; }
    eq(c: string, v: unknown) { return this.add(`${c}=eq.${String(v)}`); }
    neq(c: string, v: unknown) { return this.add(`${c}=neq.${String(v)}`); }
    in(c: string, v: readonly unknown[]) { return this.add(`${c}=in.(${v.join(",")})`); }
    gt(c: string, v: unknown) { return this.add(`${c}=gt.${String(v)}`); }
    gte(c: string, v: unknown) { return this.add(`${c}=gte.${String(v)}`); }
    lt(c: string, v: unknown) { return this.add(`${c}=lt.${String(v)}`); }
    lte(c: string, v: unknown) { return this.add(`${c}=lte.${String(v)}`); }
    is(c: string, v: null | boolean) { return this.add(`${c}=is.${String(v)}`); }
    or(f: string) { return this.add(`or=(${f})`); }
  }

  it("maps every operator the queue uses", () => {
    const filters = buildQueueFilters({ tab: "due_soon", filters: { ...EMPTY_QUEUE_FILTERS, search: "emma", statuses: ["new", "in_progress"], assignee: "none" } }, STAFF);
    const recorded = applyFilters(new Recorder(), filters).calls;
    expect(recorded).toEqual([
      "is_open=eq.true",
      "days_left=gte.0",
      "days_left=lte.7",
      'or=(reference.ilike."%emma%",requester_email.ilike."%emma%",customer_email.ilike."%emma%",customer_display_name.ilike."%emma%")',
      "status=in.(new,in_progress)",
      "assignee_id=is.null",
    ]);
  });
});
