/**
 * /rest/v1: the PostgREST 12 subset. Each request is parsed, checked against the catalog and turned
 * into one SQL statement (with bind parameters) run in its own transaction as the token's role,
 * with request.jwt.claims and the role's own settings (statement_timeout…) set, so Postgres RLS decides
 * what comes back. Request bodies reach Postgres as the text that was sent.
 */
import type { Engine, Queryable } from "../db/engine.ts";
import type { TokenClaims } from "../auth/jwt.ts";
import { catalogFingerprint, loadCatalog, type Catalog, type Column, type DbFunction, type Relation } from "./catalog.ts";
import { ApiError, CatalogMissError, isPgError, parseError, toApiError, unsupported } from "./errors.ts";
import { JsonSyntaxError, scanJson, type JsonShape } from "./json.ts";
import {
  parseAccept, parseColumnList, parseFilterValue, parseLogic, parseNonNegativeInt, parseOrder, parsePrefer,
  parseRangeHeader, parseSelect, preferenceApplied, RangeHeaderError, type Preferences, type ResponseShape, type SelectItem,
} from "./parse.ts";
import { emptyModifiers, quoteIdent, SqlBuilder, type LevelModifiers, type ModifiersByPath, type RowFormat } from "./sql.ts";

export interface RestRequest {
  method: string;
  /** Path below /rest/v1/, e.g. "customers" or "rpc/my_function". */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string;
  claims: TokenClaims;
}

export interface RestResponse {
  status: number;
  /** Reason phrase, when PostgREST sends its own (a `PTxxx` refusal's message). */
  statusText?: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface RestOptions {
  /** `[api] max_rows` of supabase/config.toml: the most rows one response carries. Null: no cap. */
  maxRows: number | null;
  /** `[api] schemas`: the exposed schemas, the first the default. Only `public` is served here. */
  schemas: string[];
}

const JSON_TYPE = "application/json; charset=utf-8";
const OBJECT_TYPE = "application/vnd.pgrst.object+json; charset=utf-8";
const CSV_TYPE = "text/csv; charset=utf-8";
/** The one schema the embedded server serves. */
const SERVED_SCHEMA = "public";

interface ParsedQuery {
  select: SelectItem[];
  modifiers: ModifiersByPath;
  columns: string[] | null;
  onConflict: string[] | null;
  /** Parameters without an operator (`name=value`): a GET/HEAD rpc's arguments. */
  rpcArgs: Map<string, string>;
}

/** What every planner needs besides the request. */
interface PlanContext {
  catalog: Catalog;
  shape: ResponseShape;
  prefs: Preferences;
  maxRows: number | null;
  /** Headers every successful answer carries (Content-Profile when several schemas are exposed). */
  profileHeaders: Record<string, string>;
}

/** A planned request: the SQL to run inside the request transaction and how to shape the answer. */
interface Plan {
  readOnly: boolean;
  run(tx: Queryable): Promise<RestResponse>;
}

/** Per-role settings PostgREST applies to each request (from `alter role … set`), plus the time zone names. */
interface SessionSettings {
  byRole: Map<string, [string, string][]>;
  timezones: Set<string>;
}

export class RestService {
  private catalog: Catalog | null = null;
  private loading: Promise<Catalog> | null = null;
  private settings: Promise<SessionSettings> | null = null;
  private readonly options: RestOptions;

  constructor(private readonly engine: Engine, options: Partial<RestOptions> = {}) {
    this.options = { maxRows: options.maxRows ?? null, schemas: options.schemas ?? [SERVED_SCHEMA] };
  }

  /** Forget the schema cache (after migrations, or when SQL says an object vanished). */
  invalidateCatalog(): void {
    this.catalog = null;
    this.settings = null;
  }

