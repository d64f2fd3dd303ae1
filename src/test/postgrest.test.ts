import { describe, expect, it } from "vitest";
import { applyQuery, projectRows, UnsupportedQuery } from "./postgrest";

const ROWS = [
  { id: 1, status: "open", amount: 100, email: "Somchai.J@example.co.th", closed_at: null, at: "2026-11-20T03:00:00Z", paid: true },
  { id: 2, status: "closed", amount: 2500, email: "emma@example.com", closed_at: "2026-11-21T00:00:00Z", at: "2026-11-21T00:00:00.000Z", paid: false },
  { id: 3, status: "open", amount: 40, email: "ning@example.co.th", closed_at: null, at: "2026-11-19T12:00:00Z", paid: true },
  { id: 4, status: "pending", amount: 900, email: null, closed_at: "2026-11-22T00:00:00Z", at: "2026-11-22T00:00:00Z", paid: false },
];

const ids = (query: string) => applyQuery(ROWS, new URLSearchParams(query)).map((row) => row.id);

describe("the fake backend's PostgREST filters", () => {
  it("compares numbers as numbers, timestamps as instants, text as text", () => {
    expect(ids("amount=gte.100")).toEqual([1, 2, 4]);
    expect(ids("amount=lt.100")).toEqual([3]);
    expect(ids("amount=gt.900&amount=lte.2500")).toEqual([2]);
    expect(ids("at=gte.2026-11-21T00:00:00Z")).toEqual([2, 4]);
    expect(ids("at=eq.2026-11-21T00:00:00Z")).toEqual([2]);
    expect(ids("status=neq.open")).toEqual([2, 4]);
    expect(ids("paid=eq.true")).toEqual([1, 3]);
  });

  it("in, is and not", () => {
    expect(ids("status=in.(open,pending)")).toEqual([1, 3, 4]);
    expect(ids('status=in.("closed")')).toEqual([2]);
    expect(ids("closed_at=is.null")).toEqual([1, 3]);
    expect(ids("closed_at=not.is.null")).toEqual([2, 4]);
    expect(ids("paid=is.false")).toEqual([2, 4]);
    expect(ids("status=not.in.(open)")).toEqual([2, 4]);
  });

  it("like and ilike with % or * wildcards; null never matches", () => {
    expect(ids("email=ilike.*somchai*")).toEqual([1]);
    expect(ids("email=like.*somchai*")).toEqual([]);
    expect(ids("email=like.%25.co.th")).toEqual([1, 3]);
  });

  it("or and and groups, nested and quoted, as supabase-js sends them", () => {
    expect(ids('or=(email.ilike."%emma%",status.eq.pending)')).toEqual([2, 4]);
    expect(ids("or=(amount.gt.1000,and(status.eq.open,amount.lt.50))")).toEqual([2, 3]);
    expect(ids('or=(email.ilike."%a,b%",id.eq.1)')).toEqual([1]);
    expect(ids("not.or=(status.eq.open,status.eq.closed)")).toEqual([4]);
    expect(ids("and=(paid.is.true,amount.gt.50)")).toEqual([1]);
  });

  it("orders by several keys, nulls last ascending and first descending unless told", () => {
    expect(ids("order=status.asc,amount.desc")).toEqual([2, 1, 3, 4]);
    // Text in code-unit order, as the C collation sorts ("S" before "e").
    expect(ids("order=email.asc")).toEqual([1, 2, 3, 4]);
    expect(ids("order=email.desc")).toEqual([4, 3, 2, 1]);
    expect(ids("order=email.desc.nullslast")).toEqual([3, 2, 1, 4]);
    expect(ids("order=at.desc")).toEqual([4, 2, 1, 3]);
  });

  it("ignores embedded-resource filters and paging parameters", () => {
    expect(ids("customer.email=eq.x&select=*&offset=0&limit=2")).toEqual([1, 2, 3, 4]);
  });

  it("refuses an operator it does not implement rather than ignoring it", () => {
    expect(() => ids("tags=cs.{a}")).toThrow(UnsupportedQuery);
    expect(() => ids("or=(tags.ov.{a})")).toThrow(UnsupportedQuery);
  });

  it("projects a plain column list and leaves embeds and * whole", () => {
    expect(projectRows(ROWS.slice(0, 1), "id,status")).toEqual([{ id: 1, status: "open" }]);
    expect(projectRows(ROWS.slice(0, 1), "*")).toEqual(ROWS.slice(0, 1));
    expect(projectRows(ROWS.slice(0, 1), "id,customer:customer_directory(email)")).toEqual(ROWS.slice(0, 1));
  });
});
