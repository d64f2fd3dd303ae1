/**
 * Every value the database allows for a consent event's purpose, action, source, collection method and language, and
 * for a policy version's document, has a label in the console's catalogue (src/features/consent/types.ts), which every
 * page showing consent uses (the consent log, the customer page, the DSAR desk, re-acceptance). The allowed values are
 * read from the database's own check constraints, so a migration that adds one fails here until it has its words.
 */
import { describe, expect, it } from "vitest";
import { ACTION_LABELS, DOCUMENT_LABELS, LANGUAGE_LABELS, METHOD_LABELS, PURPOSE_LABELS, SOURCE_LABELS } from "../../src/features/consent/types.ts";
import { createTestDatabase } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

/** The values of `column in ('a', 'b', …)` in the table's check constraints on that column alone. */
async function allowedValues(table: string, column: string): Promise<string[]> {
  const { rows } = await db.engine.query<{ def: string }>(
    `select pg_get_constraintdef(c.oid) as def from pg_constraint c
     join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
     where c.conrelid = $1::regclass and c.contype = 'c' and cardinality(c.conkey) = 1 and a.attname = $2`,
    [`public.${table}`, column],
  );
  const listed = rows.filter((r) => /ANY \(ARRAY\[|IN \(/i.test(r.def));
  expect(listed, `${table}.${column} has one check constraint listing its values`).toHaveLength(1);
  return [...listed[0]!.def.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

const CATALOGUES: Array<[string, string, Readonly<Record<string, string>>]> = [
  ["consent_events", "purpose", PURPOSE_LABELS],
  ["consent_events", "action", ACTION_LABELS],
  ["consent_events", "source", SOURCE_LABELS],
  ["consent_events", "collection_method", METHOD_LABELS],
  ["consent_events", "language", LANGUAGE_LABELS],
  ["policy_versions", "document", DOCUMENT_LABELS],
];

describe("consent codes: every value the database allows has a label", () => {
  it.each(CATALOGUES)("%s.%s", async (table, column, labels) => {
    const values = await allowedValues(table, column);
    expect(values.length).toBeGreaterThan(1);
    const missing = values.filter((v) => !Object.prototype.hasOwnProperty.call(labels, v) || !labels[v] || labels[v] === v || labels[v]!.includes(`.${v}`));
    expect(missing, `values of ${table}.${column} without a label in the catalogue`).toEqual([]);
  });

  it("reads the values the constraint holds (the parser sees a value added by a migration)", async () => {
    await db.engine.query("alter table public.consent_events drop constraint consent_events_source_check");
    await db.engine.query(
      "alter table public.consent_events add constraint consent_events_source_check check (source in ('signup', 'settings', 'banner', 'reprompt', 'dsar', 'console', 'partner_api')) not valid",
    );
    const values = await allowedValues("consent_events", "source");
    expect(values).toContain("partner_api");
    expect(values.filter((v) => !Object.prototype.hasOwnProperty.call(SOURCE_LABELS, v))).toEqual(["partner_api"]);
  });
});
