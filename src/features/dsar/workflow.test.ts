import { describe, expect, it } from "vitest";
import { allowedTransitions, canVerifyIdentity, fulfilBlocker, fulfilmentPanel, isOpenStatus, staffView } from "./workflow";

const VERIFIED = "2026-11-11T03:00:00Z";

describe("transitions offered on the request page", () => {
  it("a new, unverified request offers identity, rejection, withdrawal and duplicate but not 'start work'", () => {
    expect(allowedTransitions({ status: "new", identity_verified_at: null }, "dpo")).toEqual(["awaiting_verification", "rejected", "withdrawn", "duplicate"]);
    expect(canVerifyIdentity({ status: "new", identity_verified_at: null }, "dpo")).toBe(true);
  });

  it("once identity is verified, work can start", () => {
    expect(allowedTransitions({ status: "new", identity_verified_at: VERIFIED }, "dpo")).toContain("in_progress");
    expect(canVerifyIdentity({ status: "new", identity_verified_at: VERIFIED }, "dpo")).toBe(false);
  });

  it("in progress can be fulfilled or paused for the subject", () => {
    expect(allowedTransitions({ status: "in_progress", identity_verified_at: VERIFIED }, "dpo")).toEqual(["awaiting_subject", "fulfilled", "rejected", "withdrawn", "duplicate"]);
  });

  it("closed requests offer nothing", () => {
    for (const status of ["fulfilled", "rejected", "withdrawn", "duplicate"] as const) {
      expect(allowedTransitions({ status, identity_verified_at: VERIFIED }, "dpo")).toEqual([]);
      expect(isOpenStatus(status)).toBe(false);
    }
  });

  it("support and the auditor never get workflow buttons", () => {
    expect(allowedTransitions({ status: "new", identity_verified_at: null }, "support")).toEqual([]);
    expect(allowedTransitions({ status: "in_progress", identity_verified_at: VERIFIED }, "auditor")).toEqual([]);
    expect(canVerifyIdentity({ status: "new", identity_verified_at: null }, "auditor")).toBe(false);
  });
});

describe("view and fulfilment panel", () => {
  it("the DPO role wins when a person holds several", () => {
    expect(staffView(["support", "dpo"])).toBe("dpo");
    expect(staffView(["auditor", "support"])).toBe("auditor");
    expect(staffView(["finance"])).toBe("none");
  });

  it("panels follow the type, for the DPO, while in progress", () => {
    expect(fulfilmentPanel({ type: "portability", status: "in_progress" }, "dpo")).toBe("export");
    expect(fulfilmentPanel({ type: "objection", status: "in_progress" }, "dpo")).toBe("consent");
    expect(fulfilmentPanel({ type: "erasure", status: "awaiting_verification" }, "dpo")).toBeNull();
    expect(fulfilmentPanel({ type: "access", status: "in_progress" }, "support")).toBeNull();
    expect(fulfilmentPanel({ type: "access", status: "fulfilled" }, "dpo")).toBeNull();
    // The certificate of a closed erasure stays reachable.
    expect(fulfilmentPanel({ type: "erasure", status: "fulfilled" }, "dpo")).toBe("erasure");
  });
});

describe("when an erasure may be marked fulfilled", () => {
  it("not before the erasure ran (no processor tasks yet)", () => {
    expect(fulfilBlocker({ type: "erasure" }, [])).toBe("Execute the erasure first: it opens the processor checklist.");
  });

  it("not while processor tasks are open, counting them", () => {
    expect(fulfilBlocker({ type: "erasure" }, [{ status: "done" }, { status: "open" }])).toBe("1 processor task is still open.");
    expect(fulfilBlocker({ type: "erasure" }, [{ status: "open" }, { status: "open" }])).toBe("2 processor tasks are still open.");
  });

  it("once every task is done; other types never wait on processor tasks", () => {
    expect(fulfilBlocker({ type: "erasure" }, [{ status: "done" }, { status: "done" }])).toBeNull();
    expect(fulfilBlocker({ type: "access" }, [])).toBeNull();
  });
});
