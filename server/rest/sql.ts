/**
 * Turns parsed requests into SQL. Every identifier is resolved against the catalog first and
 * then quoted; every value is a bind parameter. JSON is built by Postgres (json_agg/row_to_json)
 * so values render exactly as PostgREST renders them.
 */
import type { Catalog, Column, DbFunction, ForeignKey, Relation } from "./catalog.ts";
import { ApiError, CatalogMissError, unknownColumn, unknownRelation, unsupported } from "./errors.ts";
import type { Filter, Logic, OrderTerm, SelectItem } from "./parse.ts";

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function isUniqueKey(rel: Relation, columns: string[]): boolean {
  return rel.uniqueKeys.some((key) => key.length === columns.length && key.every((c) => columns.includes(c)));
}

const notEmbedded = (name: string): ApiError =>
  new ApiError(400, "PGRST108", `'${name}' is not an embedded resource in this request`, null,
    `Verify that '${name}' is included in the 'select' query parameter.`);

export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Filters, logic trees, order and paging that apply at one level of the select tree. */
export interface LevelModifiers {
  filters: Filter[];
  logic: Logic[];
  order: OrderTerm[];
  limit: number | null;
  offset: number | null;
}

export const emptyModifiers = (): LevelModifiers => ({ filters: [], logic: [], order: [], limit: null, offset: null });

/** Modifiers keyed by embed path: "" is the top level, "author", "author.country", … */
export type ModifiersByPath = Map<string, LevelModifiers>;

export interface Source {
  /** Relation whose columns are visible (null when the source is a function returning non-table rows). */
  relation: Relation | null;
  /** Column set when the source is not a catalog relation (RETURNS TABLE). */
  columns: Map<string, Column> | null;
  label: string;
}

interface ResolvedEmbed {
  item: Extract<SelectItem, { kind: "embed" }>;
  key: string;
  target: Relation;
  fk: ForeignKey;
  /** The parent holds the FK columns (many-to-one); otherwise the target does (one-to-many or one-to-one). */
  parentHoldsKey: boolean;
  /** At most one related row: rendered as an object (or null) instead of an array. */
  toOne: boolean;
}

interface EmbedCandidate {
  fk: ForeignKey;
  parentHoldsKey: boolean;
  toOne: boolean;
  target: Relation;
}

/** How a read's rows are rendered: a JSON array (PostgREST's default) or `text/csv`. */
export type RowFormat = "json" | "csv";

export class SqlBuilder {
  private aliasCounter = 0;
  readonly params = new Params();
  /** Embed paths that exist in the select, so stray `x.col=` filters are refused. */
  private readonly knownPaths = new Set<string>([""]);

  /**
   * `maxRows`: PostgREST's `max-rows` (Supabase's `[api] max_rows`), applied to the rows of every level of a read
   * (the top level and each embedded resource, per parent row) and of set-returning functions; never to what a
   * mutation returns. Null: no cap.
   */
  constructor(
    private readonly catalog: Catalog,
    private readonly modifiers: ModifiersByPath,
    private readonly maxRows: number | null = null,
  ) {}

  relation(name: string): Relation {
    const rel = this.catalog.relations.get(name);
    if (!rel) throw unknownRelation(name);
    return rel;
  }

  nextAlias(): string {
    return `t${this.aliasCounter++}`;
  }

  private column(source: Source, name: string): Column {
    const cols = source.relation?.columns ?? source.columns;
    const col = cols?.get(name);
    if (!col) throw unknownColumn(source.label, name);
    return col;
  }

  private columnsOf(source: Source): Column[] {
    return [...(source.relation?.columns ?? source.columns ?? new Map<string, Column>()).values()];
  }

  /** Checks every path with modifiers names an embed of the select. Call after building the select. */
  assertModifierPathsKnown(): void {
    for (const path of this.modifiers.keys()) {
      if (!this.knownPaths.has(path)) {
        throw notEmbedded(path);
      }
    }
  }

  modifiersAt(path: string): LevelModifiers {
    return this.modifiers.get(path) ?? emptyModifiers();
  }

