/**
 * Stripe settings from the function environment, without loading the SDK (the health function reads the mode).
 * See stripe.ts for what each variable means.
 */
import { getFunctionEnv } from "./env.ts";

export type StripeMode = "sandbox" | "test" | "live" | "not_configured";

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string | undefined;
  host: string | undefined;
  port: number | undefined;
  protocol: "http" | "https" | undefined;
}

export function stripeSettings(): StripeSettings | null {
  const secretKey = getFunctionEnv("STRIPE_SECRET_KEY")?.trim();
  if (!secretKey) return null;
  const portText = getFunctionEnv("STRIPE_API_PORT")?.trim();
  const port = portText ? Number(portText) : undefined;
  const protocolText = getFunctionEnv("STRIPE_API_PROTOCOL")?.trim().toLowerCase();
  return {
    secretKey,
    webhookSecret: getFunctionEnv("STRIPE_WEBHOOK_SECRET")?.trim() || undefined,
    host: getFunctionEnv("STRIPE_API_HOST")?.trim() || undefined,
    port: port !== undefined && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined,
    protocol: protocolText === "http" || protocolText === "https" ? protocolText : undefined,
  };
}

/** What the health function reports: the sandbox when STRIPE_API_HOST points somewhere, else the key's mode. */
export function stripeMode(): StripeMode {
  const settings = stripeSettings();
  if (!settings) return "not_configured";
  if (settings.host) return "sandbox";
  return /^(sk|rk)_live_/.test(settings.secretKey) ? "live" : "test";
}
