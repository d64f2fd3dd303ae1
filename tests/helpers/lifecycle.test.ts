import { afterAll, describe, expect, it } from "vitest";
import { openBeforeAll } from "./lifecycle.ts";

const closed: string[] = [];

describe("openBeforeAll", () => {
  const resource = openBeforeAll(async () => ({ name: "fixture", close: async () => void closed.push("fixture") }));
  let readTooEarly: unknown;
  try {
    void resource.name;
  } catch (err) {
    readTooEarly = err;
  }

  it("stands for the resource once it is open, and refuses to be read before", () => {
    expect(resource.name).toBe("fixture");
    expect("close" in resource).toBe(true);
    expect(String(readTooEarly)).toMatch(/used before beforeAll opened it/);
  });
});

// Runs after the describe block's own afterAll: the resource was closed exactly once.
afterAll(() => {
  expect(closed).toEqual(["fixture"]);
});
