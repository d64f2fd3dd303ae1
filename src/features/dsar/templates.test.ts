import { describe, expect, it } from "vitest";
import { TEMPLATE_LABELS, mailtoLink, renderResponse, suggestedTemplate, type ResponseFacts } from "./templates";

const FACTS: ResponseFacts = {
  reference: "DSAR-2026-0042",
  type: "access",
  requesterName: "Somchai Jaidee",
  receivedAt: "2026-11-01T16:59:00Z", // 23:59 Bangkok, 1 November
  promiseDueOn: "2026-12-01",
  statutoryDueOn: "2026-12-01",
};

describe("response templates", () => {
  it.each([
    {
      language: "en",
      subject: "[DSAR-2026-0042] We have received your request",
      greeting: "Dear Somchai Jaidee,",
      facts: "access to your personal data on 2026-11-01 (reference DSAR-2026-0042)",
      due: "We will answer by 2026-12-01 (Tue).",
    },
    {
      language: "th",
      subject: "[DSAR-2026-0042] เราได้รับคำขอของท่านแล้ว",
      greeting: "เรียน คุณSomchai Jaidee",
      facts: "การขอเข้าถึงข้อมูลส่วนบุคคลของท่าน เมื่อวันที่ 2026-11-01",
      due: "ภายในวันที่ 2026-12-01 (Tue)",
    },
  ] as const)("the $language acknowledgement names the reference, the Bangkok received date and the due date", (expected) => {
    const draft = renderResponse("acknowledgement", expected.language, FACTS);
    expect(draft.subject).toBe(expected.subject);
    for (const text of [expected.greeting, expected.facts, expected.due, "privacy@m-factory.app"]) expect(draft.body).toContain(text);
    expect(draft.body).not.toContain("PDPC");
  });

  it("a refusal states the ground and the right to complain to the PDPC, in both languages", () => {
    const facts = { ...FACTS, refusalGround: "manifestly unfounded (PDPA s.30 para 2)" };
    const en = renderResponse("rejected", "en", facts);
    expect(en.body).toContain("for this reason: manifestly unfounded (PDPA s.30 para 2).");
    expect(en.body).toContain("Personal Data Protection Committee (PDPC)");
    const th = renderResponse("rejected", "th", facts);
    expect(th.body).toContain("ด้วยเหตุผลดังนี้: manifestly unfounded (PDPA s.30 para 2)");
    expect(th.body).toContain("คณะกรรมการคุ้มครองข้อมูลส่วนบุคคล");
  });

  it("a refusal without a ground is refused with a clear error", () => {
    expect(() => renderResponse("rejected", "en", { ...FACTS, refusalGround: "  " })).toThrow("The refusal ground is needed for this reply.");
  });

  it("the fulfilled reply lists what was done, or the type's default sentence", () => {
    const listed = renderResponse("fulfilled", "en", { ...FACTS, type: "erasure", actionsTaken: ["Projects deleted", "Payments kept 7 years (Thai tax law)"] });
    expect(listed.body).toContain("- Projects deleted\n- Payments kept 7 years (Thai tax law)");
    expect(listed.body).toContain("erasure of your personal data, reference DSAR-2026-0042");
    const fallback = renderResponse("fulfilled", "th", { ...FACTS, type: "portability" });
    expect(fallback.body).toContain("- เราได้จัดเตรียมข้อมูลส่วนบุคคลของท่านในรูปแบบไฟล์ที่อ่านได้ด้วยเครื่อง (JSON และ CSV) แล้ว");
  });

  it("an extension notice gives the days, the reason and the new company target", () => {
    const draft = renderResponse("extension", "en", { ...FACTS, promiseDueOn: "2026-12-15", extensionDays: 14, extensionReason: "several linked accounts to search" });
    expect(draft.body).toContain("needs 14 more days because: several linked accounts to search.");
    expect(draft.body).toContain("We will answer by 2026-12-15 (Tue).");
    expect(() => renderResponse("extension", "en", FACTS)).toThrow(/number of days/);
  });

  it("complaints always mention the PDPC, even in the acknowledgement", () => {
    const draft = renderResponse("acknowledgement", "en", { ...FACTS, type: "complaint" });
    expect(draft.body).toContain("right to complain to the Personal Data Protection Committee");
  });

  it("greets an unnamed requester neutrally", () => {
    expect(renderResponse("acknowledgement", "en", { ...FACTS, requesterName: null }).body.startsWith("Dear data subject,")).toBe(true);
    expect(renderResponse("acknowledgement", "th", { ...FACTS, requesterName: "" }).body.startsWith("เรียน ท่านเจ้าของข้อมูล")).toBe(true);
  });
});

describe("the letters' words", () => {
  // This file does not import the catalogue: templates.ts registers its words itself (as in the export worker).
  it("come from the catalogue, the template names too", () => {
    const body = renderResponse("identity_request", "en", { ...FACTS, requesterName: null }).body;
    expect(body).toContain("Please reply from the email address of your M-Factory account, or sign in and confirm the request in Settings → Legal & Privacy.");
    expect(TEMPLATE_LABELS.identity_request).toBe("Ask to verify identity");
    expect(Object.keys(TEMPLATE_LABELS)).toEqual(["acknowledgement", "identity_request", "extension", "fulfilled", "rejected"]);
  });
});

describe("suggested template", () => {
  it("follows the status, then the extension", () => {
    expect(suggestedTemplate("rejected", 0)).toBe("rejected");
    expect(suggestedTemplate("fulfilled", 14)).toBe("fulfilled");
    expect(suggestedTemplate("awaiting_verification", 0)).toBe("identity_request");
    expect(suggestedTemplate("in_progress", 14)).toBe("extension");
    expect(suggestedTemplate("new", 0)).toBe("acknowledgement");
  });
});

describe("mailto link", () => {
  it("encodes subject and body so Thai text and line breaks survive", () => {
    const link = mailtoLink("somchai.j@example.co.th", { subject: "[DSAR-1] ได้รับ", body: "line 1\nline 2 & more" });
    expect(link.startsWith("mailto:somchai.j@example.co.th?subject=")).toBe(true);
    const params = new URLSearchParams(link.slice(link.indexOf("?") + 1));
    expect(params.get("subject")).toBe("[DSAR-1] ได้รับ");
    expect(params.get("body")).toBe("line 1\nline 2 & more");
  });

  it("refuses something that is not an address", () => {
    expect(() => mailtoLink("not an address", { subject: "s", body: "b" })).toThrow(/not an email address/);
  });
});
