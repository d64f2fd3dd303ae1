/**
 * Reads a request body's JSON without turning it into JavaScript values, so the text reaches Postgres exactly as
 * sent (as PostgREST passes it): `9007199254740993` stays that number in a bigint, `1e309` stays a valid numeric.
 * What the server needs to plan the statement — the top-level shape, the keys of each row object and each row's
 * own text — is returned alongside. Nesting is capped so a hostile body cannot exhaust a parser's stack here or
 * in Postgres (PGlite's json parser can take the process down well before PostgreSQL's `max_stack_depth`).
 */

/** Deeper bodies are refused; no request the console (or a sane client) sends comes close. */
export const MAX_JSON_DEPTH = 256;

export type JsonShape =
  | { kind: "object"; text: string; keys: string[] }
  | { kind: "array"; text: string; items: JsonShape[] }
  | { kind: "scalar"; text: string };

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

const WHITESPACE = /[ \t\n\r]*/y;
// RFC 8259 strings: no raw control characters (U+0000–U+001F), only the standard escapes.
const STRING = new RegExp(String.raw`"(?:[^"\\${"\u0000"}-${"\u001f"}]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`, "y");
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Validates `text` as one JSON value (RFC 8259, as strict as JSON.parse) and describes it: the keys of a top-level
 * object, or the items of a top-level array with the keys of the objects among them. Nested values are validated,
 * not described.
 */
export function scanJson(text: string): JsonShape {
  const scanner = new Scanner(text);
  scanner.skipWhitespace();
  const shape = scanner.value(1, true);
  scanner.skipWhitespace();
  if (scanner.pos < text.length) scanner.fail("unexpected data after the JSON value");
  return shape;
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    const near = this.pos < this.text.length ? ` near ${JSON.stringify(this.text.slice(this.pos, this.pos + 16))}` : "";
    throw new JsonSyntaxError(`${what} at position ${this.pos + 1}${near}`, this.pos);
  }

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private token(pattern: RegExp, what: string): string {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (!match) this.fail(`expected ${what}`);
    this.pos += match[0].length;
    return match[0];
  }

  /** One value starting at `pos` (whitespace already skipped); `describe` records keys/items one level down. */
  value(depth: number, describe: boolean): JsonShape {
    const start = this.pos;
    const ch = this.text[this.pos];
    if (ch === "{") {
      const keys = this.object(depth);
      return { kind: "object", text: this.text.slice(start, this.pos), keys };
    }
    if (ch === "[") {
      const items = this.array(depth, describe);
      return { kind: "array", text: this.text.slice(start, this.pos), items };
    }
    if (ch === '"') this.token(STRING, "a valid string");
    else if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) this.token(NUMBER, "a valid number");
    else this.token(LITERAL, "a JSON value");
    return { kind: "scalar", text: this.text.slice(start, this.pos) };
  }

  private enter(depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++;
    this.skipWhitespace();
  }

  private object(depth: number): string[] {
    this.enter(depth);
    const keys: string[] = [];
    if (this.text[this.pos] === "}") {
      this.pos++;
      return keys;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      keys.push(JSON.parse(this.token(STRING, "a valid string key")) as string);
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      this.value(depth + 1, false);
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === "}") return keys;
      if (next !== ",") {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
      this.skipWhitespace();
    }
  }

  private array(depth: number, describe: boolean): JsonShape[] {
    this.enter(depth);
    const items: JsonShape[] = [];
    if (this.text[this.pos] === "]") {
      this.pos++;
      return items;
    }
    for (;;) {
      const item = this.value(depth + 1, false);
      if (describe) items.push(item);
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === "]") return items;
      if (next !== ",") {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
      this.skipWhitespace();
    }
  }
}
