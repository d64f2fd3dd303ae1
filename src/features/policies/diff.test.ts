import { describe, expect, it } from "vitest";
import { diffCounts, diffLines, splitLines, type DiffLine } from "./diff";

/** The diff as a compact picture: " a", "-b", "+c". */
const picture = (lines: DiffLine[]) => lines.map((l) => `${l.op === "same" ? " " : l.op === "added" ? "+" : "-"}${l.text}`);

/** Applying the diff must give back both texts exactly. */
function sides(lines: DiffLine[]) {
  return {
    older: lines.filter((l) => l.op !== "added").map((l) => l.text),
    newer: lines.filter((l) => l.op !== "removed").map((l) => l.text),
  };
}

describe("policy diff (lines)", () => {
  it("identical texts: every line kept, numbered on both sides", () => {
    const lines = diffLines("a\nb\nc", "a\nb\nc");
    expect(picture(lines)).toEqual([" a", " b", " c"]);
    expect(lines.map((l) => [l.oldLine, l.newLine])).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(diffCounts(lines)).toEqual({ added: 0, removed: 0 });
  });

  it("a changed line in the middle reads as removed then added, the rest kept", () => {
    const lines = diffLines("# Policy\nWe keep data 12 months.\nContact us.", "# Policy\nWe keep data 6 months.\nContact us.");
    expect(picture(lines)).toEqual([" # Policy", "-We keep data 12 months.", "+We keep data 6 months.", " Contact us."]);
    expect(lines[1]).toMatchObject({ oldLine: 2 });
    expect(lines[1]!.newLine).toBeUndefined();
    expect(lines[2]).toMatchObject({ newLine: 2 });
    expect(lines[2]!.oldLine).toBeUndefined();
    expect(lines[3]).toMatchObject({ oldLine: 3, newLine: 3 });
  });

  it("insertions and deletions anywhere, with line numbers of each side", () => {
    const lines = diffLines("a\nb\nc\nd", "x\na\nc\nd\ny");
    expect(picture(lines)).toEqual(["+x", " a", "-b", " c", " d", "+y"]);
    expect(lines.find((l) => l.text === "d")).toMatchObject({ oldLine: 4, newLine: 4 });
    expect(lines.find((l) => l.text === "y")).toMatchObject({ newLine: 5 });
    expect(diffCounts(lines)).toEqual({ added: 2, removed: 1 });
  });

  it("from and to an empty text", () => {
    expect(picture(diffLines("", "a\nb"))).toEqual(["+a", "+b"]);
    expect(picture(diffLines("a\nb", ""))).toEqual(["-a", "-b"]);
    expect(diffLines("", "")).toEqual([]);
  });

  it("CRLF and LF bodies compare as the same lines", () => {
    expect(splitLines("a\r\nb\rc")).toEqual(["a", "b", "c"]);
    expect(diffCounts(diffLines("a\r\nb", "a\nb"))).toEqual({ added: 0, removed: 0 });
  });

  it("repeated lines: the diff is minimal and gives back both texts", () => {
    const older = "-\nA\n-\nB\n-\nC\n-";
    const newer = "-\nB\n-\nA\n-\nD\n-";
    const lines = diffLines(older, newer);
    expect(sides(lines)).toEqual({ older: splitLines(older), newer: splitLines(newer) });
    // The longest common part is four lines ("-", one letter, "-", "-"): 7 + 7 - 2 × 4 = 6 changed lines.
    const { added, removed } = diffCounts(lines);
    expect(added + removed).toBe(6);
  });

  it("a long policy with one edit stays cheap and exact", () => {
    const older = Array.from({ length: 3000 }, (_, n) => `Line ${n}`).join("\n");
    const newer = older.replace("Line 1500", "Line 1500 (changed)");
    const lines = diffLines(older, newer);
    expect(lines).toHaveLength(3001);
    expect(lines.filter((l) => l.op !== "same").map((l) => l.text)).toEqual(["Line 1500", "Line 1500 (changed)"]);
  });
});
