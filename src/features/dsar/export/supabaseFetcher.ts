/**
 * The production FetchCategory: each category read through supabase-js from the table or view that
 * holds it, filtered to the subject, in a unique order so offset paging neither skips nor repeats rows.
 * RLS decides what the caller sees; only the DPO sees every category (and the Stripe ids in the views).
 */
import type { ConsoleClient, RelationName, UntypedClient } from "../../../lib/database";
import { MAX_ROWS } from "../../../lib/readAll";
import { t } from "../../../i18n/provider";
import "../../../i18n/messages/en/dsarExport";
import { exportCategory, type ExportCategoryId } from "./categories";
import type { CategoryRow, FetchCategory } from "./types";

/** Policy §6: API logs are kept 90 days; the export covers the entries still within that window. */
export const API_LOG_RETENTION_DAYS = 90;

export interface CategorySource {
  /** Table or security_invoker view. */
  from: RelationName;
  /** Column holding the customer id. */
  subjectColumn: string;
  /** Ascending sort whose last column is unique, so paging is exact. */
  orderBy: readonly string[];
  /** Only rows with this timestamp column inside the retention window. */
  retention?: { column: string; days: number };
}

export const CATEGORY_SOURCES: Readonly<Record<ExportCategoryId, CategorySource>> = {
  profile: { from: "customer_directory", subjectColumn: "id", orderBy: ["id"] },
  projects: { from: "projects", subjectColumn: "customer_id", orderBy: ["created_at", "id"] },
  generations: { from: "generations", subjectColumn: "customer_id", orderBy: ["created_at", "id"] },
  assets: { from: "assets", subjectColumn: "customer_id", orderBy: ["created_at", "id"] },
  credit_ledger: { from: "credit_ledger", subjectColumn: "customer_id", orderBy: ["id"] },
  payments: { from: "payment_details", subjectColumn: "customer_id", orderBy: ["created_at", "id"] },
  subscriptions: { from: "subscription_details", subjectColumn: "customer_id", orderBy: ["created_at", "id"] },
  consent_history: { from: "consent_events", subjectColumn: "customer_id", orderBy: ["id"] },
  api_logs: {
    from: "api_request_logs",
    subjectColumn: "customer_id",
    orderBy: ["requested_at", "id"],
    retention: { column: "requested_at", days: API_LOG_RETENTION_DAYS },
  },
  error_reports: { from: "error_reports", subjectColumn: "customer_id", orderBy: ["occurred_at", "id"] },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SupabaseFetcherOptions {
  /** The retention windows are measured from here, fixed once so every page sees the same window. */
  now?: Date;
}

/**
 * RLS shows other roles only some categories, silently: their export would claim "no data held" where
 * data is held. Refuse up front instead of producing a wrong answer to the subject.
 */
async function assertCallerIsDpo(client: ConsoleClient): Promise<void> {
  const { data, error } = await client.rpc("current_staff");
  if (error) throw new Error(t("dsarExport.errors.whoIsBuilding", { error: error.message }));
  const roles = (data as { roles?: unknown } | null)?.roles;
  if (!Array.isArray(roles) || !roles.includes("dpo")) {
    throw new Error(t("dsarExport.errors.dpoOnly"));
  }
}

/**
 * A fetcher for one customer. `customerId` null (an unmatched requester) fetches nothing: every
 * category is then honestly empty. A page is at most MAX_ROWS: the API would cut a larger one to max_rows, and
 * that short page would end the category early.
 */
export function createSupabaseCategoryFetcher(client: ConsoleClient, customerId: string | null, options: SupabaseFetcherOptions = {}): FetchCategory {
  if (customerId !== null && !UUID.test(customerId)) {
    throw new Error(`createSupabaseCategoryFetcher: customer id must be a UUID, got "${customerId}"`);
  }
  const now = options.now ?? new Date();
  let callerChecked: Promise<void> | null = null;
  const cursors = new Map<ExportCategoryId, { nextOffset: number; lastRow: CategoryRow }>();
  return async (category, { offset, limit, signal }) => {
    const source = CATEGORY_SOURCES[category];
    if (!source) throw new Error(t("dsarExport.errors.unknownCategory", { category: String(category) }));
    if (limit > MAX_ROWS) {
      // The numbers as plain digits, as this message has always given them.
      throw new Error(t("dsarExport.errors.pageTooLarge", { category, limit: String(limit), max: String(MAX_ROWS) }));
    }
    if (customerId === null) return [];
    callerChecked ??= assertCallerIsDpo(client);
    await callerChecked;
    // One loop reads ten relations, their columns named at run time: the rows are CategoryRow, checked as exported.
    let query = (client as UntypedClient)
      .from(source.from)
      .select(exportCategory(category).columns.join(","))
      .eq(source.subjectColumn, customerId);
    if (source.retention) {
      const since = new Date(now.getTime() - source.retention.days * 86_400_000).toISOString();
      query = query.gte(source.retention.column, since);
    }
    // The page right after the previous one continues from its last row (keyset) instead of making the
    // database skip `offset` rows again: linear instead of quadratic for a subject with 100,000 log rows.
    const cursor = cursors.get(category);
    const after = offset > 0 && cursor?.nextOffset === offset ? keysetFilter(source.orderBy, cursor.lastRow) : null;
    if (after) query = after.length === 1 ? query.gt(after[0]?.column ?? "", after[0]?.value ?? "") : query.or(keysetOr(after));
    for (const column of source.orderBy) query = query.order(column, { ascending: true });
    let ranged = after ? query.limit(limit) : query.range(offset, offset + limit - 1);
    if (signal) ranged = ranged.abortSignal(signal);
    const { data, error } = await ranged;
    if (error) throw new Error(t("dsarExport.errors.readFailed", { category, source: source.from, error: error.message }));
    const rows = (data ?? []) as unknown as CategoryRow[];
    if (category === "consent_history") await withCollectedAddresses(client, rows, signal);
    const lastRow = rows[rows.length - 1];
    if (lastRow) cursors.set(category, { nextOffset: offset + rows.length, lastRow });
    return rows;
  };
}

/**
 * consent_events.ip is the masked network (/24, /48) every reader of the log sees; the address as collected is in
 * consent_event_ips, which only the DPO reads. The subject is owed the address itself: put it back in each row.
 */
async function withCollectedAddresses(client: ConsoleClient, rows: CategoryRow[], signal?: AbortSignal): Promise<void> {
  const ids = rows.map((r) => r.id).filter((id): id is number | string => typeof id === "number" || typeof id === "string");
  if (ids.length === 0) return;
  let query = client.from("consent_event_ips").select("event_id,ip").in("event_id", ids.map(Number));
  if (signal) query = query.abortSignal(signal);
  const { data, error } = await query;
  if (error) throw new Error(error.message);
  const byEvent = new Map((data ?? []).map((r) => [String(r.event_id), r.ip as unknown]));
  for (const row of rows) {
    const address = byEvent.get(String(row.id));
    if (address !== undefined) row.ip = address as CategoryRow[string];
  }
}

interface KeyValue {
  column: string;
  value: string;
}

/** The sort-key values of the last row, or null when one is missing (then plain offset paging is used). */
function keysetFilter(orderBy: readonly string[], lastRow: CategoryRow): KeyValue[] | null {
  const keys: KeyValue[] = [];
  for (const column of orderBy) {
    const value = lastRow[column];
    if (typeof value !== "string" && typeof value !== "number") return null;
    keys.push({ column, value: String(value) });
  }
  return keys;
}

/** (a, b) > (x, y) as a PostgREST logic tree: a.gt.x or (a.eq.x and b.gt.y). Values are quoted (timestamps hold ':' and '+'). */
export function keysetOr(keys: readonly KeyValue[]): string {
  const quote = (value: string): string => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const branches = keys.map((key, index) => {
    const equalities = keys.slice(0, index).map((earlier) => `${earlier.column}.eq.${quote(earlier.value)}`);
    const greater = `${key.column}.gt.${quote(key.value)}`;
    return equalities.length === 0 ? greater : `and(${[...equalities, greater].join(",")})`;
  });
  return branches.join(",");
}
