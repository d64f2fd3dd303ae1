/**
 * The English catalogue: every user-facing string of the console, one namespace per area, each in its own file.
 * `common` (the shell, sign-in, status pages) loads with the first page; every other namespace registers itself
 * when the feature that imports it loads (`registerMessages` at the end of its file), so the strings of a desk
 * travel in that desk's chunk and the first load does not grow with the catalogue.
 *
 * A Thai catalogue will be the same shape (`CatalogueShape<EnglishCatalogue>`): a translation, not a rewrite.
 */
import { auth } from "./auth";
import { common } from "./common";

/** What the first load carries. */
export const eagerEnglish = { common, auth } as const;

/** The whole catalogue's type: the eager namespaces, and one line per namespace that loads with its desk. */
export type EnglishCatalogue = typeof eagerEnglish & {
  readonly list: typeof import("./list").list;
  readonly dsar: typeof import("./dsar").dsar;
  readonly dsarIntake: typeof import("./dsarIntake").dsarIntake;
  readonly dsarLetters: typeof import("./dsarLetters").dsarLetters;
  readonly dsarExport: typeof import("./dsarExport").dsarExport;
  readonly credits: typeof import("./credits").credits;
  readonly refunds: typeof import("./refunds").refunds;
  readonly customers: typeof import("./customers").customers;
  readonly reconciliation: typeof import("./reconciliation").reconciliation;
  readonly money: typeof import("./money").money;
  readonly dsarDashboard: typeof import("./dsarDashboard").dsarDashboard;
  readonly retention: typeof import("./retention").retention;
  readonly consent: typeof import("./consent").consent;
  readonly policies: typeof import("./policies").policies;
};
