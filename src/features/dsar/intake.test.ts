import { describe, expect, it } from "vitest";
import { bangkokWallClockToIso, isBackDated, nowAsBangkokWallClock, validateIntake, type IntakeValues } from "./intake";

const NOW = new Date("2026-11-26T05:00:00Z"); // 12:00 Bangkok
const VALID: IntakeValues = {
  type: "access",
  channel: "email",
  requesterEmail: " Somchai.J@Example.co.th ",
  receivedBangkok: "2026-11-20 09:30",
  customerId: null,
  summary: "  Wants a copy of everything  ",
};

describe("intake validation", () => {
  it("builds the RPC arguments with the Bangkok time as an instant and a normalised email", () => {
    const { args, errors } = validateIntake(VALID, NOW);
    expect(errors).toEqual({});
    expect(args).toEqual({
      p_type: "access",
      p_channel: "email",
      p_requester_email: "somchai.j@example.co.th",
      p_received_at: "2026-11-20T02:30:00.000Z",
      p_customer_id: null,
      p_summary: "Wants a copy of everything",
    });
  });

  it("refuses a received time in the future, with the field named", () => {
    const { args, errors } = validateIntake({ ...VALID, receivedBangkok: "2026-11-26 12:05" }, NOW);
    expect(args).toBeNull();
    expect(errors).toEqual({ receivedBangkok: "The received time cannot be in the future." });
  });

  it("accepts the current minute", () => {
    expect(validateIntake({ ...VALID, receivedBangkok: "2026-11-26 12:00" }, NOW).errors).toEqual({});
  });

  it("names every missing or malformed field", () => {
    const { errors } = validateIntake({ type: "", channel: "self_service", requesterEmail: "nobody", receivedBangkok: "2026-02-30 10:00", customerId: null, summary: "" }, NOW);
    expect(Object.keys(errors).sort()).toEqual(["channel", "receivedBangkok", "requesterEmail", "type"]);
    expect(errors.requesterEmail).toBe('"nobody" is not an email address.');
  });

  it("an empty summary is sent as null, a chosen customer as its id", () => {
    const { args } = validateIntake({ ...VALID, summary: "   ", customerId: "11111111-1111-4111-8111-111111111111" }, NOW);
    expect(args?.p_summary).toBeNull();
    expect(args?.p_customer_id).toBe("11111111-1111-4111-8111-111111111111");
  });
});

describe("Bangkok wall clock", () => {
  it("reads 23:59 Bangkok as 16:59 UTC the same day", () => {
    expect(bangkokWallClockToIso("2026-11-01 23:59")).toBe("2026-11-01T16:59:00.000Z");
    expect(bangkokWallClockToIso("2026-11-01T23:59")).toBeNull();
  });

  it("shows now as Bangkok time and flags back-dating beyond an hour", () => {
    expect(nowAsBangkokWallClock(NOW)).toBe("2026-11-26 12:00");
    expect(isBackDated("2026-11-26T04:30:00Z", NOW)).toBe(false);
    expect(isBackDated("2026-11-26T03:59:00Z", NOW)).toBe(true);
  });
});