  /**
   * Notices DDL that causes no miss (a new column behind `select=*`, a replaced view, a new FK) by
   * comparing the catalog fingerprint every `intervalMs`; returns a stop function.
   */
  watchSchema(intervalMs: number): () => void {
    let checking = false;
    const timer = setInterval(() => {
      const cached = this.catalog;
      if (!cached || checking) return;
      checking = true;
      catalogFingerprint(this.engine)
        .then((fingerprint) => {
          if (this.catalog === cached && fingerprint !== cached.fingerprint) this.invalidateCatalog();
        })
        .catch(() => undefined) // a failed check changes nothing; the next request reports real problems
        .finally(() => {
          checking = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async getCatalog(forceReload = false): Promise<Catalog> {
    if (this.catalog && !forceReload) return this.catalog;
    if (!this.loading) {
      this.loading = loadCatalog(this.engine).then(
        (c) => {
          this.catalog = c;
          this.loading = null;
          return c;
        },
        (err: unknown) => {
          this.loading = null;
          throw err;
        },
      );
    }
    return this.loading;
  }

  private getSettings(): Promise<SessionSettings> {
    this.settings ??= loadSessionSettings(this.engine).catch((err: unknown) => {
      this.settings = null;
      throw err;
    });
    return this.settings;
  }

  async handle(req: RestRequest): Promise<RestResponse> {
    const role = req.claims.role;
    try {
      const settings = await this.getSettings();
      const prefs = parsePrefer(req.headers.prefer);
      if (prefs.timezone !== null && !settings.timezones.has(prefs.timezone)) {
        prefs.invalid.push(`timezone=${prefs.timezone}`);
        prefs.timezone = null;
      }
      if (prefs.handling === "strict" && prefs.invalid.length > 0) {
        throw new ApiError(400, "PGRST122", "Invalid preferences given with handling=strict", `Invalid preferences: ${prefs.invalid.join(", ")}`);
      }
      const plan = await this.planWithFreshCatalogOnMiss(req, prefs);
      return await this.execute(req, plan, prefs, settings.byRole.get(role) ?? []);
    } catch (err) {
      if (err instanceof NotFoundError) return notFoundResponse();
      if (isPgError(err) && ["42P01", "42703", "42883"].includes(err.code)) this.invalidateCatalog();
      const apiError = toApiError(err, role);
      return errorResponse(apiError);
    }
  }

  /** Plans against the cached catalog; on an unknown name, reloads once if the schema changed since. */
  private async planWithFreshCatalogOnMiss(req: RestRequest, prefs: Preferences): Promise<Plan> {
    const catalog = await this.getCatalog();
    try {
      return planRequest(req, this.context(req, catalog, prefs));
    } catch (err) {
      if (!(err instanceof CatalogMissError)) throw err;
      if ((await catalogFingerprint(this.engine)) === catalog.fingerprint) throw err;
      return planRequest(req, this.context(req, await this.getCatalog(true), prefs));
    }
  }

  private context(req: RestRequest, catalog: Catalog, prefs: Preferences): PlanContext {
    const method = req.method.toUpperCase();
    const { schemas } = this.options;
    const profile = ["GET", "HEAD"].includes(method) ? req.headers["accept-profile"] : req.headers["content-profile"];
    if (profile !== undefined && !schemas.includes(profile)) {
      throw new ApiError(406, "PGRST106", `The schema must be one of the following: ${schemas.join(", ")}`);
    }
    const schema = profile ?? schemas[0] ?? SERVED_SCHEMA;
    if (schema !== SERVED_SCHEMA) throw unsupported(`schema '${schema}' (only '${SERVED_SCHEMA}' is served here)`);
    const accept = req.headers.accept;
    if (accept && /nulls=stripped/i.test(accept)) throw unsupported("Accept: …;nulls=stripped");
    const shape = parseAccept(accept);
    if (!shape) throw new ApiError(406, "PGRST107", `None of these media types are available: ${accept ?? ""}`);
    // PostgREST names the schema it chose whenever more than one could have been meant.
    const negotiated = profile !== undefined || schemas.length !== 1;
    return { catalog, shape, prefs, maxRows: this.options.maxRows, profileHeaders: negotiated ? { "content-profile": schema } : {} };
  }

  private async execute(req: RestRequest, plan: Plan, prefs: Preferences, roleSettings: [string, string][]): Promise<RestResponse> {
    const timeout = roleSettings.find(([name]) => name === "statement_timeout")?.[1];
    const statementTimeoutMs = timeout === undefined ? null : durationMs(timeout);
    const { sql, params } = setupStatement(req, prefs, roleSettings, plan.readOnly);
    return this.engine.transaction(async (tx) => {
      await tx.query(sql, params);
      return plan.run(tx);
    }, { statementTimeoutMs });
  }
}

/**
 * The one statement that opens every request transaction, all `set_config(…, true)`: local to this transaction. The
 * role, the claims and the request; then the role's own settings (as PostgREST applies `alter role … set` values such
 * as Supabase's statement_timeout per role); then the time zone (UTC unless Prefer: timezone= names another). Each role
 * setting is a set_config of its own bind parameters (names and values are never spliced into the text); an
 * `unnest` of two arrays did the same but cost PGlite about 0.15 ms a request (array encoding and a subquery).
 * The text depends only on how many role settings there are and the access mode, so it stays a handful of shapes.
 */
function setupStatement(
  req: Pick<RestRequest, "claims" | "method" | "path" | "headers">, prefs: Pick<Preferences, "timezone">,
  roleSettings: [string, string][], readOnly: boolean,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const calls = [
    `set_config('role', ${bind(req.claims.role)}, true)`,
    `set_config('request.jwt.claims', ${bind(JSON.stringify(req.claims))}, true)`,
    `set_config('request.method', ${bind(req.method)}, true)`,
    `set_config('request.path', ${bind(`/rest/v1/${req.path}`)}, true)`,
    `set_config('request.headers', ${bind(requestHeadersJson(req.headers))}, true)`,
    ...roleSettings.map(([name, value]) => `set_config(${bind(name)}, ${bind(value)}, true)`),
    `set_config('timezone', ${bind(prefs.timezone ?? "UTC")}, true)`,
  ];
  if (readOnly) calls.push(`set_config('transaction_read_only', 'on', true)`);
  return { sql: `select ${calls.join(", ")}`, params };
}

/** A Postgres duration setting (`8s`, `3000`, `1min`) in milliseconds; 0 or unreadable: no limit. */
export function durationMs(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(value);
  if (!m) return null;
  const factor = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "ms") as "ms"];
  const ms = Number(m[1]) * factor;
  return ms > 0 ? ms : null;
}
/**
 * PostgREST's session settings: the `alter role … set` values of each role it switches to (user-settable ones only),
 * on top of those of the role it logs in as (Supabase's `authenticator`, whose 8 s statement_timeout is what
 * service_role requests get); and the time zone names `Prefer: timezone=` may use.
 */
async function loadSessionSettings(db: Queryable): Promise<SessionSettings> {
  const { rows } = await db.query<{ rolname: string; name: string; value: string }>(
    `select r.rolname::text as rolname, split_part(c.setting, '=', 1) as name,
            lower(substr(c.setting, strpos(c.setting, '=') + 1)) as value
       from pg_roles r cross join lateral unnest(r.rolconfig) as c(setting)
       join pg_settings ps on ps.name = split_part(c.setting, '=', 1) and ps.context = 'user'
      where r.rolname in ('authenticator', 'anon', 'authenticated', 'service_role')
        and split_part(c.setting, '=', 1) <> 'default_transaction_isolation'`,
  );
  const of = (role: string): [string, string][] => rows.filter((r) => r.rolname === role).map((r) => [r.name, r.value]);
  const login = of("authenticator");
  const byRole = new Map<string, [string, string][]>();
  for (const role of ["anon", "authenticated", "service_role"]) {
    const own = of(role);
    byRole.set(role, [...login.filter(([name]) => !own.some(([n]) => n === name)), ...own]);
  }
  const zones = await db.query<{ name: string }>("select name from pg_timezone_names");
  return { byRole, timezones: new Set(zones.rows.map((z) => z.name)) };
}

/** Headers visible to SQL as request.headers (as PostgREST sets them), minus credentials. */
const HIDDEN_HEADERS = new Set(["authorization", "apikey", "cookie"]);
function requestHeadersJson(headers: Record<string, string | undefined>): string {
  const visible: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HIDDEN_HEADERS.has(name)) visible[name] = value;
  }
  return JSON.stringify(visible);
}

export function errorResponse(err: ApiError): RestResponse {
  return {
    status: err.status,
    ...(err.statusText ? { statusText: err.statusText } : {}),
    headers: { "content-type": JSON_TYPE, ...err.headers },
    body: JSON.stringify(err.toBody()),
  };
}

/** PostgREST 12 answers a path it cannot route, or a write to an unknown table, with 404 and an empty object. */
class NotFoundError extends ApiError {
  constructor() {
    super(404, "", "Not found");
  }
}

function notFoundResponse(): RestResponse {
  return { status: 404, headers: { "content-type": JSON_TYPE }, body: "{}" };
}

// ---------- planning ----------

function planRequest(req: RestRequest, ctx: PlanContext): Plan {
  const method = req.method.toUpperCase();
  const segments = req.path.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment; // a malformed escape names nothing that exists: the lookup below answers 404
    }
  });
  if (segments.length === 2 && segments[0] === "rpc" && segments[1]) return planRpc(req, method, segments[1], ctx);
  if (segments.length !== 1 || !segments[0]) throw new NotFoundError();
  const relationName = segments[0];
  const rel = ctx.catalog.relations.get(relationName);
  if (!rel) {
    // A read of an unknown relation reaches Postgres in PostgREST 12 (42P01, 404); a write is refused before it.
    if (method === "GET" || method === "HEAD") {
      throw new CatalogMissError(404, "42P01", `relation "${SERVED_SCHEMA}.${relationName}" does not exist`);
    }
    if (["POST", "PATCH", "DELETE"].includes(method)) throw new NotFoundError();
  }
  switch (method) {
    case "GET":
    case "HEAD":
      return planRead(req, method, rel as Relation, ctx);
    case "POST":
      return planInsert(req, rel as Relation, ctx);
    case "PATCH":
      return planUpdate(req, rel as Relation, ctx);
    case "DELETE":
      return planDelete(req, rel as Relation, ctx);
    case "PUT":
      throw unsupported("PUT (single-row upsert)");
    default:
      throw new ApiError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
  }
}

