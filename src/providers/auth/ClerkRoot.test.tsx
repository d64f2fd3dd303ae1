import type { ReactNode } from "react";
import { render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createFakeBackend, FAKE_STAFF } from "../../test/fakeBackend";
import { customerDataFor } from "../../test/fixtures";

// Clerk's SDK is the external boundary here (it talks to Clerk's servers): replace it with a session we control.
const clerkState: { session: { getToken: () => Promise<string | null> } | null } = { session: null };
const fakeClerk = {
  get session() {
    return clerkState.session;
  },
  signOut: vi.fn(async () => {
    clerkState.session = null;
  }),
};
vi.mock("@clerk/clerk-react", () => ({
  ClerkProvider: ({ children }: { children: ReactNode }) => <>{children}</>,
  ClerkLoaded: ({ children }: { children: ReactNode }) => <>{children}</>,
  ClerkLoading: () => null,
  SignIn: () => <div>Clerk sign-in form</div>,
  useClerk: () => fakeClerk,
}));

const { default: ClerkRoot } = await import("./ClerkRoot");

function renderClerkConsole(path: string, options: Parameters<typeof createFakeBackend>[0] = {}) {
  window.history.replaceState(null, "", path);
  const backend = createFakeBackend(options);
  vi.stubGlobal("fetch", vi.fn(backend.fetch));
  render(<ClerkRoot supabaseUrl="https://project.supabase.co" supabaseAnonKey="anon" publishableKey="pk_test_x" />);
  return backend;
}

describe("production mode (Clerk + Supabase project)", () => {
  beforeEach(() => {
    clerkState.session = null;
  });

  it("shows Clerk's sign-in form when there is no Clerk session", async () => {
    renderClerkConsole("/customers");
    expect(await screen.findByText("Clerk sign-in form")).toBeInTheDocument();
  });

  it("sends the Clerk session token to Supabase and shows what the database allows", async () => {
    const finance = FAKE_STAFF.find((s) => s.roles.includes("finance"))!;
    clerkState.session = { getToken: async () => finance.token };
    const backend = renderClerkConsole("/customers", { rowsFor: customerDataFor });
    expect(await screen.findByText("cus_Sj123")).toBeInTheDocument();
    const rpc = backend.requestsTo("/rest/v1/rpc/current_staff")[0]!;
    expect(rpc.url.origin).toBe("https://project.supabase.co");
    expect(rpc.headers.get("Authorization")).toBe(`Bearer ${finance.token}`);
  });

  it("a Clerk user who is not active staff gets the 'not a staff member' page", async () => {
    clerkState.session = { getToken: async () => FAKE_STAFF[0]!.token };
    renderClerkConsole("/customers", { rowsFor: customerDataFor, notStaff: true });
    expect(await screen.findByText("Not a staff member")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText("somchai.j@example.co.th")).not.toBeInTheDocument());
  });
});