  /**
   * `select` list entries (`expr as "key"`) for one level, embeds included, and the output column names in order
   * (null when a function's row type is only known at run time).
   */
  selectList(source: Source, alias: string, items: SelectItem[], path: string): { list: string[]; embeds: ResolvedEmbed[]; keys: string[] | null } {
    const list: string[] = [];
    const embeds: ResolvedEmbed[] = [];
    let keys: string[] | null = [];
    for (const item of items) {
      if (item.kind === "star") {
        if (!source.relation && !source.columns) {
          list.push(`${alias}.*`);
          keys = null;
          continue;
        }
        for (const col of this.columnsOf(source)) {
          list.push(`${alias}.${quoteIdent(col.name)}`);
          keys?.push(col.name);
        }
      } else if (item.kind === "column") {
        this.column(source, item.name);
        const expr = `${alias}.${quoteIdent(item.name)}${item.cast ? `::${item.cast}` : ""}`;
        list.push(`${expr} as ${quoteIdent(item.alias ?? item.name)}`);
        keys?.push(item.alias ?? item.name);
      } else {
        if (!source.relation) throw unsupported("embedding on the result of a function that does not return a table or view");
        const embed = this.resolveEmbed(source.relation, item);
        const childPath = path === "" ? embed.key : `${path}.${embed.key}`;
        this.knownPaths.add(childPath);
        embeds.push(embed);
        if (item.items.length > 0) {
          list.push(`${this.embedSubquery(embed, alias, childPath)} as ${quoteIdent(embed.key)}`);
          keys?.push(embed.key);
        }
      }
    }
    return { list, embeds, keys };
  }

  resolveEmbed(parent: Relation, item: Extract<SelectItem, { kind: "embed" }>): ResolvedEmbed {
    const target = this.catalog.relations.get(item.relation);
    const key = item.alias ?? item.relation;
    const candidates: EmbedCandidate[] = [];
    const seen = new Set<string>();
    const consider = (fk: ForeignKey, parentHoldsKey: boolean, targetRel: Relation | undefined): void => {
      if (!targetRel) return;
      const id = `${fk.name}|${fk.from}|${fk.to}|${parentHoldsKey}`;
      if (seen.has(id)) return;
      seen.add(id);
      // When the target holds the key and it is unique (PK or unique constraint) the relationship is
      // one-to-one and PostgREST embeds an object, not an array.
      const toOne = parentHoldsKey || isUniqueKey(targetRel, fk.fromColumns);
      candidates.push({ fk, parentHoldsKey, toOne, target: targetRel });
    };
    for (const fk of this.catalog.foreignKeys) {
      if (target) {
        if (fk.from === parent.name && fk.to === target.name) consider(fk, true, target);
        if (fk.to === parent.name && fk.from === target.name) consider(fk, false, target);
      } else if (fk.from === parent.name && fk.fromColumns.length === 1 && fk.fromColumns[0] === item.relation) {
        // embedding by FK column name: select=*,customer_id(*)
        consider(fk, true, this.catalog.relations.get(fk.to));
      }
    }
    const matching = candidates.filter((c) =>
      item.hints.every((h) => c.fk.name === h || c.fk.fromColumns.includes(h) || c.fk.toColumns.includes(h)),
    );
    if (matching.length === 0) {
      throw new CatalogMissError(400, "PGRST200",
        `Could not find a relationship between '${parent.name}' and '${item.relation}' in the schema cache`, null,
        "Embedding needs a foreign key between the two (or a view exposing its columns); many-to-many is not supported");
    }
    if (matching.length > 1) {
      throw new ApiError(300, "PGRST201",
        `Could not embed because more than one relationship was found for '${parent.name}' and '${item.relation}'`,
        matching.map((c) => `${c.fk.name} (${c.fk.from}(${c.fk.fromColumns.join(", ")}) → ${c.fk.to}(${c.fk.toColumns.join(", ")}))`).join("; "),
        `Try disambiguating with ${item.relation}!<constraint name>(…)`);
    }
    const [chosen] = matching as [EmbedCandidate];
    return { item, key, target: chosen.target, fk: chosen.fk, parentHoldsKey: chosen.parentHoldsKey, toOne: chosen.toOne };
  }

