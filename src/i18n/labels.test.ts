import { describe, expect, it } from "vitest";
import { catalogueLabels } from "./labels";

describe("catalogueLabels", () => {
  it("gives each value its label, asked for when read, so a change of words shows without reloading the module", () => {
    let suffix = "A";
    const labels = catalogueLabels(["new", "done"] as const, (value) => `${value} ${suffix}`);
    expect(labels.new).toBe("new A");
    suffix = "B";
    expect(labels.done).toBe("done B");
  });

  it("holds exactly the values, enumerable like a plain table", () => {
    const labels = catalogueLabels(["new", "done"] as const, (value) => value.toUpperCase());
    expect(Object.keys(labels)).toEqual(["new", "done"]);
    expect(Object.entries(labels)).toEqual([["new", "NEW"], ["done", "DONE"]]);
    expect((labels as Record<string, string>).other).toBeUndefined();
  });
});
