/**
 * What an access/portability export contains, as data: every category of personal data M-Factory holds
 * (privacy policy 2026-05-12 §2), why (§3), who processes it (§4) and how long it is kept (§6), in
 * English and Thai. The README, the manifest, the CSV headers and the Supabase fetcher all read this
 * one table, so a new category or a policy change is made here (the facts) and in the catalogue's
 * `dsarExport` namespace (the words), and nowhere else.
 */
import { t } from "../../../i18n/provider";
// The words register wherever this module loads: in the page and inside the export's Web Worker.
import "../../../i18n/messages/en/dsarExport";
import type { dsarExport } from "../../../i18n/messages/en/dsarExport";

export const EXPORT_POLICY_VERSION = "2026-05-12";

export interface Bilingual {
  en: string;
  th: string;
}

/** The export's two languages: the README gives every category's words in both. */
type DocumentLanguage = keyof Bilingual;

/** One text in both languages, each read from the catalogue. */
const bilingual = (words: (language: DocumentLanguage) => string): Bilingual => ({ en: words("en"), th: words("th") });

export type ProcessorId = "clerk" | "supabase" | "cloudflare_r2" | "stripe" | "kie_ai" | "upstash" | "sentry" | "hosting";

export interface Processor {
  id: ProcessorId;
  name: string;
  role: Bilingual;
}

// not-ui-text: the processors' brand names, the same in every language
const PROCESSOR_NAMES: Readonly<Record<ProcessorId, string>> = {
  clerk: "Clerk",
  supabase: "Supabase (PostgreSQL)",
  cloudflare_r2: "Cloudflare R2",
  stripe: "Stripe",
  kie_ai: "KIE.AI (Suno / Nano Banana / Seedance models)",
  upstash: "Upstash",
  sentry: "Sentry",
  hosting: "Vercel / Render",
};

/** Policy §4, in the policy's order. */
export const PROCESSORS: Readonly<Record<ProcessorId, Processor>> = Object.fromEntries(
  (Object.keys(PROCESSOR_NAMES) as ProcessorId[]).map((id) => [
    id,
    { id, name: PROCESSOR_NAMES[id], role: bilingual((language) => t(`dsarExport.${language}.processorRoles.${id}`)) },
  ]),
) as Record<ProcessorId, Processor>;

export type ExportCategoryId =
  | "profile"
  | "projects"
  | "generations"
  | "assets"
  | "credit_ledger"
  | "payments"
  | "subscriptions"
  | "consent_history"
  | "api_logs"
  | "error_reports";

export interface ExportCategory {
  id: ExportCategoryId;
  title: Bilingual;
  /** What the rows are. */
  contents: Bilingual;
  purpose: Bilingual;
  lawfulBasis: Bilingual;
  processors: readonly ProcessorId[];
  retention: Bilingual;
  /** CSV header and the only keys a fetched row may carry, in this order. */
  columns: readonly string[];
}

type LawfulBasis = keyof typeof dsarExport.en.lawfulBases;
type Retention = keyof typeof dsarExport.en.retention;

/** A category's facts; its words (title, contents, purpose) are in the catalogue under its id. */
interface CategoryFacts {
  id: ExportCategoryId;
  lawfulBases: readonly LawfulBasis[];
  processors: readonly ProcessorId[];
  retention: Retention;
  columns: readonly string[];
}

const CATEGORY_FACTS: readonly CategoryFacts[] = [
  {
    id: "profile",
    lawfulBases: ["contract", "legitimateInterest"],
    processors: ["clerk", "supabase", "stripe", "hosting"],
    retention: "account",
    columns: [
      "id", "clerk_user_id", "email", "display_name", "profile_image_url", "locale", "country", "created_at", "updated_at",
      "deleted_at", "processing_restricted", "restricted_at", "restriction_reason", "credit_balance", "stripe_customer_id",
      "subscription_plan", "subscription_status",
    ],
  },
  { id: "projects", lawfulBases: ["contract"], processors: ["supabase", "hosting"], retention: "account", columns: ["id", "title", "settings", "created_at", "updated_at", "deleted_at"] },
  {
    id: "generations",
    lawfulBases: ["contract", "legitimateInterest"],
    processors: ["kie_ai", "upstash", "supabase", "hosting"],
    retention: "account",
    columns: ["id", "project_id", "media", "model", "prompt", "metadata", "credits_cost", "status", "created_at"],
  },
  {
    id: "assets",
    lawfulBases: ["contract"],
    processors: ["cloudflare_r2", "supabase"],
    retention: "untilDeleted",
    columns: ["id", "project_id", "generation_id", "kind", "r2_key", "content_type", "size_bytes", "created_at", "deleted_at"],
  },
  {
    id: "credit_ledger",
    lawfulBases: ["contract"],
    processors: ["supabase"],
    retention: "account",
    columns: ["id", "amount", "reason", "note", "generation_id", "payment_id", "created_at"],
  },
  {
    id: "payments",
    lawfulBases: ["contract", "legalObligation"],
    processors: ["stripe", "supabase"],
    retention: "payments",
    columns: [
      "id", "subscription_id", "kind", "plan", "amount", "amount_refunded", "currency", "status", "credits_granted", "created_at",
      "stripe_payment_intent_id", "stripe_charge_id",
    ],
  },
  {
    id: "subscriptions",
    lawfulBases: ["contract", "legalObligation"],
    processors: ["stripe", "supabase"],
    retention: "payments",
    columns: ["id", "plan", "status", "current_period_end", "created_at", "canceled_at", "stripe_subscription_id"],
  },
  {
    id: "consent_history",
    lawfulBases: ["legalObligation", "analyticsConsent"],
    processors: ["supabase"],
    retention: "consentProof",
    columns: ["id", "purpose", "action", "policy_version_id", "source", "ip", "user_agent", "occurred_at"],
  },
  {
    id: "api_logs",
    lawfulBases: ["legitimateInterest"],
    processors: ["supabase", "hosting"],
    retention: "apiLogs",
    columns: ["id", "method", "endpoint", "status_code", "ip", "user_agent", "requested_at"],
  },
  {
    id: "error_reports",
    lawfulBases: ["legitimateInterest"],
    processors: ["sentry", "supabase"],
    retention: "errorReports",
    columns: ["id", "sentry_event_id", "summary", "occurred_at"],
  },
];

/** The facts with their words from the catalogue, in both languages. */
const describeCategory = ({ id, lawfulBases, processors, retention, columns }: CategoryFacts): ExportCategory => ({
  id,
  title: bilingual((language) => t(`dsarExport.${language}.categories.${id}.title`)),
  contents: bilingual((language) => t(`dsarExport.${language}.categories.${id}.contents`)),
  purpose: bilingual((language) => t(`dsarExport.${language}.categories.${id}.purpose`)),
  lawfulBasis: bilingual((language) => lawfulBases.map((basis) => t(`dsarExport.${language}.lawfulBases.${basis}`)).join("; ")),
  processors,
  retention: bilingual((language) => t(`dsarExport.${language}.retention.${retention}`)),
  columns,
});

export const EXPORT_CATEGORIES: readonly ExportCategory[] = CATEGORY_FACTS.map(describeCategory);

export function exportCategory(id: ExportCategoryId): ExportCategory {
  const found = EXPORT_CATEGORIES.find((c) => c.id === id);
  if (!found) throw new Error(t("dsarExport.errors.unknownCategory", { category: String(id) }));
  return found;
}

/** Path of a category's JSON / CSV file inside the ZIP. */
export const categoryFilePath = (id: ExportCategoryId, format: "json" | "csv"): string => `${format}/${id}.${format}`;
