/**
 * Starts the real dev stack (`scripts/dev.ts`: embedded server + Vite) on a fresh data dir for a browser test,
 * and a headless Debian chromium driven by playwright-core. Never downloads a browser.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { appApiUrl, repoRoot, resolveBackendConfig } from "../server/config.ts";

// The stack's ports: 5173 and 54321 unless MFC_APP_PORT / MFC_API_PORT move them. The API's as the app gets it from
// MFC_API_PORT (which must be fixed here: the tests call it too), never from a VITE_MFC_API_URL left in the shell.
export const APP_URL = `http://localhost:${resolveBackendConfig().appPort}`;
export const API_URL = appApiUrl({ MFC_API_PORT: process.env.MFC_API_PORT });
export const artifactsDir = path.join(repoRoot, "e2e/artifacts");

export interface Stack {
  browser: Browser;
  stop(): Promise<void>;
  log(): string;
}

const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

export async function startStack(): Promise<Stack> {
  const executablePath = CHROMIUM_PATHS.find((p) => existsSync(p));
  if (!executablePath) throw new Error("Debian chromium not found: apt-get install -y chromium");
  await mkdir(artifactsDir, { recursive: true });
  // A stack already on the fixed ports would answer the readiness check and the test would run against it.
  if (await portsAnswer()) throw new Error(`${APP_URL} or ${API_URL} is already in use: stop the running dev stack first, or move this run (MFC_API_PORT=54331 MFC_APP_PORT=5183 npm run test:e2e)`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-e2e-"));
  let output = "";
  const dev: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
    cwd: repoRoot,
    env: { ...process.env, MFC_DATA_DIR: dataDir, BROWSER: "none", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  dev.stdout?.on("data", (b: Buffer) => (output += b.toString()));
  dev.stderr?.on("data", (b: Buffer) => (output += b.toString()));

  const stopDev = async () => {
    if (dev.exitCode === null && dev.pid) {
      // Wait for the process group to be gone, so the next e2e file can bind the same fixed ports.
      const exited = new Promise<boolean>((resolve) => dev.once("exit", () => resolve(true)));
      signalGroup(dev.pid, "SIGTERM");
      const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000));
      if (!(await Promise.race([exited, timedOut]))) signalGroup(dev.pid, "SIGKILL");
      await waitFor(async () => !(await portsAnswer()), 10_000).catch(() => undefined);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitFor(async () => {
      if (dev.exitCode !== null) throw new Error(`dev stack exited (${dev.exitCode}):\n${output}`);
      const [app, api] = await Promise.all([fetch(APP_URL), fetch(`${API_URL}/functions/v1/health`)]);
      return app.ok && api.status < 500;
    }, 180_000);
  } catch (err) {
    await stopDev();
    throw err;
  }

  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    log: () => output,
    async stop() {
      await browser.close().catch(() => undefined);
      await stopDev();
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** Whether anything still answers on the app or API port. */
async function portsAnswer(): Promise<boolean> {
  const answers = await Promise.all(
    [APP_URL, `${API_URL}/functions/v1/health`].map((url) =>
      fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        () => true,
        () => false,
      ),
    ),
  );
  return answers.some(Boolean);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
      if (err instanceof Error && err.message.startsWith("dev stack exited")) throw err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`stack not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

/** A demo staff member's access token from the embedded server (as the sign-in page gets it). */
export async function staffToken(email: string): Promise<string> {
  const res = await fetch(`${API_URL}/embedded/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token for ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A fresh browser context; on failure the page is saved as `<name>-failure.png` with the console and stack log. */
export async function withPage(stack: Stack, name: string, fn: (page: Page) => Promise<void>): Promise<void> {
  const context = await stack.browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on("console", (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`[pageerror] ${e.message}`));
  try {
    await fn(page);
  } catch (err) {
    await page.screenshot({ path: path.join(artifactsDir, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
    await writeFile(path.join(artifactsDir, `${name}-failure.log`), `${consoleLines.join("\n")}\n\n--- stack output ---\n${stack.log()}`);
    throw err;
  } finally {
    await context.close();
  }
}

/**
 * The open dialog named `name` (or the only one), once antd's zoom-in has finished. A click that lands while the
 * dialog is still zooming can hit nothing (seen once in CI: Confirm clicked, no request sent, dialog left open),
 * so steps wait for the motion classes (`ant-zoom-appear`, `-enter`) to leave the dialog and its wrappers.
 */
export async function openDialog(page: Page, name?: string | RegExp): Promise<Locator> {
  const dialog = name === undefined ? page.getByRole("dialog") : page.getByRole("dialog", { name });
  await dialog.waitFor();
  const handle = await dialog.elementHandle();
  await page.waitForFunction((element) => {
    for (let node: Element | null = element; node; node = node.parentElement) {
      if (/-(appear|enter)(-active|-prepare|-start)?\b/.test(node.className)) return false;
    }
    return true;
  }, handle);
  return dialog;
}
