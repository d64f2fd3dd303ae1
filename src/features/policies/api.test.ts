import { describe, expect, it } from "vitest";
import { rpcErrorMessage } from "../../lib/rpc";
import { POLICY_WORDING } from "./api";
import { draftInput, fieldsOf } from "./draftForm";
import { publishInputError } from "./PublishDialog";

describe("policy refusals in words", () => {
  it("editing a published version (the guard's PT409) says it is immutable", () => {
    const message = rpcErrorMessage(
      { fn: "policy_versions", code: "PT409", status: 409, message: "policy_versions: privacy_policy version 2026-05-12 is published and cannot be changed" },
      POLICY_WORDING,
    );
    expect(message).toBe("This version is published and cannot be changed by anyone: draft a new version instead.");
  });

  it("publishing an empty draft keeps the database's specifics", () => {
    const message = rpcErrorMessage(
      { fn: "publish_policy_version", code: "22023", status: 400, message: "publish_policy_version: the terms draft 2027-01-01 has an empty body; write the policy before publishing" },
      POLICY_WORDING,
    );
    expect(message).toBe("Check the input: The terms draft 2027-01-01 has an empty body; write the policy before publishing");
  });

  it("a label taken for the document", () => {
    expect(rpcErrorMessage({ fn: "policy_versions", code: "23505", status: 409, message: "duplicate key" }, POLICY_WORDING)).toBe(
      "A version with this label already exists for this document.",
    );
  });
});

describe("publish and draft input", () => {
  it("publish: a class is required; re_accept needs a reason that is more than blanks", () => {
    expect(publishInputError(null, "")).toBe("classRequired");
    expect(publishInputError("re_accept", "  \n")).toBe("reasonRequired");
    expect(publishInputError("re_accept", "Analytics")).toBeNull();
    expect(publishInputError("editorial", "")).toBeNull();
  });

  it("draft: the effective date is the start of the Bangkok day; blank Thai and summary are none", () => {
    const fields = { ...fieldsOf(null, "cookie_policy"), version: "2027-02-01", title: "Cookies", effectiveDay: "2027-02-01", bodyTh: "  " };
    expect(draftInput(fields)).toEqual({
      input: { document: "cookie_policy", version: "2027-02-01", title: "Cookies", effective_at: "2027-02-01T00:00:00+07:00", body_markdown: "", body_th: null, summary_of_changes: null },
    });
    expect(draftInput({ ...fields, version: "2027-2-1" })).toEqual({ problem: "version" });
    expect(fieldsOf({ effective_at: "2027-01-31T17:00:00Z" } as never, "terms").effectiveDay).toBe("2027-02-01");
  });
});
