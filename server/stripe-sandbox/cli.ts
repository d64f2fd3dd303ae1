// Runs the Stripe sandbox on its own, for trying the console's Stripe calls by hand.
import { readFile } from "node:fs/promises";
import { parseSandboxArgs, SANDBOX_CLI_USAGE } from "./cli-args.ts";
import { startStripeSandbox } from "./server.ts";
import type { StripeSeed } from "./store.ts";

async function main(): Promise<void> {
  const args = parseSandboxArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(SANDBOX_CLI_USAGE);
    return;
  }
  const seed = args.seedFile ? (JSON.parse(await readFile(args.seedFile, "utf8")) as StripeSeed) : undefined;
  const sandbox = await startStripeSandbox({ port: args.port, webhookUrl: args.webhookUrl, webhookSecret: args.webhookSecret, seed });
  console.log(`Stripe: local sandbox on ${sandbox.url} (${sandbox.state.charges.size} charges)${args.webhookUrl ? `, webhooks to ${args.webhookUrl}` : ", no webhook URL"}`);
  console.log(`SDK: new Stripe("sk_test_…", { host: "${sandbox.host}", port: ${sandbox.port}, protocol: "http" })`);
  const stop = () => { void sandbox.close().then(() => process.exit(0)); };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
