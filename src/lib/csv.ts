/**
 * CSV that is safe to open in a spreadsheet: cells that would run as formulas are neutralised. papaparse is passed
 * in (loaded lazily by whoever writes the file) so this module never pulls it into the first-load bundle.
 */

/** Spreadsheet apps run a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/** A cell value that a spreadsheet shows as text: formula-looking strings get a leading apostrophe. */
export function neutraliseFormula(text: string): string {
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

/**
 * One cell as text. Numbers and booleans stay as they are (a negative amount is data, not a formula);
 * objects (jsonb settings/metadata) become JSON; null/undefined an empty cell.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return neutraliseFormula(value);
  return neutraliseFormula(JSON.stringify(value));
}

export type Unparse = (data: { fields: string[]; data: string[][] }, config: { header: boolean; newline: string; quotes: boolean }) => string;

/** CSV lines for `rows` in `columns` order; header only when asked (first page of a file). */
export function rowsToCsv(unparse: Unparse, columns: readonly string[], rows: readonly Record<string, unknown>[], withHeader: boolean): string {
  const data = rows.map((row) => columns.map((column) => csvCell(row[column])));
  if (data.length === 0 && !withHeader) return "";
  const text = unparse({ fields: [...columns], data }, { header: withHeader, newline: "\r\n", quotes: false });
  // papaparse ends a header-only result with a newline but not one with data rows; pages are concatenated.
  return text.length === 0 || text.endsWith("\r\n") ? text : `${text}\r\n`;
}
