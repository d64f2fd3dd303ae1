import { formatBangkokDateTime } from "../../lib/format";
import { formatDueDate } from "./sla";
import type { DsarStatus, DsarType } from "./types";
import { t } from "../../i18n/provider";
import type { dsarLetters } from "../../i18n/messages/en/dsarLetters";
import "../../i18n/messages/en/dsarLetters";

/**
 * Reply drafts to the data subject, in Thai and English, filled with the request's facts. Pure functions: the
 * request page shows the draft, the DPO edits it if needed, copies it or opens it in the mail client, and the
 * text that was sent is recorded with `dsar_record_response`.
 */

export const RESPONSE_LANGUAGES = ["en", "th"] as const;
export type ResponseLanguage = (typeof RESPONSE_LANGUAGES)[number];

export const RESPONSE_TEMPLATES = ["acknowledgement", "identity_request", "extension", "fulfilled", "rejected"] as const;
export type ResponseTemplate = (typeof RESPONSE_TEMPLATES)[number];

/** The template's name on the request page. */
export const templateLabel = (template: ResponseTemplate): string => t(`dsarLetters.templates.${template}`);

/** The template names in the console's language, read when used (the words live in the catalogue). */
export const TEMPLATE_LABELS: Readonly<Record<ResponseTemplate, string>> = Object.defineProperties(
  {},
  Object.fromEntries(RESPONSE_TEMPLATES.map((template) => [template, { enumerable: true, get: () => templateLabel(template) }])),
) as Record<ResponseTemplate, string>;

export const DPO_CONTACT = "privacy@m-factory.app";

export interface ResponseFacts {
  reference: string;
  type: DsarType;
  requesterName?: string | null;
  receivedAt: string;
  /** Company target (Bangkok date, extension included). */
  promiseDueOn: string;
  statutoryDueOn: string;
  extensionDays?: number;
  extensionReason?: string | null;
  refusalGround?: string | null;
  /** What was done, one line per item, in the reply's language (e.g. "Export file sent by secure link"). */
  actionsTaken?: readonly string[];
}

export interface ResponseDraft {
  subject: string;
  body: string;
}

/** A fact the template needs, trimmed; missing, the draft is refused with the catalogue's sentence. */
function required(value: string | null | undefined, missing: keyof typeof dsarLetters.missing): string {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") throw new Error(t(`dsarLetters.missing.${missing}`));
  return trimmed;
}

function receivedDate(receivedAt: string): string {
  return formatBangkokDateTime(receivedAt).slice(0, 10);
}

function greeting(language: ResponseLanguage, name: string | null | undefined): string {
  const who = name?.trim();
  return who ? t(`dsarLetters.${language}.greeting`, { name: who }) : t(`dsarLetters.${language}.greetingUnnamed`);
}

function subjectLine(language: ResponseLanguage, template: ResponseTemplate, reference: string): string {
  return `[${reference}] ${t(`dsarLetters.${language}.subjects.${template}`)}`;
}

function paragraphs(language: ResponseLanguage, template: ResponseTemplate, facts: ResponseFacts): string[] {
  const what = t(`dsarLetters.${language}.typeNames.${facts.type}`);
  const received = receivedDate(facts.receivedAt);
  const reference = facts.reference;
  const answerBy = t(`dsarLetters.${language}.answerBy`, { due: formatDueDate(facts.promiseDueOn) });
  switch (template) {
    case "acknowledgement":
      return [t(`dsarLetters.${language}.acknowledgement`, { what, received, reference }), answerBy];
    case "identity_request":
      return [t(`dsarLetters.${language}.identityWhy`, { reference, received }), t(`dsarLetters.${language}.identityHow`)];
    case "extension": {
      const days = facts.extensionDays ?? 0;
      if (days <= 0) throw new Error(t("dsarLetters.missing.extensionDays"));
      const reason = required(facts.extensionReason, "extensionReason");
      // The day count as written before the catalogue (no grouping: an extension is a few days).
      return [t(`dsarLetters.${language}.extension`, { reference, received, days: String(days), reason }), answerBy];
    }
    case "fulfilled": {
      const done = facts.actionsTaken && facts.actionsTaken.length > 0 ? facts.actionsTaken : [t(`dsarLetters.${language}.defaultDone.${facts.type}`)];
      const list = done.map((line) => `- ${line}`).join("\n");
      return [t(`dsarLetters.${language}.fulfilled`, { what, reference, received }), list];
    }
    case "rejected": {
      const ground = required(facts.refusalGround, "refusalGround");
      return [t(`dsarLetters.${language}.rejected`, { what, reference, received, ground })];
    }
  }
}

/** The draft reply for a template and language. Missing facts a template needs throw a clear error. */
export function renderResponse(template: ResponseTemplate, language: ResponseLanguage, facts: ResponseFacts): ResponseDraft {
  required(facts.reference, "reference");
  const body = [greeting(language, facts.requesterName), "", ...paragraphs(language, template, facts).flatMap((p) => [p, ""])];
  // Refusals, final answers and complaints always carry the right to complain to the regulator.
  if (template === "rejected" || template === "fulfilled" || facts.type === "complaint") body.push(t(`dsarLetters.${language}.pdpcNote`), "");
  body.push(t(`dsarLetters.${language}.signature`, { contact: DPO_CONTACT }));
  return { subject: subjectLine(language, template, facts.reference), body: body.join("\n") };
}

/** The template that fits the request's status (the DPO can pick another). */
export function suggestedTemplate(status: DsarStatus, extensionDays: number): ResponseTemplate {
  if (status === "rejected") return "rejected";
  if (status === "fulfilled") return "fulfilled";
  if (status === "awaiting_verification") return "identity_request";
  if (extensionDays > 0) return "extension";
  return "acknowledgement";
}

/** A `mailto:` link with the subject and body encoded (spaces as %20, which every mail client understands). */
export function mailtoLink(to: string, draft: ResponseDraft): string {
  const address = to.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw new Error(t("dsarLetters.notAnAddress", { address: to }));
  return `mailto:${encodeURIComponent(address).replace(/%40/g, "@")}?subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(draft.body)}`;
}
