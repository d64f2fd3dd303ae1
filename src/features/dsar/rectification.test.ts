import { describe, expect, it } from "vitest";
import { rectificationChanges } from "./rectification";

const BEFORE = { email: "somchai.j@example.co.th", display_name: "Somchai Jaidee", locale: "th", country: "US", profile_image_url: null };

describe("rectification changes", () => {
  it("sends only the fields that differ from the profile", () => {
    expect(rectificationChanges(BEFORE, { country: "TH", display_name: "Somchai Jaidee", locale: " th " })).toEqual({ country: "TH" });
  });

  it("an emptied optional field becomes null; an untouched one is not sent", () => {
    expect(rectificationChanges(BEFORE, { display_name: "  " })).toEqual({ display_name: null });
    expect(rectificationChanges(BEFORE, { profile_image_url: "" })).toEqual({});
  });

  it("an emptied email is sent as empty text, for the database to refuse with its own message", () => {
    expect(rectificationChanges(BEFORE, { email: "" })).toEqual({ email: "" });
  });

  it("nothing edited means no change", () => {
    expect(rectificationChanges(BEFORE, {})).toEqual({});
  });
});
