import { describe, expect, it } from "vitest";
import { detectFileKind } from "../../src/features/reconciliation/headers";
import { formatMinorAmount, parseMajorAmount } from "../../src/features/reconciliation/money";
import { MAX_LISTED_ISSUES, readStripeFile, type ReadOutcome } from "../../src/features/reconciliation/parse";
import { balanceReportCsv, balanceRowsFromRecords } from "../../src/features/reconciliation/stripeFiles";
import type { BalanceReportRow, PaymentsExportRow } from "../../src/features/reconciliation/types";
import { syntheticRecords } from "./dataset";
import { csvFile } from "./helpers";

const PAYMENTS_HEADER = "id,Created (UTC),Amount,Amount Refunded,Currency,Status,Customer ID,PaymentIntent ID,Description";

function ok(outcome: ReadOutcome) {
  if (!outcome.ok) throw new Error(`expected a valid file, got: ${JSON.stringify(outcome.invalid.issues.slice(0, 5))}`);
  return outcome;
}
function invalid(outcome: ReadOutcome) {
  if (outcome.ok) throw new Error("expected an invalid file");
  return outcome.invalid;
}

describe("amounts", () => {
  it("reads major units into minor units per currency exponent", () => {
    expect(parseMajorAmount("299.00", "thb")).toBe(29900);
    expect(parseMajorAmount("12.5", "usd")).toBe(1250);
    expect(parseMajorAmount("-12.50", "usd")).toBe(-1250);
    expect(parseMajorAmount("(3.65)", "usd")).toBe(-365);
    expect(parseMajorAmount("1,234.56", "usd")).toBe(123456);
    expect(parseMajorAmount("1400", "jpy")).toBe(1400);
    expect(parseMajorAmount("1400.00", "JPY")).toBe(1400);
    expect(parseMajorAmount("15000", "krw")).toBe(15000);
    expect(parseMajorAmount("1.234", "kwd")).toBe(1234);
    expect(parseMajorAmount("1.234,56", "eur", true)).toBe(123456);
    expect(parseMajorAmount("12,5", "eur", true)).toBe(1250);
  });
  it("refuses what is not an amount, or has more decimals than the currency", () => {
    expect(parseMajorAmount("1400.5", "jpy")).toMatch(/more decimals than JPY allows \(0\)/);
    expect(parseMajorAmount("1.234", "usd")).toMatch(/more decimals than USD allows \(2\)/);
    expect(parseMajorAmount("abc", "usd")).toMatch(/is not an amount/);
    expect(parseMajorAmount("", "usd")).toBe("is empty");
    expect(parseMajorAmount("1.2.3", "usd")).toMatch(/is not an amount/);
  });
  it("writes minor units back as major units", () => {
    expect(formatMinorAmount(29900, "thb")).toBe("299.00");
    expect(formatMinorAmount(-5, "usd")).toBe("-0.05");
    expect(formatMinorAmount(1400, "jpy")).toBe("1400");
    expect(formatMinorAmount(1234, "kwd")).toBe("1.234");
  });
});

