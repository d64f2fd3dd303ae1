/**
 * Argument parsing for `npm run seed` and `npm run db:reset`: strict, so a typo is an error and never a
 * silently ignored flag that seeds (or wipes) something other than what was asked.
 */
import { DEFAULT_SEED, DEMO_CUSTOMERS } from "./index.ts";

export interface SeedCliOptions {
  customers: number;
  seed: number;
  /** Fixed "today" (YYYY-MM-DD, UTC) for reproducible data; default: the current day. */
  now: Date | undefined;
  reset: boolean;
  yes: boolean;
  help: boolean;
}

export class CliUsageError extends Error {}

const FLAGS_WITH_VALUES = new Set(["--customers", "--seed", "--now"]);
const BOOLEAN_FLAGS = new Set(["--reset", "--yes", "--help", "-h"]);

function integerArg(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new CliUsageError(`${flag} needs a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new CliUsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** `allowed` limits the flags a command accepts (db:reset takes no --reset). */
export function parseSeedArgs(argv: readonly string[], allowed?: ReadonlySet<string>): SeedCliOptions {
  const out: SeedCliOptions = { customers: DEMO_CUSTOMERS, seed: DEFAULT_SEED, now: undefined, reset: false, yes: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const eq = token.indexOf("=");
    const flag = token.startsWith("--") && eq > 0 ? token.slice(0, eq) : token;
    if (allowed && !allowed.has(flag)) throw new CliUsageError(`unknown option ${JSON.stringify(token)}`);
    if (BOOLEAN_FLAGS.has(flag)) {
      if (eq > 0) throw new CliUsageError(`${flag} takes no value`);
      if (flag === "--reset") out.reset = true;
      else if (flag === "--yes") out.yes = true;
      else out.help = true;
      continue;
    }
    if (!FLAGS_WITH_VALUES.has(flag)) throw new CliUsageError(`unknown option ${JSON.stringify(token)}`);
    const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "") throw new CliUsageError(`${flag} needs a value`);
    if (flag === "--customers") out.customers = integerArg(flag, value, 1, 2_000_000);
    else if (flag === "--seed") out.seed = integerArg(flag, value, 0, 0xffffffff);
    else {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
      if (!date || date.toISOString().slice(0, 10) !== value) throw new CliUsageError(`--now needs a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
      out.now = date;
    }
  }
  return out;
}