const ROOT_RESERVED = new Set(["select", "columns", "on_conflict"]);
const OPERATOR_VALUE = /^(not\.)?[a-z]+(\((any|all)\))?\./;

/**
 * `forRpcRead`: in a GET/HEAD rpc a parameter whose value has no operator (`name=value`) is an argument of the
 * function, as PostgREST reads it; everywhere else it is a malformed filter.
 */
function parseQuery(query: URLSearchParams, forRpcRead = false): ParsedQuery {
  const parsed: ParsedQuery = { select: [{ kind: "star" }], modifiers: new Map(), columns: null, onConflict: null, rpcArgs: new Map() };
  const seen = new Set<string>();
  const levelAt = (path: string): LevelModifiers => {
    let level = parsed.modifiers.get(path);
    if (!level) {
      level = emptyModifiers();
      parsed.modifiers.set(path, level);
    }
    return level;
  };
  const once = (key: string): void => {
    if (seen.has(key)) throw parseError(`"${key}" given more than once`);
    seen.add(key);
  };
  for (const [key, value] of query.entries()) {
    if (ROOT_RESERVED.has(key)) {
      once(key);
      if (key === "select") parsed.select = parseSelect(value);
      else if (key === "columns") parsed.columns = parseColumnList("columns", value);
      else parsed.onConflict = parseColumnList("on_conflict", value);
      continue;
    }
    const parts = key.split(".");
    const last = parts[parts.length - 1] ?? "";
    const beforeLast = parts[parts.length - 2];
    if (last === "or" || last === "and") {
      const negate = beforeLast === "not";
      const path = parts.slice(0, negate ? -2 : -1).join(".");
      levelAt(path).logic.push(parseLogic(last, negate, value));
      continue;
    }
    if (last === "order" || last === "limit" || last === "offset") {
      once(key);
      const level = levelAt(parts.slice(0, -1).join("."));
      if (last === "order") level.order = parseOrder(value);
      else if (last === "limit") level.limit = parseNonNegativeInt(key, value);
      else level.offset = parseNonNegativeInt(key, value);
      continue;
    }
    if (forRpcRead && !OPERATOR_VALUE.test(value)) {
      if (parsed.rpcArgs.has(key)) throw parseError(`function argument "${key}" given more than once`);
      parsed.rpcArgs.set(key, value);
      continue;
    }
    if (last === "" || parts.some((p) => p === "")) throw parseError(`"failed to parse query parameter (${key})"`);
    if (last.includes("->")) throw unsupported("JSON path (->, ->>) in filters");
    levelAt(parts.slice(0, -1).join(".")).filters.push(parseFilterValue(last, value, key));
  }
  return parsed;
}

