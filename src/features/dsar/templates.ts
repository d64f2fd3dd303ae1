import { formatBangkokDateTime } from "../../lib/format";
import { formatDueDate } from "./sla";
import type { DsarStatus, DsarType } from "./types";

/**
 * Reply drafts to the data subject, in Thai and English, filled with the request's facts. Pure functions: the
 * request page shows the draft, the DPO edits it if needed, copies it or opens it in the mail client, and the
 * text that was sent is recorded with `dsar_record_response`.
 */

export const RESPONSE_LANGUAGES = ["en", "th"] as const;
export type ResponseLanguage = (typeof RESPONSE_LANGUAGES)[number];

export const RESPONSE_TEMPLATES = ["acknowledgement", "identity_request", "extension", "fulfilled", "rejected"] as const;
export type ResponseTemplate = (typeof RESPONSE_TEMPLATES)[number];

export const TEMPLATE_LABELS: Record<ResponseTemplate, string> = {
  acknowledgement: "Acknowledge receipt",
  identity_request: "Ask to verify identity",
  extension: "Notify an extension",
  fulfilled: "Request fulfilled",
  rejected: "Request refused",
};

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

const TYPE_NAMES: Record<ResponseLanguage, Record<DsarType, string>> = {
  en: {
    access: "access to your personal data",
    portability: "a machine-readable copy of your personal data",
    rectification: "correction of your personal data",
    erasure: "erasure of your personal data",
    restriction: "restriction of processing of your personal data",
    objection: "objection to processing / withdrawal of consent",
    complaint: "your complaint about how we handle your personal data",
  },
  th: {
    access: "การขอเข้าถึงข้อมูลส่วนบุคคลของท่าน",
    portability: "การขอรับสำเนาข้อมูลส่วนบุคคลของท่านในรูปแบบที่อ่านได้ด้วยเครื่อง",
    rectification: "การขอแก้ไขข้อมูลส่วนบุคคลของท่าน",
    erasure: "การขอลบข้อมูลส่วนบุคคลของท่าน",
    restriction: "การขอระงับการใช้ข้อมูลส่วนบุคคลของท่าน",
    objection: "การคัดค้านการประมวลผล / การถอนความยินยอม",
    complaint: "ข้อร้องเรียนของท่านเกี่ยวกับการจัดการข้อมูลส่วนบุคคล",
  },
};

/** What we did by default per type, used when the DPO has not listed the actions. */
const DEFAULT_DONE: Record<ResponseLanguage, Record<DsarType, string>> = {
  en: {
    access: "We have prepared a copy of the personal data we hold about you, with an explanation of each category.",
    portability: "We have prepared your personal data in machine-readable files (JSON and CSV).",
    rectification: "We have corrected your personal data as you asked.",
    erasure: "We have erased your personal data, except the records the law requires us to keep (listed below).",
    restriction: "We have restricted the processing of your personal data: it is stored but not otherwise used.",
    objection: "We have recorded the withdrawal of your consent and stopped the processing concerned.",
    complaint: "We have reviewed your complaint and recorded our findings.",
  },
  th: {
    access: "เราได้จัดทำสำเนาข้อมูลส่วนบุคคลที่เราเก็บรักษาเกี่ยวกับท่าน พร้อมคำอธิบายแต่ละหมวดหมู่แล้ว",
    portability: "เราได้จัดเตรียมข้อมูลส่วนบุคคลของท่านในรูปแบบไฟล์ที่อ่านได้ด้วยเครื่อง (JSON และ CSV) แล้ว",
    rectification: "เราได้แก้ไขข้อมูลส่วนบุคคลของท่านตามที่ท่านร้องขอแล้ว",
    erasure: "เราได้ลบข้อมูลส่วนบุคคลของท่านแล้ว ยกเว้นข้อมูลที่กฎหมายกำหนดให้เราต้องเก็บรักษาไว้ (ตามรายการด้านล่าง)",
    restriction: "เราได้ระงับการใช้ข้อมูลส่วนบุคคลของท่านแล้ว โดยจะเก็บรักษาไว้เท่านั้นและไม่นำไปใช้อย่างอื่น",
    objection: "เราได้บันทึกการถอนความยินยอมของท่าน และหยุดการประมวลผลที่เกี่ยวข้องแล้ว",
    complaint: "เราได้พิจารณาข้อร้องเรียนของท่านและบันทึกผลการพิจารณาแล้ว",
  },
};

function required(value: string | null | undefined, what: string): string {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") throw new Error(`The ${what} is needed for this reply.`);
  return trimmed;
}

function receivedDate(receivedAt: string): string {
  return formatBangkokDateTime(receivedAt).slice(0, 10);
}

const PDPC_NOTE: Record<ResponseLanguage, string> = {
  en: "If you are not satisfied with our answer, you have the right to complain to the Personal Data Protection Committee (PDPC) of Thailand (www.pdpc.or.th).",
  th: "หากท่านไม่พอใจกับคำตอบของเรา ท่านมีสิทธิร้องเรียนต่อคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.) (www.pdpc.or.th)",
};

function greeting(language: ResponseLanguage, name: string | null | undefined): string {
  const who = name?.trim();
  if (language === "th") return who ? `เรียน คุณ${who}` : "เรียน ท่านเจ้าของข้อมูล";
  return who ? `Dear ${who},` : "Dear data subject,";
}

