/**
 * One process per PGlite data directory. Two PGlite instances on the same files both acknowledge writes and
 * silently lose one side's on the next start, so every opener takes this lock before PGlite touches the files
 * and keeps it until the engine is closed.
 *
 * Node has no flock(), so the lock is a listening local socket whose name is derived from the directory's real
 * path. Only one process can listen on a name; the holder answers each connection with a JSON description of
 * itself, which a refused opener prints.
 * - Linux: an abstract Unix socket (no file). The kernel frees it the instant the holder dies, `kill -9` included.
 * - Windows: a named pipe, freed the same way.
 * - Elsewhere (macOS, BSD): a socket file in the OS temp dir (a data-dir path could exceed the 104-byte socket
 *   path limit, and `db:reset` deletes the data dir while holding the lock). A file left by a dead holder refuses
 *   connections; it is removed and retaken under a short exclusive "taking" marker, so two takers cannot both
 *   win.
 */
import { createHash } from "node:crypto";
import { open, realpath, stat, unlink } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { commandOfThisProcess } from "../config.ts";

/** What the holder says about itself. */
export interface LockHolder {
  pid: number;
  /** How it was started, e.g. "npm run dev". */
  command: string;
  /** The embedded API, once the holder is a listening server. */
  apiUrl?: string;
  startedAt: string;
  dataDir: string;
}

export type LockTransport = "abstract" | "pipe" | "file";

export interface DataDirLock {
  /** The locked directory, resolved. */
  readonly dataDir: string;
  /** Adds details a refused opener is told (the API URL once the server listens). */
  describe(details: Pick<LockHolder, "apiUrl">): void;
  release(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder | null) {
    super(inUseMessage(dataDir, holder));
    this.name = "DataDirInUseError";
  }
}

export function inUseMessage(dataDir: string, holder: LockHolder | null): string {
  const advice = "stop it first, or set MFC_DATA_DIR to another folder";
  if (!holder) return `${dataDir} is in use by another process (it did not say which); ${advice}`;
  const what = [holder.command, holder.apiUrl ? `API on ${holder.apiUrl}` : ""].filter(Boolean).join(", ");
  return `${dataDir} is in use by pid ${holder.pid} (${what}) since ${holder.startedAt}; ${advice}`;
}

const defaultTransport = (): LockTransport =>
  process.platform === "linux" ? "abstract" : process.platform === "win32" ? "pipe" : "file";

/** A taker that dies between its marker and its listen leaves the marker; older than this, it is ignored. */
const STALE_TAKING_MS = 5_000;
const HOLDER_ANSWER_TIMEOUT_MS = 1_000;

/** The directory's real path, also when it does not exist yet (the nearest existing ancestor is resolved). */
async function canonicalPath(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  try {
    return await realpath(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(await canonicalPath(parent), path.basename(absolute));
  }
}

function socketAddress(canonicalDir: string, transport: LockTransport): string {
  const digest = createHash("sha256").update(canonicalDir).digest("hex");
  if (transport === "abstract") return `\0m-factory-console/${digest}`;
  if (transport === "pipe") return `\\\\.\\pipe\\m-factory-console-${digest}`;
  // Short: macOS allows 103 bytes for a socket path, and its temp dir alone takes about 50.
  return path.join(os.tmpdir(), `mfc-${digest.slice(0, 24)}.sock`);
}

type ListenResult = { server: net.Server } | { code: string };

function listenOn(address: string, answer: () => string): Promise<ListenResult> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on("error", () => undefined);
      socket.end(answer());
    });
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") resolve({ code: err.code });
      else reject(err);
    });
    server.listen(address, () => {
      // The lock must never keep a process alive that is otherwise done; the OS frees it at exit.
      server.unref();
      resolve({ server });
    });
  });
}

type Probe = { kind: "held"; holder: LockHolder | null } | { kind: "free" };