  private joinCondition(embed: ResolvedEmbed, parentAlias: string, childAlias: string): string {
    const { fk, parentHoldsKey } = embed;
    return fk.fromColumns
      .map((fromCol, i) => {
        const toCol = fk.toColumns[i] ?? "";
        const parentCol = parentHoldsKey ? fromCol : toCol;
        const childCol = parentHoldsKey ? toCol : fromCol;
        return `${childAlias}.${quoteIdent(childCol)} = ${parentAlias}.${quoteIdent(parentCol)}`;
      })
      .join(" and ");
  }

  /** `relation(count)`: PostgREST's count of the related rows, rendered as [{"count": n}]. */
  private isCountOnly(embed: ResolvedEmbed): { key: string } | null {
    const [only, ...rest] = embed.item.items;
    if (rest.length > 0 || only?.kind !== "column" || only.name !== "count" || only.cast !== null) return null;
    if (embed.target.columns.has("count")) return null; // a real column named count wins
    return { key: only.alias ?? "count" };
  }

  private embedSubquery(embed: ResolvedEmbed, parentAlias: string, path: string): string {
    const alias = this.nextAlias();
    const source: Source = { relation: embed.target, columns: null, label: embed.target.name };
    const countOnly = this.isCountOnly(embed);
    if (countOnly) {
      const mods = this.modifiersAt(path);
      if (mods.order.length || mods.limit !== null || mods.offset !== null) throw unsupported(`order/limit/offset with ${path}(count)`);
      const where = [this.joinCondition(embed, parentAlias, alias), ...this.whereClauses(source, alias, mods, [], path)];
      const counted = `(select count(*) from ${quoteIdent(embed.target.name)} as ${alias} where ${where.join(" and ")})`;
      return embed.toOne
        ? `json_build_object(${this.params.add(countOnly.key)}::text, ${counted})`
        : `json_build_array(json_build_object(${this.params.add(countOnly.key)}::text, ${counted}))`;
    }
    const { list, embeds } = this.selectList(source, alias, embed.item.items, path);
    const mods = this.modifiersAt(path);
    const where = [this.joinCondition(embed, parentAlias, alias), ...this.whereClauses(source, alias, mods, embeds, path)];
    const rowAlias = this.nextAlias();
    const inner = `select ${list.length ? list.join(", ") : "null"} from ${quoteIdent(embed.target.name)} as ${alias} where ${where.join(" and ")}`;
    // Order/paging apply inside the embed; for a to-one embed (at most one row) ordering is a no-op,
    // which is what @refinedev/supabase relies on when it sorts by "relation.field".
    const tail = this.orderLimit(source, alias, mods, embeds);
    const rowJson = list.length ? `row_to_json(${rowAlias})` : "'{}'::json"; // nothing selected: empty objects
    if (embed.toOne) return `(select ${rowJson} from (${inner}${tail}) as ${rowAlias})`;
    return `(select coalesce(json_agg(${rowJson}), '[]'::json) from (${inner}${tail}) as ${rowAlias})`;
  }

  /** `exists (…)` for an embed: used by !inner and by `embed=is.null` / `embed=not.is.null`. */
  private embedExists(embed: ResolvedEmbed, parentAlias: string, path: string): string {
    const alias = this.nextAlias();
    const source: Source = { relation: embed.target, columns: null, label: embed.target.name };
    const mods = this.modifiersAt(path);
    const nestedEmbeds = embed.item.items.filter((i): i is Extract<SelectItem, { kind: "embed" }> => i.kind === "embed");
    const nestedInner = nestedEmbeds
      .filter((n) => n.inner)
      .map((n) => {
        const resolved = this.resolveEmbed(embed.target, n);
        return this.embedExists(resolved, alias, `${path}.${resolved.key}`);
      });
    const where = [this.joinCondition(embed, parentAlias, alias), ...this.whereClauses(source, alias, mods, []), ...nestedInner];
    return `exists (select 1 from ${quoteIdent(embed.target.name)} as ${alias} where ${where.join(" and ")})`;
  }

