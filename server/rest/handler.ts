/**
 * /rest/v1: the PostgREST subset. Each request is parsed, checked against the catalog and turned
 * into one SQL statement (with bind parameters) run in its own transaction as the token's role,
 * with request.jwt.claims set, so Postgres RLS decides what comes back.
 */
import type { Engine, Queryable } from "../db/engine.ts";
import type { TokenClaims } from "../auth/jwt.ts";
import { catalogFingerprint, EXPOSED_SCHEMA, loadCatalog, type Catalog, type Column, type DbFunction, type Relation } from "./catalog.ts";
import { ApiError, CatalogMissError, isPgError, parseError, toApiError, unsupported } from "./errors.ts";
import {
  parseAccept, parseColumnList, parseFilterValue, parseLogic, parseNonNegativeInt, parseOrder, parsePrefer,
  parseRangeHeader, parseSelect, RangeHeaderError, type Preferences, type ResponseShape, type SelectItem,
} from "./parse.ts";
import { emptyModifiers, quoteIdent, SqlBuilder, type LevelModifiers, type ModifiersByPath } from "./sql.ts";

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
  headers: Record<string, string>;
  body: string | null;
}

const JSON_TYPE = "application/json; charset=utf-8";
const OBJECT_TYPE = "application/vnd.pgrst.object+json; charset=utf-8";

interface ParsedQuery {
  select: SelectItem[];
  modifiers: ModifiersByPath;
  columns: string[] | null;
  onConflict: string[] | null;
  /** Parameters that name arguments of the RPC being called (GET/HEAD rpc only). */
  rpcArgs: Map<string, string>;
}

/** A planned request: the SQL to run inside the request transaction and how to shape the answer. */
interface Plan {
  readOnly: boolean;
  run(tx: Queryable): Promise<RestResponse>;
}

class RollbackWithResponse extends Error {
  constructor(readonly response: RestResponse) {
    super("tx=rollback");
  }
}

export class RestService {
  private catalog: Catalog | null = null;
  private loading: Promise<Catalog> | null = null;

  constructor(private readonly engine: Engine) {}