/** PostgREST reads the Range header on GET only (RFC 9110); other methods ignore it. */
function applyRangeHeader(req: RestRequest, method: string, modifiers: ModifiersByPath): void {
  if (method !== "GET") return;
  let range: ReturnType<typeof parseRangeHeader>;
  try {
    range = parseRangeHeader(req.headers.range);
  } catch (err) {
    if (err instanceof RangeHeaderError) {
      throw new ApiError(416, "PGRST103", "Requested range not satisfiable",
        "The lower boundary must be lower than or equal to the upper boundary in the Range header.");
    }
    throw err;
  }
  if (!range) return;
  const top = modifiers.get("") ?? emptyModifiers();
  if (top.limit !== null || top.offset !== null) throw unsupported("a Range header together with limit/offset parameters");
  top.offset = range.offset;
  top.limit = range.limit;
  modifiers.set("", top);
}

interface ReadResultRow {
  body: string;
  row_count: number;
  total?: number | string;
}

const formatOf = (shape: ResponseShape): RowFormat => (shape === "csv" ? "csv" : "json");
const contentTypeOf = (shape: ResponseShape): string => (shape === "csv" ? CSV_TYPE : shape === "object" ? OBJECT_TYPE : JSON_TYPE);

function planRead(req: RestRequest, method: string, rel: Relation, ctx: PlanContext): Plan {
  const { prefs, shape } = ctx;
  const q = parseQuery(req.query);
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on a read");
  applyRangeHeader(req, method, q.modifiers);
  const builder = new SqlBuilder(ctx.catalog, q.modifiers, ctx.maxRows);
  const sql = builder.readQuery(rel.name, q.select, isCounted(prefs), formatOf(shape));
  const offset = q.modifiers.get("")?.offset ?? 0;
  const applied = preferenceApplied(prefs, ["count", "handling", "timezone"]);
  return {
    readOnly: true,
    async run(tx) {
      const { rows } = await tx.query<ReadResultRow>(sql, builder.params.values);
      const row = rows[0] ?? { body: "[]", row_count: 0 };
      const total = row.total === undefined ? null : Number(row.total);
      const response = shapeReadResponse(method, shape, row, offset, total);
      return withHeaders(response, ctx.profileHeaders, applied);
    },
  };
}

/** `count=planned|estimated` are answered with the exact count (a correct estimate) here. */
const isCounted = (prefs: Preferences): boolean => prefs.count !== null;

function withHeaders(response: RestResponse, profileHeaders: Record<string, string>, applied: string | null): RestResponse {
  if (response.status >= 400) return response;
  const headers = { ...response.headers };
  if (headers["content-type"]) Object.assign(headers, profileHeaders);
  if (applied) headers["preference-applied"] = applied;
  return { ...response, headers };
}

/** PostgREST's Content-Range: `first-last/total`, `*` for an unknown total, and `*` for an empty range or total 0. */
function contentRange(lower: number, upper: number, total: number | null): string {
  const totalText = total === null ? "*" : String(total);
  return total !== 0 && lower <= upper ? `${lower}-${upper}/${totalText}` : `*/${totalText}`;
}

function singleObjectError(rowCount: number): ApiError {
  return new ApiError(406, "PGRST116", "JSON object requested, multiple (or no) rows returned", `The result contains ${rowCount} rows`);
}

