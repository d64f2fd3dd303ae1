/**
 * The DSAR reply letters (src/features/dsar/templates.ts) and the words around them. Loads with the request page.
 *
 * A letter's language is the one the DPO picks for the data subject, not the console's: the letters are kept
 * here one subtree per letter language (`en`, `th`), and the console's Thai catalogue carries them unchanged.
 * Both subtrees have the same keys and placeholders (a key missing from one fails typecheck where it is used).
 */
import { registerMessages } from "../../translate";

export const dsarLetters = {
  /** The DPO's choice of template. */
  templates: {
    acknowledgement: "Acknowledge receipt",
    identity_request: "Ask to verify identity",
    extension: "Notify an extension",
    fulfilled: "Request fulfilled",
    rejected: "Request refused",
  },
  /** Why a draft cannot be written yet (a fact the template needs is missing). */
  missing: {
    reference: "The request reference is needed for this reply.",
    extensionReason: "The reason for the extension is needed for this reply.",
    refusalGround: "The refusal ground is needed for this reply.",
    extensionDays: "An extension notice needs the number of days the request was extended by.",
  },
  notAnAddress: "\"{address}\" is not an email address.",
  en: {
    /** What the person asked for, as the letter names it. */
    typeNames: {
      access: "access to your personal data",
      portability: "a machine-readable copy of your personal data",
      rectification: "correction of your personal data",
      erasure: "erasure of your personal data",
      restriction: "restriction of processing of your personal data",
      objection: "objection to processing / withdrawal of consent",
      complaint: "your complaint about how we handle your personal data",
    },
    /** What was done by default per type, when the DPO has not listed the actions. */
    defaultDone: {
      access: "We have prepared a copy of the personal data we hold about you, with an explanation of each category.",
      portability: "We have prepared your personal data in machine-readable files (JSON and CSV).",
      rectification: "We have corrected your personal data as you asked.",
      erasure: "We have erased your personal data, except the records the law requires us to keep (listed below).",
      restriction: "We have restricted the processing of your personal data: it is stored but not otherwise used.",
      objection: "We have recorded the withdrawal of your consent and stopped the processing concerned.",
      complaint: "We have reviewed your complaint and recorded our findings.",
    },
    subjects: {
      acknowledgement: "We have received your request",
      identity_request: "Please confirm your identity",
      extension: "More time is needed for your request",
      fulfilled: "Your request has been completed",
      rejected: "Our decision on your request",
    },
    greeting: "Dear {name},",
    greetingUnnamed: "Dear data subject,",
    signature: "Kind regards,\nData Protection Officer\nM-Factory Studio\n{contact}",
    pdpcNote:
      "If you are not satisfied with our answer, you have the right to complain to the Personal Data Protection Committee (PDPC) of Thailand (www.pdpc.or.th).",
    answerBy: "We will answer by {due}.",
    acknowledgement: "We received your request for {what} on {received} (reference {reference}).",
    identityWhy: "To protect your data we must confirm your identity before acting on request {reference} (received {received}).",
    identityHow: "Please reply from the email address of your M-Factory account, or sign in and confirm the request in Settings → Legal & Privacy.",
    extension: "Request {reference} (received {received}) needs {days} more days because: {reason}.",
    fulfilled: "We have completed your request for {what}, reference {reference} (received {received}):",
    rejected: "We cannot act on your request for {what}, reference {reference} (received {received}), for this reason: {ground}.",
  },
  th: {
    typeNames: {
      access: "การขอเข้าถึงข้อมูลส่วนบุคคลของท่าน",
      portability: "การขอรับสำเนาข้อมูลส่วนบุคคลของท่านในรูปแบบที่อ่านได้ด้วยเครื่อง",
      rectification: "การขอแก้ไขข้อมูลส่วนบุคคลของท่าน",
      erasure: "การขอลบข้อมูลส่วนบุคคลของท่าน",
      restriction: "การขอระงับการใช้ข้อมูลส่วนบุคคลของท่าน",
      objection: "การคัดค้านการประมวลผล / การถอนความยินยอม",
      complaint: "ข้อร้องเรียนของท่านเกี่ยวกับการจัดการข้อมูลส่วนบุคคล",
    },
    defaultDone: {
      access: "เราได้จัดทำสำเนาข้อมูลส่วนบุคคลที่เราเก็บรักษาเกี่ยวกับท่าน พร้อมคำอธิบายแต่ละหมวดหมู่แล้ว",
      portability: "เราได้จัดเตรียมข้อมูลส่วนบุคคลของท่านในรูปแบบไฟล์ที่อ่านได้ด้วยเครื่อง (JSON และ CSV) แล้ว",
      rectification: "เราได้แก้ไขข้อมูลส่วนบุคคลของท่านตามที่ท่านร้องขอแล้ว",
      erasure: "เราได้ลบข้อมูลส่วนบุคคลของท่านแล้ว ยกเว้นข้อมูลที่กฎหมายกำหนดให้เราต้องเก็บรักษาไว้ (ตามรายการด้านล่าง)",
      restriction: "เราได้ระงับการใช้ข้อมูลส่วนบุคคลของท่านแล้ว โดยจะเก็บรักษาไว้เท่านั้นและไม่นำไปใช้อย่างอื่น",
      objection: "เราได้บันทึกการถอนความยินยอมของท่าน และหยุดการประมวลผลที่เกี่ยวข้องแล้ว",
      complaint: "เราได้พิจารณาข้อร้องเรียนของท่านและบันทึกผลการพิจารณาแล้ว",
    },
    subjects: {
      acknowledgement: "เราได้รับคำขอของท่านแล้ว",
      identity_request: "โปรดยืนยันตัวตนของท่าน",
      extension: "แจ้งขยายระยะเวลาดำเนินการตามคำขอ",
      fulfilled: "เราได้ดำเนินการตามคำขอของท่านเรียบร้อยแล้ว",
      rejected: "ผลการพิจารณาคำขอของท่าน",
    },
    greeting: "เรียน คุณ{name}",
    greetingUnnamed: "เรียน ท่านเจ้าของข้อมูล",
    signature: "ขอแสดงความนับถือ\nเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)\nM-Factory Studio\n{contact}",
    pdpcNote: "หากท่านไม่พอใจกับคำตอบของเรา ท่านมีสิทธิร้องเรียนต่อคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.) (www.pdpc.or.th)",
    answerBy: "เราจะตอบกลับภายในวันที่ {due}",
    acknowledgement: "เราได้รับคำขอของท่านเรื่อง{what} เมื่อวันที่ {received} (เลขที่อ้างอิง {reference})",
    identityWhy: "เพื่อคุ้มครองข้อมูลของท่าน เราต้องยืนยันตัวตนของท่านก่อนดำเนินการตามคำขอเลขที่ {reference} (ได้รับเมื่อ {received})",
    identityHow: "โปรดตอบกลับอีเมลนี้จากอีเมลที่ท่านใช้กับบัญชี M-Factory หรือเข้าสู่ระบบบัญชีของท่านแล้วยืนยันคำขอในหน้า Settings → Legal & Privacy",
    extension: "คำขอเลขที่ {reference} (ได้รับเมื่อ {received}) ต้องใช้เวลาเพิ่มอีก {days} วัน เนื่องจาก: {reason}",
    fulfilled: "เราได้ดำเนินการตามคำขอเรื่อง{what} เลขที่ {reference} (ได้รับเมื่อ {received}) แล้ว:",
    rejected: "เราไม่สามารถดำเนินการตามคำขอเรื่อง{what} เลขที่ {reference} (ได้รับเมื่อ {received}) ได้ ด้วยเหตุผลดังนี้: {ground}",
  },
} as const;

registerMessages("en", "dsarLetters", dsarLetters);
