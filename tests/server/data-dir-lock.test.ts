/**
 * The data-dir lock (server/db/data-dir-lock.ts) on both of its Unix transports: the abstract socket (Linux) and
 * the socket file (macOS/BSD, exercised here on Linux), and openEngine taking it before PGlite opens the files.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../server/config.ts";
import { acquireDataDirLock, DataDirInUseError, readDataDirHolder, type LockTransport } from "../../server/db/data-dir-lock.ts";
import { openEngine } from "../../server/db/engine.ts";

let root: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "mfc-lock-"));
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

let dirCount = 0;
const freshDir = (): string => path.join(root, `data-${++dirCount}`);

/** Another process holding the lock on `dir`, started and confirmed. */
function holdInChild(dir: string, transport: LockTransport): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/server/fixtures/hold-data-dir-lock.ts", dir, transport], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("locked")) resolve(child);
    });
    child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    child.once("exit", (code) => reject(new Error(`lock holder exited (${code}): ${out}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe.each<LockTransport>(["abstract", "file"])("the %s lock", (transport) => {
  it("refuses a second taker in the same process, naming this process, until it is released", async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir, { transport });
    lock.describe({ apiUrl: "http://127.0.0.1:54399" });
    const refused = await acquireDataDirLock(dir, { transport }).then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as DataDirInUseError).holder?.pid).toBe(process.pid);
    expect((refused as Error).message).toContain(`${lock.dataDir} is in use by pid ${process.pid} (`);
    expect((refused as Error).message).toContain("API on http://127.0.0.1:54399) since ");
    expect((refused as Error).message).toMatch(/stop it first, or set MFC_DATA_DIR to another folder$/);
    await lock.release();
    const again = await acquireDataDirLock(dir, { transport });
    await again.release();
  });

  it("refuses while another process holds it, and is free the moment that process is killed with SIGKILL", async () => {
    const dir = freshDir();
    const holder = await holdInChild(dir, transport);
    const refused = await acquireDataDirLock(dir, { transport }).then(() => null, (err: unknown) => err as DataDirInUseError);
    expect(refused?.holder).toMatchObject({ pid: holder.pid, apiUrl: "http://127.0.0.1:1" });
    expect(refused?.holder?.command).toContain("hold-data-dir-lock.ts");
    expect(await readDataDirHolder(dir, { transport })).toMatchObject({ held: true, holder: { pid: holder.pid } });
    await killed(holder);
    expect(await readDataDirHolder(dir, { transport })).toEqual({ held: false });
    const lock = await acquireDataDirLock(dir, { transport });
    await lock.release();
  }, 30_000);

  it("names the same lock for another spelling of the directory (a symlink, a trailing ..)", async () => {
    const dir = freshDir();
    await mkdir(dir);
    const link = `${dir}-link`;
    await symlink(dir, link);
    const lock = await acquireDataDirLock(link, { transport });
    await expect(acquireDataDirLock(path.join(dir, "sub", ".."), { transport })).rejects.toBeInstanceOf(DataDirInUseError);
    await lock.release();
  });
});

describe("the socket-file lock after a holder died", () => {
  it("retakes a dead holder's file, and of several processes racing for it exactly one wins", async () => {
    for (let round = 0; round < 3; round++) {
      const dir = freshDir();
      await killed(await holdInChild(dir, "file")); // leaves its socket file behind
      const racers = await Promise.allSettled(Array.from({ length: 4 }, () => holdInChild(dir, "file")));
      const winners = racers.filter((r) => r.status === "fulfilled");
      expect(winners, JSON.stringify(racers.map((r) => (r.status === "rejected" ? String(r.reason) : "won")))).toHaveLength(1);
      const losers = racers.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      for (const loser of losers) expect(String(loser.reason)).toMatch(/is in use by pid \d+/);
      await killed((winners[0] as PromiseFulfilledResult<ChildProcess>).value);
    }
  }, 60_000);

  it("leaves no file of its own in the data dir", async () => {
    const dir = freshDir();
    await mkdir(dir);
    await writeFile(path.join(dir, "keep"), "x");
    const lock = await acquireDataDirLock(dir, { transport: "file" });
    expect(await readdir(dir)).toEqual(["keep"]);
    await lock.release();
  });
});

describe("openEngine on a data dir", () => {
  it("takes the lock before PGlite opens the files and releases it on close", async () => {
    const dir = freshDir();
    const first = await openEngine({ dataDir: dir });
    try {
      await first.exec("create table t (n int); insert into t values (1)");
      const second = await openEngine({ dataDir: dir }).then(() => null, (err: unknown) => err);
      expect(second).toBeInstanceOf(DataDirInUseError);
      expect((await first.query<{ n: number }>("select n from t")).rows).toEqual([{ n: 1 }]);
    } finally {
      await first.close();
    }
    const reopened = await openEngine({ dataDir: dir });
    expect((await reopened.query<{ n: number }>("select n from t")).rows).toEqual([{ n: 1 }]);
    await reopened.close();
  }, 60_000);

  it("refuses a data dir held by another process without creating anything there", async () => {
    const dir = freshDir();
    const holder = await holdInChild(dir, "abstract");
    await expect(openEngine({ dataDir: dir })).rejects.toThrow(`is in use by pid ${holder.pid}`);
    await expect(readdir(dir)).rejects.toMatchObject({ code: "ENOENT" });
    await killed(holder);
  }, 30_000);
});

// A lock socket must not keep a finished process alive: `node -e` that takes it and returns must exit by itself.
describe("the lock and process exit", () => {
  it("does not keep the process alive", async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ["--import", "tsx", "-e", `import("./server/db/data-dir-lock.ts").then((m) => m.acquireDataDirLock(${JSON.stringify(dir)}))`], {
      cwd: repoRoot,
      stdio: "ignore",
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
  }, 30_000);
});