  /** WHERE terms for one level: filters, logic trees, !inner embeds and embed null-checks. */
  whereClauses(source: Source, alias: string, mods: LevelModifiers, embeds: ResolvedEmbed[], path = ""): string[] {
    const clauses: string[] = [];
    for (const filter of mods.filters) {
      // PostgREST 12 reads only `embed=is.null` / `embed=not.is.null` as a test on an embedded resource; any other
      // operator on that name is an ordinary column filter (and fails as one: 42703, 400).
      const embed = filter.operator === "is" && filter.value === "null" ? embeds.find((e) => e.key === filter.column) : undefined;
      if (embed && !(source.relation?.columns ?? source.columns)?.has(filter.column)) {
        const exists = this.embedExists(embed, alias, path === "" ? embed.key : `${path}.${embed.key}`);
        clauses.push(filter.negate ? exists : `not ${exists}`);
        continue;
      }
      clauses.push(this.filterSql(source, alias, filter));
    }
    for (const tree of mods.logic) clauses.push(this.logicSql(source, alias, tree));
    for (const embed of embeds) {
      if (embed.item.inner) clauses.push(this.embedExists(embed, alias, path === "" ? embed.key : `${path}.${embed.key}`));
    }
    return clauses;
  }

  private logicSql(source: Source, alias: string, tree: Logic): string {
    const parts = tree.children.map((c) => (c.kind === "logic" ? this.logicSql(source, alias, c) : this.filterSql(source, alias, c)));
    const joined = `(${parts.join(tree.op === "and" ? " and " : " or ")})`;
    return tree.negate ? `not ${joined}` : joined;
  }

  filterSql(source: Source, alias: string, filter: Filter): string {
    this.column(source, filter.column);
    const col = `${alias}.${quoteIdent(filter.column)}`;
    const sql = this.operatorSql(col, filter);
    return filter.negate ? `not (${sql})` : sql;
  }

