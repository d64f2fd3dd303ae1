import { describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_PORT, parseSandboxArgs } from "../../server/stripe-sandbox/cli-args.ts";

describe("Stripe sandbox CLI arguments", () => {
  it("defaults the port and takes the secret from STRIPE_WEBHOOK_SECRET", () => {
    expect(parseSandboxArgs([], { STRIPE_WEBHOOK_SECRET: "whsec_env" })).toEqual({ port: DEFAULT_SANDBOX_PORT, webhookUrl: undefined, webhookSecret: "whsec_env", seedFile: undefined, help: false });
  });

  it("reads every option in both spellings; the flag wins over the environment", () => {
    expect(parseSandboxArgs(["--port=0", "--webhook-url", "http://127.0.0.1:54321/functions/v1/stripe-webhook", "--webhook-secret=whsec_flag", "--seed-file", "seed.json"], { STRIPE_WEBHOOK_SECRET: "whsec_env" }))
      .toEqual({ port: 0, webhookUrl: "http://127.0.0.1:54321/functions/v1/stripe-webhook", webhookSecret: "whsec_flag", seedFile: "seed.json", help: false });
  });

  it.each([
    [["--webhook-secret", "x", "--port", "70000"], /--port must be/],
    [["--webhook-secret", "x", "--port", "-1"], /--port must be/],
    [["--webhook-secret", "x", "--webhook-url", "not a url"], /not a URL/],
    [["--webhook-secret", "x", "--webhook-url", "ftp://host/x"], /must be http/],
    [["--webhook-secret"], /needs a value/],
    [["--prot", "1"], /unknown option/],
    [[], /webhook secret is required/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseSandboxArgs(argv, {})).toThrow(message);
  });
});
