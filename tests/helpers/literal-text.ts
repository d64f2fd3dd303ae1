/**
 * Finds user-facing text written as literals in the console's source, so the i18n rule ("every string a user reads
 * comes from the catalogue") can be enforced by a test. Syntax only (no type checker): fast, and it judges what a
 * reader of the file would judge.
 *
 * Counted as UI text, when it holds a letter:
 * - JSX text: `<Button>Save</Button>`;
 * - a literal given to a text attribute (`title`, `label`, `placeholder`, `aria-label`, …) or rendered as a child
 *   (`{open ? "Open" : "Closed"}`);
 * - a literal under a text key of an object (`{ title: "Status" }` in column and chart definitions, `message:` in
 *   notifications);
 * - an argument of antd's `message.success(…)`/`notification.error(…)`;
 * - anywhere else, a sentence: a capitalised word followed by more words ("Could not reach the server").
 * Not counted: catalogue keys (`t("dsar.title")` has no spaces), technical strings (`status.eq.open`,
 * `"id, email"`), console output, imports, and developer-facing errors that start in lower case.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";

export interface LiteralText {
  file: string;
  line: number;
  text: string;
  rule: "jsx-text" | "jsx-attribute" | "jsx-child" | "object-key" | "notification" | "sentence";
}

const TEXT_ATTRIBUTES = new Set([
  "title", "label", "placeholder", "message", "description", "aria-label", "aria-description", "emptyText",
  "okText", "cancelText", "tooltip", "content", "extra", "help", "addonBefore", "addonAfter", "alt", "subTitle",
  "text", "checkedChildren", "unCheckedChildren", "tab", "header", "footer", "suffix", "prefix",
]);
// `name` is a form field's key (`<Form.Item name="email">`) or a chart series' legend (`<Bar name="Overdue">`).
const CAPITALISED = /^\s*\p{Lu}/u;
const TEXT_KEYS = new Set([
  "title", "label", "placeholder", "message", "description", "emptyText", "okText", "cancelText", "tooltip",
  "text", "content", "help", "subTitle", "extra",
]);
const NOTIFY = /(^|\.)(message|notification|modal|Modal)\.(success|error|info|warning|warn|loading|open|confirm)$/;
const HAS_LETTER = /\p{L}/u;
// A key, a column name or a path (`requester_email`, `status.eq.open`) is not text, whatever holds it.
const IDENTIFIER_LIKE = /^[a-z0-9_.:/#-]*$/;
// Data formats that are not the console's words (Stripe's column names) opt out line by line with a reason.
const OPT_OUT = /\/\/\s*not-ui-text:\s*\S/;
const SENTENCE = /^\s*\p{Lu}[\p{L}'’-]*[,:]?\s+[\p{L}\d{$]/u;

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `{…}${span.literal.text}`).join("");
  return undefined;
}

/** Climbs through the expressions that pass a literal on unchanged (a ? "x" : "y", a ?? "x", ("x"), "x" as T). */
function valueContext(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (
      ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) ||
      (ts.isConditionalExpression(parent) && parent.condition !== current) ||
      (ts.isBinaryExpression(parent) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.PlusToken].includes(parent.operatorToken.kind)) ||
      ts.isTemplateSpan(parent) || ts.isTemplateExpression(parent)
    ) {
      current = parent;
      continue;
    }
    return current;
  }
}

function attributeName(attribute: ts.JsxAttribute): string {
  return attribute.name.getText();
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function classify(node: ts.Node, text: string): LiteralText["rule"] | undefined {
  const context = valueContext(node);
  const parent = context.parent;
  const attribute = ts.isJsxAttribute(parent) ? parent : ts.isJsxExpression(parent) && ts.isJsxAttribute(parent.parent) ? parent.parent : undefined;
  if (attribute) {
    const name = attributeName(attribute);
    if (TEXT_ATTRIBUTES.has(name) || (name === "name" && CAPITALISED.test(text))) return "jsx-attribute";
    return SENTENCE.test(text) ? "sentence" : undefined;
  }
  if (ts.isJsxExpression(parent)) {
    const holder = parent.parent;
    if (ts.isJsxElement(holder) || ts.isJsxFragment(holder)) return "jsx-child";
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === context) {
    const key = propertyName(parent.name);
    if (key !== undefined && TEXT_KEYS.has(key)) return "object-key";
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(context as ts.Expression)) {
    const callee = parent.expression.getText();
    if (NOTIFY.test(callee)) return "notification";
    if (/^console\./.test(callee)) return undefined;
  }
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent)) return undefined;
  return SENTENCE.test(text) ? "sentence" : undefined;
}

/** The literal UI text in one file's source. */
export function findLiteralText(fileName: string, source: string): LiteralText[] {
  const kind = fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const found: LiteralText[] = [];
  const lines = source.split("\n");
  const markedAt = (node: ts.Node) => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
    return OPT_OUT.test(lines[line] ?? "") || OPT_OUT.test(lines[line - 1] ?? "");
  };
  // The mark covers its own line, or a whole object or array literal when written just above it.
  const optedOut = (node: ts.Node): boolean => {
    for (let current: ts.Node | undefined = node; current && !ts.isSourceFile(current); current = current.parent) {
      if ((current === node || ts.isObjectLiteralExpression(current) || ts.isArrayLiteralExpression(current)) && markedAt(current)) return true;
    }
    return false;
  };
  const report = (node: ts.Node, text: string, rule: LiteralText["rule"]) =>
    found.push({ file: fileName, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1, text: text.trim(), rule });
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) {
      if (HAS_LETTER.test(node.text)) report(node, node.text, "jsx-text");
      return;
    }
    const text = literalText(node);
    if (text !== undefined) {
      if (HAS_LETTER.test(text) && !IDENTIFIER_LIKE.test(text) && !optedOut(node)) {
        const rule = classify(node, text);
        if (rule) report(node, text, rule);
      }
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Source files whose text users read: the app, without tests, test kits, the catalogue itself and generated types. */
export function isScannedSource(path: string): boolean {
  const posix = path.split(sep).join("/");
  if (!/\.(ts|tsx)$/.test(posix) || posix.endsWith(".d.ts")) return false;
  if (/\.(test|typetest)\.tsx?$/.test(posix) || /(^|\/)(test-fixtures|testing)\.tsx?$/.test(posix)) return false;
  return !/^src\/(test|i18n)\//.test(posix) && posix !== "src/lib/database.types.ts";
}

function walk(directory: string, into: string[]): string[] {
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) walk(path, into);
    else into.push(path);
  }
  return into;
}

/** Per file (relative to `root`), the literal UI text found. */
export function scanLiteralText(root: string): Map<string, LiteralText[]> {
  const result = new Map<string, LiteralText[]>();
  for (const path of walk(join(root, "src"), [])) {
    const file = relative(root, path).split(sep).join("/");
    if (!isScannedSource(file)) continue;
    const found = findLiteralText(file, readFileSync(path, "utf8"));
    if (found.length > 0) result.set(file, found);
  }
  return result;
}
