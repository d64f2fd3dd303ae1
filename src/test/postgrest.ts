/**
 * Just enough PostgREST query semantics for the fake backend to answer a read the way the database would:
 * column filters (eq, neq, gt, gte, lt, lte, like, ilike, in, is, each optionally negated with `not.`), `or`/`and`
 * groups (nested), `order` over several columns with nulls placement, and `select` of a plain column list.
 * Paging (offset/limit under max_rows), counts and Content-Range are `answerRead`'s, in fakeBackend.ts.
 */

export type FixtureRow = Record<string, unknown>;

/** Query parameters that shape the answer rather than filter it. */
const NOT_FILTERS = new Set(["select", "offset", "limit", "order", "columns", "on_conflict"]);

/** A filter the fake does not implement: answered as a 400 so a test never passes on a silently ignored filter. */
export class UnsupportedQuery extends Error {}

type Condition = (row: FixtureRow) => boolean;

/** The rows of `rows` that every column filter and `or`/`and` group in `params` keeps, in `order`. */
export function applyQuery(rows: readonly FixtureRow[], params: URLSearchParams): FixtureRow[] {
  const conditions: Condition[] = [];
  for (const [key, value] of params) {
    if (NOT_FILTERS.has(key)) continue;
    const group = /^(not\.)?(or|and)$/.exec(key);
    if (group) {
      conditions.push(negateIf(!!group[1], logicGroup(group[2] as "or" | "and", value)));
      continue;
    }
    // `resource.column=…` filters an embedded resource's rows, not this table's: fixtures carry embeds as they are.
    if (key.includes(".")) continue;
    conditions.push(columnCondition(key, value));
  }
  const kept = rows.filter((row) => conditions.every((keep) => keep(row)));
  const order = params.get("order");
  return order ? sortRows(kept, order) : kept;
}

