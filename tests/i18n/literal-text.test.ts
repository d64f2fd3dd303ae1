/**
 * The i18n rule: text a user reads comes from the catalogue (src/i18n/messages), not from literals in components.
 * Files written before the rule carry a ratchet (literal-text-baseline.json): their count of literal UI text may
 * only go down, every other file must have none. When a file improves, lower its entry (or delete it at 0):
 * `npx tsx tests/i18n/update-baseline.ts` does that, and refuses to raise any entry.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findLiteralText, isScannedSource, scanLiteralText } from "../helpers/literal-text";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BASELINE_FILE = join(ROOT, "tests", "i18n", "literal-text-baseline.json");

describe("the literal-text scanner", () => {
  const source = `
    import { Button, Table, message } from "antd";
    import { useT } from "../../i18n";
    const columns = [{ title: "Requester", dataIndex: "requester_email", key: "requester" }];
    export function Page({ open }: { open: boolean }) {
      const t = useT();
      const filter = "status.eq.open";
      const select = "id, email, created_at";
      console.warn("Something odd happened here");
      if (!open) throw new Error("formatMoney: invalid currency code");
      const failure = new Error("Could not reach the server");
      message.success(\`Saved \${3} rows\`);
      return (
        <section aria-label="Request queue" className="queue" data-testid="queue">
          <Button type="primary" title={t("common.actions.retry")}>Retry</Button>
          {open ? "Open" : t("common.status.empty")}
          <Bar dataKey="open" name="Overdue" />
          <Form.Item name="requester_email" label={\`Email of \${"x"}\`} />
          <Table columns={columns} rowKey="id" locale={{ emptyText: "No requests" }} />
          {" - "}
        </section>
      );
    }`;
  const found = findLiteralText("src/features/demo/page.tsx", source).map(({ text, rule }) => [rule, text]);

  it("finds JSX text, text attributes, rendered literals, text keys, notifications and sentences", () => {
    expect(found).toEqual([
      ["object-key", "Requester"],
      ["sentence", "Could not reach the server"],
      ["notification", "Saved {…} rows"],
      ["jsx-attribute", "Request queue"],
      ["jsx-text", "Retry"],
      ["jsx-child", "Open"],
      ["jsx-attribute", "Overdue"],
      ["jsx-attribute", "Email of {…}"],
      ["object-key", "No requests"],
    ]);
  });

  it("leaves catalogue keys, PostgREST filters, column lists, console output and developer errors alone", () => {
    const texts = found.map(([, text]) => text);
    for (const technical of ["common.actions.retry", "status.eq.open", "id, email, created_at", "Something odd happened here", "formatMoney: invalid currency code", "requester_email", "open", "queue", "primary"]) {
      expect(texts).not.toContain(technical);
    }
  });

  it("skips what a `not-ui-text:` mark with a reason covers: its line, or the object or array literal below it", () => {
    const marked = `
      // not-ui-text: Stripe's own column names
      const columns = { created: { label: "Created (UTC)" }, amount: { label: "Amount" } };
      const sheet = "Payments export"; // not-ui-text: the sheet name Excel shows
      // not-ui-text:
      const unexplained = { label: "Needs a reason" };
      const shown = { label: "Shown to staff" };`;
    expect(findLiteralText("src/x.ts", marked).map(({ text }) => text)).toEqual(["Needs a reason", "Shown to staff"]);
  });

  it("scans the app's source, not its tests, test kits, the catalogue or generated types", () => {
    expect(isScannedSource("src/features/dsar/list.tsx")).toBe(true);
    expect(isScannedSource("src/lib/format.ts")).toBe(true);
    expect(isScannedSource("src/features/dsar/list.test.tsx")).toBe(false);
    expect(isScannedSource("src/features/dsar/test-fixtures.ts")).toBe(false);
    expect(isScannedSource("src/test/renderConsole.tsx")).toBe(false);
    expect(isScannedSource("src/i18n/messages/en/common.ts")).toBe(false);
    expect(isScannedSource("src/lib/database.types.ts")).toBe(false);
  });
});

describe("no literal UI text outside the catalogue", () => {
  const baseline = JSON.parse(readFileSync(BASELINE_FILE, "utf8")) as Record<string, number>;
  const scanned = scanLiteralText(ROOT);

  it("no file gains literal UI text (new files have none; older files only lose theirs)", () => {
    const grown = [...scanned].flatMap(([file, found]) => {
      const allowed = baseline[file] ?? 0;
      if (found.length <= allowed) return [];
      const sample = found.slice(0, 5).map((f) => `    ${file}:${f.line} ${f.rule} "${f.text}"`).join("\n");
      return [`${file}: ${found.length} literal texts, ${allowed} allowed; put them in src/i18n/messages and use t():\n${sample}`];
    });
    expect(grown, grown.join("\n")).toEqual([]);
  });

  it("the baseline holds no slack: an improved file's entry is lowered", () => {
    const slack = Object.entries(baseline).flatMap(([file, allowed]) => {
      const count = scanned.get(file)?.length ?? 0;
      return count < allowed ? [`${file}: ${count} now, baseline ${allowed}`] : [];
    });
    expect(slack, `run npx tsx tests/i18n/update-baseline.ts\n${slack.join("\n")}`).toEqual([]);
  });
});
