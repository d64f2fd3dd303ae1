/**
 * `npm run --silent token -- <staff email>`: prints a valid access token for that staff member and nothing else,
 * for curl and scripts. The staff member is looked up in the database of the data dir (or DATABASE_URL), and
 * the token is signed with the data dir's secret, so the running embedded server accepts it.
 * When the embedded server is running it is asked instead: PGlite's files must not be opened by two processes.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { openEngine } from "../db/engine.ts";
import { resolveBackendConfig } from "../config.ts";
import { issueStaffToken, loadOrCreateSecret } from "../auth/jwt.ts";

async function main(argv: string[]): Promise<number> {
  const email = argv.find((a) => !a.startsWith("-"))?.trim().toLowerCase();
  if (!email || argv.length !== 1) {
    console.error("usage: npm run --silent token -- <staff email>   e.g. dpo@m-factory.test");
    return 1;
  }
  const config = resolveBackendConfig();
  const fromServer = await askRunningServer(config.port, email);
  if (fromServer.kind === "token") {
    process.stdout.write(`${fromServer.token}\n`);
    return 0;
  }
  if (fromServer.kind === "refused") {
    console.error(fromServer.message);
    return 1;
  }
  if (!config.databaseUrl && !existsSync(config.pgliteDir)) {
    console.error(`No database in ${config.pgliteDir}: start the embedded server once (npm run dev) or set DATABASE_URL.`);
    return 1;
  }
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
    const secret = await loadOrCreateSecret(path.join(config.dataDir, "jwt-secret"));
    process.stdout.write(`${issueStaffToken({ clerkUserId: member.clerk_user_id, email: member.email }, secret).token}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}

type ServerAnswer = { kind: "token"; token: string } | { kind: "refused"; message: string } | { kind: "not_running" };

async function askRunningServer(port: number, email: string): Promise<ServerAnswer> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/embedded/v1/token`, {
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
  return { kind: "refused", message: `The server on port ${port} did not issue a token: ${response.status} ${String(body.message ?? "")}` };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`token: ${(err as Error).message}`);
    process.exit(1);
  },
);
