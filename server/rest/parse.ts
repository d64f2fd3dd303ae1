/**
 * Parsing of PostgREST's URL grammar (select, filters, logic trees, order) and its headers
 * (Prefer, Range, Accept). Pure functions: nothing here sees the catalog or the database.
 * Anything outside the supported subset is an ApiError naming it, never ignored.
 */
import { parseError, unsupported } from "./errors.ts";

// ---------- select ----------

export type SelectItem =
  | { kind: "star" }
  | { kind: "column"; name: string; alias: string | null; cast: string | null }
  | {
      kind: "embed";
      relation: string;
      alias: string | null;
      hints: string[];
      inner: boolean;
      items: SelectItem[];
    };

const BARE_IDENT = /[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_$\u00C0-\uFFFF]*/y;
const CAST_TYPE = /[A-Za-z_][A-Za-z0-9_]*(\[\])?/y;

class Cursor {
  pos = 0;
  constructor(readonly text: string, readonly what: string) {}
  peek(n = 1): string {
    return this.text.slice(this.pos, this.pos + n);
  }
  done(): boolean {
    return this.pos >= this.text.length;
  }
  eat(s: string): boolean {
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  fail(expected: string): never {
    const found = this.done() ? "end of input" : JSON.stringify(this.text.slice(this.pos, this.pos + 12));
    throw parseError(`"failed to parse ${this.what}" (${this.text})`, `unexpected ${found} at position ${this.pos + 1}, expected ${expected}`);
  }
  identifier(): string {
    if (this.peek() === '"') {
      let out = "";
      this.pos++;
      while (!this.done()) {
        const ch = this.text[this.pos++];
        if (ch === '"') {
          if (out === "") this.fail("a non-empty quoted identifier");
          return out;
        }
        out += ch;
      }
      this.fail('a closing "');
    }
    BARE_IDENT.lastIndex = this.pos;
    const m = BARE_IDENT.exec(this.text);
    if (!m) this.fail("an identifier");
    this.pos += m[0].length;
    return m[0];
  }
}

/** Nesting beyond this is refused (400) rather than risking the parser's stack. */
export const MAX_NESTING = 16;

export function parseSelect(text: string): SelectItem[] {
  const cur = new Cursor(text, "select parameter");
  const items = parseSelectItems(cur, false, 0);
  if (!cur.done()) cur.fail("',' or end of select");
  return items;
}

function parseSelectItems(cur: Cursor, nested: boolean, depth: number): SelectItem[] {
  if (depth > MAX_NESTING) throw parseError(`"failed to parse select parameter": embedding nested deeper than ${MAX_NESTING} levels`);
  const items: SelectItem[] = [];
  if (nested && cur.peek() === ")") return items; // rel!inner() embeds only to filter
  for (;;) {
    items.push(parseSelectItem(cur, depth));
    if (!cur.eat(",")) break;
  }
  return items;
}

function parseSelectItem(cur: Cursor, depth: number): SelectItem {
  if (cur.eat("*")) return { kind: "star" };
  if (cur.peek(3) === "...") throw unsupported("spread embedding (...relation) in select");
  let alias: string | null = null;
  let name = cur.identifier();
  if (cur.peek() === ":" && cur.peek(2) !== "::") {
    cur.pos++;
    alias = name;
    name = cur.identifier();
  }
  if (cur.peek(2) === "->") throw unsupported("JSON path (->, ->>) in select");
  const hints: string[] = [];
  let inner = false;
  while (cur.eat("!")) {
    const hint = cur.identifier();
    if (hint === "inner") inner = true;
    else if (hint === "left") inner = false;
    else hints.push(hint);
  }
  if (cur.eat("(")) {
    const items = parseSelectItems(cur, true, depth + 1);
    if (!cur.eat(")")) cur.fail("')' closing the embedded resource");
    return { kind: "embed", relation: name, alias, hints, inner, items };
  }
  if (hints.length > 0 || inner) cur.fail("'(' after an embedding hint");
  if (cur.peek() === "." && cur.text.slice(cur.pos).match(/^\.(sum|avg|min|max|count)\(/)) {
    throw unsupported("aggregate functions in select");
  }
  let cast: string | null = null;
  if (cur.eat("::")) {
    CAST_TYPE.lastIndex = cur.pos;
    const m = CAST_TYPE.exec(cur.text);
    if (!m) cur.fail("a type name after '::'");
    cast = m[0];
    cur.pos += m[0].length;
  }
  return { kind: "column", name, alias, cast };
}

// ---------- filters ----------

export const FILTER_OPERATORS = [
  "eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch", "in", "is", "isdistinct", "cs", "cd", "ov",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
const QUANTIFIABLE = new Set<FilterOperator>(["eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch"]);
const KNOWN_UNSUPPORTED = new Set(["fts", "plfts", "phfts", "wfts", "sl", "sr", "nxl", "nxr", "adj"]);

export type IsValue = "null" | "true" | "false" | "unknown";

export interface Filter {
  kind: "filter";
  column: string;
  negate: boolean;
  operator: FilterOperator;
  quantifier: "any" | "all" | null;
  /** text for scalar operators, list for `in`, keyword for `is`. */
  value: string | string[];
}

export interface Logic {
  kind: "logic";
  op: "and" | "or";
  negate: boolean;
  children: (Filter | Logic)[];
}

/** Parses `[not.]op[(any|all)].value` (the right-hand side of `column=`). */
export function parseFilterValue(column: string, text: string, context: string): Filter {
  let rest = text;
  let negate = false;
  if (rest.startsWith("not.")) {
    negate = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf(".");
  if (dot < 0) throw parseError(`"failed to parse filter (${text})" (${context})`, "expected operator.value, e.g. eq.5");
  let opText = rest.slice(0, dot);
  const raw = rest.slice(dot + 1);
  let quantifier: Filter["quantifier"] = null;
  const q = /^(\w+)\((any|all)\)$/.exec(opText);
  if (q) {
    opText = q[1] ?? "";
    quantifier = q[2] as "any" | "all";
  }
  if (KNOWN_UNSUPPORTED.has(opText)) throw unsupported(`filter operator '${opText}'`);
  if (!(FILTER_OPERATORS as readonly string[]).includes(opText)) {
    throw parseError(`"failed to parse filter (${text})" (${context})`, `unknown operator '${opText}'`);
  }
  const operator = opText as FilterOperator;
  if (quantifier && !QUANTIFIABLE.has(operator)) throw unsupported(`(${quantifier}) modifier on operator '${operator}'`);
  if (operator === "in") {
    if (!raw.startsWith("(") || !raw.endsWith(")")) {
      throw parseError(`"failed to parse filter (${text})" (${context})`, "in. expects a parenthesized list, e.g. in.(1,2)");
    }
    const inner = raw.slice(1, -1);
    const values = inner === "" ? [] : splitTopLevel(inner, ",", `in list (${raw})`).map(unquote);
    return { kind: "filter", column, negate, operator, quantifier, value: values };
  }
  if (operator === "is") {
    const keyword = raw.toLowerCase();
    if (!["null", "true", "false", "unknown"].includes(keyword)) {
      throw parseError(`"failed to parse filter (${text})" (${context})`, "is. accepts null, true, false or unknown");
    }
    return { kind: "filter", column, negate, operator, quantifier, value: keyword };
  }
  return { kind: "filter", column, negate, operator, quantifier, value: raw };
}

/** Splits on a separator outside parentheses, braces and double quotes. */
export function splitTopLevel(text: string, separator: string, what: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === "(" || ch === "{" || ch === "[") depth++;
    else if (ch === ")" || ch === "}" || ch === "]") {
      depth--;
      if (depth < 0) throw parseError(`"failed to parse ${what}"`, `unbalanced '${ch}' at position ${i + 1}`);
    } else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted || depth !== 0) throw parseError(`"failed to parse ${what}"`, "unbalanced quotes or parentheses");
  parts.push(text.slice(start));
  return parts;
}

/** `"a,b"` → `a,b` with \" and \\ unescaped; unquoted values pass through. */
export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return value;
}

/** `(a.eq.1,or(b.gt.2,c.is.null))` — the value of an `or=`/`and=` parameter. */
export function parseLogic(op: "and" | "or", negate: boolean, text: string, depth = 0): Logic {
  if (depth > MAX_NESTING) throw parseError(`"failed to parse logic tree": conditions nested deeper than ${MAX_NESTING} levels`);
  if (!text.startsWith("(") || !text.endsWith(")")) {
    throw parseError(`"failed to parse logic tree (${text})"`, `${op}= expects a parenthesized list, e.g. ${op}=(a.eq.1,b.eq.2)`);
  }
  const inner = text.slice(1, -1);
  if (inner.trim() === "") throw parseError(`"failed to parse logic tree (${text})"`, "empty condition list");
  const children = splitTopLevel(inner, ",", `logic tree (${text})`).map((part): Filter | Logic => {
    const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(part);
    if (nested) return parseLogic(nested[2] as "and" | "or", nested[1] !== undefined, nested[3] ?? "", depth + 1);
    const dot = part.indexOf(".");
    if (dot <= 0) throw parseError(`"failed to parse logic tree (${text})"`, `expected column.operator.value, got "${part}"`);
    const column = unquote(part.slice(0, dot));
    if (column.includes("->")) throw unsupported("JSON path (->, ->>) in filters");
    const filter = parseFilterValue(column, part.slice(dot + 1), `logic tree ${text}`);
    if (typeof filter.value === "string" && filter.operator !== "is") filter.value = unquote(filter.value);
    return filter;
  });
  return { kind: "logic", op, negate, children };
}

// ---------- order ----------

export interface OrderTerm {
  /** Set when ordering by a column of a to-one embedded resource: `order=rel(col)`. */
  relation: string | null;
  column: string;
  descending: boolean;
  nulls: "first" | "last" | null;
}

export function parseOrder(text: string): OrderTerm[] {
  if (text.trim() === "") throw parseError(`"failed to parse order (${text})"`, "empty order");
  return splitTopLevel(text, ",", `order (${text})`).map((term) => {
    const cur = new Cursor(term, `order (${text})`);
    let relation: string | null = null;
    let column = cur.identifier();
    if (cur.eat("(")) {
      relation = column;
      column = cur.identifier();
      if (!cur.eat(")")) cur.fail("')'");
    }
    if (cur.peek(2) === "->") throw unsupported("JSON path (->, ->>) in order");
    let descending = false;
    let nulls: OrderTerm["nulls"] = null;
    const modifiers = cur.text.slice(cur.pos);
    if (modifiers !== "") {
      if (!modifiers.startsWith(".")) cur.fail("'.asc', '.desc', '.nullsfirst' or '.nullslast'");
      const parts = modifiers.slice(1).split(".");
      if (parts.length > 2) cur.fail("at most a direction and a nulls position");
      for (const [i, part] of parts.entries()) {
        if (i === 0 && (part === "asc" || part === "desc")) descending = part === "desc";
        else if (part === "nullsfirst" || part === "nullslast") nulls = part === "nullsfirst" ? "first" : "last";
        else throw parseError(`"failed to parse order (${text})"`, `unknown order modifier '${part}'`);
      }
    }
    return { relation, column, descending, nulls };
  });
}

export function parseNonNegativeInt(name: string, text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw parseError(`"failed to parse ${name} (${text})"`, `${name} must be a non-negative integer`);
  return Number(text);
}

/** `"a","b"` or `a,b` — the `columns` and `on_conflict` parameters. */
export function parseColumnList(name: string, text: string): string[] {
  const cols = splitTopLevel(text, ",", `${name} (${text})`).map((c) => {
    const cur = new Cursor(c.trim(), `${name} (${text})`);
    const id = cur.identifier();
    if (!cur.done()) cur.fail("',' or end");
    return id;
  });
  if (cols.length === 0) throw parseError(`"failed to parse ${name}"`, "empty column list");
  return cols;
}

// ---------- headers ----------

export interface Preferences {
  return: "minimal" | "representation" | "headers-only" | null;
  count: "exact" | "planned" | "estimated" | null;
  resolution: "merge-duplicates" | "ignore-duplicates" | null;
  missing: "default" | "null" | null;
  handling: "strict" | "lenient" | null;
  params: "single-object" | null;
  /** `timezone=<name>` as given; the handler accepts it only if Postgres knows the name. */
  timezone: string | null;
  /** Enforced only with `handling=strict`, as in PostgREST 12. */
  maxAffected: number | null;
  /** Every preference PostgREST 12 does not recognise (`timezone=` is judged later, against the database). */
  invalid: string[];
}

/** The values PostgREST 12 recognises, by preference. */
const PREFERENCE_VALUES = {
  resolution: ["merge-duplicates", "ignore-duplicates"],
  return: ["representation", "minimal", "headers-only"],
  params: ["single-object"],
  count: ["exact", "planned", "estimated"],
  missing: ["default", "null"],
  handling: ["strict", "lenient"],
} as const;

/**
 * PostgREST 12's reading of `Prefer`: comma-separated across every Prefer header, the first value of each kind wins,
 * unknown preferences are collected (they are an error only with `handling=strict`). `tx=commit|rollback` is
 * recognised but never honoured: Supabase runs PostgREST with `db-tx-end = commit`, so a rollback request still
 * commits there, and it does here too.
 */
export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = {
    return: null, count: null, resolution: null, missing: null, handling: null, params: null, timezone: null, maxAffected: null, invalid: [],
  };
  const items = (header ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  for (const item of items) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? "" : item.slice(eq + 1);
    if (key in PREFERENCE_VALUES && eq >= 0) {
      const name = key as keyof typeof PREFERENCE_VALUES;
      if ((PREFERENCE_VALUES[name] as readonly string[]).includes(value)) {
        (prefs as unknown as Record<string, unknown>)[name] ??= value;
        continue;
      }
    } else if (key === "tx" && (value === "commit" || value === "rollback")) {
      continue;
    } else if (key === "timezone" && eq >= 0) {
      prefs.timezone ??= value;
      continue;
    } else if (key === "max-affected" && eq >= 0) {
      if (/^-?\d{1,18}$/.test(value)) prefs.maxAffected ??= Number(value);
      continue;
    }
    prefs.invalid.push(item);
  }
  return prefs;
}