/** The plain columns a `select` names (`id,email`), or null when it asks for all, embeds or renames. */
export function selectedColumns(select: string | null): string[] | null {
  if (!select || /[(*!:]/.test(select)) return null;
  return select.split(",").map((column) => column.trim());
}

/** Each row cut to the selected columns, as PostgREST answers `select=a,b`. */
export function projectRows(rows: readonly FixtureRow[], select: string | null): FixtureRow[] {
  const columns = selectedColumns(select);
  if (!columns) return [...rows];
  return rows.map((row) => Object.fromEntries(columns.filter((column) => column in row).map((column) => [column, row[column]])));
}

function negateIf(negate: boolean, condition: Condition): Condition {
  return negate ? (row) => !condition(row) : condition;
}

/** `(a.eq.1,and(b.gt.2,c.is.null))` as one condition. */
function logicGroup(kind: "or" | "and", text: string): Condition {
  const inner = text.trim();
  if (!inner.startsWith("(") || !inner.endsWith(")")) throw new UnsupportedQuery(`${kind} expects (…), got ${text}`);
  const parts = splitTopLevel(inner.slice(1, -1)).map(groupMember);
  return kind === "or" ? (row) => parts.some((part) => part(row)) : (row) => parts.every((part) => part(row));
}

/** One member of a group: a nested `and(…)`/`or(…)` (possibly `not.`), or `column.op.operand`. */
function groupMember(text: string): Condition {
  const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(text);
  if (nested) return negateIf(!!nested[1], logicGroup(nested[2] as "or" | "and", nested[3]!));
  const dot = text.indexOf(".");
  if (dot < 0) throw new UnsupportedQuery(`not a filter: ${text}`);
  return columnCondition(text.slice(0, dot), text.slice(dot + 1), true);
}

/** Splits on commas outside parentheses and double quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === "\\") {
      current += char + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === "(") depth++;
    else if (!quoted && char === ")") depth--;
    if (char === "," && depth === 0 && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  if (current !== "") parts.push(current);
  return parts;
}

/** `"a \"b\""` → `a "b"`; anything unquoted as it is. */
function unquote(text: string): string {
  return /^".*"$/s.test(text) ? text.slice(1, -1).replace(/\\(.)/g, "$1") : text;
}

const OPERATORS = new Set(["eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "in", "is"]);

/**
 * `[not.]op.operand` on one column. Inside `or`/`and` groups PostgREST reads double-quoted operands (so commas and
 * parentheses can appear in them); a plain query parameter's operand is taken as it is.
 */
function columnCondition(column: string, expression: string, inGroup = false): Condition {
  const negated = expression.startsWith("not.");
  const rest = negated ? expression.slice(4) : expression;
  const dot = rest.indexOf(".");
  const op = dot < 0 ? rest : rest.slice(0, dot);
  const raw = dot < 0 ? "" : rest.slice(dot + 1);
  if (!OPERATORS.has(op)) throw new UnsupportedQuery(`the fake backend does not implement the ${op} operator (${column}=${expression})`);
  const operand = inGroup && op !== "in" ? unquote(raw) : raw;
  const test = operatorTest(op, operand);
  return negateIf(negated, (row) => test(row[column]));
}

function operatorTest(op: string, operand: string): (value: unknown) => boolean {
  switch (op) {
    case "eq":
      return (value) => value !== null && value !== undefined && compareTo(value, operand) === 0;
    case "neq":
      return (value) => value !== null && value !== undefined && compareTo(value, operand) !== 0;
    case "gt":
      return (value) => value !== null && value !== undefined && compareTo(value, operand) > 0;
    case "gte":
      return (value) => value !== null && value !== undefined && compareTo(value, operand) >= 0;
    case "lt":
      return (value) => value !== null && value !== undefined && compareTo(value, operand) < 0;
    case "lte":
      return (value) => value !== null && value !== undefined && compareTo(value, operand) <= 0;
    case "like":
    case "ilike": {
      const pattern = likePattern(operand, op === "ilike");
      return (value) => value !== null && value !== undefined && pattern.test(String(value));
    }
    case "in": {
      if (!/^\(.*\)$/s.test(operand)) throw new UnsupportedQuery(`in expects (…), got ${operand}`);
      const members = splitTopLevel(operand.slice(1, -1)).map(unquote);
      return (value) => value !== null && value !== undefined && members.some((member) => compareTo(value, member) === 0);
    }
    case "is":
      if (operand === "null") return (value) => value === null || value === undefined;
      if (operand === "true" || operand === "false") return (value) => value === (operand === "true");
      throw new UnsupportedQuery(`is.${operand}`);
    default:
      throw new UnsupportedQuery(op);
  }
}

/** `%` and PostgREST's `*` match any run, `_` one character. */
function likePattern(operand: string, caseInsensitive: boolean): RegExp {
  const source = [...operand]
    .map((char) => (char === "%" || char === "*" ? ".*" : char === "_" ? "." : char.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, caseInsensitive ? "is" : "s");
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/**
 * A fixture value against a query operand, as the column's type would compare: numbers as numbers, booleans as
 * true/false, timestamps as instants (`…00Z` equals `…00.000Z`), anything else as text.
 */
function compareTo(value: unknown, operand: string): number {
  if (typeof value === "number") return Math.sign(value - Number(operand));
  if (typeof value === "boolean") return String(value) === operand ? 0 : value ? 1 : -1;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (TIMESTAMP.test(text) && TIMESTAMP.test(operand) && text.length > 10 && operand.length > 10) {
    return Math.sign(Date.parse(text) - Date.parse(operand));
  }
  return text < operand ? -1 : text > operand ? 1 : 0;
}

/** Two fixture values of one column, for `order`: text in code-unit order (PostgreSQL's C collation). */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return Math.sign(a - b);
  if (typeof a === "string" && typeof b === "string" && TIMESTAMP.test(a) && TIMESTAMP.test(b)) return Math.sign(Date.parse(a) - Date.parse(b));
  const left = typeof a === "string" ? a : JSON.stringify(a);
  const right = typeof b === "string" ? b : JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `order=a.desc.nullslast,b` — PostgreSQL's default puts nulls last ascending and first descending. */
function sortRows(rows: readonly FixtureRow[], order: string): FixtureRow[] {
  const keys = order.split(",").map((term) => {
    const [column, ...modifiers] = term.trim().split(".");
    const descending = modifiers.includes("desc");
    const nullsFirst = modifiers.includes("nullsfirst") || (descending && !modifiers.includes("nullslast"));
    return { column: column!, descending, nullsFirst };
  });
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const left = a[key.column];
      const right = b[key.column];
      const leftNull = left === null || left === undefined;
      const rightNull = right === null || right === undefined;
      if (leftNull || rightNull) {
        if (leftNull && rightNull) continue;
        return leftNull === key.nullsFirst ? -1 : 1;
      }
      const compared = compareValues(left, right);
      if (compared !== 0) return key.descending ? -compared : compared;
    }
    return 0;
  });
}
