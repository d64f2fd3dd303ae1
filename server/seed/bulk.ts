/**
 * Bulk inserts that are fast on both engines: one statement per chunk, rows shipped as a single JSON
 * parameter and expanded by json_populate_recordset (column types come from the table itself).
 */
import type { Queryable } from "../db/engine.ts";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Rows per statement: big enough to amortise the round trip, small enough to keep the JSON modest. */
export const DEFAULT_CHUNK_ROWS = 5000;

/**
 * Inserts `rows` into public.<table>, naming only `columns` (so identity and defaulted columns are left
 * to the database). Returns the number of rows written.
 */
export async function insertRows<Row extends object>(
  db: Queryable,
  table: string,
  columns: ReadonlyArray<keyof Row & string>,
  rows: readonly Row[],
  chunkRows = DEFAULT_CHUNK_ROWS,
): Promise<number> {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error(`insertRows: chunkRows must be a positive integer, got ${chunkRows}`);
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`insertRows: not a plain identifier: ${JSON.stringify(name)}`);
  }
  if (rows.length === 0) return 0;
  const list = columns.join(", ");
  const sql = `insert into public.${table} (${list}) select ${list} from json_populate_recordset(null::public.${table}, $1::json)`;
  let written = 0;
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.slice(start, start + chunkRows);
    const result = await db.query(sql, [JSON.stringify(chunk)]);
    written += result.rowCount;
  }
  return written;
}