describe("header detection", () => {
  it("tells the balance report from the payments export, with extra and reordered columns", () => {
    const balance = detectFileKind(["extra", "Reporting Category", "net", "fee", "gross", "currency", "created_utc", "Balance Transaction ID", "source_id"]);
    expect(balance.ok && balance.kind).toBe("balance_report");
    if (balance.ok && balance.kind === "balance_report") expect(balance.columns.balance_transaction_id).toBe(7);
    const payments = detectFileKind(["\uFEFFid", "Created date (UTC)", "Amount", "Currency", "Status", "Converted Amount", "Captured"]);
    expect(payments.ok && payments.kind).toBe("payments_export");
  });
  it.each([
    [["id", "Created (UTC)", "Amount", "Currency", "Status"]],
    [["id", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Status", "PaymentIntent ID"]],
    [["ID", "CREATED_UTC", "amount", "currency", "status", "payment_intent_id"]],
    [["Status", "Currency", "  Amount ", "created (utc)", "id", "Refunded date (UTC)", "Converted Amount"]],
  ])("payments export variant %j", (header) => {
    const detection = detectFileKind(header);
    expect(detection).toMatchObject({ ok: true, kind: "payments_export" });
  });
  it("names the missing required columns", () => {
    const detection = detectFileKind(["balance_transaction_id", "created_utc", "currency", "reporting_category", "source_id"]);
    expect(detection).toMatchObject({ ok: false, kind: "balance_report", missing: ["gross", "fee", "net"] });
    if (!detection.ok) expect(detection.message).toContain("required columns missing: gross, fee, net");
    const payments = detectFileKind(["id", "Created (UTC)", "Status", "Captured"]);
    expect(payments).toMatchObject({ ok: false, kind: "payments_export", missing: ["Amount", "Currency"] });
  });
  it("refuses an unknown kind of file clearly", () => {
    const detection = detectFileKind(["name", "email", "total"]);
    expect(detection).toMatchObject({ ok: false, kind: null });
    if (!detection.ok) expect(detection.message).toMatch(/neither a Stripe itemized balance change report .* nor a Dashboard payments export.*name, email, total/);
  });
});

describe("reading a payments export", () => {
  const rows = [
    PAYMENTS_HEADER,
    'ch_1A,2026-11-01 10:00:00,299.00,0.00,thb,Paid,cus_1,pi_1A,"Top-up, 100 credits"',
    'ch_1B,2026-11-02 11:30,1400,0,JPY,Refunded,,pi_1B,"two\nline description"',
    'py_1C,2026-11-03T12:00:00Z,"1,234.50",100.00,usd,Partially refunded,cus_3,,plain',
    "pi_1D,2026-11-04 00:00:00,9.00,0,usd,Failed,,,",
  ];

  it("handles a BOM, CRLF, quoted commas and quoted newlines, and counts lines across them", async () => {
    const text = `\uFEFF${rows.join("\r\n").replace("two\nline", "two\r\nline")}\r\n`;
    const outcome = ok(await readStripeFile(csvFile(text)));
    expect(outcome.parsed.kind).toBe("payments_export");
    const parsed = outcome.parsed.rows as PaymentsExportRow[];
    expect(parsed.map((r) => r.id)).toEqual(["ch_1A", "ch_1B", "py_1C", "pi_1D"]);
    // The quoted newline makes row 2 span lines 3–4, so row 3 starts on line 5.
    expect(outcome.parsed.lines).toEqual([2, 3, 5, 6]);
    expect(parsed[0]).toMatchObject({ amount: 29900, amount_refunded: 0, currency: "thb", status: "Paid", status_class: "succeeded", customer_id: "cus_1", payment_intent_id: "pi_1A" });
    expect(parsed[1]).toMatchObject({ amount: 1400, currency: "jpy", status_class: "succeeded", created_utc: "2026-11-02T11:30:00.000Z", customer_id: null });
    expect(parsed[2]).toMatchObject({ amount: 123450, amount_refunded: 10000, payment_intent_id: null });
    expect(parsed[3]).toMatchObject({ id: "pi_1D", payment_intent_id: "pi_1D", status_class: "failed" });
    expect(outcome.period).toEqual({ from: "2026-11-01T10:00:00.000Z", to: "2026-11-04T00:00:00.000Z" });
  });

  it("detects a semicolon delimiter and reads decimal commas", async () => {
    const text = ["id;Created date (UTC);Amount;Amount Refunded;Currency;Status", "ch_1A;2026-11-01 10:00:00;1.299,50;0,00;eur;Paid", "ch_1B;2026-11-01 10:00:00;12,5;0;eur;Paid"].join("\n");
    const outcome = ok(await readStripeFile(csvFile(text)));
    expect((outcome.parsed.rows as PaymentsExportRow[]).map((r) => r.amount)).toEqual([129950, 1250]);
  });

  it("gives the same rows, lines and issues whatever the slice size (CRLF and quotes split across slices)", async () => {
    const text = `\uFEFF${rows.join("\r\n").replace("two\nline", "two\r\nline")}\r\nch_bad,2026-13-01,x,0,thb,Paid,,,\r\n`;
    const whole = invalid(await readStripeFile(csvFile(text)));
    for (const chunkBytes of [1, 2, 3, 7, 64]) {
      expect(invalid(await readStripeFile(csvFile(text), { chunkBytes }))).toEqual(whole);
    }
    const valid = `\uFEFF${rows.join("\r\n").replace("two\nline", "two\r\nline")}\r\n`;
    const reference = ok(await readStripeFile(csvFile(valid)));
    for (const chunkBytes of [1, 5, 13]) expect(ok(await readStripeFile(csvFile(valid), { chunkBytes }))).toEqual(reference);
  });

  it("lists validation errors with their file lines and imports nothing", async () => {
    const text = [
      PAYMENTS_HEADER,
      'ch_ok1,2026-11-01 10:00:00,299.00,0,thb,Paid,,,"multi\nline\nfield"',
      "xx_bad,2026-11-01 10:00:00,299.00,0,thb,Paid,,,",
      "ch_ok2,2026-02-30 10:00:00,299.00,0,thb,Paid,,,",
      "ch_ok3,2026-11-01 10:00:00,1400.5,0,jpy,Paid,,,",
      "ch_ok4,2026-11-01 10:00:00,10.00,0,baht,Paid,,,",
      "ch_ok5,2026-11-01 10:00:00,10.00,20.00,usd,Paid,,,",
      "ch_ok6,2026-11-01 10:00:00,10.00,0,usd,Lost,,,",
      "ch_ok7,2026-11-01 10:00:00,10.00,0,usd,Paid,cust_9,pi_x-y,",
      "ch_ok8,2026-11-01 10:00:00,10.00",
      "ch_ok9,2026-11-01 10:00:00,-10.00,0,usd,Paid,,,",
    ].join("\n");
    const result = invalid(await readStripeFile(csvFile(text)));
    expect(result.kind).toBe("payments_export");
    expect(result.rows).toBe(10);
    expect(result.issues.map((i) => [i.line, i.column])).toEqual([
      [5, "id"],
      [6, "Created (UTC)"],
      [7, "Amount"],
      [8, "Currency"],
      [9, "Amount Refunded"],
      [10, "Status"],
      [11, "PaymentIntent ID"],
      [11, "Customer ID"],
      [12, null],
      [13, "Amount"],
    ]);
    expect(result.issues[2]!.message).toMatch(/more decimals than JPY/);
    expect(result.issues[8]!.message).toBe("has 3 fields, the header has 9");
    expect(result.totalIssues).toBe(10);
  });

  it("refuses a row listed twice (it would count twice)", async () => {
    const text = [PAYMENTS_HEADER, "ch_1,2026-11-01 10:00:00,1.00,0,usd,Paid,,,", "ch_2,2026-11-01 10:00:00,1.00,0,usd,Paid,,,", "ch_1,2026-11-01 10:00:00,1.00,0,usd,Paid,,,"].join("\n");
    const result = invalid(await readStripeFile(csvFile(text)));
    expect(result.issues).toEqual([{ line: 4, column: "id", message: '"ch_1" is already on line 2' }]);
  });

  it("caps the listed issues but counts them all", async () => {
    const bad = Array.from({ length: 1000 }, (_, i) => `ch_${i},2026-11-01 10:00:00,abc,0,usd,Paid,,,`);
    const result = invalid(await readStripeFile(csvFile([PAYMENTS_HEADER, ...bad].join("\n"))));
    expect(result.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(result.totalIssues).toBe(1000);
    expect(result.issues[MAX_LISTED_ISSUES - 1]!.line).toBe(MAX_LISTED_ISSUES + 1);
  });

  it("reports an unterminated quote", async () => {
    const result = invalid(await readStripeFile(csvFile(`${PAYMENTS_HEADER}\nch_1,2026-11-01 10:00:00,1.00,0,usd,Paid,,,"never closed\nch_2,2026-11-01,1.00,0,usd,Paid,,,\n`)));
    expect(result.issues[0]).toMatchObject({ line: 2, message: "a quoted field is never closed" });
  });
});

describe("files that cannot be read", () => {
  it("0-byte file", async () => {
    expect(invalid(await readStripeFile(csvFile("")))).toMatchObject({ issues: [{ message: "The file is empty (0 bytes)." }], totalIssues: 1 });
  });
  it("header only → no rows", async () => {
    const result = invalid(await readStripeFile(csvFile(`${PAYMENTS_HEADER}\r\n`)));
    expect(result.issues[0]!.message).toBe("The file has a header (Stripe Dashboard payments export) but no rows.");
  });
  it("blank lines only → no header", async () => {
    expect(invalid(await readStripeFile(csvFile("\n\n\n"))).issues[0]!.message).toBe("The file has no header row.");
  });
  it("missing columns are named", async () => {
    const result = invalid(await readStripeFile(csvFile("id,Created (UTC),Currency,Status\nch_1,2026-11-01,usd,Paid\n")));
    expect(result.issues[0]).toMatchObject({ line: 1, message: "Stripe Dashboard payments export: required column missing: Amount." });
  });
  it.each([
    ["an XLSX (ZIP) file", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), /Excel workbook or a ZIP archive/],
    ["a binary file", new Uint8Array([0x01, 0x02, 0x00, 0xff, 0x10]), /binary file, not a CSV/],
    ["a PDF", new TextEncoder().encode("%PDF-1.7\n..."), /PDF document/],
    ["an HTML page", new TextEncoder().encode("\n  <!DOCTYPE html><html><body>Sign in</body></html>"), /HTML or XML page/],
    ["JSON", new TextEncoder().encode('{"object":"list","data":[]}'), /This is JSON/],
    ["an unrelated CSV", new TextEncoder().encode("name,email\nA,a@example.test\n"), /neither a Stripe itemized balance change report/],
  ])("%s is refused clearly", async (_label, bytes, message) => {
    const result = invalid(await readStripeFile(csvFile(bytes)));
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]!.message).toMatch(message);
  });
  it("non-UTF-8 bytes → an error naming the line, whatever the slice size", async () => {
    const head = new TextEncoder().encode(`${PAYMENTS_HEADER}\nch_1,2026-11-01 10:00:00,1.00,0,usd,Paid,,,ok\nch_2,2026-11-01 10:00:00,1.00,0,usd,Paid,,,"a\nb"\nch_3,2026-11-01 10:00:00,1.00,0,usd,Paid,,,Caf`);
    // "Café" in Latin-1: 0xE9 is not UTF-8 here. It sits on line 5 (line 3's field spans two lines).
    const bytes = new Uint8Array([...head, 0xe9, 0x0a]);
    for (const chunkBytes of [undefined, 16, 50]) {
      const result = invalid(await readStripeFile(csvFile(bytes), chunkBytes ? { chunkBytes } : {}));
      expect(result.issues[0]!.line).toBe(5);
      expect(result.issues[0]!.message).toMatch(/^line 5: the file is not UTF-8 \(byte 0xE9 at byte \d+\)/);
    }
  });
});

