/**
 * The parts of `supabase/config.toml` the embedded server mirrors, read from the file itself so the local API
 * and a hosted project configured from the same file cannot drift: the exposed schemas and `max_rows`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { repoRoot } from "./config.ts";

export const SUPABASE_CONFIG_PATH = path.join(repoRoot, "supabase/config.toml");

export interface ApiSettings {
  /** `[api] schemas`: the schemas PostgREST exposes; the first is the default. */
  schemas: string[];
  /** `[api] max_rows`: the most rows any one response carries (tables, views, set-returning functions). */
  maxRows: number | null;
}

export function readApiSettings(file = SUPABASE_CONFIG_PATH): ApiSettings {
  let api: Record<string, unknown>;
  try {
    const parsed = parse(readFileSync(file, "utf8")) as { api?: unknown };
    api = typeof parsed.api === "object" && parsed.api !== null ? (parsed.api as Record<string, unknown>) : {};
  } catch (err) {
    throw new Error(`Cannot read ${path.relative(repoRoot, file)}: ${(err as Error).message}`);
  }
  const schemas = api.schemas ?? ["public"];
  if (!Array.isArray(schemas) || schemas.length === 0 || !schemas.every((s) => typeof s === "string" && s !== "")) {
    throw new Error(`${path.relative(repoRoot, file)}: [api] schemas must be a non-empty list of schema names`);
  }
  const maxRows = api.max_rows ?? null;
  if (maxRows !== null && !(typeof maxRows === "number" && Number.isSafeInteger(maxRows) && maxRows > 0)) {
    throw new Error(`${path.relative(repoRoot, file)}: [api] max_rows must be a positive integer`);
  }
  return { schemas: schemas as string[], maxRows };
}
