import type { AuthProvider } from "@refinedev/core";
import { t } from "../../i18n/provider";
import { isSessionEndedError, sessionEnded, signInFailed } from "./sessionErrors";
import { createCurrentStaffLoader, type StaffIdentity } from "./staff";

/** The part of Clerk's browser object the console relies on (structurally matches `useClerk()`). */
export interface ClerkSessionSource {
  session?: { getToken: () => Promise<string | null> } | null;
  signOut: () => Promise<unknown>;
}

export interface ClerkAuthOptions {
  clerk: ClerkSessionSource;
  lookupStaff: () => Promise<StaffIdentity | null>;
  onSessionChange?: () => void;
}

/**
 * Clerk owns sign-in (its <SignIn> component on the login page); Refine only asks whether a session exists,
 * and the database decides who that session is on staff.
 */
export function createClerkAuth({ clerk, lookupStaff, onSessionChange }: ClerkAuthOptions) {
  const getAccessToken = async () => (clerk.session ? await clerk.session.getToken() : null);
  const staff = createCurrentStaffLoader(lookupStaff, getAccessToken);

  async function endSession() {
    staff.reset();
    onSessionChange?.();
    await clerk.signOut();
  }

  const authProvider: AuthProvider = {
    // Sign-in happens inside Clerk's component; this only confirms it produced a session.
    login: async () =>
      clerk.session
        ? { success: true, redirectTo: "/" }
        : signInFailed(t("auth.clerk.useTheForm")),
    logout: async () => {
      await endSession();
      return { success: true, redirectTo: "/login" };
    },
    check: async () =>
      clerk.session ? { authenticated: true } : { authenticated: false, logout: true, redirectTo: "/login" },
    // A rejected token ends the session; a 403 is a permission answer and is shown where it happened.
    onError: async (error: unknown) => {
      if (isSessionEndedError(error)) {
        await endSession();
        return sessionEnded();
      }
      return {};
    },
    getIdentity: async () => staff.load(),
    getPermissions: async () => (await staff.load())?.roles ?? [],
  };

  return { authProvider, getAccessToken };
}
