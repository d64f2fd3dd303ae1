/**
 * DSAR access/portability export. Importing this barrel is cheap: jszip and papaparse load only when an
 * export is built or read.
 */
export { EXPORT_CATEGORIES, EXPORT_POLICY_VERSION, PROCESSORS, categoryFilePath, exportCategory } from "./categories";
export type { Bilingual, ExportCategory, ExportCategoryId, Processor, ProcessorId } from "./categories";
export { DEFAULT_PAGE_SIZE, EXPORT_FILE_COUNT, MANIFEST_PATH, abortError, buildSubjectExport } from "./buildSubjectExport";
export type { BuildSubjectExportOptions } from "./buildSubjectExport";
export { ExportIntegrityError, readExport } from "./readExport";
export type { VerifiedExport } from "./readExport";
export { API_LOG_RETENTION_DAYS, CATEGORY_SOURCES, createSupabaseCategoryFetcher } from "./supabaseFetcher";
export { README_PATH, NO_DATA_HELD } from "./readme";
export { exportEventDetails } from "./eventDetails";
export type * from "./types";
