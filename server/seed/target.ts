/**
 * Which database the seed and reset commands act on: the embedded PGlite data dir, or DATABASE_URL.
 * Resolution itself lives in server/config.ts, shared with the server.
 */
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { resolveBackendConfig, type BackendConfig } from "../config.ts";
import { openEngine, type Engine } from "../db/engine.ts";
import { describeDatabaseUrl } from "./reset.ts";

export function describeTarget(config: BackendConfig): string {
  if (config.databaseUrl) return describeDatabaseUrl(config.databaseUrl);
  const relative = path.relative(process.cwd(), config.pgliteDir);
  return `PGlite data dir ${relative && !relative.startsWith("..") ? relative : config.pgliteDir}`;
}

export async function openTarget(config: BackendConfig = resolveBackendConfig()): Promise<Engine> {
  if (config.databaseUrl) return openEngine({ databaseUrl: config.databaseUrl });
  await mkdir(path.dirname(config.pgliteDir), { recursive: true });
  return openEngine({ dataDir: config.pgliteDir });
}

/** True when something accepts connections on the embedded server's port (it would hold the data dir open). */
export function portInUse(port: number, host = "127.0.0.1", timeoutMs = 400): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (inUse: boolean): void => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** PGlite allows one process per data dir: refuse while the embedded server may be using it. */
export async function assertDataDirFree(config: BackendConfig): Promise<void> {
  if (config.databaseUrl) return;
  if (await portInUse(config.port)) {
    throw new Error(
      `something is listening on 127.0.0.1:${config.port} — probably the embedded server (npm run dev), which keeps ` +
        `${describeTarget(config)} open. Stop it first.`,
    );
  }
}
