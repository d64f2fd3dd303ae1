/**
 * A line diff of two policy bodies, computed in the browser (the database keeps the texts and their hashes; the
 * diff is presentation). Longest common subsequence over lines, with the common head and tail trimmed first, so a
 * policy of a few hundred lines with a few changes costs little. Pure: no React, no catalogue.
 */

export type DiffOp = "same" | "added" | "removed";

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line number in the older text (absent for an added line). */
  oldLine?: number;
  /** 1-based line number in the newer text (absent for a removed line). */
  newLine?: number;
}

/** Lines of a text; "\r\n" and "\r" count as "\n"; an empty text has no lines. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\r\n?/g, "\n").split("\n");
}

/** The lines of `older` and `newer` in order, each kept, removed or added. */
export function diffLines(older: string, newer: string): DiffLine[] {
  const a = splitLines(older);
  const b = splitLines(newer);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  // lcs[i][j]: the longest common subsequence of midA[i..] and midB[j..].
  const rows = midA.length + 1;
  const cols = midB.length + 1;
  const lcs = new Uint32Array(rows * cols);
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      lcs[i * cols + j] = midA[i] === midB[j] ? lcs[(i + 1) * cols + j + 1]! + 1 : Math.max(lcs[(i + 1) * cols + j]!, lcs[i * cols + j + 1]!);
    }
  }

  const out: DiffLine[] = [];
  for (let k = 0; k < head; k++) out.push({ op: "same", text: a[k]!, oldLine: k + 1, newLine: k + 1 });
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      out.push({ op: "same", text: midA[i]!, oldLine: head + i + 1, newLine: head + j + 1 });
      i++;
      j++;
    } else if (i < midA.length && (j === midB.length || lcs[(i + 1) * cols + j]! >= lcs[i * cols + j + 1]!)) {
      // A removal first when both keep the longest common part: "-old" reads before "+new".
      out.push({ op: "removed", text: midA[i]!, oldLine: head + i + 1 });
      i++;
    } else {
      out.push({ op: "added", text: midB[j]!, newLine: head + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) {
    const oldIndex = a.length - tail + k;
    const newIndex = b.length - tail + k;
    out.push({ op: "same", text: a[oldIndex]!, oldLine: oldIndex + 1, newLine: newIndex + 1 });
  }
  return out;
}

/** How many lines were added and removed. */
export function diffCounts(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.op === "added") added++;
    else if (line.op === "removed") removed++;
  }
  return { added, removed };
}
