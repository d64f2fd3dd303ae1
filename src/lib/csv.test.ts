import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvCell, neutraliseFormula, rowsToCsv } from "./csv";

describe("neutraliseFormula", () => {
  it.each(["=SUM(A1:A9)", "+66 81 234 5678", "-1+1", "@cmd", "\t=1", "\r=1"])("prefixes %j with an apostrophe", (text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
  });
  it.each(["hello", "ภาพแมว", "1+1", "a=b", "", "'quoted"])("leaves %j alone", (text) => {
    expect(neutraliseFormula(text)).toBe(text);
  });
});

describe("csvCell", () => {
  it("keeps numbers (also negative) and booleans as data", () => {
    expect(csvCell(-25)).toBe("-25");
    expect(csvCell(0)).toBe("0");
    expect(csvCell(true)).toBe("true");
  });
  it("writes null and undefined as empty cells", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
  it("writes objects as JSON and neutralises JSON that starts like a formula", () => {
    expect(csvCell({ seed: 7, style: "lofi" })).toBe('{"seed":7,"style":"lofi"}');
    expect(csvCell(["-x"])).toBe('["-x"]');
  });
});

describe("rowsToCsv", () => {
  const columns = ["id", "prompt", "metadata", "amount"];
  it("round-trips awkward text through a CSV parser, with formulas neutralised", () => {
    const rows = [
      { id: "a", prompt: 'a "quoted", comma\nnew line', metadata: { k: "v" }, amount: -10 },
      { id: "b", prompt: "=HYPERLINK(\"http://evil\")", metadata: null, amount: 5 },
      { id: "c", prompt: "เพลงรักภาษาไทย", metadata: {}, amount: 1 },
    ];
    const text = rowsToCsv(Papa.unparse, columns, rows, true);
    const parsed = Papa.parse<string[]>(text.trimEnd(), { header: false });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      columns,
      ["a", 'a "quoted", comma\nnew line', '{"k":"v"}', "-10"],
      ["b", "'=HYPERLINK(\"http://evil\")", "", "5"],
      ["c", "เพลงรักภาษาไทย", "{}", "1"],
    ]);
  });
  it("gives only the header for no rows, and nothing for an empty follow-up page", () => {
    expect(rowsToCsv(Papa.unparse, columns, [], true)).toBe("id,prompt,metadata,amount\r\n");
    expect(rowsToCsv(Papa.unparse, columns, [], false)).toBe("");
  });
  it("writes cells in column order whatever the key order of the row", () => {
    expect(rowsToCsv(Papa.unparse, ["b", "a"], [{ a: 1, b: 2 }], false)).toBe("2,1\r\n");
  });
});
