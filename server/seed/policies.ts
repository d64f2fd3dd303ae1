/**
 * Privacy-policy versions the seed publishes: two superseded ones, the current 2026-05-12 text
 * (the customer's own document, kept beside this file), and a draft the DPO is preparing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export const CURRENT_POLICY_VERSION = "2026-05-12";

export interface PolicyVersionSeed {
  version: string;
  title: string;
  status: "draft" | "published" | "superseded";
  /** UTC midnight of `version` for published/superseded ones; null for the draft. */
  effectiveAt: string | null;
  publishedAt: string | null;
  bodyMarkdown: string;
}

function currentPolicyText(): string {
  return readFileSync(path.join(here, "policies", `privacy-policy-${CURRENT_POLICY_VERSION}.md`), "utf8");
}

const FIRST_POLICY = `# Privacy Policy

Version 2024-06-01 · Effective 2024-06-01

M-Factory is an AI music and image studio operated from Thailand. This policy explains what we collect and why,
under the Personal Data Protection Act B.E. 2562 (2019).

## What we collect
- Your email address and display name, from our sign-in provider.
- What you create: prompts, projects and the files we generate for you.
- Payment references from Stripe (we never see your card number).
- Technical logs: IP address, browser and request times.

## Why
To run the service and bill you (contract), to keep it safe (legitimate interest), and to meet tax law (legal duty).

## Processors
Clerk, Supabase, Cloudflare R2, Stripe, KIE.AI, Sentry, Vercel.

## Retention
Account data while your account is open; payment records for 7 years; logs for 180 days.

## Your rights
Access, correction, deletion, restriction, portability, withdrawal of consent and complaint to the PDPC.
Write to privacy@m-factory.app; we answer within 30 days.
`;

const SECOND_POLICY = `# Privacy Policy

Version 2025-08-15 · Effective 2025-08-15

Changes from 2024-06-01: video generation (Seedance) added; API request logs now kept 90 days instead of 180;
Upstash added as a processor; product analytics now asks for your consent.

## What we collect
- Account: email address, display name, profile image URL, Clerk user ID.
- Service usage: prompts, uploads, generation metadata, generated assets, project titles and settings,
  credit balance and history, API request logs (endpoint, status, IP address, user agent, time).
- Payment: Stripe customer, subscription and payment-intent IDs, plan, amount, status.
- Technical: error reports with personal data removed.

## Lawful basis
Contract for the service and billing; legitimate interest for support and abuse prevention; legal obligation for
tax records; consent for product analytics.

## Processors
Clerk, Supabase, Cloudflare R2, Stripe, KIE.AI (Suno, Nano Banana, Seedance), Upstash, Sentry, Vercel.

## Retention
Account data while active and up to 12 months after deletion; payment records 7 years; API logs 90 days;
error reports 30 days.

## Your rights
Access, rectification, erasure, restriction, portability, withdrawal of consent, complaint to the PDPC.
Contact privacy@m-factory.app; we respond within 30 days.
`;

function draftPolicy(current: string): string {
  const draft = current.replace(
    /Version 2026-05-12 · Effective 2026-05-12/,
    "Version 2026-12-15 · Effective 2026-12-15 (draft, not yet published)",
  );
  return `${draft.trimEnd()}\n\n12. Draft notes (remove before publishing)\n- Add Render to the hosting processors with its region.\n- State the parental-consent rule for users under 10 and the age of majority (20).\n`;
}

export function policyVersionSeeds(): PolicyVersionSeed[] {
  const current = currentPolicyText();
  return [
    { version: "2024-06-01", title: "Privacy Policy", status: "superseded", effectiveAt: "2024-06-01T00:00:00.000Z", publishedAt: "2024-05-25T03:00:00.000Z", bodyMarkdown: FIRST_POLICY },
    { version: "2025-08-15", title: "Privacy Policy", status: "superseded", effectiveAt: "2025-08-15T00:00:00.000Z", publishedAt: "2025-08-08T03:00:00.000Z", bodyMarkdown: SECOND_POLICY },
    { version: CURRENT_POLICY_VERSION, title: "Privacy Policy", status: "published", effectiveAt: "2026-05-12T00:00:00.000Z", publishedAt: "2026-05-05T03:00:00.000Z", bodyMarkdown: current },
    { version: "2026-12-15", title: "Privacy Policy", status: "draft", effectiveAt: null, publishedAt: null, bodyMarkdown: draftPolicy(current) },
  ];
}
