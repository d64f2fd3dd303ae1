/** The list kit: URL-kept state, the filter bar's draft, tabs with counts, bulk selection, CSV export, table wiring. */
export { defineListState, isCalendarDay, isUuid, param, type ListState, type ListStateCodec, type ParamCodec, type SortOrder, type SortState, type ValuesOf } from "./urlState";
export { useListUrlState, type ListUrlState } from "./useListUrlState";
export { dayRangeFilters, FilterInputError, oneOfFilter, parseWholeNumber, wholeNumberRangeFilters } from "./filters";
export { filtersOrNone, TYPING_DEBOUNCE_MS, useFilterDraft, type FilterDraft } from "./useFilterDraft";
export { ListTabs, type ListTab } from "./ListTabs";
export { ListHeaderActions } from "./ListHeaderActions";
export { BulkResults, useScopedSelection, type BulkOutcome, type BulkRowResult } from "./selection";
export { CsvExportButton, type CsvExportButtonProps, type ExportProgress } from "./CsvExportButton";
export { openableRow, sortOrderOf, tableChangeHandler } from "./table";
export { ChoiceFilter, ChoicesFilter, DayRangeFilter, LoadError, type ChoiceOption } from "./fields";
