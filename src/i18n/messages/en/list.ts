/** The list kit's words (src/lib/list): filter-bar errors, tab counts, bulk results, CSV export. Loads with the lists. */
import { registerMessages } from "../../translate";

export const list = {
  filters: {
    fieldProblem: "{field}: {problem}",
    startAfterEnd: "{field}: the start is after the end.",
    wholeNumber: "{field}: a whole number of {unit}, e.g. {example}.",
    minAboveMax: "{field}: the minimum is above the maximum.",
    clear: "Clear filters",
  },
  countLoading: "…",
  exportCsv: "Export CSV",
  exportTitle: "Exporting {what}",
  exportProgress: "{fetched} of {total} rows",
  exportProgressLabel: "CSV export progress",
  exportFailed: "CSV export failed: {reason}",
  exportFailedPartway: "CSV export stopped after {fetched} of {total} rows: {reason}. Nothing was downloaded; try again.",
  selected: { one: "{count} selected", other: "{count} selected" },
  bulkSummary: "{action}: {done} done, {refused} refused",
  bulkResultsLabel: "Bulk action results",
  bulkColumns: { row: "Row", result: "Result", why: "Why" },
  bulkDone: "done",
  bulkRefused: "refused",
} as const;

registerMessages("en", "list", list);