/** Connects to the lock's socket: "free" when nothing listens there (no socket, or a dead holder's file). */
function probe(address: string): Promise<Probe> {
  return new Promise((resolve) => {
    let text = "";
    let connected = false;
    const socket = net.connect(address);
    const finish = (result: Probe): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(HOLDER_ANSWER_TIMEOUT_MS, () => finish({ kind: "held", holder: null }));
    socket.on("connect", () => (connected = true));
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    socket.on("end", () => finish({ kind: "held", holder: parseHolder(text) }));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (!connected && (err.code === "ECONNREFUSED" || err.code === "ENOENT")) finish({ kind: "free" });
      else finish({ kind: "held", holder: parseHolder(text) });
    });
  });
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== "number" || typeof value.command !== "string" || typeof value.startedAt !== "string") return null;
    return { pid: value.pid, command: value.command, startedAt: value.startedAt, dataDir: String(value.dataDir ?? ""), ...(typeof value.apiUrl === "string" ? { apiUrl: value.apiUrl } : {}) };
  } catch {
    return null;
  }
}

/**
 * Takes the lock on `dataDir` or throws DataDirInUseError naming the holder. Within one process a second take of the
 * same directory is refused too (PGlite twice on the same files is just as unsafe).
 */
export async function acquireDataDirLock(dataDir: string, options: { transport?: LockTransport } = {}): Promise<DataDirLock> {
  const canonical = await canonicalPath(dataDir);
  const transport = options.transport ?? defaultTransport();
  const address = socketAddress(canonical, transport);
  const holder: LockHolder = { pid: process.pid, command: commandOfThisProcess(), startedAt: new Date().toISOString(), dataDir: canonical };
  const answer = (): string => JSON.stringify(holder);

  const server = transport === "file" ? await takeSocketFile(address, canonical, answer) : await takeName(address, canonical, answer);
  let released = false;
  return {
    dataDir: canonical,
    describe(details) {
      if (details.apiUrl !== undefined) holder.apiUrl = details.apiUrl;
    },
    async release() {
      if (released) return;
      released = true;
      // Closing a listening Unix socket file removes it in Node; abstract names and pipes simply vanish.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function takeName(address: string, canonical: string, answer: () => string): Promise<net.Server> {
  for (let attempt = 0; ; attempt++) {
    const taken = await listenOn(address, answer);
    if ("server" in taken) return taken.server;
    const found = await probe(address);
    if (found.kind === "held") throw new DataDirInUseError(canonical, found.holder);
    // The holder exited between our listen and our probe: the name is free again.
    if (attempt === 2) throw new DataDirInUseError(canonical, null);
  }
}

async function takeSocketFile(address: string, canonical: string, answer: () => string): Promise<net.Server> {
  const release = await holdTakingMarker(`${address}.taking`, canonical);
  try {
    const first = await listenOn(address, answer);
    if ("server" in first) return first.server;
    const found = await probe(address);
    if (found.kind === "held") throw new DataDirInUseError(canonical, found.holder);
    // A dead holder's socket file. Only marker holders unlink it, so this cannot remove a live lock.
    await unlink(address).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
    const second = await listenOn(address, answer);
    if ("server" in second) return second.server;
    throw new DataDirInUseError(canonical, null);
  } finally {
    await release();
  }
}

/** An exclusive-create marker serialising the check-unlink-listen of concurrent takers (milliseconds long). */
async function holdTakingMarker(marker: string, canonical: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + STALE_TAKING_MS + 1_000;
  for (;;) {
    try {
      const handle = await open(marker, "wx");
      await handle.close();
      return () => unlink(marker).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const age = await stat(marker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > STALE_TAKING_MS) await unlink(marker).catch(() => undefined);
    else if (Date.now() > deadline) throw new DataDirInUseError(canonical, null);
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Who holds the lock on `dataDir`, or null when it is free. Takes nothing. */
export async function readDataDirHolder(dataDir: string, options: { transport?: LockTransport } = {}): Promise<{ held: false } | { held: true; holder: LockHolder | null }> {
  const address = socketAddress(await canonicalPath(dataDir), options.transport ?? defaultTransport());
  const found = await probe(address);
  return found.kind === "held" ? { held: true, holder: found.holder } : { held: false };
}
