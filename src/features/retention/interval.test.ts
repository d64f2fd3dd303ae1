import { describe, expect, it } from "vitest";
import { describeInterval } from "./interval";

describe("describeInterval", () => {
  it("words PostgreSQL intervals to the day", () => {
    expect(describeInterval("7 years")).toBe("7 years");
    expect(describeInterval("1 year")).toBe("1 year");
    expect(describeInterval("90 days")).toBe("90 days");
    expect(describeInterval("1 year 2 mons 1 day")).toBe("1 year 2 months 1 day");
    expect(describeInterval("95 days 03:12:11.5")).toBe("95 days");
    expect(describeInterval("05:00:00")).toBe("5 hours");
    expect(describeInterval("00:00:00")).toBe("none");
  });
});
