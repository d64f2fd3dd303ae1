/**
 * The demo staff members: one per role, plus a second finance user (listed last, so the first
 * finance user stays "the" finance user) so that refunds needing two finance approvals can be
 * shown and tested. The sign-in page lists them, `npm run token` signs tokens for them, and tests
 * use them. Their addresses are a published promise: keep them.
 */
export type StaffRole = "dpo" | "support" | "finance" | "admin" | "auditor";

export interface DemoStaffMember {
  clerkUserId: string;
  email: string;
  displayName: string;
  roles: StaffRole[];
}

export const DEMO_STAFF: readonly DemoStaffMember[] = [
  { clerkUserId: "user_demoDpo", email: "dpo@m-factory.test", displayName: "Nattaya Srisuk", roles: ["dpo"] },
  { clerkUserId: "user_demoSupport", email: "support@m-factory.test", displayName: "Somchai Wongsa", roles: ["support"] },
  { clerkUserId: "user_demoFinance", email: "finance@m-factory.test", displayName: "Fiona Grant", roles: ["finance"] },
  { clerkUserId: "user_demoAdmin", email: "admin@m-factory.test", displayName: "Arun Patel", roles: ["admin"] },
  { clerkUserId: "user_demoAuditor", email: "auditor@m-factory.test", displayName: "Mali Chaiyo", roles: ["auditor"] },
  { clerkUserId: "user_demoFinanceApprover", email: "finance.approver@m-factory.test", displayName: "Kittipong Rattana", roles: ["finance"] },
];

export function demoStaffByEmail(email: string): DemoStaffMember | undefined {
  const wanted = email.trim().toLowerCase();
  return DEMO_STAFF.find((s) => s.email === wanted);
}
