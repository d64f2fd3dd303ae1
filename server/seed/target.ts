/**
 * Which database the seed and reset commands act on: the embedded PGlite data dir, or DATABASE_URL.
 * Resolution itself lives in server/config.ts, shared with the server.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BackendConfig } from "../config.ts";
import { acquireDataDirLock, type DataDirLock } from "../db/data-dir-lock.ts";
import { openEngine, type Engine } from "../db/engine.ts";
import { describeDatabaseUrl } from "./reset.ts";

export function describeTarget(config: BackendConfig): string {
  if (config.databaseUrl) return describeDatabaseUrl(config.databaseUrl);
  const relative = path.relative(process.cwd(), config.pgliteDir);
  return `PGlite data dir ${relative && !relative.startsWith("..") ? relative : config.pgliteDir}`;
}

/**
 * The lock on the PGlite data dir (null on DATABASE_URL), taken before anything there is deleted or opened, so a
 * running server (or another seed) makes this command stop at once with the holder named.
 */
export async function lockTarget(config: BackendConfig): Promise<DataDirLock | null> {
  if (config.databaseUrl) return null;
  await mkdir(path.dirname(config.pgliteDir), { recursive: true });
  return acquireDataDirLock(config.pgliteDir);
}

/** Opens the target; the engine takes over `lock` (released on close, or at once if opening fails). */
export function openTarget(config: BackendConfig, lock: DataDirLock | null): Promise<Engine> {
  return openEngine(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.pgliteDir, lock });
}