function signature(language: ResponseLanguage): string {
  return language === "th"
    ? `ขอแสดงความนับถือ\nเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)\nM-Factory Studio\n${DPO_CONTACT}`
    : `Kind regards,\nData Protection Officer\nM-Factory Studio\n${DPO_CONTACT}`;
}

function subjectLine(language: ResponseLanguage, template: ResponseTemplate, reference: string): string {
  const en: Record<ResponseTemplate, string> = {
    acknowledgement: "We have received your request",
    identity_request: "Please confirm your identity",
    extension: "More time is needed for your request",
    fulfilled: "Your request has been completed",
    rejected: "Our decision on your request",
  };
  const th: Record<ResponseTemplate, string> = {
    acknowledgement: "เราได้รับคำขอของท่านแล้ว",
    identity_request: "โปรดยืนยันตัวตนของท่าน",
    extension: "แจ้งขยายระยะเวลาดำเนินการตามคำขอ",
    fulfilled: "เราได้ดำเนินการตามคำขอของท่านเรียบร้อยแล้ว",
    rejected: "ผลการพิจารณาคำขอของท่าน",
  };
  return `[${reference}] ${(language === "th" ? th : en)[template]}`;
}

function paragraphs(language: ResponseLanguage, template: ResponseTemplate, facts: ResponseFacts): string[] {
  const what = TYPE_NAMES[language][facts.type];
  const received = receivedDate(facts.receivedAt);
  const due = formatDueDate(facts.promiseDueOn);
  const th = language === "th";
  switch (template) {
    case "acknowledgement":
      return th
        ? [`เราได้รับคำขอของท่านเรื่อง${what} เมื่อวันที่ ${received} (เลขที่อ้างอิง ${facts.reference})`, `เราจะตอบกลับภายในวันที่ ${due}`]
        : [`We received your request for ${what} on ${received} (reference ${facts.reference}).`, `We will answer by ${due}.`];
    case "identity_request":
      return th
        ? [
            `เพื่อคุ้มครองข้อมูลของท่าน เราต้องยืนยันตัวตนของท่านก่อนดำเนินการตามคำขอเลขที่ ${facts.reference} (ได้รับเมื่อ ${received})`,
            "โปรดตอบกลับอีเมลนี้จากอีเมลที่ท่านใช้กับบัญชี M-Factory หรือเข้าสู่ระบบบัญชีของท่านแล้วยืนยันคำขอในหน้า Settings → Legal & Privacy",
          ]
        : [
            `To protect your data we must confirm your identity before acting on request ${facts.reference} (received ${received}).`,
            "Please reply from the email address of your M-Factory account, or sign in and confirm the request in Settings → Legal & Privacy.",
          ];
    case "extension": {
      const days = facts.extensionDays ?? 0;
      if (days <= 0) throw new Error("An extension notice needs the number of days the request was extended by.");
      const reason = required(facts.extensionReason, "reason for the extension");
      return th
        ? [`คำขอเลขที่ ${facts.reference} (ได้รับเมื่อ ${received}) ต้องใช้เวลาเพิ่มอีก ${days} วัน เนื่องจาก: ${reason}`, `เราจะตอบกลับภายในวันที่ ${due}`]
        : [`Request ${facts.reference} (received ${received}) needs ${days} more days because: ${reason}.`, `We will answer by ${due}.`];
    }
    case "fulfilled": {
      const done = facts.actionsTaken && facts.actionsTaken.length > 0 ? facts.actionsTaken : [DEFAULT_DONE[language][facts.type]];
      const list = done.map((line) => `- ${line}`).join("\n");
      const intro = th
        ? `เราได้ดำเนินการตามคำขอเรื่อง${what} เลขที่ ${facts.reference} (ได้รับเมื่อ ${received}) แล้ว:`
        : `We have completed your request for ${what}, reference ${facts.reference} (received ${received}):`;
      return [intro, list];
    }
    case "rejected": {
      const ground = required(facts.refusalGround, "refusal ground");
      return th
        ? [`เราไม่สามารถดำเนินการตามคำขอเรื่อง${what} เลขที่ ${facts.reference} (ได้รับเมื่อ ${received}) ได้ ด้วยเหตุผลดังนี้: ${ground}`]
        : [`We cannot act on your request for ${what}, reference ${facts.reference} (received ${received}), for this reason: ${ground}.`];
    }
  }
}

/** The draft reply for a template and language. Missing facts a template needs throw a clear error. */
export function renderResponse(template: ResponseTemplate, language: ResponseLanguage, facts: ResponseFacts): ResponseDraft {
  required(facts.reference, "request reference");
  const body = [greeting(language, facts.requesterName), "", ...paragraphs(language, template, facts).flatMap((p) => [p, ""])];
  // Refusals, final answers and complaints always carry the right to complain to the regulator.
  if (template === "rejected" || template === "fulfilled" || facts.type === "complaint") body.push(PDPC_NOTE[language], "");
  body.push(signature(language));
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
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw new Error(`"${to}" is not an email address.`);
  return `mailto:${encodeURIComponent(address).replace(/%40/g, "@")}?subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(draft.body)}`;
}
