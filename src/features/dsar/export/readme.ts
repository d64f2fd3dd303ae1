/**
 * The human-readable README.txt of an export, in English and Thai: for each category what it holds,
 * why, on what lawful basis, who processes it and how long it is kept (all from categories.ts), plus
 * how many records the export contains — or that no data is held.
 */
import { EXPORT_CATEGORIES, EXPORT_POLICY_VERSION, PROCESSORS, categoryFilePath, type ExportCategoryId } from "./categories";
import type { ExportRequestInfo, ExportSubject } from "./types";

export const README_PATH = "README.txt";
export const NO_DATA_HELD = { en: "No data held", th: "ไม่มีข้อมูลที่เก็บไว้" } as const;

export interface ReadmeInput {
  request: ExportRequestInfo;
  subject: ExportSubject;
  generatedAt: string;
  rowCounts: Readonly<Record<ExportCategoryId, number>>;
}

export function buildReadme({ request, subject, generatedAt, rowCounts }: ReadmeInput): string {
  const lines: string[] = [
    "M-Factory — copy of your personal data / สำเนาข้อมูลส่วนบุคคลของท่าน",
    "=".repeat(72),
    "",
    `Request / คำขอ: ${request.reference} (${request.type === "portability" ? "portability / การโอนย้ายข้อมูล" : "access / การเข้าถึงข้อมูล"})`,
    `Data subject / เจ้าของข้อมูล: ${subject.email}${subject.customerId ? ` (customer ${subject.customerId})` : " (no matching account / ไม่พบบัญชีที่ตรงกัน)"}`,
    `Generated / สร้างเมื่อ: ${generatedAt}`,
    `Privacy policy / นโยบายความเป็นส่วนตัว: version ${EXPORT_POLICY_VERSION}`,
    "",
    "EN: This archive contains every category of personal data M-Factory holds about you, under your right of",
    "access and data portability (PDPA s.30 and s.31). Each category is given twice: as JSON (json/) and as CSV",
    "(csv/, UTF-8, opens in a spreadsheet). manifest.json lists every file with its SHA-256 checksum and number",
    "of records, so you can check that nothing was changed.",
    "TH: ไฟล์นี้รวบรวมข้อมูลส่วนบุคคลทุกประเภทที่ M-Factory เก็บเกี่ยวกับท่าน ตามสิทธิในการเข้าถึงและการโอนย้ายข้อมูล",
    "(มาตรา 30 และ 31 พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล) ข้อมูลแต่ละประเภทมีสองรูปแบบ: JSON (โฟลเดอร์ json/) และ CSV",
    "(โฟลเดอร์ csv/ เข้ารหัส UTF-8 เปิดด้วยโปรแกรมตารางคำนวณได้) ไฟล์ manifest.json ระบุค่า SHA-256 และจำนวนรายการ",
    "ของทุกไฟล์ เพื่อให้ท่านตรวจสอบได้ว่าไม่มีการแก้ไข",
    "",
  ];
  EXPORT_CATEGORIES.forEach((category, index) => {
    const count = rowCounts[category.id];
    const held =
      count > 0
        ? { en: `${count} record${count === 1 ? "" : "s"}`, th: `${count} รายการ` }
        : { en: `${NO_DATA_HELD.en} (0 records)`, th: `${NO_DATA_HELD.th} (0 รายการ)` };
    const recipients = category.processors.map((id) => PROCESSORS[id]);
    lines.push(
      "-".repeat(72),
      `${index + 1}. ${category.title.en} / ${category.title.th}`,
      `   Files / ไฟล์: ${categoryFilePath(category.id, "json")}, ${categoryFilePath(category.id, "csv")}`,
      `   Records: ${held.en}`,
      `   จำนวนข้อมูล: ${held.th}`,
      `   Contents: ${category.contents.en}`,
      `   ข้อมูลที่มี: ${category.contents.th}`,
      `   Purpose: ${category.purpose.en}`,
      `   วัตถุประสงค์: ${category.purpose.th}`,
      `   Lawful basis: ${category.lawfulBasis.en}`,
      `   ฐานทางกฎหมาย: ${category.lawfulBasis.th}`,
      `   Recipients (processors): ${recipients.map((p) => `${p.name} (${p.role.en})`).join(", ")}`,
      `   ผู้รับข้อมูล (ผู้ประมวลผลข้อมูล): ${recipients.map((p) => `${p.name} (${p.role.th})`).join(", ")}`,
      `   Retention: ${category.retention.en}`,
      `   ระยะเวลาเก็บรักษา: ${category.retention.th}`,
      "",
    );
  });
  lines.push(
    "-".repeat(72),
    "EN: Our processors operate globally; your data may be processed outside Thailand (notably in the United",
    "States and the European Union) under standard contractual clauses or equivalent safeguards. You may also ask",
    "us to rectify, erase or restrict your data, withdraw consent, or complain to the Personal Data Protection",
    "Committee (PDPC) of Thailand. Contact our DPO: privacy@m-factory.app",
    "TH: ผู้ประมวลผลข้อมูลของเราดำเนินงานทั่วโลก ข้อมูลของท่านอาจถูกประมวลผลนอกประเทศไทย (โดยเฉพาะสหรัฐอเมริกาและ",
    "สหภาพยุโรป) ภายใต้ข้อสัญญามาตรฐานหรือมาตรการคุ้มครองที่เทียบเท่า ท่านยังมีสิทธิขอให้แก้ไข ลบ หรือจำกัดการใช้ข้อมูล",
    "ถอนความยินยอม หรือร้องเรียนต่อคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.) ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล:",
    "privacy@m-factory.app",
    "",
  );
  return lines.join("\r\n");
}
