import { afterEach, describe, expect, it } from "vitest";
import { createI18nProvider, t } from "./provider";
import { makeT } from "./provider";
import { MissingParameterError, registerMessages, translate } from "./translate";
import { createFormatter } from "./format";

describe("translate", () => {
  it("finds a message by its dot path and fills placeholders, numbers in the locale's grouping", () => {
    expect(translate("en", "common.actions.retry")).toBe("Retry");
    expect(translate("en", "auth.embedded.signInAs", { email: "dpo@m-factory.test" })).toBe("Sign in as dpo@m-factory.test");
    expect(translate("en", "common.errors.server", { status: 12345 })).toContain("(12,345)");
  });
  it("picks the plural form by count (Intl.PluralRules)", () => {
    expect(translate("en", "common.counts.rows", { count: 1 })).toBe("1 row");
    expect(translate("en", "common.counts.rows", { count: 0 })).toBe("0 rows");
    expect(translate("en", "common.counts.rows", { count: 1500 })).toBe("1,500 rows");
  });
  it("refuses a missing placeholder value or a plural without a count instead of showing {name}", () => {
    expect(() => translate("en", "auth.embedded.signInAs", {})).toThrow(MissingParameterError);
    expect(() => translate("en", "common.counts.rows", {})).toThrow(/count/);
  });
  it("answers undefined for a key it does not hold (a branch, not a message, included)", () => {
    expect(translate("en", "common.nope")).toBeUndefined();
    expect(translate("en", "common.actions")).toBeUndefined();
    expect(translate("en", "nowhere.at.all")).toBeUndefined();
  });
});

describe("namespaces load with their feature", () => {
  it("a namespace registered later is found; two files claiming one namespace are refused", () => {
    const later = { greeting: "Hello {name}" } as const;
    expect(translate("en", "zz_test.greeting", { name: "x" })).toBeUndefined();
    registerMessages("en", "zz_test", later);
    expect(translate("en", "zz_test.greeting", { name: "Somchai" })).toBe("Hello Somchai");
    expect(() => registerMessages("en", "zz_test", { greeting: "other" })).toThrow(/Two message files/);
  });
  it("a typed key whose namespace never loaded names the import that is missing", () => {
    const anyT = makeT("en") as unknown as (key: string) => string;
    expect(() => anyT("neverloaded.title")).toThrow(/import src\/i18n\/messages\/en\/neverloaded/);
    expect(() => anyT("common.missing")).toThrow(/No message "common.missing"/);
  });
});

describe("the Refine i18nProvider", () => {
  afterEach(() => createI18nProvider("en"));
  it("translates the console's keys and falls back to Refine's default message for its own", () => {
    const provider = createI18nProvider();
    expect(provider.translate("common.actions.cancel")).toBe("Cancel");
    expect(provider.translate("buttons.save", undefined, "Save")).toBe("Save");
    // Refine's two-argument form: translate(key, defaultMessage)
    expect(provider.translate("buttons.delete", "Delete")).toBe("Delete");
    expect(provider.translate("buttons.unknown")).toBe("buttons.unknown");
    expect(provider.getLocale()).toBe("en");
  });
  it("refuses a locale the console has no catalogue for, and `t` follows the provider's locale", () => {
    const provider = createI18nProvider();
    expect(() => provider.changeLocale("xx")).toThrow(/Unknown locale "xx"/);
    expect(t("common.actions.close")).toBe("Close");
  });
});

describe("createFormatter", () => {
  it("formats numbers, money and credits with the locale's separators, times in Bangkok", () => {
    const f = createFormatter("en");
    expect(f.number(1234567.5)).toBe("1,234,567.5");
    expect(f.percent(0.256)).toBe("26%");
    expect(f.money(123456, "thb")).toBe("฿1,234.56");
    expect(f.money(5000, "jpy")).toBe("¥5,000");
    expect(f.credits(-1200)).toBe("-1,200");
    expect(f.signedCredits(500)).toBe("+500");
    expect(f.dateTime("2026-11-26T07:05:00Z")).toBe("2026-11-26 14:05");
    expect(createFormatter("en")).toBe(f);
  });
});