  /** Forget the schema cache (after migrations, or when SQL says an object vanished). */
  invalidateCatalog(): void {
    this.catalog = null;
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

  async handle(req: RestRequest): Promise<RestResponse> {
    const role = req.claims.role;
    try {
      const plan = await this.planWithFreshCatalogOnMiss(req);
      return await this.execute(req, plan);
    } catch (err) {
      if (err instanceof RollbackWithResponse) return err.response;
      if (isPgError(err) && ["42P01", "42703", "42883"].includes(err.code)) this.invalidateCatalog();
      const apiError = toApiError(err, role);
      return errorResponse(apiError);
    }
  }

  /** Plans against the cached catalog; on an unknown name, reloads once if the schema changed since. */
  private async planWithFreshCatalogOnMiss(req: RestRequest): Promise<Plan> {
    const catalog = await this.getCatalog();
    try {
      return planRequest(req, catalog);
    } catch (err) {
      if (!(err instanceof CatalogMissError)) throw err;
      if ((await catalogFingerprint(this.engine)) === catalog.fingerprint) throw err;
      return planRequest(req, await this.getCatalog(true));
    }
  }

  private async execute(req: RestRequest, plan: Plan): Promise<RestResponse> {
    return this.engine.transaction(async (tx) => {
      await tx.query(
        // UTC like a Supabase project, so date arithmetic and rendered timestamps do not depend on the host.
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                set_config('request.method', $3, true), set_config('request.path', $4, true),
                set_config('timezone', 'UTC', true), set_config('request.headers', $5, true)` +
          (plan.readOnly ? `, set_config('transaction_read_only', 'on', true)` : ""),
        [req.claims.role, JSON.stringify(req.claims), req.method, `/rest/v1/${req.path}`, requestHeadersJson(req.headers)],
      );
      return plan.run(tx);
    });
  }
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
  return { status: err.status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(err.toBody()) };
}

// ---------- planning ----------

function planRequest(req: RestRequest, catalog: Catalog): Plan {
  const method = req.method.toUpperCase();
  const profile = ["GET", "HEAD"].includes(method) ? req.headers["accept-profile"] : req.headers["content-profile"];
  if (profile !== undefined && profile !== EXPOSED_SCHEMA) {
    throw new ApiError(406, "PGRST106", `The schema must be one of the following: ${EXPOSED_SCHEMA}`);
  }
  const accept = req.headers.accept;
  if (accept && /nulls=stripped/i.test(accept)) throw unsupported("Accept: …;nulls=stripped");
  const shape = parseAccept(accept);
  if (!shape) throw new ApiError(406, "PGRST107", `None of these media types are available: ${accept ?? ""}`);
  const prefs = parsePrefer(req.headers.prefer);

  let segments: string[];
  try {
    segments = req.path.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    throw new ApiError(404, "PGRST125", `Invalid path specified in request URL: /rest/v1/${req.path}`);
  }
  if (segments.length === 2 && segments[0] === "rpc" && segments[1]) {
    return planRpc(req, method, segments[1], catalog, shape, prefs);
  }
  if (segments.length !== 1 || !segments[0]) {
    throw new ApiError(404, "PGRST125", `Invalid path specified in request URL: /rest/v1/${req.path}`);
  }
  const relationName = segments[0];
  const rel = catalog.relations.get(relationName);
  if (!rel) {
    throw new CatalogMissError(404, "PGRST205", `Could not find the table '${EXPOSED_SCHEMA}.${relationName}' in the schema cache`);
  }
  if (req.headers.range !== undefined && method !== "GET" && method !== "HEAD") throw unsupported(`a Range header on ${method}`);
  switch (method) {
    case "GET":
    case "HEAD":
      return planRead(req, method, rel, catalog, shape, prefs);
    case "POST":
      return planInsert(req, rel, catalog, shape, prefs);
    case "PATCH":
      return planUpdate(req, rel, catalog, shape, prefs);
    case "DELETE":
      return planDelete(req, rel, catalog, shape, prefs);
    default:
      throw new ApiError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
  }
}

const ROOT_RESERVED = new Set(["select", "columns", "on_conflict"]);

function parseQuery(query: URLSearchParams, rpcArgNames: Set<string> = new Set()): ParsedQuery {
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
    if (rpcArgNames.has(key)) {
      if (parsed.rpcArgs.has(key)) throw parseError(`function argument "${key}" given more than once`);
      parsed.rpcArgs.set(key, value);
      continue;
    }
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
    if (last === "" || parts.some((p) => p === "")) throw parseError(`"failed to parse query parameter (${key})"`);
    if (last.includes("->")) throw unsupported("JSON path (->, ->>) in filters");
    levelAt(parts.slice(0, -1).join(".")).filters.push(parseFilterValue(last, value, key));
  }
  return parsed;
}

function applyRangeHeader(req: RestRequest, modifiers: ModifiersByPath): void {
  let range: ReturnType<typeof parseRangeHeader>;
  try {
    range = parseRangeHeader(req.headers.range);
  } catch (err) {
    if (err instanceof RangeHeaderError) throw new ApiError(416, "PGRST103", "Requested range not satisfiable", `Invalid Range header: ${err.header}`);
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

function planRead(req: RestRequest, method: string, rel: Relation, catalog: Catalog, shape: ResponseShape, prefs: Preferences): Plan {
  assertNoWritePrefs(prefs, method);
  const q = parseQuery(req.query);
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on a read");
  applyRangeHeader(req, q.modifiers);
  const builder = new SqlBuilder(catalog, q.modifiers);
  const sql = builder.readQuery(rel.name, q.select, prefs.count === "exact");
  const offset = q.modifiers.get("")?.offset ?? 0;
  return {
    readOnly: true,
    async run(tx) {
      const { rows } = await tx.query<ReadResultRow>(sql, builder.params.values);
      const row = rows[0] ?? { body: "[]", row_count: 0 };
      const total = row.total === undefined ? null : Number(row.total);
      return shapeReadResponse(method, shape, row, offset, total);
    },
  };
}

function contentRange(offset: number, rowCount: number, total: number | null): string {
  const totalText = total === null ? "*" : String(total);
  return rowCount === 0 ? `*/${totalText}` : `${offset}-${offset + rowCount - 1}/${totalText}`;
}

function singleObjectError(rowCount: number): ApiError {
  return new ApiError(406, "PGRST116", "JSON object requested, multiple (or no) rows returned", `The result contains ${rowCount} rows`);
}

function shapeReadResponse(method: string, shape: ResponseShape, row: ReadResultRow, offset: number, total: number | null): RestResponse {
  if (shape === "object") {
    if (row.row_count !== 1) return errorResponse(singleObjectError(row.row_count));
    return {
      status: 200,
      headers: { "content-type": OBJECT_TYPE, "content-range": contentRange(offset, 1, total) },
      body: method === "HEAD" ? null : unwrapSingle(row.body),
    };
  }
  let status = 200;
  if (total !== null) {
    if (offset > total) {
      return errorResponse(new ApiError(416, "PGRST103", "Requested range not satisfiable",
        `An offset of ${offset} was requested, but there are only ${total} rows.`));
    }
    if (row.row_count < total) status = 206;
  }
  return {
    status,
    headers: { "content-type": JSON_TYPE, "content-range": contentRange(offset, row.row_count, total) },
    body: method === "HEAD" ? null : row.body,
  };
}

/** json_agg text of exactly one element → that element's text. */
function unwrapSingle(arrayText: string): string {
  return arrayText.trim().slice(1, -1).trim();
}

function assertNoWritePrefs(prefs: Preferences, method: string): void {
  // return=representation is what a read returns anyway (postgrest-js adds it when .select() is chained twice).
  if (prefs.resolution || prefs.missing || prefs.return === "minimal" || prefs.maxAffected !== null || prefs.txRollback) {
    throw unsupported(`Prefer return=minimal/resolution/missing/max-affected/tx on ${method}`);
  }
}

function parseJsonBody(req: RestRequest): unknown {
  const type = (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new ApiError(415, "PGRST107", `Content-Type not acceptable: ${type ?? ""}`, null, "Send application/json");
  if (req.body.trim() === "") return undefined;
  try {
    return JSON.parse(req.body) as unknown;
  } catch (err) {
    throw new ApiError(400, "PGRST102", "Empty or invalid json", (err as Error).message);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface MutationRow {
  body?: string;
  row_count: number;
}

/** Runs a mutation planned as either a representation query or a plain statement, then shapes the answer. */
function mutationPlan(
  prefs: Preferences,
  shape: ResponseShape,
  successStatus: { representation: number; minimal: number },
  representation: { sql: string; params: unknown[] } | null,
  minimal: { sql: string; params: unknown[] }[],
): Plan {
  return {
    readOnly: false,
    async run(tx) {
      let rowCount = 0;
      let body: string | null = null;
      if (representation) {
        const { rows } = await tx.query<MutationRow>(representation.sql, representation.params);
        rowCount = rows[0]?.row_count ?? 0;
        body = rows[0]?.body ?? "[]";
      } else {
        for (const statement of minimal) rowCount += (await tx.query(statement.sql, statement.params)).rowCount;
      }
      if (prefs.maxAffected !== null && rowCount > prefs.maxAffected) {
        throw new ApiError(400, "PGRST124", "Query result exceeds max-affected preference constraint",
          `The query affects ${rowCount} rows`);
      }
      if (shape === "object" && rowCount !== 1) throw singleObjectError(rowCount);
      const headers: Record<string, string> = {};
      if (prefs.count === "exact") headers["content-range"] = contentRange(0, rowCount, rowCount);
      let response: RestResponse;
      if (representation) {
        headers["content-type"] = shape === "object" ? OBJECT_TYPE : JSON_TYPE;
        response = { status: successStatus.representation, headers, body: shape === "object" && body ? unwrapSingle(body) : body };
      } else {
        response = { status: successStatus.minimal, headers, body: null };
      }
      if (prefs.txRollback) throw new RollbackWithResponse(response);
      return response;
    },
  };
}

function planInsert(req: RestRequest, rel: Relation, catalog: Catalog, shape: ResponseShape, prefs: Preferences): Plan {
  const q = parseQuery(req.query);
  const top = q.modifiers.get("");
  if (top && (top.filters.length || top.logic.length || top.order.length || top.limit !== null || top.offset !== null)) {
    throw unsupported("filters, order or paging on POST");
  }
  const payload = parseJsonBody(req);
  const rows = Array.isArray(payload) ? payload : [payload];
  if (payload === undefined || !rows.every(isPlainObject)) {
    throw new ApiError(400, "PGRST102", "Empty or invalid json", "POST expects a JSON object or an array of objects");
  }
  const objects = rows as Record<string, unknown>[];
  const builder = new SqlBuilder(catalog, q.modifiers);
  const columns = q.columns ?? [...new Set(objects.flatMap((o) => Object.keys(o)))];
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
  // default), or with missing=default each row's own keys so absent columns take their defaults.
  const groups = new Map<string, { cols: string[]; rows: Record<string, unknown>[] }>();
  for (const o of objects) {
    const cols = prefs.missing === "default" ? columns.filter((c) => c in o) : columns;
    const key = JSON.stringify(cols);
    const group = groups.get(key) ?? { cols, rows: [] };
    group.rows.push(o);
    groups.set(key, group);
  }
  const relSql = quoteIdent(rel.name);
  const insertSql = (cols: string[], param: string, returning: string): string =>
    cols.length === 0
      ? `insert into ${relSql} select from json_array_elements(${param}::json)${conflictFor(cols)}${returning}` // all defaults
      : `insert into ${relSql} (${cols.map(quoteIdent).join(", ")}) select ${cols.map(quoteIdent).join(", ")} from json_populate_recordset(null::${relSql}, ${param}::json)${conflictFor(cols)}${returning}`;

  const wantRepresentation = prefs.return === "representation";
  const created = { representation: 201, minimal: 201 };
  if (objects.length === 0) {
    return emptyMutation(prefs, shape, created);
  }
  if (!wantRepresentation) {
    const statements = [...groups.values()].map((g) => ({ sql: insertSql(g.cols, "$1", ""), params: [JSON.stringify(g.rows)] }));
    builder.assertModifierPathsKnown(); // embedded filters need a representation that embeds them
    return mutationPlan(prefs, shape, created, null, statements);
  }
  const ctes = [...groups.values()].map((g, i) => `_ins${i} as (${insertSql(g.cols, builder.params.add(JSON.stringify(g.rows)), ` returning ${relSql}.*`)})`);
  const union = `_mutated as (${ctes.map((_, i) => `select * from _ins${i}`).join(" union all ")})`;
  const read = builder.readFrom(builder.relationSource(rel), "_mutated", q.select, false, emptyModifiers());
  return mutationPlan(prefs, shape, created, { sql: `with ${ctes.join(", ")}, ${union} ${read}`, params: builder.params.values }, []);
}

function emptyMutation(prefs: Preferences, shape: ResponseShape, status: { representation: number; minimal: number }): Plan {
  return {
    readOnly: false,
    async run() {
      if (shape === "object") throw singleObjectError(0);
      const headers: Record<string, string> = prefs.count === "exact" ? { "content-range": "*/0" } : {};
      if (prefs.return === "representation") return { status: status.representation, headers: { ...headers, "content-type": JSON_TYPE }, body: "[]" };
      return { status: status.minimal, headers, body: null };
    },
  };
}

function planUpdate(req: RestRequest, rel: Relation, catalog: Catalog, shape: ResponseShape, prefs: Preferences): Plan {
  if (prefs.resolution || prefs.missing) throw unsupported("Prefer resolution/missing on PATCH");
  const q = parseQuery(req.query);
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on PATCH");
  const payload = parseJsonBody(req);
  if (!isPlainObject(payload)) throw new ApiError(400, "PGRST102", "Empty or invalid json", "PATCH expects one JSON object");
  const builder = new SqlBuilder(catalog, q.modifiers);
  const columns = Object.keys(payload);
  builder.checkColumns(rel, columns);
  const alias = builder.nextAlias();
  const where = builder.mutationWhere(rel, alias);
  if (where.length === 0) throw new ApiError(400, "21000", "UPDATE requires a WHERE clause", null, "Add a filter; updating every row is refused");
  const status = { representation: 200, minimal: 204 };
  if (columns.length === 0) return emptyMutation(prefs, shape, status);
  const bodyParam = builder.params.add(JSON.stringify(payload));
  const relSql = quoteIdent(rel.name);
  const update = (returning: string): string =>
    `update ${relSql} as ${alias} set ${columns.map((c) => `${quoteIdent(c)} = _body.${quoteIdent(c)}`).join(", ")}
       from json_populate_record(null::${relSql}, ${bodyParam}::json) as _body where ${where.join(" and ")}${returning}`;
  if (prefs.return !== "representation") {
    builder.assertModifierPathsKnown(); // embedded filters need a representation that embeds them
    return mutationPlan(prefs, shape, status, null, [{ sql: update(""), params: builder.params.values }]);
  }
  const read = builder.readFrom(builder.relationSource(rel), "_mutated", q.select, false, emptyModifiers());
  return mutationPlan(prefs, shape, status, { sql: `with _mutated as (${update(` returning ${alias}.*`)}) ${read}`, params: builder.params.values }, []);
}

function planDelete(req: RestRequest, rel: Relation, catalog: Catalog, shape: ResponseShape, prefs: Preferences): Plan {
  if (prefs.resolution || prefs.missing) throw unsupported("Prefer resolution/missing on DELETE");
  const q = parseQuery(req.query);
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on DELETE");
  const builder = new SqlBuilder(catalog, q.modifiers);
  const alias = builder.nextAlias();
  const where = builder.mutationWhere(rel, alias);
  if (where.length === 0) throw new ApiError(400, "21000", "DELETE requires a WHERE clause", null, "Add a filter; deleting every row is refused");
  const status = { representation: 200, minimal: 204 };
  const del = (returning: string): string => `delete from ${quoteIdent(rel.name)} as ${alias} where ${where.join(" and ")}${returning}`;
  if (prefs.return !== "representation") {
    builder.assertModifierPathsKnown(); // embedded filters need a representation that embeds them
    return mutationPlan(prefs, shape, status, null, [{ sql: del(""), params: builder.params.values }]);
  }
  const read = builder.readFrom(builder.relationSource(rel), "_mutated", q.select, false, emptyModifiers());
  return mutationPlan(prefs, shape, status, { sql: `with _mutated as (${del(` returning ${alias}.*`)}) ${read}`, params: builder.params.values }, []);
}

// ---------- rpc ----------

function planRpc(req: RestRequest, method: string, name: string, catalog: Catalog, shape: ResponseShape, prefs: Preferences): Plan {
  if (prefs.resolution || prefs.missing || prefs.maxAffected !== null) throw unsupported("Prefer resolution/missing/max-affected on rpc");
  const overloads = catalog.functions.get(name) ?? [];
  let args: Record<string, unknown>;
  let q: ParsedQuery;
  if (method === "GET" || method === "HEAD") {
    const argNames = new Set(overloads.flatMap((f) => f.args.map((a) => a.name)));
    q = parseQuery(req.query, argNames);
    args = Object.fromEntries(q.rpcArgs);
  } else if (method === "POST") {
    q = parseQuery(req.query);
    const payload = parseJsonBody(req);
    if (payload !== undefined && !isPlainObject(payload)) {
      throw new ApiError(400, "PGRST102", "Empty or invalid json", "rpc expects a JSON object of named arguments");
    }
    args = payload ?? {};
  } else {
    throw new ApiError(405, "PGRST101", "Only GET, HEAD and POST are allowed for rpc");
  }
  if (q.columns || q.onConflict) throw unsupported("columns/on_conflict on rpc");
  const given = Object.keys(args);
  const fitting = overloads.filter(
    (f) => given.every((g) => f.args.some((a) => a.name === g)) && f.args.every((a) => a.hasDefault || given.includes(a.name)),
  );
  if (fitting.length === 0) {
    throw new CatalogMissError(404, "PGRST202",
      `Could not find the function ${EXPOSED_SCHEMA}.${name}(${given.sort().join(", ")}) in the schema cache`, null,
      overloads.length ? `Known signatures: ${overloads.map((f) => `${name}(${f.args.map((a) => a.name).join(", ")})`).join("; ")}` : null);
  }
  if (fitting.length > 1) {
    throw new ApiError(300, "PGRST203", `Could not choose the best candidate function between: ${fitting.map((f) => `${name}(${f.args.map((a) => `${a.name} => ${a.type}`).join(", ")})`).join(", ")}`);
  }
  const fn = fitting[0] as DbFunction;
  const builder = new SqlBuilder(catalog, q.modifiers);
  const usedArgs = fn.args.filter((a) => given.includes(a.name));
  const argsParam = usedArgs.length ? builder.params.add(JSON.stringify(args)) : null;
  const argsFrom = argsParam
    ? `json_to_record(${argsParam}::json) as _args(${usedArgs.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(", ")})`
    : null;
  const call = `${quoteIdent(fn.name)}(${usedArgs.map((a) => `${quoteIdent(a.name)} => _args.${quoteIdent(a.name)}`).join(", ")})`;
  const readOnly = method !== "POST";
  const hasModifiers = [...q.modifiers.values()].some((m) => m.filters.length || m.logic.length || m.order.length || m.limit !== null || m.offset !== null);
  const selectGiven = req.query.has("select");
  const minimal = prefs.return === "minimal";

  if (!fn.returnsComposite || !fn.returnsSet) {
    if (req.headers.range !== undefined) throw unsupported(`a Range header on '${name}', which does not return a set of rows`);
  } else {
    applyRangeHeader(req, q.modifiers);
  }
  if (fn.returnsVoid || (!fn.returnsComposite && !fn.returnsSet)) {
    if (hasModifiers || selectGiven) throw unsupported(`select/filters/order/paging on the scalar function '${name}'`);
    if (prefs.count) throw unsupported(`Prefer: count on the scalar function '${name}'`);
    const sql = argsFrom ? `select to_json(${call})::text as body from ${argsFrom}` : `select to_json(${call})::text as body`;
    return {
      readOnly,
      async run(tx) {
        const { rows } = await tx.query<{ body: string | null }>(sql, builder.params.values);
        const response: RestResponse = fn.returnsVoid || minimal || method === "HEAD"
          ? { status: 204, headers: {}, body: null }
          : { status: 200, headers: { "content-type": JSON_TYPE }, body: rows[0]?.body ?? "null" };
        if (prefs.txRollback) throw new RollbackWithResponse(response);
        return response;
      },
    };
  }
  const fromCall = argsFrom ? `from ${argsFrom} cross join lateral ${call} as _fn` : `from ${call} as _fn`;
  let sql: string;
  if (!fn.returnsComposite) {
    if (hasModifiers || selectGiven) throw unsupported(`select/filters/order/paging on the set of scalars returned by '${name}'`);
    sql = `with _rpc as (select _fn as v ${fromCall}) select coalesce(json_agg(v), '[]'::json)::text as body, count(*)::int as row_count from _rpc`;
  } else {
    const outColumns = new Map<string, Column>(fn.outColumns.map((c) => [c.name, { name: c.name, type: c.type, nullable: true, hasDefault: false }]));
    const source = builder.functionSource(fn, outColumns.size ? outColumns : null);
    sql = `with _rpc as (select _fn.* ${fromCall}) ${builder.readFrom(source, "_rpc", q.select, prefs.count === "exact")}`;
  }
  const offset = q.modifiers.get("")?.offset ?? 0;
  const singleComposite = fn.returnsComposite && !fn.returnsSet;
  return {
    readOnly,
    async run(tx) {
      const { rows } = await tx.query<ReadResultRow>(sql, builder.params.values);
      const row = rows[0] ?? { body: "[]", row_count: 0 };
      let response: RestResponse;
      if (minimal) response = { status: 204, headers: {}, body: null };
      else if (singleComposite) {
        response = row.row_count === 1
          ? { status: 200, headers: { "content-type": JSON_TYPE }, body: method === "HEAD" ? null : unwrapSingle(row.body) }
          : { status: 200, headers: { "content-type": JSON_TYPE }, body: method === "HEAD" ? null : "null" };
      } else {
        const total = row.total === undefined ? null : Number(row.total);
        response = shapeReadResponse(method, shape, row, offset, total);
      }
      if (prefs.txRollback) throw new RollbackWithResponse(response);
      return response;
    },
  };
}
