/** Signing in: the embedded demo sign-in page (Clerk's own page is Clerk's). In the first load, with `common`. */
export const auth = {
  failed: "Sign-in failed",
  sessionEnded: "Your session has ended; sign in again.",
  clerk: {
    connecting: "Connecting to Clerk…",
    useTheForm: "Sign in with the form above.",
  },
  embedded: {
    intro:
      "Embedded demo server: choose a staff member to sign in as. What you see afterwards is decided by that person's roles in the database.",
    failed: "Sign-in failed",
    loadingStaff: "Loading staff…",
    unreachable: "Could not reach the embedded server",
    unreachableDetail: "{reason}. Is `npm run dev` running?",
    staffListLabel: "Demo staff",
    noStaff: "The server lists no staff members who can sign in.",
    signIn: "Sign in",
    signInAs: "Sign in as {email}",
    chooseStaff: "Choose a staff member to sign in as.",
    serverNotReachable: "The embedded server is not reachable ({detail}).",
    noAccessToken: "The sign-in server returned no access_token",
    noExpiry: "The sign-in server returned no valid expires_at",
    staffListFailed: "Could not list demo staff: {reason}",
    staffListUnexpected: "Could not list demo staff: unexpected response",
  },
} as const;
