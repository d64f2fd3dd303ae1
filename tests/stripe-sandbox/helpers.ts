import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { startStripeSandbox, type StripeSandbox, type StripeSandboxOptions } from "../../server/stripe-sandbox/index.ts";

export const TEST_KEY = "sk_test_sandbox_suite";
export const WEBHOOK_SECRET = "whsec_sandbox_suite_secret";

export async function startSandbox(options: Partial<StripeSandboxOptions> = {}): Promise<{ sandbox: StripeSandbox; stripe: Stripe }> {
  const sandbox = await startStripeSandbox({ webhookSecret: WEBHOOK_SECRET, ...options });
  const stripe = new Stripe(TEST_KEY, { host: sandbox.host, port: sandbox.port, protocol: sandbox.protocol, maxNetworkRetries: 0 });
  return { sandbox, stripe };
}

export interface ReceivedWebhook { body: string; signature: string }

/** A webhook endpoint that records every POST and answers with the next scripted status (200 once the script is used up). */
export async function startReceiver(statuses: number[] = []): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ body: Buffer.concat(chunks).toString("utf8"), signature: String(request.headers["stripe-signature"] ?? "") });
      response.writeHead(statuses.shift() ?? 200);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/stripe-webhook`, received,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
