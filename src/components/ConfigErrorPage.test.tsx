import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../config";
import { ConfigErrorPage } from "./ConfigErrorPage";

describe("ConfigErrorPage", () => {
  it("names the missing variable of a partial production configuration", () => {
    const result = resolveConfig({ VITE_SUPABASE_URL: "https://x.supabase.co", VITE_SUPABASE_ANON_KEY: "anon" });
    if (result.ok) throw new Error("a partial configuration must not resolve");
    render(<ConfigErrorPage message={result.message} missing={result.missing} />);
    expect(screen.getByText("The console is not configured correctly")).toBeInTheDocument();
    expect(screen.getByText("VITE_CLERK_PUBLISHABLE_KEY", { selector: "code" })).toBeInTheDocument();
    expect(screen.getByText(/VITE_CLERK_PUBLISHABLE_KEY is not set/)).toBeInTheDocument();
  });
});
