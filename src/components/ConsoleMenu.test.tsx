import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { signInAs } from "../test/fakeBackend";
import { customerDataFor } from "../test/fixtures";
import { renderConsole } from "../test/renderConsole";

describe("console menu and start page per role", () => {
  it("support lands on the customers list from the start page", async () => {
    signInAs("support");
    renderConsole("/", { rowsFor: customerDataFor });
    expect(await screen.findByText("somchai.j@example.co.th")).toBeInTheDocument();
  });

  it("support gets a Customers menu entry linking to the list, visible from the start page on", async () => {
    signInAs("support");
    renderConsole("/", { rowsFor: customerDataFor });
    const menuLink = await screen.findByRole("link", { name: "Customers" });
    expect(menuLink).toHaveAttribute("href", "/customers");
    expect(menuLink.closest("[role=menuitem]")).not.toBeNull();
  });

  it("admin sees no Customers entry and a start page naming their role instead of the list", async () => {
    signInAs("admin");
    const { backend } = renderConsole("/", { rowsFor: customerDataFor });
    expect(await screen.findByText(/Signed in with role/)).toHaveTextContent("admin");
    // The menu is there (it holds Logout) but has no Customers group or entry.
    const menu = (await screen.findAllByRole("menu"))[0]!;
    expect(await within(menu).findByText("Logout")).toBeInTheDocument();
    expect(within(menu).queryByText("Customers")).not.toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/customer_directory")).toHaveLength(0);
  });

  it("an unknown address shows a not-found page inside the console", async () => {
    signInAs("dpo");
    renderConsole("/no-such-page", { rowsFor: customerDataFor });
    expect(await screen.findByText("Page not found")).toBeInTheDocument();
  });
});