describe("reading a balance report", () => {
  const HEADER = "balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,charge_id,payment_intent_id,customer_id,description";
  it("normalises charges, refunds and other categories", async () => {
    const text = [
      HEADER,
      "txn_1,2026-11-01 10:00:00,thb,299.00,10.91,288.09,charge,ch_1,,pi_1,cus_1,Top-up",
      "txn_2,2026-11-02 10:00:00,thb,-100.00,0.00,-100.00,refund,re_1,ch_1,pi_1,cus_1,",
      "txn_3,2026-11-03 10:00:00,thb,100.00,0.00,100.00,refund_failure,re_1,ch_1,pi_1,cus_1,",
      "txn_4,2026-11-03 11:00:00,usd,-1.00,0.00,-1.00,fee,,,,,Radar",
    ].join("\n");
    const outcome = ok(await readStripeFile(csvFile(text)));
    expect(outcome.parsed.kind).toBe("balance_report");
    const rows = outcome.parsed.rows as BalanceReportRow[];
    expect(rows[0]).toEqual({
      balance_transaction_id: "txn_1", created_utc: "2026-11-01T10:00:00.000Z", currency: "thb", gross: 29900, fee: 1091, net: 28809,
      reporting_category: "charge", source_id: "ch_1", charge_id: "ch_1", payment_intent_id: "pi_1", customer_id: "cus_1",
    });
    expect(rows.map((r) => [r.reporting_category, r.gross, r.source_id])).toEqual([
      ["charge", 29900, "ch_1"], ["refund", -10000, "re_1"], ["refund_failure", 10000, "re_1"], ["fee", -100, null],
    ]);
  });
  it("checks signs, net = gross − fee and ids", async () => {
    const text = [
      HEADER,
      "txn_1,2026-11-01 10:00:00,thb,-299.00,0,-299.00,charge,ch_1,,,,",
      "txn_2,2026-11-01 10:00:00,thb,100.00,0,100.00,refund,re_1,,,,",
      "txn_3,2026-11-01 10:00:00,thb,100.00,1.00,100.00,charge,ch_2,,,,",
      "txn_4,2026-11-01 10:00:00,thb,100.00,0,100.00,refund,ch_9,,,,",
      "bt_5,2026-11-01 10:00:00,thb,100.00,0,100.00,charge,ch_5,,,,",
    ].join("\n");
    const result = invalid(await readStripeFile(csvFile(text)));
    expect(result.issues.map((i) => [i.line, i.column])).toEqual([[2, "gross"], [3, "gross"], [4, "net"], [5, "source_id"], [5, "gross"], [6, "balance_transaction_id"]]);
  });
  it("reports progress by bytes and can be cancelled", async () => {
    const text = balanceReportCsv(balanceRowsFromRecords(syntheticRecords(2000)));
    const file = csvFile(text);
    const seen: number[] = [];
    ok(await readStripeFile(file, { chunkBytes: 16_384, onProgress: (p) => seen.push(p.bytesRead) }));
    expect(seen.length).toBeGreaterThan(5);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(file.size);

    const controller = new AbortController();
    const reading = readStripeFile(file, { chunkBytes: 16_384, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(reading).rejects.toMatchObject({ name: "AbortError" });
  });
  it("parses a 200,000-row report", async () => {
    const rows = balanceRowsFromRecords(syntheticRecords(190_000)).slice(0, 200_000);
    expect(rows.length).toBe(200_000);
    const file = csvFile(balanceReportCsv(rows, { newline: "\r\n" }));
    const started = performance.now();
    const outcome = ok(await readStripeFile(file));
    console.log(`200,000-row balance report (${(file.size / 1048576).toFixed(1)} MB) read in ${Math.round(performance.now() - started)} ms`);
    expect(outcome.rows).toBe(200_000);
    expect(outcome.parsed.rows[199_999]).toEqual(rows[199_999]);
    expect(outcome.parsed.lines[199_999]).toBe(200_001);
  }, 120_000);
});
