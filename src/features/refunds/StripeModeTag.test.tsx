import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { moneyDataFor } from "./test-fixtures";

const health = (stripe: unknown) => (name: string, method: string) =>
  name === "health" && method === "GET" ? { body: { status: "ok", time: "2026-11-26T00:00:00Z", runtime: "node", rest_api: "reachable", ...(stripe ? { stripe } : {}) } } : undefined;

describe("Stripe mode tag in the header", () => {
  for (const [mode, text] of [
    ["sandbox", "Stripe: local sandbox"],
    ["test", "Stripe: test mode"],
    ["live", "Stripe: live"],
    ["not_configured", "Stripe: not configured"],
  ] as const) {
    it(`says "${text}" when the health check reports ${mode}`, async () => {
      signInAs("finance");
      renderConsole("/", { rowsFor: moneyDataFor([]), functions: health({ mode }) });
      const tag = await screen.findByLabelText("Stripe mode");
      expect(tag).toHaveTextContent(text);
    });
  }

  it("the local sandbox tag is orange", async () => {
    signInAs("support");
    renderConsole("/", { rowsFor: moneyDataFor([]), functions: health({ mode: "sandbox" }) });
    expect(await screen.findByLabelText("Stripe mode")).toHaveClass("ant-tag-orange");
  });

  it("shows nothing when the server does not report a Stripe mode", async () => {
    signInAs("finance");
    const { functionCalls } = renderConsole("/", { rowsFor: moneyDataFor([]), functions: health(null) });
    await screen.findByLabelText("Signed-in staff member");
    await waitFor(() => expect(functionCalls.some((c) => c.name === "health")).toBe(true));
    expect(screen.queryByLabelText("Stripe mode")).not.toBeInTheDocument();
  });

  it("is hidden from a role without money access, which never asks", async () => {
    signInAs("admin");
    const { functionCalls } = renderConsole("/", { rowsFor: moneyDataFor([]), functions: health({ mode: "sandbox" }) });
    await screen.findByLabelText("Signed-in staff member");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(screen.queryByLabelText("Stripe mode")).not.toBeInTheDocument();
    expect(functionCalls.filter((c) => c.name === "health")).toHaveLength(0);
  });
});
