import { describe, expect, it } from "vitest";
import { CliUsageError, parseSeedArgs } from "../../server/seed/cli-args.ts";
import { DEFAULT_SEED, DEMO_CUSTOMERS } from "../../server/seed/index.ts";

describe("seed CLI arguments", () => {
  it("defaults to the demo size and the default seed", () => {
    expect(parseSeedArgs([])).toEqual({ customers: DEMO_CUSTOMERS, seed: DEFAULT_SEED, now: undefined, reset: false, yes: false, help: false });
  });

  it("reads --customers, --seed, --now in both spellings and the switches", () => {
    const parsed = parseSeedArgs(["--customers", "100000", "--seed=42", "--now", "2026-11-26", "--reset", "--yes"]);
    expect(parsed.customers).toBe(100_000);
    expect(parsed.seed).toBe(42);
    expect(parsed.now?.toISOString()).toBe("2026-11-26T00:00:00.000Z");
    expect(parsed.reset).toBe(true);
    expect(parsed.yes).toBe(true);
  });

  it.each([
    [["--customers"], /needs a value/],
    [["--customers", "ten"], /whole number/],
    [["--customers", "0"], /between 1 and/],
    [["--customers", "-5"], /whole number/],
    [["--seed", "1.5"], /whole number/],
    [["--now", "2026-02-30"], /YYYY-MM-DD/],
    [["--now", "yesterday"], /YYYY-MM-DD/],
    [["--custmers", "5"], /unknown option/],
    [["--reset=yes"], /takes no value/],
    [["100"], /unknown option/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(CliUsageError);
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });

  it("refuses flags outside the command's own set (db:reset has no --reset)", () => {
    const allowed = new Set(["--yes", "--customers"]);
    expect(parseSeedArgs(["--yes"], allowed).yes).toBe(true);
    expect(() => parseSeedArgs(["--reset"], allowed)).toThrow(/unknown option "--reset"/);
  });
});
