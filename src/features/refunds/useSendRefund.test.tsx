import type { ReactNode } from "react";
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ConsoleClient } from "../../lib/database";
import { SupabaseClientProvider } from "../../providers/supabaseContext";
import { useSendRefund } from "./useSendRefund";

const refresh = vi.fn(async () => undefined);
vi.mock("./data", () => ({ useRefreshRefunds: () => refresh }));

function withClient(invoke: (name: string) => Promise<{ data: unknown; error: unknown }>) {
  const client = { functions: { invoke: vi.fn(invoke) } };
  const getClient = async () => client as unknown as ConsoleClient;
  const wrapper = ({ children }: { children: ReactNode }) => <SupabaseClientProvider getClient={getClient}>{children}</SupabaseClientProvider>;
  return { invoke: client.functions.invoke, wrapper };
}

describe("useSendRefund", () => {
  it("sends once however often it is asked while a send runs, then refreshes", async () => {
    refresh.mockClear();
    const { invoke, wrapper } = withClient(async () => ({ data: { refund: { id: "r1", status: "pending" }, stripe_refund_id: "re_1" }, error: null }));
    const { result } = renderHook(() => useSendRefund("r1"), { wrapper });
    const onSent = vi.fn();
    await act(async () => {
      await Promise.all([result.current.send(onSent), result.current.send(onSent)]);
    });
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith("refund-execute", { body: { refund_id: "r1" } });
    expect(onSent).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(result.current.sending).toBe(false);
  });

  it("keeps a failure's sentence and still refreshes (the refund may have moved)", async () => {
    refresh.mockClear();
    const { wrapper } = withClient(async () => ({ data: null, error: new Error("network down") }));
    const { result } = renderHook(() => useSendRefund("r1"), { wrapper });
    const onSent = vi.fn();
    await act(async () => {
      await result.current.send(onSent);
    });
    expect(onSent).not.toHaveBeenCalled();
    expect(result.current.error).toMatch(/./);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
