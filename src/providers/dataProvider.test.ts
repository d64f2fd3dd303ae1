import { createClient } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { MAX_ROWS } from "../lib/readAll";
import { answerRead, TEST_API_URL } from "../test/fakeBackend";
import { createDataProvider } from "./dataProvider";

/** Node 20 has no WebSocket; supabase-js builds its realtime client eagerly, and reads never use it. */
class NoRealtime {
  constructor() {
    throw new Error("realtime is not used here");
  }
}

/** The console's data provider over a fetch that answers every read from `rows` under max_rows, recording the URLs. */
function providerOver(rows: Record<string, unknown>[]) {
  const urls: URL[] = [];
  const client = createClient(TEST_API_URL, "test-anon-key", {
    realtime: { transport: NoRealtime as never },
    global: {
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        urls.push(url);
        return answerRead(rows, url, init?.method ?? "GET", new Headers(init?.headers));
      },
    },
  });
  return { dp: createDataProvider(client), urls };
}

const STAFF = Array.from({ length: 1500 }, (_, i) => ({ id: `staff-${String(i).padStart(4, "0")}`, display_name: `Name ${i % 7}` }));

describe("the fakes answer under max_rows too", () => {
  it("an unpaged read of 1,500 rows gets MAX_ROWS of them, and a larger limit is lowered", async () => {
    const unpaged = answerRead(STAFF, new URL(`${TEST_API_URL}/rest/v1/staff_members`), "GET", new Headers());
    expect((await unpaged.json()) as unknown[]).toHaveLength(MAX_ROWS);
    expect(unpaged.headers.get("Content-Range")).toBe("0-999/1500");
    const large = answerRead(STAFF, new URL(`${TEST_API_URL}/rest/v1/staff_members?offset=0&limit=5000`), "GET", new Headers());
    expect((await large.json()) as unknown[]).toHaveLength(MAX_ROWS);
  });
});

describe("createDataProvider getList", () => {
  it('mode "off" reads every row, page by page, ordered by the sorters and then the id', async () => {
    const { dp, urls } = providerOver(STAFF);
    const { data, total } = await dp.getList({ resource: "staff_members", sorters: [{ field: "display_name", order: "asc" }], pagination: { mode: "off" } });
    expect(data).toHaveLength(1500);
    expect(total).toBe(1500);
    expect(urls.map((u) => [u.searchParams.get("order"), u.searchParams.get("offset"), u.searchParams.get("limit")])).toEqual([
      ["display_name.asc,id.asc", "0", "1000"],
      ["display_name.asc,id.asc", "1000", "1000"],
    ]);
  });

  it("meta.uniqueOrder names the unique key of a resource without an id; a key already sorted on is not repeated", async () => {
    const { dp, urls } = providerOver([{ customer_id: "c1", purpose: "marketing" }]);
    await dp.getList({
      resource: "customer_consents",
      sorters: [{ field: "purpose", order: "desc" }],
      pagination: { mode: "off" },
      meta: { uniqueOrder: ["customer_id", "purpose"] },
    });
    expect(urls.map((u) => u.searchParams.get("order"))).toEqual(["purpose.desc,customer_id.asc"]);
  });

  it("server pagination is Refine's own: one page, as asked, no added order", async () => {
    const { dp, urls } = providerOver(STAFF);
    const { data, total } = await dp.getList({ resource: "staff_members", pagination: { mode: "server", currentPage: 2, pageSize: 25 } });
    expect(data).toHaveLength(25);
    expect(total).toBe(1500);
    expect(urls).toHaveLength(1);
    expect(urls[0]!.searchParams.get("order")).toBeNull();
    expect([urls[0]!.searchParams.get("offset"), urls[0]!.searchParams.get("limit")]).toEqual(["25", "25"]);
  });
});
