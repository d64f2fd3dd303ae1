/**
 * Policy versions the seed publishes, per document. The privacy policy: two superseded versions, the current
 * 2026-05-12 text (the company's own document, kept beside this file) published as a re-accept change, and a draft
 * the DPO is preparing. The terms: an earlier and a current version. The cookie policy: one version, with a Thai
 * translation (which language a customer saw is recorded on each consent event).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export const CURRENT_POLICY_VERSION = "2026-05-12";
export const CURRENT_TERMS_VERSION = "2026-05-12";
export const CURRENT_COOKIE_POLICY_VERSION = "2025-08-15";

export type PolicyDocument = "privacy_policy" | "terms" | "cookie_policy";

export interface PolicyVersionSeed {
  document: PolicyDocument;
  version: string;
  title: string;
  status: "draft" | "published" | "superseded";
  /** UTC midnight of `version` for published/superseded ones; null for the draft. */
  effectiveAt: string | null;
  publishedAt: string | null;
  bodyMarkdown: string;
  bodyTh: string | null;
  summaryOfChanges: string | null;
  /** How the DPO classified the change when publishing; null for the draft. */
  changeClass: "editorial" | "notify" | "re_accept" | null;
  changeReason: string | null;
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

const FIRST_TERMS = `# Terms of Service

Version 2024-06-01 · Effective 2024-06-01

1. The service. M-Factory generates music and images from your prompts with third-party AI models.
2. Your account. You are responsible for what is done with your account; keep your sign-in secure.
3. Credits. Generations cost credits; credits bought are not refundable once spent.
4. Your content. You own what you create; you give us the licence needed to store and show it to you.
5. Acceptable use. No unlawful, infringing or abusive content; we may suspend accounts that break these terms.
6. Liability. The service is provided as is, to the extent Thai law allows.
7. Law. These terms are governed by the laws of Thailand.
`;

const CURRENT_TERMS = `# Terms of Service

Version 2026-05-12 · Effective 2026-05-12

1. The service. M-Factory generates music, images and video from your prompts with third-party AI models
   (KIE.AI: Suno, Nano Banana, Seedance).
2. Your account. You are responsible for what is done with your account; keep your sign-in secure.
3. Credits and subscriptions. Generations cost credits. Subscriptions renew monthly until cancelled; refunds follow
   the refund policy shown at checkout.
4. Your content. You own what you create; you give us the licence needed to store and show it to you.
5. Acceptable use. No unlawful, infringing or abusive content; we may suspend accounts that break these terms.
6. Privacy. The Privacy Policy and the Cookie Policy explain how we handle personal data.
7. Liability. The service is provided as is, to the extent Thai law allows.
8. Law. These terms are governed by the laws of Thailand.
`;

const COOKIE_POLICY = `# Cookie Policy

Version 2025-08-15 · Effective 2025-08-15

- Strictly necessary cookies keep you signed in (Clerk) and protect payments (Stripe). They cannot be switched off.
- Analytics cookies measure how the studio is used, only if you accept them in the banner or in Settings.
- We use no advertising cookies.
You can change your choice at any time in Settings → Legal & Privacy.
`;

const COOKIE_POLICY_TH = `# นโยบายคุกกี้

ฉบับ 2025-08-15 · มีผลตั้งแต่ 2025-08-15

- คุกกี้ที่จำเป็นใช้เพื่อให้ท่านเข้าสู่ระบบได้ (Clerk) และเพื่อความปลอดภัยของการชำระเงิน (Stripe) ไม่สามารถปิดได้
- คุกกี้เพื่อการวิเคราะห์ใช้วัดการใช้งานสตูดิโอ เฉพาะเมื่อท่านยอมรับในแบนเนอร์หรือในหน้าการตั้งค่า
- เราไม่ใช้คุกกี้เพื่อการโฆษณา
ท่านเปลี่ยนตัวเลือกได้ทุกเมื่อที่ การตั้งค่า → กฎหมายและความเป็นส่วนตัว
`;

const DPO_TIME = "T03:00:00.000Z";
const midnight = (date: string): string => `${date}T00:00:00.000Z`;

function published(
  document: PolicyDocument,
  version: string,
  publishedOn: string,
  status: "published" | "superseded",
  title: string,
  bodyMarkdown: string,
  change: { changeClass: "editorial" | "notify" | "re_accept"; summary: string; reason?: string },
  bodyTh: string | null = null,
): PolicyVersionSeed {
  return {
    document,
    version,
    title,
    status,
    effectiveAt: midnight(version),
    publishedAt: `${publishedOn}${DPO_TIME}`,
    bodyMarkdown,
    bodyTh,
    summaryOfChanges: change.summary,
    changeClass: change.changeClass,
    changeReason: change.reason ?? null,
  };
}

export function policyVersionSeeds(): PolicyVersionSeed[] {
  const current = currentPolicyText();
  return [
    published("privacy_policy", "2024-06-01", "2024-05-25", "superseded", "Privacy Policy", FIRST_POLICY, {
      changeClass: "notify",
      summary: "First privacy policy of the studio.",
    }),
    published("privacy_policy", "2025-08-15", "2025-08-08", "superseded", "Privacy Policy", SECOND_POLICY, {
      changeClass: "notify",
      summary: "Video generation (Seedance) added; API logs kept 90 days instead of 180; Upstash added as a processor; product analytics now by consent.",
    }),
    published("privacy_policy", CURRENT_POLICY_VERSION, "2026-05-05", "published", "Privacy Policy", current, {
      changeClass: "re_accept",
      summary: "International transfers (§5) stated; Render added to hosting; cookies and device info listed; consent logs kept until account deletion + 30 days; self-service privacy tools named.",
      reason: "New international transfers to the United States and the European Union (§5) change what customers agreed to.",
    }),
    {
      document: "privacy_policy",
      version: "2026-12-15",
      title: "Privacy Policy",
      status: "draft",
      effectiveAt: null,
      publishedAt: null,
      bodyMarkdown: draftPolicy(current),
      bodyTh: null,
      summaryOfChanges: "Render's region; the parental-consent rule.",
      changeClass: null,
      changeReason: null,
    },
    published("terms", "2024-06-01", "2024-05-25", "superseded", "Terms of Service", FIRST_TERMS, {
      changeClass: "notify",
      summary: "First terms of service.",
    }),
    published("terms", CURRENT_TERMS_VERSION, "2026-05-05", "published", "Terms of Service", CURRENT_TERMS, {
      changeClass: "notify",
      summary: "Video generation; subscriptions and refunds; the cookie policy named.",
    }),
    published("cookie_policy", CURRENT_COOKIE_POLICY_VERSION, "2025-08-08", "published", "Cookie Policy", COOKIE_POLICY, {
      changeClass: "notify",
      summary: "First cookie policy: analytics cookies only with consent.",
    }, COOKIE_POLICY_TH),
  ];
}
