import { describe, expect, it } from "vitest";
import { neutraliseFormula } from "../../lib/csv";
import { queueCsvFormat, queueCsvRecords } from "./csv";
import { dsarRow } from "./test-fixtures";

describe("queue CSV", () => {
  it("neutralises cells a spreadsheet would run as formulas", () => {
    expect(neutraliseFormula("=HYPERLINK(\"x\")")).toBe("'=HYPERLINK(\"x\")");
    expect(neutraliseFormula("+66 2 123")).toBe("'+66 2 123");
    expect(neutraliseFormula("@evil")).toBe("'@evil");
    expect(neutraliseFormula("somchai@example.co.th")).toBe("somchai@example.co.th");
  });

  it("one record per request with Bangkok times, days left, and no summary", () => {
    const [record] = queueCsvRecords([dsarRow({ requester_email: "=cmd@example.com", summary: "secret details" })]);
    expect(record).toMatchObject({
      reference: "DSAR-2026-0001",
      type: "Access",
      status: "In progress",
      requester_email: "'=cmd@example.com",
      received_bangkok: "2026-11-10 10:00",
      due_on: "2026-12-10",
      days_left: "14 days left",
    });
    expect(Object.values(record!)).not.toContain("secret details");
  });

  it("writes a UTF-8 CSV with a header row and a BOM for Excel", async () => {
    const format = await queueCsvFormat();
    const csv = format.header + format.lines([dsarRow({ customer_email: "สมชาย@example.co.th" }), dsarRow({ reference: "DSAR-2026-0002", is_open: false, status: "fulfilled" })]);
    expect(csv.startsWith("\uFEFFreference,type,status,")).toBe(true);
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("สมชาย@example.co.th");
    expect(lines[2]).toContain("DSAR-2026-0002");
    expect(lines[2]).toContain(",closed,");
  });
});
