/**
 * Shared by the export integration test and the heavy-subject measurement: the embedded server on an
 * in-memory PGlite (real migrations, demo seed), a DPO supabase-js client, and owner-side SQL that
 * counts what the database holds per export category — the yardstick an export is checked against.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Engine } from "../../server/db/engine.ts";
import { openTestEngine } from "../helpers/db.ts";
import { generateSecret, issueStaffToken } from "../../server/auth/jwt.ts";
import { startEmbeddedServer, type EmbeddedServer } from "../../server/index.ts";
import { DEMO_STAFF, type StaffRole } from "../../server/seed/staff.ts";
import { API_LOG_RETENTION_DAYS, CATEGORY_SOURCES } from "../../src/features/dsar/export/supabaseFetcher.ts";
import type { ExportCategoryId } from "../../src/features/dsar/export/categories.ts";

class RealtimeUnavailable {
  constructor() {
    throw new Error("realtime is not part of the embedded server");
  }
}

export interface ExportTestServer {
  server: EmbeddedServer;
  engine: Engine;
  clientAs(role: StaffRole): SupabaseClient;
  tokenFor(role: StaffRole): string;
  close(): Promise<void>;
}

export async function startExportTestServer(demoCustomers: number, allowedOrigins?: string[]): Promise<ExportTestServer> {
  const engine = await openTestEngine();
  const server = await startEmbeddedServer({
    engine,
    port: 0,
    jwtSecret: generateSecret(),
    demoCustomers,
    schemaCheckIntervalMs: 0,
    log: () => undefined,
    ...(allowedOrigins ? { allowedOrigins } : {}),
  });
  const tokenFor = (role: StaffRole): string => {
    const staff = DEMO_STAFF.find((s) => s.roles.includes(role));
    if (!staff) throw new Error(`no demo staff member holds ${role}`);
    return issueStaffToken(staff, server.jwtSecret).token;
  };
  return {
    server,
    engine,
    tokenFor: (role) => tokenFor(role),
    clientAs(role) {
      const token = tokenFor(role);
      return createClient(server.url, server.anonKey, {
        accessToken: async () => token,
        auth: { persistSession: false, autoRefreshToken: false },
        realtime: { transport: RealtimeUnavailable as never },
      });
    },
    async close() {
      await server.close();
      await engine.close();
    },
  };
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
