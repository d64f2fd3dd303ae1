import { describe, expect, it, vi } from "vitest";
import { createClerkAuth, type ClerkSessionSource } from "./clerk";
import { parseStaffIdentity } from "./staff";

function fakeClerk(token: string | null): ClerkSessionSource & { signOut: ReturnType<typeof vi.fn> } {
  const clerk = {
    session: token ? { getToken: vi.fn(async () => token) } : null,
    signOut: vi.fn(async () => {
      clerk.session = null;
    }),
  };
  return clerk;
}

const staffRow = { id: "s2", email: "finance@m-factory.test", display_name: "Fiona", clerk_user_id: "user_demoFinance", roles: ["finance"] };

describe("clerk auth provider", () => {
  it("is authenticated exactly when Clerk has a session, and passes on its token", async () => {
    const signedIn = createClerkAuth({ clerk: fakeClerk("clerk-jwt"), lookupStaff: async () => staffRow });
    await expect(signedIn.authProvider.check()).resolves.toEqual({ authenticated: true });
    await expect(signedIn.getAccessToken()).resolves.toBe("clerk-jwt");

    const signedOut = createClerkAuth({ clerk: fakeClerk(null), lookupStaff: async () => staffRow });
    await expect(signedOut.authProvider.check()).resolves.toMatchObject({ authenticated: false, redirectTo: "/login" });
    await expect(signedOut.getAccessToken()).resolves.toBeNull();
  });

  it("takes roles from the database lookup, not from Clerk", async () => {
    const auth = createClerkAuth({ clerk: fakeClerk("clerk-jwt"), lookupStaff: async () => staffRow });
    await expect(auth.authProvider.getPermissions!()).resolves.toEqual(["finance"]);
  });

  it("signs out of Clerk on logout and on a rejected token", async () => {
    const clerk = fakeClerk("clerk-jwt");
    const onSessionChange = vi.fn();
    const auth = createClerkAuth({ clerk, lookupStaff: async () => staffRow, onSessionChange });
    await expect(auth.authProvider.onError({ statusCode: 401 })).resolves.toMatchObject({ logout: true });
    expect(clerk.signOut).toHaveBeenCalledTimes(1);
    expect(onSessionChange).toHaveBeenCalled();
    await expect(auth.authProvider.logout({})).resolves.toEqual({ success: true, redirectTo: "/login" });
    expect(clerk.signOut).toHaveBeenCalledTimes(2);
  });
});

describe("parseStaffIdentity", () => {
  it("accepts the RPC's object or a one-row array", () => {
    expect(parseStaffIdentity(staffRow)).toEqual(staffRow);
    expect(parseStaffIdentity([staffRow])).toEqual(staffRow);
  });
  it("maps null to 'not staff'", () => {
    expect(parseStaffIdentity(null)).toBeNull();
  });
  it("rejects a row without roles", () => {
    expect(() => parseStaffIdentity({ id: "x", email: "a@b.c" })).toThrow(/roles/);
  });
});
