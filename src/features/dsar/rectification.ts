import { catalogueLabels } from "../../i18n/labels";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/dsar";

/** Rectification through a request: the profile fields the database lets the DPO correct (dsar_rectify_customer). */
export const RECTIFIABLE_FIELDS = ["email", "display_name", "locale", "country", "profile_image_url"] as const;
export type RectifiableField = (typeof RECTIFIABLE_FIELDS)[number];
export const FIELD_LABELS = catalogueLabels(RECTIFIABLE_FIELDS, (field) => t(`dsar.rectifiableFields.${field}`));

/** The fields that differ from the profile, as the RPC expects them (empty → null, except the email). */
export function rectificationChanges(before: Partial<Record<RectifiableField, string | null>>, edited: Partial<Record<RectifiableField, string>>): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const field of RECTIFIABLE_FIELDS) {
    if (edited[field] === undefined) continue;
    const trimmed = edited[field]!.trim();
    const next = trimmed === "" && field !== "email" ? null : trimmed;
    if ((before[field] ?? null) !== next) changes[field] = next;
  }
  return changes;
}

