// Arguments of `tsx server/stripe-sandbox/cli.ts`: kept pure so the refusals are testable.

export interface SandboxCliArgs { port: number; webhookUrl?: string; webhookSecret: string; seedFile?: string; help: boolean }

export const SANDBOX_CLI_USAGE = `Usage: tsx server/stripe-sandbox/cli.ts [--port 12111] [--webhook-url URL] [--webhook-secret whsec_…] [--seed-file seed.json]
  --webhook-secret defaults to $STRIPE_WEBHOOK_SECRET; one of them is required.
  --seed-file is a JSON StripeSeed ({ "customers": [...], "payments": [...] }), see server/stripe-sandbox/README.md.`;

export const DEFAULT_SANDBOX_PORT = 12111;

export function parseSandboxArgs(argv: readonly string[], env: Record<string, string | undefined>): SandboxCliArgs {
  const values = new Map<string, string>();
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? "";
    if (arg === "--help" || arg === "-h") { help = true; continue; }
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (!["--port", "--webhook-url", "--webhook-secret", "--seed-file"].includes(flag)) throw new Error(`unknown option "${arg}"\n${SANDBOX_CLI_USAGE}`);
    const value = inline ?? argv[(index += 1)];
    if (value === undefined || value === "") throw new Error(`${flag} needs a value`);
    values.set(flag, value);
  }
  if (help) return { port: DEFAULT_SANDBOX_PORT, webhookSecret: "", help };
  const portText = values.get("--port") ?? String(DEFAULT_SANDBOX_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) throw new Error(`--port must be a whole number from 0 to 65535, got "${portText}"`);
  const webhookUrl = values.get("--webhook-url");
  if (webhookUrl !== undefined) {
    let parsed: URL;
    try { parsed = new URL(webhookUrl); } catch { throw new Error(`--webhook-url is not a URL: "${webhookUrl}"`); }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`--webhook-url must be http(s), got "${webhookUrl}"`);
  }
  const webhookSecret = values.get("--webhook-secret") ?? env.STRIPE_WEBHOOK_SECRET ?? "";
  if (!webhookSecret) throw new Error("a webhook secret is required: --webhook-secret whsec_… or STRIPE_WEBHOOK_SECRET");
  return { port, webhookUrl, webhookSecret, seedFile: values.get("--seed-file"), help };
}
