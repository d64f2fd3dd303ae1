import { describe, expect, it } from "vitest";
import { ACCESS_RESOURCES, STAFF_ROLES, can, createAccessControlProvider, menuGroupsOf } from "./accessControl";

// The decided matrix, written out independently of ACCESS_MATRIX so a drift in either fails here.
const EXPECTED_READERS: Record<string, string[]> = {
  customers: ["dpo", "support", "finance"],
  stripe_ids: ["dpo", "finance", "auditor"],
  projects: ["dpo", "support"],
  generations: ["dpo", "support"],
  assets: ["dpo"],
  credit_ledger: ["dpo", "support", "finance", "auditor"],
  credit_balances: ["dpo", "support", "finance", "auditor"],
  payments: ["dpo", "support", "finance", "auditor"],
  subscriptions: ["dpo", "support", "finance", "auditor"],
  customer_consents: ["dpo", "support", "auditor"],
  consent_events: ["dpo", "auditor"],
  api_request_logs: ["dpo"],
  error_reports: ["dpo"],
  policy_versions: ["dpo", "support", "finance", "admin", "auditor"],
  staff_roles: ["dpo", "admin", "auditor"],
  audit_log: ["dpo", "admin", "auditor"],
  dsar_requests: ["dpo", "support", "auditor"],
  dsar_events: ["dpo", "auditor"],
  dsar_fulfilment: ["dpo"],
  dsar_stats: ["dpo", "auditor"],
  credit_adjustments: ["dpo", "support", "finance", "auditor"],
  credit_approvals: ["finance"],
  money_stats: ["dpo", "support", "finance", "auditor"],
  refunds: ["dpo", "support", "finance", "auditor"],
  refund_approvals: ["finance"],
  refund_execution: ["finance"],
  reconciliation: ["finance", "auditor"],
  retention: ["dpo", "admin", "auditor"],
  legal_holds: ["dpo", "auditor"],
};

describe("can(): read access per role", () => {
  for (const resource of ACCESS_RESOURCES) {
    for (const role of STAFF_ROLES) {
      const expected = EXPECTED_READERS[resource]?.includes(role) ?? false;
      it(`${role} ${expected ? "may" : "may not"} list and show ${resource}`, () => {
        expect(can([role], resource, "list")).toBe(expected);
        expect(can([role], resource, "show")).toBe(expected);
      });
    }
  }
});

describe("can(): writes", () => {
  it("only the DPO places legal holds and runs purges", () => {
    for (const resource of ["retention", "legal_holds"]) {
      expect(can(["dpo"], resource, "write")).toBe(true);
      for (const role of ["support", "finance", "admin", "auditor"]) expect(can([role], resource, "write")).toBe(false);
    }
  });
  it("only the DPO writes policy versions", () => {
    expect(can(["dpo"], "policy_versions", "create")).toBe(true);
    expect(can(["dpo"], "policy_versions", "edit")).toBe(true);
    for (const role of ["support", "finance", "admin", "auditor"]) expect(can([role], "policy_versions", "edit")).toBe(false);
  });
  it("only the admin writes staff roles, the DPO and auditor only read them", () => {
    expect(can(["admin"], "staff_roles", "edit")).toBe(true);
    expect(can(["dpo"], "staff_roles", "edit")).toBe(false);
    expect(can(["auditor"], "staff_roles", "create")).toBe(false);
  });
  it("support logs DSAR intakes but only the DPO runs the workflow and fulfilment", () => {
    expect(can(["support"], "dsar_requests", "create")).toBe(true);
    expect(can(["support"], "dsar_fulfilment", "write")).toBe(false);
    expect(can(["dpo"], "dsar_fulfilment", "write")).toBe(true);
    for (const role of ["support", "finance", "admin", "auditor"]) expect(can([role], "dsar_fulfilment", "edit")).toBe(false);
    expect(can(["auditor"], "dsar_queue", "list")).toBe(true);
    expect(can(["auditor"], "dsar_queue", "create")).toBe(false);
  });
  it("support and finance request credit adjustments; only finance decides them", () => {
    for (const role of ["support", "finance"]) expect(can([role], "credit_adjustments", "create")).toBe(true);
    for (const role of ["dpo", "admin", "auditor"]) expect(can([role], "credit_adjustments", "create")).toBe(false);
    expect(can(["finance"], "credit_approvals", "write")).toBe(true);
    for (const role of ["dpo", "support", "admin", "auditor"]) expect(can([role], "credit_approvals", "write")).toBe(false);
  });
  it("support and finance request refunds; only finance approves and sends them to Stripe", () => {
    for (const role of ["support", "finance"]) expect(can([role], "refunds", "create")).toBe(true);
    for (const role of ["dpo", "admin", "auditor"]) expect(can([role], "refunds", "create")).toBe(false);
    for (const resource of ["refund_approvals", "refund_execution"]) {
      expect(can(["finance"], resource, "write")).toBe(true);
      for (const role of ["dpo", "support", "admin", "auditor"]) expect(can([role], resource, "write")).toBe(false);
    }
  });
  it("nobody edits or deletes the audit log or customers through the console", () => {
    for (const role of STAFF_ROLES) {
      expect(can([role], "audit_log", "delete")).toBe(false);
      expect(can([role], "customers", "edit")).toBe(false);
    }
  });
});

