import { describe, expect, it } from "vitest";
import { DEFAULT_EMBEDDED_SUPABASE_URL, resolveConfig } from "./config";

const full = {
  VITE_SUPABASE_URL: "https://abc.supabase.co/",
  VITE_SUPABASE_ANON_KEY: "anon",
  VITE_CLERK_PUBLISHABLE_KEY: "pk_test_x",
};

describe("resolveConfig", () => {
  it("uses the embedded server when no variable is set", () => {
    const result = resolveConfig({});
    expect(result.ok && result.config.mode).toBe("embedded");
    expect(result.ok && result.config.supabaseUrl).toBe(DEFAULT_EMBEDDED_SUPABASE_URL);
    expect(DEFAULT_EMBEDDED_SUPABASE_URL).toBe("http://127.0.0.1:54321");
  });
  it("follows the embedded server's URL the build was given (MFC_API_PORT), still in embedded mode", () => {
    expect(resolveConfig({ VITE_MFC_API_URL: "http://127.0.0.1:54331/" })).toEqual({
      ok: true,
      config: { mode: "embedded", supabaseUrl: "http://127.0.0.1:54331", supabaseAnonKey: "embedded-anon-key-placeholder" },
    });
  });
  it("rejects an embedded server URL that is not a URL", () => {
    const result = resolveConfig({ VITE_MFC_API_URL: "127.0.0.1:54331" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/VITE_MFC_API_URL .* is not a valid URL: 127\.0\.0\.1:54331/);
  });
  it("ignores the embedded server URL in production mode", () => {
    const result = resolveConfig({ ...full, VITE_MFC_API_URL: "http://127.0.0.1:54331" });
    expect(result.ok && result.config.supabaseUrl).toBe("https://abc.supabase.co");
  });
  it("treats blank values as unset", () => {
    const result = resolveConfig({ VITE_SUPABASE_URL: "  ", VITE_SUPABASE_ANON_KEY: "", VITE_CLERK_PUBLISHABLE_KEY: "" });
    expect(result.ok && result.config.mode).toBe("embedded");
  });
  it("uses production mode when all three are set, without a trailing slash", () => {
    const result = resolveConfig(full);
    expect(result).toEqual({
      ok: true,
      config: {
        mode: "production",
        supabaseUrl: "https://abc.supabase.co",
        supabaseAnonKey: "anon",
        clerkPublishableKey: "pk_test_x",
      },
    });
  });
  it("names the missing variable of a partial configuration", () => {
    const result = resolveConfig({ ...full, VITE_CLERK_PUBLISHABLE_KEY: undefined });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.missing).toEqual(["VITE_CLERK_PUBLISHABLE_KEY"]);
      expect(result.message).toContain("VITE_CLERK_PUBLISHABLE_KEY is not set");
    }
  });
  it("rejects a Supabase URL that is not a URL", () => {
    const result = resolveConfig({ ...full, VITE_SUPABASE_URL: "abc.supabase" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/not a valid URL/);
  });
});
