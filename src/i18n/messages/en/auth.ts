/** Signing in: the embedded demo sign-in page (Clerk's own page is Clerk's). In the first load, with `common`. */
export const auth = {
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
  },
} as const;
