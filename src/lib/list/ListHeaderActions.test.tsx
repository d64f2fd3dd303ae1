import { fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { ListHeaderActions } from "./ListHeaderActions";

describe("ListHeaderActions", () => {
  it("shows the dashboard link, the page's extras and the primary action, in that order", () => {
    const onClick = vi.fn();
    render(
      <MemoryRouter>
        <ListHeaderActions dashboard={{ to: "/stats", label: "Dashboard" }} primary={{ label: "New", onClick }}>
          <span>Export</span>
        </ListHeaderActions>
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: "Dashboard" })).toHaveAttribute("href", "/stats");
    const order = [screen.getByText("Dashboard"), screen.getByText("Export"), screen.getByText("New")];
    expect(order[0]!.compareDocumentPosition(order[1]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(order[1]!.compareDocumentPosition(order[2]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "New" }));
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it("leaves out what the role may not use", () => {
    render(
      <MemoryRouter>
        <ListHeaderActions dashboard={false} primary={false} />
      </MemoryRouter>,
    );
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });
});
