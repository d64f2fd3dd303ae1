import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { customerDataFor } from "../../test/fixtures";
import { renderConsole } from "../../test/renderConsole";

describe("embedded sign-in page", () => {
  it("lists the demo staff returned by GET /embedded/v1/staff", async () => {
    renderConsole("/login");
    const list = await screen.findByRole("region", { name: "Demo staff" });
    for (const role of ["dpo", "support", "finance", "admin", "auditor"]) {
      expect(within(list).getByText(`${role}@m-factory.test`)).toBeInTheDocument();
    }
  });

  it("signs in with one click: posts the email, keeps the token for the tab and opens the console", async () => {
    const { backend } = renderConsole("/login", { rowsFor: customerDataFor });
    await userEvent.click(await screen.findByRole("button", { name: "Sign in as support@m-factory.test" }));

    await waitFor(() => expect(backend.requestsTo("/embedded/v1/token")).toHaveLength(1));
    expect(JSON.parse(backend.requestsTo("/embedded/v1/token")[0]!.body ?? "")).toEqual({ email: "support@m-factory.test" });
    expect(window.sessionStorage.getItem("m-factory.embedded-session")).toContain("token-support");

    // The support agent lands on the customers list, with roles read from current_staff.
    expect(await screen.findByText("somchai.j@example.co.th")).toBeInTheDocument();
    expect(screen.getByLabelText("Signed-in staff member")).toHaveTextContent("Support Person");
    const rpc = backend.requestsTo("/rest/v1/rpc/current_staff");
    expect(rpc.length).toBeGreaterThan(0);
    expect(rpc[0]!.headers.get("Authorization")).toBe("Bearer token-support");
  });

  it("shows the server's reason when sign-in is refused", async () => {
    renderConsole("/login", { failures: { "/embedded/v1/token": { status: 403, code: "demo_disabled", message: "Demo sign-in is disabled" } } });
    await userEvent.click(await screen.findByRole("button", { name: "Sign in as dpo@m-factory.test" }));
    expect(await screen.findByText("Demo sign-in is disabled")).toBeInTheDocument();
    expect(window.sessionStorage.getItem("m-factory.embedded-session")).toBeNull();
  });

  it("explains when the embedded server cannot list staff", async () => {
    renderConsole("/login", { failures: { "/embedded/v1/staff": { status: 503, code: "down", message: "starting up" } } });
    expect(await screen.findByText("Could not reach the embedded server")).toBeInTheDocument();
  });

  it("sends a visitor without a session to the sign-in page", async () => {
    renderConsole("/customers");
    expect(await screen.findByRole("region", { name: "Demo staff" })).toBeInTheDocument();
  });

  it("shows a clear page to a signed-in account that is not active staff", async () => {
    window.sessionStorage.setItem(
      "m-factory.embedded-session",
      JSON.stringify({ accessToken: "token-support", expiresAtMs: Date.now() + 60_000, email: "support@m-factory.test" }),
    );
    renderConsole("/customers", { notStaff: true, rowsFor: customerDataFor });
    expect(await screen.findByText("Not a staff member")).toBeInTheDocument();
    expect(screen.queryByText("somchai.j@example.co.th")).not.toBeInTheDocument();
  });
});

describe("embedded session expiry", () => {
  it("returns to the sign-in page when the token expires while the console is open", async () => {
    window.sessionStorage.setItem(
      "m-factory.embedded-session",
      // Long enough for the console to render first on a busy machine, short enough to keep the test quick.
      JSON.stringify({ accessToken: "token-support", expiresAtMs: Date.now() + 5000, email: "support@m-factory.test" }),
    );
    renderConsole("/customers", { rowsFor: customerDataFor });
    expect(await screen.findByText("somchai.j@example.co.th")).toBeInTheDocument();
    expect(await screen.findByRole("region", { name: "Demo staff" })).toBeInTheDocument();
    expect(window.sessionStorage.getItem("m-factory.embedded-session")).toBeNull();
  });
});
