import { describe, expect, it } from "vitest";
import { catalogueLabels } from "./catalogueLabels";

describe("catalogueLabels", () => {
  it("reads each label when it is used, so a change of words shows at once", () => {
    let words: Record<string, string> = { open: "Open", closed: "Closed" };
    const labels = catalogueLabels(["open", "closed"] as const, (code) => words[code]!);
    expect(labels.open).toBe("Open");
    words = { open: "เปิด", closed: "ปิด" };
    expect(labels.open).toBe("เปิด");
    expect(Object.keys(labels)).toEqual(["open", "closed"]);
    expect({ ...labels }).toEqual({ open: "เปิด", closed: "ปิด" });
  });
});
