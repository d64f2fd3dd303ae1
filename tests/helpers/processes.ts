/**
 * Real processes for tests that must see what a user sees: a free loopback port, a repo script run to completion
 * (`npm run seed` as `node --import tsx server/cli/seed.ts`), and the embedded server as its own process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { repoRoot } from "../../server/config.ts";

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ScriptRun {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  out: string;
}

/** Runs a repo TypeScript file under tsx to its end; one still running after `timeoutMs` is killed (code null). */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 110_000): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output(): string;
  /** Resolves when the process has exited (by itself or killed). */
  exited: Promise<number | null>;
}

/** `server/index.ts` as its own process; resolves once it prints its URL, rejects with its output if it exits first. */
export function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const ready = /Embedded Supabase-compatible server: (http:\/\/\S+)/.exec(out);
      if (ready?.[1] && child.pid) resolve({ child, pid: child.pid, url: ready[1], output: () => out, exited });
    });
    child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before it was ready:\n${out}`)));
  });
}