/** The `Preference-Applied` value PostgREST sends: the honoured preferences among `names`, in its order. */
export function preferenceApplied(prefs: Preferences, names: readonly (keyof typeof PREFERENCE_VALUES | "timezone" | "max-affected")[]): string | null {
  const order = ["resolution", "missing", "return", "params", "count", "handling", "timezone", "max-affected"] as const;
  const applied: string[] = [];
  for (const name of order) {
    if (!names.includes(name)) continue;
    if (name === "max-affected") {
      if (prefs.handling === "strict" && prefs.maxAffected !== null) applied.push(`max-affected=${prefs.maxAffected}`);
    } else if (prefs[name] !== null) {
      applied.push(`${name}=${prefs[name]}`);
    }
  }
  return applied.length ? applied.join(", ") : null;
}

/** `Range: 0-24` → offset/limit; null when absent. */
export function parseRangeHeader(header: string | undefined): { offset: number; limit: number | null } | null {
  if (!header) return null;
  // PostgREST ignores a Range header it cannot read, and refuses only one whose bounds are reversed.
  const m = /^(\d+)-(\d*)$/.exec(header);
  if (!m) return null;
  const from = Number(m[1]);
  if (m[2] === "" || m[2] === undefined) return { offset: from, limit: null };
  const to = Number(m[2]);
  if (to < from) throw new RangeHeaderError(header);
  return { offset: from, limit: to - from + 1 };
}

export class RangeHeaderError extends Error {
  constructor(readonly header: string) {
    super(`invalid Range header: ${header}`);
  }
}

export type ResponseShape = "array" | "object" | "csv";

/** Which representation the client accepts; null when none we can produce. */
export function parseAccept(header: string | undefined): ResponseShape | null {
  if (!header || header.trim() === "") return "array";
  const types = header.split(",").map((t) => t.split(";")[0]?.trim().toLowerCase() ?? "");
  if (types.includes("application/vnd.pgrst.object+json") || types.includes("application/vnd.pgrst.object")) return "object";
  if (types.includes("text/csv")) return "csv";
  if (types.some((t) => ["application/json", "*/*", "application/*", "application/vnd.pgrst.array+json"].includes(t))) {
    return "array";
  }
  return null;
}
