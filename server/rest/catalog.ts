/**
 * What PostgREST calls the schema cache: the relations, columns, foreign keys and functions of
 * the exposed schema. Every identifier in a request is checked against it before any SQL is built.
 */
import type { Queryable } from "../db/engine.ts";

export const EXPOSED_SCHEMA = "public";

export interface Column {
  name: string;
  /** format_type() output: a valid SQL type expression, safe to splice. */
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}

export interface Relation {
  name: string;
  kind: "table" | "view";
  columns: Map<string, Column>;
  primaryKey: string[];
  /** Primary key and unique constraints: an FK covering one of them makes a one-to-one relationship. */
  uniqueKeys: string[][];
}

/** A foreign key from `from.columns` to `to.columns` (also inferred for views exposing FK columns). */
export interface ForeignKey {
  name: string;
  from: string;
  fromColumns: string[];
  to: string;
  toColumns: string[];
}

export interface FunctionArg {
  name: string;
  type: string;
  hasDefault: boolean;
}

export interface DbFunction {
  name: string;
  args: FunctionArg[];
  /** format_type of the return type. */
  returnType: string;
  returnsSet: boolean;
  /** Returns rows with named columns (composite, RETURNS TABLE, setof table) rather than a scalar. */
  returnsComposite: boolean;
  returnsVoid: boolean;
  volatility: "immutable" | "stable" | "volatile";
  /** OUT / RETURNS TABLE columns, when the function declares them. */
  outColumns: FunctionArg[];
}

export interface Catalog {
  relations: Map<string, Relation>;
  foreignKeys: ForeignKey[];
  functions: Map<string, DbFunction[]>;
  loadedAt: number;
  /** catalogFingerprint() when loading began: a later different value means the schema changed. */
  fingerprint: string;
}

/**
 * A cheap summary of the exposed schema's catalog rows (counts and row versions of relations,
 * columns, constraints, functions and view rules). Any DDL changes it; a miss only reloads the
 * catalog when it did, so bad requests cannot trigger reload storms.
 */
export async function catalogFingerprint(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ fingerprint: string }>(
    `select concat_ws('/',
       (select count(*) || ':' || coalesce(sum(c.xmin::text::bigint), 0) from pg_class c where c.relnamespace = n.oid),
       (select count(*) || ':' || coalesce(sum(a.xmin::text::bigint), 0)
          from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relnamespace = n.oid and a.attnum > 0),
       (select count(*) || ':' || coalesce(sum(k.xmin::text::bigint), 0) from pg_constraint k where k.connamespace = n.oid),
       (select count(*) || ':' || coalesce(sum(p.xmin::text::bigint), 0) from pg_proc p where p.pronamespace = n.oid),
       (select count(*) || ':' || coalesce(sum(r.xmin::text::bigint), 0)
          from pg_rewrite r join pg_class c on c.oid = r.ev_class where c.relnamespace = n.oid)) as fingerprint
       from pg_namespace n where n.nspname = $1`,
    [EXPOSED_SCHEMA],
  );
  return rows[0]?.fingerprint ?? "";
}

interface RelationRow {
  oid: string;
  name: string;
  kind: string;
  columns: { name: string; type: string; nullable: boolean; has_default: boolean; attnum: number }[] | null;
  primary_key: string[] | null;
  unique_keys: string[][] | null;
}

interface ForeignKeyRow {
  name: string;
  from_rel: string;
  from_cols: string[];
  to_rel: string;
  to_cols: string[];
}

interface FunctionRow {
  name: string;
  arg_names: string[] | null;
  arg_types: string[] | null;
  arg_modes: string[] | null;
  default_count: number;
  return_type: string;
  returns_set: boolean;
  return_kind: string;
  volatility: string;
}

interface ViewRuleRow {
  view_name: string;
  tree: string;
}

/** Base relations by oid, with their column names by attnum: resolves a rule's column origins. */
type RelationsByOid = Map<string, { name: string; columnsByAttnum: Map<string, string> }>;

/** view → view column → the base column it passes through unchanged. */
type ViewOrigins = Map<string, Map<string, { table: string; column: string }>>;

