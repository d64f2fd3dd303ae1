import { describe, expect, it, vi } from "vitest";
import { createLazyBackend } from "./backend";

const getMany = vi.fn(async function (this: unknown, params: unknown) {
  return { data: [params], self: this };
});
const realProvider = { getMany };
vi.mock("./supabaseClient", () => ({ createConsoleSupabaseClient: () => ({}) }));
vi.mock("./dataProvider", () => ({ createDataProvider: () => realProvider }));

describe("createLazyBackend", () => {
  it("passes an optional method on to the provider that has it, and names the one it lacks", async () => {
    const { dataProvider } = createLazyBackend("http://api.test", "anon", async () => null);
    await expect(dataProvider.getMany!({ resource: "customers", ids: ["a"] })).resolves.toEqual({ data: [{ resource: "customers", ids: ["a"] }], self: realProvider });
    await expect(dataProvider.custom!({ url: "/x", method: "get" })).rejects.toThrow("The data provider does not support custom");
    await expect(dataProvider.deleteMany!({ resource: "customers", ids: ["a"] })).rejects.toThrow("The data provider does not support deleteMany");
  });
});
