/**
 * `npm run --silent token -- <staff email>`: prints a valid access token for that staff member and nothing else,
 * for curl and scripts. Tokens are signed with the data dir's secret, so the running embedded server accepts them.
 *
 * A demo staff member (server/seed/staff.ts) needs the secret only: no database is opened. Anyone else is looked
 * up by the running server (the one holding the data dir, else the one on MFC_API_PORT); with no server, in
 * DATABASE_URL or in the PGlite data dir — the latter only when no other process holds it.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { openEngine } from "../db/engine.ts";
import { readDataDirHolder } from "../db/data-dir-lock.ts";
import { apiUrlFor, resolveBackendConfig, type BackendConfig } from "../config.ts";
import { issueStaffToken } from "../auth/jwt.ts";
import { demoStaffByEmail } from "../seed/staff.ts";

async function main(argv: string[]): Promise<number> {
  const email = argv.find((a) => !a.startsWith("-"))?.trim().toLowerCase();
  if (!email || argv.length !== 1) {
    console.error("usage: npm run --silent token -- <staff email>   e.g. dpo@m-factory.test");
    return 1;
  }
  const config = resolveBackendConfig();
  const secret = await readSecret(config);
  if (secret === null) {
    console.error(`No secret in ${path.join(config.dataDir, "jwt-secret")}: start the embedded server once (npm run dev), or set MFC_DATA_DIR to the data dir it uses.`);
    return 1;
  }
  const demo = demoStaffByEmail(email);
  if (demo) return print(issueStaffToken({ clerkUserId: demo.clerkUserId, email: demo.email }, secret).token);

  const holder = config.databaseUrl ? null : await readDataDirHolder(config.pgliteDir);
  const apiUrl = holder?.held && holder.holder?.apiUrl ? holder.holder.apiUrl : apiUrlFor(config.port);
  const fromServer = await askRunningServer(apiUrl, email);
  if (fromServer.kind === "token") return print(fromServer.token);
  if (fromServer.kind === "refused") {
    console.error(fromServer.message);
    return 1;
  }
  if (!config.databaseUrl && !existsSync(config.pgliteDir)) {
    console.error(`No database in ${config.pgliteDir}: start the embedded server once (npm run dev) or set DATABASE_URL.`);
    return 1;
  }
  // Refused at once (naming the holder) when something other than a reachable server holds the PGlite dir.
  const engine = await openEngine(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.pgliteDir });
  try {
    const { rows } = await engine.query<{ clerk_user_id: string; email: string }>(
      "select clerk_user_id, email from public.staff_members where email = $1 and active",
      [email],
    );
    const member = rows[0];
    if (!member) {
      console.error(`Unknown staff email: ${email} (no active staff member has it)`);
      return 1;
    }
    return print(issueStaffToken({ clerkUserId: member.clerk_user_id, email: member.email }, secret).token);
  } finally {
    await engine.close();
  }
}

function print(token: string): number {
  process.stdout.write(`${token}\n`);
  return 0;
}

/** The data dir's secret, never created here: a new one would not match the server's. */
async function readSecret(config: BackendConfig): Promise<string | null> {
  try {
    return (await readFile(path.join(config.dataDir, "jwt-secret"), "utf8")).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

type ServerAnswer = { kind: "token"; token: string } | { kind: "refused"; message: string } | { kind: "not_running" };

async function askRunningServer(apiUrl: string, email: string): Promise<ServerAnswer> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/embedded/v1/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email }),
      signal: AbortSignal.timeout(3000),
    });
  } catch {
    return { kind: "not_running" };
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; message?: unknown };
  if (response.ok && typeof body.access_token === "string") return { kind: "token", token: body.access_token };
  if (response.status === 404 && typeof body.message === "string" && body.message.startsWith("No active staff")) {
    return { kind: "refused", message: `Unknown staff email: ${email} (${body.message})` };
  }
  return { kind: "refused", message: `The server at ${apiUrl} did not issue a token: ${response.status} ${String(body.message ?? "")}` };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`token: ${(err as Error).message}`);
    process.exit(1);
  },
);