export async function loadCatalog(db: Queryable): Promise<Catalog> {
  const fingerprint = await catalogFingerprint(db);
  const relations = await db.query<RelationRow>(
    `select c.oid::text as oid, c.relname::text as name, c.relkind::text as kind,
            (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                                               'nullable', not a.attnotnull, 'has_default', a.atthasdef,
                                               'attnum', a.attnum)
                             order by a.attnum)
               from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
            (select array_agg(a.attname::text order by k.ord)
               from pg_constraint pk
               cross join lateral unnest(pk.conkey) with ordinality as k(attnum, ord)
               join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
              where pk.conrelid = c.oid and pk.contype = 'p') as primary_key,
            (select json_agg((select json_agg(a.attname::text order by k.ord)
                                from unnest(u.conkey) with ordinality as k(attnum, ord)
                                join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum))
               from pg_constraint u where u.conrelid = c.oid and u.contype in ('p', 'u')) as unique_keys
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition`,
    [EXPOSED_SCHEMA],
  );
  const fks = await db.query<ForeignKeyRow>(
    `select con.conname::text as name, src.relname::text as from_rel, dst.relname::text as to_rel,
            (select array_agg(a.attname::text order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as from_cols,
            (select array_agg(a.attname::text order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as to_cols
       from pg_constraint con
       join pg_class src on src.oid = con.conrelid join pg_namespace sn on sn.oid = src.relnamespace
       join pg_class dst on dst.oid = con.confrelid join pg_namespace dn on dn.oid = dst.relnamespace
      where con.contype = 'f' and sn.nspname = $1 and dn.nspname = $1
        and not src.relispartition and not dst.relispartition and con.conparentid = 0`,
    [EXPOSED_SCHEMA],
  );
  const fns = await db.query<FunctionRow>(
    `select p.proname::text as name, p.proargnames::text[] as arg_names,
            (select array_agg(format_type(t.oid, null) order by k.ord)
               from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality k(oid, ord)
               join pg_type t on t.oid = k.oid) as arg_types,
            p.proargmodes::text[] as arg_modes, p.pronargdefaults as default_count,
            format_type(p.prorettype, null) as return_type, p.proretset as returns_set,
            case when p.prorettype = 'void'::regtype then 'void'
                 when rt.typtype = 'c' or p.prorettype = 'record'::regtype then 'composite'
                 else 'scalar' end as return_kind,
            case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end as volatility
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_type rt on rt.oid = p.prorettype
      where n.nspname = $1 and p.prokind = 'f'`,
    [EXPOSED_SCHEMA],
  );
  // Each view's rewrite rule records, per output column, the base table column it passes through
  // (resorigtbl/resorigcol): that lets foreign keys reach views, as PostgREST infers them.
  const viewRules = await db.query<ViewRuleRow>(
    `select c.relname::text as view_name, r.ev_action::text as tree
       from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind = 'v' and r.rulename = '_RETURN'`,
    [EXPOSED_SCHEMA],
  );

  const catalog: Catalog = { relations: new Map(), foreignKeys: [], functions: new Map(), loadedAt: Date.now(), fingerprint };
  for (const r of relations.rows) {
    catalog.relations.set(r.name, {
      name: r.name,
      kind: r.kind === "r" || r.kind === "p" || r.kind === "f" ? "table" : "view",
      columns: new Map(
        (r.columns ?? []).map((c) => [c.name, { name: c.name, type: c.type, nullable: c.nullable, hasDefault: c.has_default }]),
      ),
      primaryKey: r.primary_key ?? [],
      uniqueKeys: r.unique_keys ?? [],
    });
  }
  for (const fk of fks.rows) {
    catalog.foreignKeys.push({ name: fk.name, from: fk.from_rel, fromColumns: fk.from_cols, to: fk.to_rel, toColumns: fk.to_cols });
  }
  const relationsByOid: RelationsByOid = new Map(
    relations.rows.map((r) => [r.oid, { name: r.name, columnsByAttnum: new Map((r.columns ?? []).map((c) => [String(c.attnum), c.name])) }]),
  );
  catalog.foreignKeys.push(...inferViewForeignKeys(catalog, viewColumnOrigins(viewRules.rows, relationsByOid)));
  for (const f of fns.rows) {
    const fn = toDbFunction(f);
    if (!fn) continue;
    const list = catalog.functions.get(fn.name) ?? [];
    list.push(fn);
    catalog.functions.set(fn.name, list);
  }
  return catalog;
}