  private operatorSql(col: string, f: Filter): string {
    const binary: Record<string, string> = { eq: "=", neq: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=", cs: "@>", cd: "<@", ov: "&&" };
    const textual: Record<string, string> = { like: "like", ilike: "ilike", match: "~", imatch: "~*" };
    if (f.operator === "in") {
      const values = f.value as string[];
      if (values.length === 0) return "false";
      return `${col} in (${values.map((v) => this.params.add(v)).join(", ")})`;
    }
    if (f.operator === "is") return `${col} is ${f.value as string}`;
    if (f.operator === "isdistinct") return `${col} is distinct from ${this.params.add(f.value)}`;
    const raw = f.value as string;
    const likeValue = (v: string): string => (f.operator === "like" || f.operator === "ilike" ? v.replace(/\*/g, "%") : v);
    if (f.quantifier) {
      const list = raw.startsWith("{") && raw.endsWith("}") ? raw : null;
      if (!list) throw new ApiError(400, "PGRST100", `"failed to parse filter (${f.operator}(${f.quantifier}).${raw})"`, null, "expected {a,b}");
      const op = textual[f.operator] ?? binary[f.operator] ?? "=";
      return `${col} ${op} ${f.quantifier}(${this.params.add(likeValue(list))})`;
    }
    // No ::text cast: like PostgREST, a pattern on a non-text column is whatever Postgres makes of it (for an
    // integer or uuid column, 42883 "operator does not exist", which PostgREST answers with 404).
    if (textual[f.operator]) return `${col} ${textual[f.operator]} ${this.params.add(likeValue(raw))}`;
    const op = binary[f.operator];
    if (!op) throw unsupported(`filter operator '${f.operator}'`);
    return `${col} ${op} ${this.params.add(raw)}`;
  }

  orderLimit(source: Source, alias: string, mods: LevelModifiers, embeds: ResolvedEmbed[] = []): string {
    let sql = "";
    if (mods.order.length > 0) {
      const terms = mods.order.map((term) => {
        let expr: string;
        if (term.relation) {
          const embed = embeds.find((e) => e.key === term.relation);
          if (!embed) throw notEmbedded(term.relation);
          if (!embed.toOne) {
            throw new ApiError(400, "PGRST118", `A related order on '${term.relation}' is not possible`,
              `'${source.label}' and '${term.relation}' do not form a many-to-one or one-to-one relationship`);
          }
          const a = this.nextAlias();
          const targetSource: Source = { relation: embed.target, columns: null, label: embed.target.name };
          this.column(targetSource, term.column);
          expr = `(select ${a}.${quoteIdent(term.column)} from ${quoteIdent(embed.target.name)} as ${a} where ${this.joinCondition(embed, alias, a)})`;
        } else {
          this.column(source, term.column);
          expr = `${alias}.${quoteIdent(term.column)}`;
        }
        return `${expr} ${term.descending ? "desc" : "asc"}${term.nulls ? ` nulls ${term.nulls}` : ""}`;
      });
      sql += ` order by ${terms.join(", ")}`;
    }
    const limit = this.maxRows === null ? mods.limit : Math.min(mods.limit ?? this.maxRows, this.maxRows);
    if (limit !== null) sql += ` limit ${this.params.add(limit)}`;
    if (mods.offset !== null) sql += ` offset ${this.params.add(mods.offset)}`;
    return sql;
  }

  /** The full read: rows as a JSON array (or CSV) text, row count, and the total when counting. */
  readQuery(relationName: string, items: SelectItem[], withCount: boolean, format: RowFormat = "json"): string {
    const rel = this.relation(relationName);
    const source: Source = { relation: rel, columns: null, label: rel.name };
    return this.readFrom(source, quoteIdent(rel.name), items, withCount, undefined, format);
  }

  /** Shared by table reads, mutation representations (from a CTE) and set-returning RPC results. */
  readFrom(source: Source, fromSql: string, items: SelectItem[], withCount: boolean, topModifiers?: LevelModifiers, format: RowFormat = "json"): string {
    const alias = this.nextAlias();
    // Mutation results pass empty modifiers: their filters already chose the rows and must not be re-applied.
    const mods = topModifiers ?? this.modifiersAt("");
    const { list, embeds, keys } = this.selectList(source, alias, items, "");
    const where = this.whereClauses(source, alias, mods, embeds);
    const whereSql = where.length ? ` where ${where.join(" and ")}` : "";
    const tail = this.orderLimit(source, alias, mods, embeds);
    this.assertModifierPathsKnown();
    const rowAlias = this.nextAlias();
    const total = withCount ? `, (select count(*) from ${fromSql} as ${alias}${whereSql}) as total` : "";
    const rows = `from (select ${list.length ? list.join(", ") : "null"} from ${fromSql} as ${alias}${whereSql}${tail}) as ${rowAlias}`;
    if (format === "csv") {
      if (keys === null) throw unsupported(`text/csv for the rows of '${source.label}', whose columns are only known when it runs`);
      return `select ${this.csvBody(rowAlias, keys)} as body, count(*)::int as row_count${total} ${rows}`;
    }
    const rowJson = list.length ? `${rowAlias}` : "'{}'::json"; // nothing selected (only filter embeds): empty objects
    return `select coalesce(json_agg(${rowJson}), '[]'::json)::text as body, count(*)::int as row_count${total} ${rows}`;
  }

  /**
   * PostgREST's CSV: the column names joined by commas (empty when there are no rows), a newline, then each row as
   * Postgres prints a record, without its parentheses (values quoted where needed, NULL as nothing).
   */
  private csvBody(rowAlias: string, keys: string[]): string {
    const header = this.params.add(keys.join(","));
    return `case when count(*) = 0 then '' else ${header}::text end || E'\\n' ||
      coalesce(string_agg(substring(${rowAlias}::text, 2, length(${rowAlias}::text) - 2), E'\\n'), '')`;
  }

  relationSource(rel: Relation): Source {
    return { relation: rel, columns: null, label: rel.name };
  }

  /** WHERE of an UPDATE/DELETE (no embeds, no paging at this level). */
  mutationWhere(rel: Relation, alias: string): string[] {
    const mods = this.modifiersAt("");
    if (mods.order.length || mods.limit !== null || mods.offset !== null) {
      throw unsupported("order/limit/offset on PATCH or DELETE");
    }
    return this.whereClauses(this.relationSource(rel), alias, mods, []);
  }

  checkColumns(rel: Relation, names: Iterable<string>): void {
    for (const name of names) {
      if (!rel.columns.has(name)) {
        throw new CatalogMissError(400, "PGRST204", `Could not find the '${name}' column of '${rel.name}' in the schema cache`);
      }
    }
  }

  /** Source for the rows a function returns: its relation when it returns a table/view type, else its OUT columns. */
  functionSource(fn: DbFunction, outColumns: Map<string, Column> | null): Source {
    const relName = fn.returnType.replace(/^public\./, "").replace(/^"(.*)"$/, "$1");
    const rel = this.catalog.relations.get(relName) ?? null;
    return { relation: rel, columns: rel ? null : outColumns, label: fn.name };
  }
}
