import { afterEach, describe, expect, it, vi } from "vitest";
import { EMBEDDED_SESSION_KEY, createEmbeddedAuth, parseExpiresAt } from "./embedded";
import type { StaffIdentity } from "./staff";

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const API = "http://127.0.0.1:54321";
const dpo: StaffIdentity = { id: "s1", email: "dpo@m-factory.test", display_name: "Nattaya", clerk_user_id: "user_demoDpo", roles: ["dpo"] };

function setup(options: { now?: () => number; lookup?: () => Promise<StaffIdentity | null> } = {}) {
  const storage = new MemoryStorage();
  const lookupStaff = vi.fn(options.lookup ?? (async () => dpo));
  const onSessionChange = vi.fn();
  const auth = createEmbeddedAuth({ apiUrl: API, storage, lookupStaff, onSessionChange, ...(options.now ? { now: options.now } : {}) });
  return { storage, lookupStaff, onSessionChange, auth };
}

function tokenResponse(body: unknown, status = 200) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("parseExpiresAt", () => {
  it("accepts Unix seconds, milliseconds and ISO timestamps", () => {
    expect(parseExpiresAt(1_800_000_000)).toBe(1_800_000_000_000);
    expect(parseExpiresAt(1_800_000_000_000)).toBe(1_800_000_000_000);
    expect(parseExpiresAt("2027-01-15T08:00:00Z")).toBe(Date.parse("2027-01-15T08:00:00Z"));
  });
  it("rejects a missing or garbled value", () => {
    expect(() => parseExpiresAt(undefined)).toThrow(/expires_at/);
    expect(() => parseExpiresAt("soon")).toThrow(/expires_at/);
  });
});

describe("embedded auth provider", () => {
  it("logs in by email, stores the token for the tab and sends it as the access token", async () => {
    const fetchMock = tokenResponse({ access_token: "tok-1", expires_at: Math.floor(Date.now() / 1000) + 600 });
    vi.stubGlobal("fetch", fetchMock);
    const { auth, onSessionChange } = setup();
    await expect(auth.authProvider.login({ email: " DPO@m-factory.test " })).resolves.toEqual({ success: true, redirectTo: "/" });
    expect(fetchMock).toHaveBeenCalledWith(`${API}/embedded/v1/token`, expect.objectContaining({ method: "POST", body: JSON.stringify({ email: "dpo@m-factory.test" }) }));
    await expect(auth.getAccessToken()).resolves.toBe("tok-1");
    await expect(auth.authProvider.check()).resolves.toEqual({ authenticated: true });
    expect(onSessionChange).toHaveBeenCalled();
  });

  it("refuses an empty email without calling the server", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    const { auth } = setup();
    const result = await auth.authProvider.login({ email: "  " });
    expect(result.success).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("reports the server's message and stores nothing when the token is refused", async () => {
    vi.stubGlobal("fetch", tokenResponse({ code: "unknown_staff", message: "No active staff member with email x@y.z" }, 404));
    const { auth, storage } = setup();
    const result = await auth.authProvider.login({ email: "x@y.z" });
    expect(result).toMatchObject({ success: false, error: { message: "No active staff member with email x@y.z" } });
    expect(storage.getItem(EMBEDDED_SESSION_KEY)).toBeNull();
  });

  it("treats a response without access_token as a failed sign-in", async () => {
    vi.stubGlobal("fetch", tokenResponse({ expires_at: 1_900_000_000 }));
    const { auth, storage } = setup();
    expect((await auth.authProvider.login({ email: "dpo@m-factory.test" })).success).toBe(false);
    expect(storage.getItem(EMBEDDED_SESSION_KEY)).toBeNull();
  });

  it("ends the session once the token has expired", async () => {
    let now = 1_000_000;
    vi.stubGlobal("fetch", tokenResponse({ access_token: "tok-2", expires_at: (now + 60_000) / 1000 }));
    const { auth, storage } = setup({ now: () => now });
    await auth.authProvider.login({ email: "dpo@m-factory.test" });
    expect(auth.msUntilExpiry()).toBe(60_000);
    now += 60_001;
    await expect(auth.authProvider.check()).resolves.toMatchObject({ authenticated: false, logout: true, redirectTo: "/login" });
    await expect(auth.getAccessToken()).resolves.toBeNull();
    expect(storage.getItem(EMBEDDED_SESSION_KEY)).toBeNull();
  });

  it("logs out on a rejected token (401) but not on a permission answer (403)", async () => {
    vi.stubGlobal("fetch", tokenResponse({ access_token: "tok-3", expires_at: Math.floor(Date.now() / 1000) + 600 }));
    const { auth } = setup();
    await auth.authProvider.login({ email: "dpo@m-factory.test" });
    await expect(auth.authProvider.onError({ statusCode: 403, code: "42501" })).resolves.toEqual({});
    await expect(auth.getAccessToken()).resolves.toBe("tok-3");
    await expect(auth.authProvider.onError({ code: "PGRST301", message: "JWT expired" })).resolves.toMatchObject({ logout: true });
    await expect(auth.getAccessToken()).resolves.toBeNull();
  });

  it("reads identity and roles from current_staff once per token", async () => {
    vi.stubGlobal("fetch", tokenResponse({ access_token: "tok-4", expires_at: Math.floor(Date.now() / 1000) + 600 }));
    const { auth, lookupStaff } = setup();
    await auth.authProvider.login({ email: "dpo@m-factory.test" });
    await expect(auth.authProvider.getIdentity!()).resolves.toEqual(dpo);
    await expect(auth.authProvider.getPermissions!()).resolves.toEqual(["dpo"]);
    expect(lookupStaff).toHaveBeenCalledTimes(1);
    await auth.authProvider.logout({});
    await expect(auth.authProvider.getPermissions!()).resolves.toEqual([]);
    expect(lookupStaff).toHaveBeenCalledTimes(1);
  });

  it("gives no roles to a signed-in account that is not staff", async () => {
    vi.stubGlobal("fetch", tokenResponse({ access_token: "tok-5", expires_at: Math.floor(Date.now() / 1000) + 600 }));
    const { auth } = setup({ lookup: async () => null });
    await auth.authProvider.login({ email: "dpo@m-factory.test" });
    await expect(auth.authProvider.getIdentity!()).resolves.toBeNull();
    await expect(auth.authProvider.getPermissions!()).resolves.toEqual([]);
  });
});
