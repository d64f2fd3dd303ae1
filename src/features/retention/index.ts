/** What other features may use of retention: the status tag (state words and colours) and the category labels. */
export { categoryLabel, CATEGORY_LABELS, RETENTION_CATEGORIES, type RetentionCategory } from "./types";
export { retentionKeys } from "./keys";