function toDbFunction(f: FunctionRow): DbFunction | null {
  const modes = f.arg_modes ?? (f.arg_types ?? []).map(() => "i");
  const names = f.arg_names ?? [];
  const types = f.arg_types ?? [];
  const inputs: FunctionArg[] = [];
  const outputs: FunctionArg[] = [];
  types.forEach((type, i) => {
    const mode = modes[i] ?? "i";
    if (mode === "i" || mode === "b") inputs.push({ name: names[i] ?? "", type, hasDefault: false });
    if (mode === "o" || mode === "b" || mode === "t") outputs.push({ name: names[i] ?? "", type, hasDefault: false });
    // variadic and unnamed arguments cannot be called with named JSON arguments
    if (mode === "v") inputs.push({ name: "", type, hasDefault: false });
  });
  if (inputs.some((a) => a.name === "")) return null;
  for (let i = inputs.length - f.default_count; i < inputs.length; i++) {
    const arg = inputs[i];
    if (arg) arg.hasDefault = true;
  }
  return {
    name: f.name,
    args: inputs,
    returnType: f.return_type,
    returnsSet: f.returns_set,
    returnsComposite: f.return_kind === "composite",
    returnsVoid: f.return_kind === "void",
    volatility: f.volatility as DbFunction["volatility"],
    outColumns: outputs,
  };
}

/**
 * Reads the top-level target list of each view's rule. Nested subqueries (in the range table) are
 * printed before the top-level target list, so the last entry for a (resno, resname) pair wins.
 */
function viewColumnOrigins(rows: ViewRuleRow[], relationsByOid: RelationsByOid): ViewOrigins {
  const origins: ViewOrigins = new Map();
  const entry = /:resno (\d+) :resname (\S+) :ressortgroupref \d+ :resorigtbl (\d+) :resorigcol (\d+)/g;
  for (const row of rows) {
    const lastByColumn = new Map<string, { tableOid: string; attnum: string }>();
    for (const m of row.tree.matchAll(entry)) {
      const name = (m[2] ?? "").replace(/\\(.)/g, "$1");
      lastByColumn.set(`${m[1]}:${name}`, { tableOid: m[3] ?? "0", attnum: m[4] ?? "0" });
    }
    const columns = new Map<string, { table: string; column: string }>();
    for (const [key, origin] of lastByColumn) {
      const viewColumn = key.slice(key.indexOf(":") + 1);
      const relation = relationsByOid.get(origin.tableOid);
      const column = relation?.columnsByAttnum.get(origin.attnum);
      if (relation && column) columns.set(viewColumn, { table: relation.name, column });
    }
    origins.set(row.view_name, columns);
  }
  return origins;
}

/**
 * A view inherits the foreign keys of the base tables whose key columns it passes through
 * (possibly renamed), in both directions.
 */
function inferViewForeignKeys(catalog: Catalog, origins: ViewOrigins): ForeignKey[] {
  const inferred: ForeignKey[] = [];
  const baseKeys = [...catalog.foreignKeys];
  /** The view's names for `table(columns)`, or null when the view does not expose all of them. */
  const exposed = (view: string, table: string, columns: string[]): string[] | null => {
    const byViewColumn = origins.get(view);
    if (!byViewColumn) return null;
    const names = columns.map((col) => {
      for (const [viewColumn, origin] of byViewColumn) {
        if (origin.table === table && origin.column === col) return viewColumn;
      }
      return null;
    });
    return names.every((n): n is string => n !== null) ? names : null;
  };
  for (const view of origins.keys()) {
    if (catalog.relations.get(view)?.kind !== "view") continue;
    for (const fk of baseKeys) {
      const fromColumns = exposed(view, fk.from, fk.fromColumns);
      if (fromColumns) inferred.push({ ...fk, from: view, fromColumns });
      const toColumns = exposed(view, fk.to, fk.toColumns);
      if (toColumns) inferred.push({ ...fk, to: view, toColumns });
    }
  }
  return inferred;
}
