import { describe, expect, it } from "vitest";
import { dsarExport } from "../../../i18n/messages/en/dsarExport";
import { EXPORT_CATEGORIES, type ExportCategoryId } from "./categories";
import { buildReadme } from "./readme";

const INPUT = {
  request: { id: "0b6a2f1e-1111-4a4a-8b8b-222233334444", reference: "DSAR-2026-0042", type: "portability" as const },
  subject: { customerId: null, email: "pim@example.co.th" },
  generatedAt: "2026-11-26T10:00:00.000Z",
  rowCounts: Object.fromEntries(EXPORT_CATEGORIES.map((c, i) => [c.id, i * 1250])) as Record<ExportCategoryId, number>,
};

describe("README.txt", () => {
  it("is written from the catalogue when it is built: a changed message is what the subject reads", () => {
    const words = dsarExport.readme as { title: string };
    const title = words.title;
    try {
      words.title = "Reworded title";
      expect(buildReadme(INPUT).split("\r\n")[0]).toBe("Reworded title");
    } finally {
      words.title = title;
    }
    expect(buildReadme(INPUT).split("\r\n")[0]).toBe("M-Factory — copy of your personal data / สำเนาข้อมูลส่วนบุคคลของท่าน");
  });

  it("keeps its layout: CRLF lines, both languages per fact, counts as plain digits", () => {
    const lines = buildReadme(INPUT).split("\r\n");
    expect(lines.slice(3, 5)).toEqual([
      "Request / คำขอ: DSAR-2026-0042 (portability / การโอนย้ายข้อมูล)",
      "Data subject / เจ้าของข้อมูล: pim@example.co.th (no matching account / ไม่พบบัญชีที่ตรงกัน)",
    ]);
    const credits = lines.indexOf("5. Credit ledger / ประวัติเครดิต");
    expect(lines.slice(credits + 2, credits + 4)).toEqual(["   Records: 5000 records", "   จำนวนข้อมูล: 5000 รายการ"]);
    expect(lines).toContain("   Records: 1250 records");
    expect(lines).toContain("   Records: No data held (0 records)");
    expect(lines.at(-2)).toBe("privacy@m-factory.app");
  });
});
