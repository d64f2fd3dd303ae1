/** EXPLAIN (format json) read as a flat list of plan nodes, for the suites that pin a list's query plan. */
import type { Queryable } from "../../server/db/engine.ts";

export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];

/** Every node of `sql`'s plan in `tx` (under whatever role and claims `tx` runs); PGlite returns the JSON as text. */
export async function planNodes(tx: Queryable, sql: string, params: unknown[] = []): Promise<PlanNode[]> {
  const { rows } = await tx.query<{ "QUERY PLAN": unknown }>(`explain (format json) ${sql}`, params);
  const raw = rows[0]!["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
  return flatten(parsed[0]!.Plan);
}

/** The nodes as [type, relation, index] triples, for an assertion's message. */
export const describePlan = (found: PlanNode[]) => JSON.stringify(found.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"]]));
