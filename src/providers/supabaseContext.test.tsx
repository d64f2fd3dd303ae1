import { useEffect, useState } from "react";
import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createFakeBackend, signInAs, TEST_API_URL } from "../test/fakeBackend";
import { createEmbeddedServices } from "./auth/EmbeddedRoot";
import { SupabaseClientProvider, useSupabaseClient } from "./supabaseContext";

function CallsRpc() {
  const getClient = useSupabaseClient();
  const [status, setStatus] = useState("pending");
  useEffect(() => {
    void getClient()
      .then((client) => client.rpc("current_staff"))
      .then(({ data }) => setStatus(`staff: ${(data as { email: string }).email}`));
  }, [getClient]);
  return <p>{status}</p>;
}

describe("useSupabaseClient", () => {
  it("gives features the shared client, signed in as the current staff member", async () => {
    signInAs("dpo");
    const backend = createFakeBackend();
    vi.stubGlobal("fetch", vi.fn(backend.fetch));
    const services = createEmbeddedServices(TEST_API_URL, "anon", window.sessionStorage);
    render(
      <SupabaseClientProvider getClient={services.getSupabaseClient}>
        <CallsRpc />
      </SupabaseClientProvider>,
    );
    expect(await screen.findByText("staff: dpo@m-factory.test")).toBeInTheDocument();
    expect(backend.requestsTo("/rest/v1/rpc/current_staff")[0]!.headers.get("Authorization")).toBe("Bearer token-dpo");
    await expect(services.getSupabaseClient()).resolves.toBe(await services.getSupabaseClient());
  });

  it("fails loudly outside the console", () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(() => render(<CallsRpc />)).toThrow(/SupabaseClientProvider missing/);
    consoleError.mockRestore();
  });
});
