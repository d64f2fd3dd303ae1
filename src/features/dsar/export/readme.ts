/**
 * The human-readable README.txt of an export, in English and Thai: for each category what it holds,
 * why, on what lawful basis, who processes it and how long it is kept (all from categories.ts), plus
 * how many records the export contains — or that no data is held. The words are the catalogue's
 * (`dsarExport`); this module lays them out.
 */
import { t } from "../../../i18n/provider";
// The words register wherever this module loads: in the page and inside the export's Web Worker.
import "../../../i18n/messages/en/dsarExport";
import type { dsarExport } from "../../../i18n/messages/en/dsarExport";
import { EXPORT_CATEGORIES, EXPORT_POLICY_VERSION, PROCESSORS, categoryFilePath, type Bilingual, type ExportCategory, type ExportCategoryId } from "./categories";
import type { ExportRequestInfo, ExportSubject } from "./types";

export const README_PATH = "README.txt";
export const NO_DATA_HELD: Readonly<Bilingual> = { en: t("dsarExport.en.noDataHeld"), th: t("dsarExport.th.noDataHeld") };

const LANGUAGES = ["en", "th"] as const satisfies readonly (keyof Bilingual)[];
const RULE = { heading: "=".repeat(72), category: "-".repeat(72) };
const INDENT = "   ";

export interface ReadmeInput {
  request: ExportRequestInfo;
  subject: ExportSubject;
  generatedAt: string;
  rowCounts: Readonly<Record<ExportCategoryId, number>>;
}

/** "7 records" / "7 รายการ", or that none is held; the count as plain digits, as the README has always had it. */
function recordsHeld(count: number): Bilingual {
  const held = (language: keyof Bilingual): string =>
    count > 0 ? t(`dsarExport.${language}.held`, { count, n: String(count) }) : t(`dsarExport.${language}.noDataHeldCount`);
  return { en: held("en"), th: held("th") };
}

/** One category's block: a heading, its files, then each fact as a line per language. */
function categoryLines(category: ExportCategory, index: number, count: number): string[] {
  const recipients = category.processors.map((id) => PROCESSORS[id]);
  const facts: [keyof typeof dsarExport.en.labels, Bilingual][] = [
    ["records", recordsHeld(count)],
    ["contents", category.contents],
    ["purpose", category.purpose],
    ["lawfulBasis", category.lawfulBasis],
    ["recipients", { en: recipients.map((p) => `${p.name} (${p.role.en})`).join(", "), th: recipients.map((p) => `${p.name} (${p.role.th})`).join(", ") }],
    ["retention", category.retention],
  ];
  return [
    RULE.category,
    t("dsarExport.readme.category", { number: index + 1, en: category.title.en, th: category.title.th }),
    INDENT + t("dsarExport.readme.files", { json: categoryFilePath(category.id, "json"), csv: categoryFilePath(category.id, "csv") }),
    ...facts.flatMap(([label, value]) => LANGUAGES.map((language) => `${INDENT}${t(`dsarExport.${language}.labels.${label}`)}: ${value[language]}`)),
    "",
  ];
}

export function buildReadme({ request, subject, generatedAt, rowCounts }: ReadmeInput): string {
  const account = subject.customerId ? t("dsarExport.readme.customer", { id: subject.customerId }) : t("dsarExport.readme.noAccount");
  const lines: string[] = [
    t("dsarExport.readme.title"),
    RULE.heading,
    "",
    t("dsarExport.readme.request", { reference: request.reference, type: t(`dsarExport.readme.requestTypes.${request.type}`) }),
    t("dsarExport.readme.subject", { email: subject.email, account }),
    t("dsarExport.readme.generated", { at: generatedAt }),
    t("dsarExport.readme.policy", { version: EXPORT_POLICY_VERSION }),
    "",
    ...t("dsarExport.readme.intro").split("\n"),
    "",
    ...EXPORT_CATEGORIES.flatMap((category, index) => categoryLines(category, index, rowCounts[category.id])),
    RULE.category,
    ...t("dsarExport.readme.closing").split("\n"),
    "",
  ];
  return lines.join("\r\n");
}