describe("can(): combinations and unknowns", () => {
  it("a person holding several roles gets the union", () => {
    expect(can(["support", "auditor"], "consent_events", "list")).toBe(true);
    expect(can(["support", "auditor"], "assets", "list")).toBe(false);
  });
  it("no roles means no access", () => {
    expect(can([], "policy_versions", "list")).toBe(false);
  });
  it("unknown resources and actions are denied", () => {
    expect(can(["dpo"], "secrets", "list")).toBe(false);
    expect(can(["dpo"], "customers", "export")).toBe(false);
  });
  it("view names resolve to the resource they expose", () => {
    expect(can(["support"], "customer_directory", "list")).toBe(true);
    expect(can(["support"], "customer_stripe_ids", "list")).toBe(false);
    expect(can(["finance"], "payment_details", "show")).toBe(true);
  });
});

describe("createAccessControlProvider", () => {
  it("answers from the loaded roles and explains a refusal", async () => {
    const provider = createAccessControlProvider(async () => ["support"]);
    await expect(provider.can({ resource: "customers", action: "list" })).resolves.toEqual({ can: true });
    const refused = await provider.can({ resource: "assets", action: "list" });
    expect(refused.can).toBe(false);
    expect(refused.reason).toContain("support");
  });
  it("denies everything when the roles cannot be loaded", async () => {
    const provider = createAccessControlProvider(async () => {
      throw new Error("offline");
    });
    await expect(provider.can({ resource: "policy_versions", action: "list" })).resolves.toMatchObject({ can: false });
  });
  it("shows a menu group only when one of its children is usable", async () => {
    const groups = menuGroupsOf([
      { name: "customers_group" },
      { name: "admin" },
      { name: "customer_directory", meta: { parent: "customers_group" } },
      { name: "staff_roles", meta: { parent: "admin" } },
    ]);
    expect(groups).toEqual({ customers_group: ["customer_directory"], admin: ["staff_roles"] });
    const asAdmin = createAccessControlProvider(async () => ["admin"], groups);
    await expect(asAdmin.can({ resource: "admin", action: "list" })).resolves.toEqual({ can: true });
    await expect(asAdmin.can({ resource: "customers_group", action: "list" })).resolves.toMatchObject({ can: false });
    const asSupport = createAccessControlProvider(async () => ["support"], groups);
    await expect(asSupport.can({ resource: "customers_group", action: "list" })).resolves.toEqual({ can: true });
  });
  it("denies an empty group (a later feature's group with no pages yet)", async () => {
    const groups = menuGroupsOf([{ name: "money" }]);
    const provider = createAccessControlProvider(async () => ["dpo"], groups);
    await expect(provider.can({ resource: "money", action: "list" })).resolves.toMatchObject({ can: false });
  });
});
