/**
 * Shared by the export integration test and the heavy-subject measurement: the embedded server on an
 * in-memory PGlite (real migrations, demo seed), a DPO supabase-js client, and owner-side SQL that
 * counts what the database holds per export category — the yardstick an export is checked against.
 */
import type { Engine } from "../../server/db/engine.ts";
import { startDemoServer, type DemoServer } from "../helpers/server.ts";
import { API_LOG_RETENTION_DAYS, CATEGORY_SOURCES } from "../../src/features/dsar/export/supabaseFetcher.ts";
import type { ExportCategoryId } from "../../src/features/dsar/export/categories.ts";

export type ExportTestServer = DemoServer;

export function startExportTestServer(demoCustomers: number, allowedOrigins?: string[]): Promise<ExportTestServer> {
  return startDemoServer({ demoCustomers, ...(allowedOrigins ? { allowedOrigins } : {}) });
}

/** The owner's view (no RLS) of a category's rows for one customer, with the export's filters: ids in export order. */
export async function idsInDatabase(engine: Engine, category: ExportCategoryId, customerId: string, now: Date): Promise<string[]> {
  const source = CATEGORY_SOURCES[category];
  const params: unknown[] = [customerId];
  let where = `t.${source.subjectColumn} = $1`;
  if (source.retention) {
    params.push(new Date(now.getTime() - API_LOG_RETENTION_DAYS * 86_400_000).toISOString());
    where += ` and t.${source.retention.column} >= $2`;
  }
  const { rows } = await engine.query<{ id: string }>(
    // Ordered by the table's columns (t.), not by the text alias, which would sort numbers as strings.
    `select t.id::text as id from public.${source.from} t where ${where} order by ${source.orderBy.map((c) => `t.${c}`).join(", ")}`,
    params,
  );
  return rows.map((r) => r.id);
}
