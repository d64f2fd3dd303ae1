/**
 * Ports (issue 8 §8): MFC_API_PORT / MFC_APP_PORT / MFC_STRIPE_SANDBOX_PORT resolution, the app (Vite config) and
 * the API's CORS list following them, and a taken port named with the command that picks another.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appApiUrl, appOrigins, portTakenMessage, resolveBackendConfig } from "../../server/config.ts";
import { openEngine } from "../../server/db/engine.ts";
import { startEmbeddedServer } from "../../server/index.ts";
import { runScript } from "../helpers/processes.ts";

describe("resolveBackendConfig", () => {
  it("defaults to Supabase's local API port and Vite's ports", () => {
    expect(resolveBackendConfig({})).toMatchObject({ port: 54321, appPort: 5173, previewPort: 4173, stripeSandboxPort: 0 });
  });
  it("takes MFC_API_PORT (0 = a free one), MFC_APP_PORT for dev and preview alike, and MFC_STRIPE_SANDBOX_PORT", () => {
    expect(resolveBackendConfig({ MFC_API_PORT: "54331", MFC_APP_PORT: "5183", MFC_STRIPE_SANDBOX_PORT: "54399" }))
      .toMatchObject({ port: 54331, appPort: 5183, previewPort: 5183, stripeSandboxPort: 54399 });
    expect(resolveBackendConfig({ MFC_API_PORT: " 0 " }).port).toBe(0);
  });
  it.each([
    ["MFC_API_PORT", "54321x"],
    ["MFC_API_PORT", "70000"],
    ["MFC_API_PORT", "-1"],
    ["MFC_APP_PORT", "0"],
    ["MFC_APP_PORT", "5173.5"],
    ["MFC_STRIPE_SANDBOX_PORT", "stripe"],
  ])("refuses %s=%s, naming the variable and the value", (name, value) => {
    expect(() => resolveBackendConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be a port number .* got "${value.replace(".", "\\.")}"$`));
  });
});

describe("the API URL the app is built with", () => {
  it("is the one npm run dev hands over, else the one MFC_API_PORT names", () => {
    expect(appApiUrl({ VITE_MFC_API_URL: "http://127.0.0.1:40001", MFC_API_PORT: "54331" })).toBe("http://127.0.0.1:40001");
    expect(appApiUrl({ MFC_API_PORT: "54331" })).toBe("http://127.0.0.1:54331");
    expect(appApiUrl({})).toBe("http://127.0.0.1:54321");
  });
  it("refuses MFC_API_PORT=0, which only the started server knows", () => {
    expect(() => appApiUrl({ MFC_API_PORT: "0" })).toThrow(/MFC_API_PORT=0 picks a free port .* npm run dev/);
  });

  describe("vite.config.ts", () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of ["MFC_API_PORT", "MFC_APP_PORT", "VITE_MFC_API_URL"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      vi.resetModules();
    });
    it("builds MFC_API_PORT's URL into the app and serves it on MFC_APP_PORT", async () => {
      delete process.env.VITE_MFC_API_URL;
      process.env.MFC_API_PORT = "54331";
      process.env.MFC_APP_PORT = "5183";
      vi.resetModules();
      const config = (await import("../../vite.config.ts")).default;
      expect(config.define?.["import.meta.env.VITE_MFC_API_URL"]).toBe(JSON.stringify("http://127.0.0.1:54331"));
      expect(config.server).toMatchObject({ port: 5183, strictPort: true });
      expect(config.preview).toMatchObject({ port: 5183, strictPort: true });
    });
  });
});

describe("CORS", () => {
  it("allows the console's origins on MFC_APP_PORT by default, and no longer the default port's", async () => {
    const engine = await openEngine();
    const saved = process.env.MFC_APP_PORT;
    process.env.MFC_APP_PORT = "5183";
    try {
      expect(appOrigins(resolveBackendConfig())).toEqual(["http://localhost:5183", "http://127.0.0.1:5183"]);
      const server = await startEmbeddedServer({ engine, port: 0, prepare: false, stripe: false, schemaCheckIntervalMs: 0, jwtSecret: "x".repeat(48) });
      try {
        const allowed = (origin: string) =>
          fetch(`${server.url}/functions/v1/health`, { headers: { Origin: origin } }).then((r) => r.headers.get("access-control-allow-origin"));
        expect(await allowed("http://localhost:5183")).toBe("http://localhost:5183");
        expect(await allowed("http://127.0.0.1:5183")).toBe("http://127.0.0.1:5183");
        expect(await allowed("http://localhost:5173")).toBeNull();
      } finally {
        await server.close();
      }
    } finally {
      if (saved === undefined) delete process.env.MFC_APP_PORT;
      else process.env.MFC_APP_PORT = saved;
      await engine.close();
    }
  }, 60_000);
});

/** A port held on every local address (IPv4 and, where there is one, IPv6), as another program would hold it. */
async function occupiedPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  const listen = (options: net.ListenOptions) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options, () => resolve());
    });
  await listen({ port: 0, host: "::", ipv6Only: false }).catch(() => listen({ port: 0, host: "0.0.0.0" }));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no port");
  return { port: address.port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("a taken port", () => {
  it("the message names the port, what commonly holds it and the exact command that picks another", () => {
    expect(portTakenMessage(54321, "api", "npm run dev")).toBe(
      "Port 54321 for the embedded API is already in use — often by Supabase's own local stack (`supabase start` listens on 54321 too) " +
        "or another `npm run dev`. Stop that, or pick another port: MFC_API_PORT=54331 npm run dev",
    );
    expect(portTakenMessage(5173, "app", "npm run dev")).toMatch(/^Port 5173 for the console \(Vite\) is already in use .* MFC_APP_PORT=5183 npm run dev$/);
    expect(portTakenMessage(4173, "preview")).toMatch(/MFC_APP_PORT=4183 npm run preview$/);
    expect(portTakenMessage(54399, "stripe", "npm run dev")).toMatch(/^Port 54399 for the local Stripe sandbox .* MFC_STRIPE_SANDBOX_PORT=0 npm run dev$/);
    expect(portTakenMessage(65535, "api", "npm run dev")).toMatch(/MFC_API_PORT=65525 npm run dev$/);
  });

  it("the embedded server refuses a taken API port with that message, before it creates or migrates anything", async () => {
    const taken = await occupiedPort();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "mfc-ports-"));
    try {
      const refused = await startEmbeddedServer({ dataDir, port: taken.port, schemaCheckIntervalMs: 0 }).then(() => null, (err: Error) => err.message);
      expect(refused).toBe(
        `Port ${taken.port} for the embedded API is already in use — often by Supabase's own local stack (\`supabase start\` listens on 54321 too) ` +
          `or another \`npm run dev\`. Stop that, or pick another port: MFC_API_PORT=${taken.port + 10} npm run dev`,
      );
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await taken.release();
    }
  }, 60_000);

  it("the embedded server refuses a taken Stripe sandbox port with that message", async () => {
    const taken = await occupiedPort();
    const engine = await openEngine();
    try {
      await expect(startEmbeddedServer({
        engine, port: 0, prepare: false, stripe: "sandbox", stripeSandboxOptions: { port: taken.port }, schemaCheckIntervalMs: 0, jwtSecret: "x".repeat(48),
      })).rejects.toThrow(new RegExp(`^Port ${taken.port} for the local Stripe sandbox is already in use .* MFC_STRIPE_SANDBOX_PORT=0 npm run `));
    } finally {
      await engine.close();
      await taken.release();
    }
  }, 60_000);

  it("npm run dev refuses a taken app port with that message", async () => {
    const taken = await occupiedPort();
    try {
      // A configured Supabase project: no embedded server, so only Vite's port is at stake.
      const env: NodeJS.ProcessEnv = {
        ...process.env, MFC_APP_PORT: String(taken.port), FORCE_COLOR: "0", BROWSER: "none",
        VITE_SUPABASE_URL: "https://example.supabase.co", VITE_SUPABASE_ANON_KEY: "anon", VITE_CLERK_PUBLISHABLE_KEY: "pk_test_x",
      };
      for (const name of ["npm_lifecycle_event", "npm_lifecycle_script", "MFC_API_PORT", "VITE_MFC_API_URL"]) delete env[name];
      const run = await runScript("scripts/dev.ts", [], env, 45_000);
      expect(run.code, run.out).toBe(1);
      expect(run.out).toContain(`Port ${taken.port} for the console (Vite) is already in use — often by another \`npm run dev\` or Vite project. ` +
        `Stop that, or pick another port: MFC_APP_PORT=${taken.port + 10} npm run dev`);
    } finally {
      await taken.release();
    }
  }, 60_000);
});