function shapeReadResponse(method: string, shape: ResponseShape, row: ReadResultRow, offset: number, total: number | null): RestResponse {
  const range = contentRange(offset, offset + row.row_count - 1, total);
  if (shape === "object") {
    if (row.row_count !== 1) return errorResponse(singleObjectError(row.row_count));
    return { status: 200, headers: { "content-type": OBJECT_TYPE, "content-range": range }, body: method === "HEAD" ? null : unwrapSingle(row.body) };
  }
  let status = 200;
  if (total !== null) {
    if (offset > total) {
      return errorResponse(new ApiError(416, "PGRST103", "Requested range not satisfiable",
        `An offset of ${offset} was requested, but there are only ${total} rows.`));
    }
    if (row.row_count < total) status = 206;
  }
  return { status, headers: { "content-type": contentTypeOf(shape), "content-range": range }, body: method === "HEAD" ? null : row.body };
}

/** json_agg text of exactly one element → that element's text. */
function unwrapSingle(arrayText: string): string {
  return arrayText.trim().slice(1, -1).trim();
}

/**
 * The request body, validated and described but never re-serialised (see json.ts), or undefined when empty.
 * Invalid JSON, like PostgREST, is 400 PGRST102 "Empty or invalid json".
 */
function parseJsonBody(req: RestRequest): JsonShape | undefined {
  const type = (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new ApiError(415, "PGRST107", `Content-Type not acceptable: ${type ?? ""}`, null, "Send application/json");
  if (req.body.trim() === "") return undefined;
  try {
    return scanJson(req.body);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new ApiError(400, "PGRST102", "Empty or invalid json", err.message);
    throw err;
  }
}

interface MutationRow {
  body?: string;
  row_count: number;
  inserted?: number;
}

interface MutationResponseRules {
  status: { representation: number; minimal: number };
  /** The Content-Range of the answer for `n` affected rows and the counted total (null without Prefer: count). */
  range: (n: number, total: number | null) => string;
  applied: string | null;
  /** Upserts with merge-duplicates answer 200 instead of 201 when every row was an update. */
  upsertMerge?: boolean;
}

/** Runs a mutation planned as either a representation query or a plain statement, then shapes the answer. */
function mutationPlan(
  ctx: PlanContext,
  rules: MutationResponseRules,
  representation: { sql: string; params: unknown[] } | null,
  minimal: { sql: string; params: unknown[] }[],
): Plan {
  const { prefs, shape } = ctx;
  return {
    readOnly: false,
    async run(tx) {
      let rowCount = 0;
      let inserted = 0;
      let body: string | null = null;
      if (representation) {
        const { rows } = await tx.query<MutationRow>(representation.sql, representation.params);
        rowCount = rows[0]?.row_count ?? 0;
        inserted = Number(rows[0]?.inserted ?? 0);
        body = rows[0]?.body ?? "[]";
      } else {
        for (const statement of minimal) {
          const result = await tx.query<{ inserted: boolean }>(statement.sql, statement.params);
          rowCount += result.rowCount;
          inserted += result.rows.filter((r) => r.inserted).length;
        }
      }
      if (prefs.handling === "strict" && prefs.maxAffected !== null && rowCount > prefs.maxAffected) {
        throw new ApiError(400, "PGRST124", "Query result exceeds max-affected preference constraint", `The query affects ${rowCount} rows`);
      }
      if (shape === "object" && rowCount !== 1) throw singleObjectError(rowCount);
      const headers: Record<string, string> = { "content-range": rules.range(rowCount, isCounted(prefs) ? rowCount : null) };
      let status = representation ? rules.status.representation : rules.status.minimal;
      if (rules.upsertMerge && inserted === 0 && status === 201) status = 200;
      if (representation) {
        headers["content-type"] = contentTypeOf(shape);
        return withHeaders({ status, headers, body: shape === "object" && body ? unwrapSingle(body) : body }, ctx.profileHeaders, rules.applied);
      }
      return withHeaders({ status, headers, body: null }, ctx.profileHeaders, rules.applied);
    },
  };
}

const insertRange = (_n: number, total: number | null): string => contentRange(1, 0, total);
const updateRange = (n: number, total: number | null): string => contentRange(0, n - 1, total);

function planInsert(req: RestRequest, rel: Relation, ctx: PlanContext): Plan {
  const { prefs } = ctx;
  const q = parseQuery(req.query);
  const top = q.modifiers.get("");
  if (top && (top.filters.length || top.logic.length || top.order.length || top.limit !== null || top.offset !== null)) {
    throw unsupported("filters, order or paging on POST");
  }
  if (prefs.return === "headers-only") throw unsupported("Prefer: return=headers-only");
  const payload = parseJsonBody(req);
  const rows: JsonShape[] = payload?.kind === "array" ? payload.items : payload ? [payload] : [];
  const objects = rows.filter((r): r is Extract<JsonShape, { kind: "object" }> => r.kind === "object");
  if (payload === undefined || payload.kind === "scalar" || objects.length !== rows.length) {
    throw new ApiError(400, "PGRST102", payload?.kind === "array" ? "All object keys must match" : "Empty or invalid json",
      "POST expects a JSON object or an array of objects");
  }
  if (!q.columns && objects.length > 1) {
    const canonical = new Set(objects[0]?.keys);
    const uniform = objects.every((o) => new Set(o.keys).size === canonical.size && o.keys.every((k) => canonical.has(k)));
    // Without ?columns=, PostgREST takes the columns from the rows and needs them alike (supabase-js sends columns=).
    if (!uniform) throw new ApiError(400, "PGRST102", "All object keys must match", "Send ?columns= to insert rows with different keys");
  }
  const builder = new SqlBuilder(ctx.catalog, q.modifiers);
  const columns = q.columns ?? [...new Set(objects.flatMap((o) => o.keys))];
  builder.checkColumns(rel, columns);

  let conflictTarget: string[] | null = null;
  if (prefs.resolution) {
    conflictTarget = q.onConflict ?? rel.primaryKey;
    if (conflictTarget.length === 0) throw new ApiError(400, "PGRST100", `'${rel.name}' has no primary key: give on_conflict for an upsert`);
    builder.checkColumns(rel, conflictTarget);
  } else if (q.onConflict) {
    throw unsupported("on_conflict without Prefer: resolution=merge-duplicates|ignore-duplicates");
  }
  /** ON CONFLICT for a statement writing `cols`: a merge updates only the columns that statement wrote. */
  const conflictFor = (cols: string[]): string => {
    if (!conflictTarget) return "";
    const target = conflictTarget;
    const updatable = cols.filter((c) => !target.includes(c));
    const on = ` on conflict (${target.map(quoteIdent).join(", ")})`;
    if (prefs.resolution === "ignore-duplicates" || updatable.length === 0) return `${on} do nothing`;
    return `${on} do update set ${updatable.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(", ")}`;
  };

  // Rows grouped by the columns each statement writes: all given columns (absent keys → null, PostgREST's
  // default), or with missing=default each row's own keys so absent columns take their defaults. Each group's
  // rows are the request's own text, so values reach Postgres exactly as sent.
  const groups = new Map<string, { cols: string[]; texts: string[] }>();
  for (const o of objects) {
    const cols = prefs.missing === "default" ? columns.filter((c) => o.keys.includes(c)) : columns;
    const key = JSON.stringify(cols);
    const group = groups.get(key) ?? { cols, texts: [] };
    group.texts.push(o.text);
    groups.set(key, group);
  }
  const relSql = quoteIdent(rel.name);
  const insertSql = (cols: string[], param: string, returning: string): string =>
    cols.length === 0
      ? `insert into ${relSql} select from json_array_elements(${param}::json)${conflictFor(cols)}${returning}` // all defaults
      : `insert into ${relSql} (${cols.map(quoteIdent).join(", ")}) select ${cols.map(quoteIdent).join(", ")} from json_populate_recordset(null::${relSql}, ${param}::json)${conflictFor(cols)}${returning}`;
  const rowsText = (texts: string[]): string => `[${texts.join(",")}]`;

  const rules: MutationResponseRules = {
    status: { representation: 201, minimal: 201 },
    range: insertRange,
    // resolution is reported only where it can apply (a primary key or on_conflict)
    applied: preferenceApplied(
      rel.primaryKey.length || q.onConflict ? prefs : { ...prefs, resolution: null },
      ["resolution", "missing", "return", "count", "handling", "timezone"],
    ),
    upsertMerge: prefs.resolution === "merge-duplicates",
  };
  if (objects.length === 0) return emptyMutation(ctx, rules);
  // xmax = 0 marks a row this statement inserted (not one an upsert updated).
  if (prefs.return !== "representation") {
    const statements = [...groups.values()].map((g) => ({ sql: insertSql(g.cols, "$1", " returning (xmax = 0) as inserted"), params: [rowsText(g.texts)] }));
    builder.assertModifierPathsKnown(); // embedded filters need a representation that embeds them
    return mutationPlan(ctx, rules, null, statements);
  }
  const ctes = [...groups.values()].map((g, i) =>
    `_ins${i} as (${insertSql(g.cols, builder.params.add(rowsText(g.texts)), ` returning ${relSql}.*, (xmax = 0) as "_pgrst_inserted"`)})`);
  const union = `_mutated as (${ctes.map((_, i) => `select * from _ins${i}`).join(" union all ")})`;
  const read = builder.readFrom(builder.relationSource(rel), "_mutated", q.select, false, emptyModifiers(), formatOf(ctx.shape));
  const inserted = `(select count(*) from _mutated where "_pgrst_inserted")::int as inserted`;
  return mutationPlan(ctx, rules, { sql: `with ${ctes.join(", ")}, ${union} select _read.*, ${inserted} from (${read}) as _read`, params: builder.params.values }, []);
}

function emptyMutation(ctx: PlanContext, rules: MutationResponseRules): Plan {
  const { prefs, shape } = ctx;
  return {
    readOnly: false,
    async run() {
      if (shape === "object") throw singleObjectError(0);
      const headers: Record<string, string> = { "content-range": rules.range(0, isCounted(prefs) ? 0 : null) };
      const response = prefs.return === "representation"
        ? { status: rules.status.representation, headers: { ...headers, "content-type": contentTypeOf(shape) }, body: shape === "csv" ? "\n" : "[]" }
        : { status: rules.status.minimal, headers, body: null };
      return withHeaders(response, ctx.profileHeaders, rules.applied);
    },
  };
}

function planUpdate(req: RestRequest, rel: Relation, ctx: PlanContext): Plan {
  const { prefs } = ctx;
  const q = parseQuery(req.query);
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on PATCH");
  const payload = parseJsonBody(req);
  if (payload?.kind !== "object") throw new ApiError(400, "PGRST102", "Empty or invalid json", "PATCH expects one JSON object");
  const builder = new SqlBuilder(ctx.catalog, q.modifiers);
  const columns = payload.keys;
  builder.checkColumns(rel, columns);
  const alias = builder.nextAlias();
  const where = builder.mutationWhere(rel, alias);
  if (where.length === 0) throw new ApiError(400, "21000", "UPDATE requires a WHERE clause", null, "Add a filter; updating every row is refused");
  const rules: MutationResponseRules = {
    status: { representation: 200, minimal: 204 },
    range: updateRange,
    applied: preferenceApplied(prefs, ["return", "count", "missing", "handling", "timezone", "max-affected"]),
  };
  if (columns.length === 0) return emptyMutation(ctx, rules);
  const bodyParam = builder.params.add(payload.text);
  const relSql = quoteIdent(rel.name);
  const update = (returning: string): string =>
    `update ${relSql} as ${alias} set ${columns.map((c) => `${quoteIdent(c)} = _body.${quoteIdent(c)}`).join(", ")}
       from json_populate_record(null::${relSql}, ${bodyParam}::json) as _body where ${where.join(" and ")}${returning}`;
  if (prefs.return !== "representation") {
    builder.assertModifierPathsKnown(); // embedded filters need a representation that embeds them
    return mutationPlan(ctx, rules, null, [{ sql: update(""), params: builder.params.values }]);
  }
  const read = builder.readFrom(builder.relationSource(rel), "_mutated", q.select, false, emptyModifiers(), formatOf(ctx.shape));
  return mutationPlan(ctx, rules, { sql: `with _mutated as (${update(` returning ${alias}.*`)}) ${read}`, params: builder.params.values }, []);
}

function planDelete(req: RestRequest, rel: Relation, ctx: PlanContext): Plan {
  const { prefs } = ctx;
  const q = parseQuery(req.query);
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on DELETE");
  const builder = new SqlBuilder(ctx.catalog, q.modifiers);
  const alias = builder.nextAlias();
  const where = builder.mutationWhere(rel, alias);
  if (where.length === 0) throw new ApiError(400, "21000", "DELETE requires a WHERE clause", null, "Add a filter; deleting every row is refused");
  const rules: MutationResponseRules = {
    status: { representation: 200, minimal: 204 },
    range: insertRange,
    applied: preferenceApplied(prefs, ["return", "count", "handling", "timezone", "max-affected"]),
  };
  const del = (returning: string): string => `delete from ${quoteIdent(rel.name)} as ${alias} where ${where.join(" and ")}${returning}`;
  if (prefs.return !== "representation") {
    builder.assertModifierPathsKnown(); // embedded filters need a representation that embeds them
    return mutationPlan(ctx, rules, null, [{ sql: del(""), params: builder.params.values }]);
  }
  const read = builder.readFrom(builder.relationSource(rel), "_mutated", q.select, false, emptyModifiers(), formatOf(ctx.shape));
  return mutationPlan(ctx, rules, { sql: `with _mutated as (${del(` returning ${alias}.*`)}) ${read}`, params: builder.params.values }, []);
}

// ---------- rpc ----------

function planRpc(req: RestRequest, method: string, name: string, ctx: PlanContext): Plan {
  const { catalog, prefs, shape } = ctx;
  if (prefs.params === "single-object") throw unsupported("Prefer: params=single-object");
  const overloads = catalog.functions.get(name) ?? [];
  let args: Record<string, unknown>;
  let argsText: string | null;
  let q: ParsedQuery;
  if (method === "GET" || method === "HEAD") {
    q = parseQuery(req.query, true);
    args = Object.fromEntries(q.rpcArgs);
    argsText = q.rpcArgs.size ? JSON.stringify(args) : null;
  } else if (method === "POST") {
    q = parseQuery(req.query);
    const payload = parseJsonBody(req);
    if (payload !== undefined && payload.kind !== "object") {
      throw new ApiError(400, "PGRST102", "Empty or invalid json", "rpc expects a JSON object of named arguments");
    }
    args = Object.fromEntries((payload?.keys ?? []).map((k) => [k, true]));
    argsText = payload?.text ?? null;
  } else {
    throw new ApiError(405, "PGRST101", `Cannot use the ${method} method on RPC`);
  }
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on rpc");
  const given = Object.keys(args);
  const fitting = overloads.filter(
    (f) => given.every((g) => f.args.some((a) => a.name === g)) && f.args.every((a) => a.hasDefault || given.includes(a.name)),
  );
  if (fitting.length === 0) {
    const list = [...given].sort().join(", ");
    const withParams = given.length === 0 ? " without parameters" : ` with parameter${given.length > 1 ? "s" : ""} ${list}`;
    throw new CatalogMissError(404, "PGRST202",
      `Could not find the function ${SERVED_SCHEMA}.${name}${given.length ? `(${list})` : ""} in the schema cache`,
      `Searched for the function ${SERVED_SCHEMA}.${name}${withParams}${method === "POST" ? " or with a single unnamed json/jsonb parameter" : ""}, but no matches were found in the schema cache.`,
      overloads.length ? `Known signatures: ${overloads.map((f) => `${name}(${f.args.map((a) => a.name).join(", ")})`).join("; ")}` : null);
  }
  if (fitting.length > 1) {
    throw new ApiError(300, "PGRST203",
      `Could not choose the best candidate function between: ${fitting.map((f) => `${SERVED_SCHEMA}.${name}(${f.args.map((a) => `${a.name} => ${a.type}`).join(", ")})`).join(", ")}`,
      null, "Try renaming the parameters or the function itself in the database so function overloading can be resolved");
  }
  const fn = fitting[0] as DbFunction;
  const builder = new SqlBuilder(catalog, q.modifiers, ctx.maxRows);
  const usedArgs = fn.args.filter((a) => given.includes(a.name));
  const argsParam = usedArgs.length && argsText !== null ? builder.params.add(argsText) : null;
  const argsFrom = argsParam
    ? `json_to_record(${argsParam}::json) as _args(${usedArgs.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(", ")})`
    : null;
  const call = `${quoteIdent(fn.name)}(${usedArgs.map((a) => `${quoteIdent(a.name)} => _args.${quoteIdent(a.name)}`).join(", ")})`;
  // PostgREST's access mode: read-only for GET/HEAD, and for POST unless the function is volatile.
  const readOnly = method !== "POST" || fn.volatility !== "volatile";
  const hasModifiers = [...q.modifiers.values()].some((m) => m.filters.length || m.logic.length || m.order.length || m.limit !== null || m.offset !== null);
  const selectGiven = req.query.has("select");
  const applied = preferenceApplied(prefs, ["params", "count", "handling", "timezone", "max-affected"]);

  if (fn.returnsComposite && fn.returnsSet) applyRangeHeader(req, method, q.modifiers);
  if (fn.returnsVoid || (!fn.returnsComposite && !fn.returnsSet)) {
    if (hasModifiers || selectGiven) throw unsupported(`select/filters/order/paging on the scalar function '${name}'`);
    if (shape === "csv") throw unsupported(`text/csv from the scalar function '${name}'`);
    const sql = argsFrom ? `select to_json(${call})::text as body from ${argsFrom}` : `select to_json(${call})::text as body`;
    return {
      readOnly,
      async run(tx) {
        const { rows } = await tx.query<{ body: string | null }>(sql, builder.params.values);
        const headers = { "content-range": contentRange(0, 0, isCounted(prefs) ? 1 : null) };
        const response: RestResponse = fn.returnsVoid
          ? { status: 204, headers, body: null }
          : { status: 200, headers: { ...headers, "content-type": JSON_TYPE }, body: method === "HEAD" ? null : (rows[0]?.body ?? "null") };
        return withHeaders(response, ctx.profileHeaders, applied);
      },
    };
  }
  const fromCall = argsFrom ? `from ${argsFrom} cross join lateral ${call} as _fn` : `from ${call} as _fn`;
  let sql: string;
  if (!fn.returnsComposite) {
    if (hasModifiers || selectGiven) throw unsupported(`select/filters/order/paging on the set of scalars returned by '${name}'`);
    if (shape === "csv") throw unsupported(`text/csv from the set of scalars returned by '${name}'`);
    const limit = ctx.maxRows === null ? "" : ` limit ${builder.params.add(ctx.maxRows)}`;
    sql = `with _rpc as (select _fn as v ${fromCall}${limit}) select coalesce(json_agg(v), '[]'::json)::text as body, count(*)::int as row_count from _rpc`;
  } else {
    const outColumns = new Map<string, Column>(fn.outColumns.map((c) => [c.name, { name: c.name, type: c.type, nullable: true, hasDefault: false }]));
    const source = builder.functionSource(fn, outColumns.size ? outColumns : null);
    sql = `with _rpc as (select _fn.* ${fromCall}) ${builder.readFrom(source, "_rpc", q.select, isCounted(prefs), undefined, formatOf(shape))}`;
  }
  const offset = q.modifiers.get("")?.offset ?? 0;
  const singleComposite = fn.returnsComposite && !fn.returnsSet;
  return {
    readOnly,
    async run(tx) {
      const { rows } = await tx.query<ReadResultRow>(sql, builder.params.values);
      const row = rows[0] ?? { body: "[]", row_count: 0 };
      if (prefs.handling === "strict" && prefs.maxAffected !== null && row.row_count > prefs.maxAffected) {
        throw new ApiError(400, "PGRST124", "Query result exceeds max-affected preference constraint", `The query affects ${row.row_count} rows`);
      }
      let response: RestResponse;
      if (singleComposite && shape !== "csv") {
        response = {
          status: 200,
          headers: { "content-type": JSON_TYPE, "content-range": contentRange(0, row.row_count - 1, isCounted(prefs) ? row.row_count : null) },
          body: method === "HEAD" ? null : row.row_count === 1 ? unwrapSingle(row.body) : "null",
        };
      } else {
        const total = row.total === undefined ? null : Number(row.total);
        response = shapeReadResponse(method, shape, row, offset, total);
      }
      return withHeaders(response, ctx.profileHeaders, applied);
    },
  };
}
