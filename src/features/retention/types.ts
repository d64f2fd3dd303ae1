import type { Tables, Views } from "../../lib/database";
import { catalogueLabels } from "../../i18n/labels";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/retention";

export const RETENTION_CATEGORIES = ["account_data", "payment_records", "generated_assets", "api_logs", "error_reports", "consent_logs"] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];
export const CATEGORY_LABELS = catalogueLabels(RETENTION_CATEGORIES, (c) => t(`retention.categories.${c}`));
/** A category's label; an unknown one (a rule added later) as its own name. */
export const categoryLabel = (category: string | null | undefined): string =>
  category && (RETENTION_CATEGORIES as readonly string[]).includes(category) ? CATEGORY_LABELS[category as RetentionCategory] : (category ?? "");

export const RETENTION_STATES = ["compliant", "due", "overdue", "held"] as const;
export type RetentionState = (typeof RETENTION_STATES)[number];
export const STATE_COLOURS: Record<RetentionState, string> = { compliant: "green", due: "gold", overdue: "red", held: "purple" };

export type RetentionStatusRow = Views<"retention_status">;
export type RetentionRuleRow = Tables<"retention_rules">;
export type LegalHoldRow = Tables<"legal_holds">;
export type PurgeRunRow = Tables<"purge_runs">;
export type PurgeRunCategoryRow = Tables<"purge_run_categories">;

/** A run with its per-category counts (purge_runs + purge_run_categories). */
export interface RunWithCategories extends PurgeRunRow {
  categories: PurgeRunCategoryRow[];
}

export const TRIGGER_LABELS = catalogueLabels(["since_creation", "since_account_deletion", "with_parent"] as const, (v) => t(`retention.triggers.${v}`));
export const RULE_ACTION_LABELS = catalogueLabels(["delete", "anonymise", "drop_partition"] as const, (v) => t(`retention.ruleActions.${v}`));

/** A value's label from a closed set's table; a value outside it (added later) as itself. */
export function labelOf(labels: Readonly<Record<string, string>>, value: string | null | undefined): string {
  if (!value) return "";
  return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value]! : value;
}
