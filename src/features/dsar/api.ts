import type { CrudFilters } from "@refinedev/core";
import type { SupabaseClient } from "@supabase/supabase-js";
import { withFilters } from "../../lib/postgrestFilters";
import { offsetPages, type CsvExportSource, type PagedQuery } from "../../lib/csvExport";
import { rpcCaller, toRpcError, type ErrorWording } from "../../lib/rpc";
import { queueCsvFormat } from "./csv";
import type { IntakeArgs } from "./intake";
import { queueSorters, type QueueState } from "./queueState";
import type { RectifiableField } from "./rectification";
import type { ResponseLanguage } from "./templates";
import type {
  BulkResultRow,
  DsarEventRow,
  DsarQueueRow,
  DsarStatus,
  ErasurePlanRow,
  IdentityMethod,
  ProcessorTaskRow,
  StaffMemberOption,
} from "./types";

/** The DSAR pages' calls that need no React: one typed function per database function, shared with the server-backed tests. */
export const DSAR_QUEUE = "dsar_queue";

/** The DSAR functions word their refusals for the DPO already: the form shows the database's message as is. */
export const DSAR_WORDING: ErrorWording = {};

/** What `dsar_stats()` returns (every bucket present, zero when empty). */
export interface DsarStats {
  generated_at: string;
  open_by_days_left: { bucket: string; count: number }[];
  requests_per_week: ({ week: string } & Record<string, number | string>)[];
  on_time_by_month: { month: string; on_time: number; late: number; median_days_to_close: number | string | null }[];
}

/** The DSAR functions' arguments and answers (hand-typed until the generated Database type lands). */
type DsarFunctions = {
  dsar_create_request: { Args: IntakeArgs; Returns: DsarQueueRow };
  dsar_transition: {
    Args: { p_request_id: string; p_to_status: DsarStatus; p_note: string | null; p_refusal_ground?: string; p_duplicate_of?: string };
    Returns: DsarQueueRow;
  };
  dsar_verify_identity: { Args: { p_request_id: string; p_method: IdentityMethod; p_note: string | null }; Returns: DsarQueueRow };
  dsar_assign: { Args: { p_request_ids: string[]; p_assignee_id: string }; Returns: BulkResultRow[] };
  dsar_close_as_duplicate: { Args: { p_request_ids: string[]; p_duplicate_of: string }; Returns: BulkResultRow[] };
  dsar_extend: { Args: { p_request_id: string; p_days: number; p_reason: string }; Returns: DsarQueueRow };
  dsar_add_note: { Args: { p_request_id: string; p_note: string }; Returns: DsarEventRow };
  dsar_match_customer: { Args: { p_request_id: string; p_customer_id: string }; Returns: DsarQueueRow };
  dsar_record_export: { Args: { p_request_id: string; p_manifest_sha256: string; p_details: Record<string, unknown> }; Returns: DsarEventRow };
  dsar_record_response: { Args: { p_request_id: string; p_language: ResponseLanguage; p_body: string; p_sent: boolean }; Returns: DsarEventRow };
  dsar_rectify_customer: { Args: { p_request_id: string; p_changes: Partial<Record<RectifiableField, string | null>> }; Returns: DsarEventRow };
  dsar_set_restriction: { Args: { p_request_id: string; p_restricted: boolean; p_reason: string }; Returns: DsarQueueRow };
  dsar_withdraw_consent: { Args: { p_request_id: string; p_purposes: string[] }; Returns: DsarEventRow };
  dsar_erasure_preview: { Args: { p_request_id: string }; Returns: ErasurePlanRow[] };
  dsar_execute_erasure: { Args: { p_request_id: string }; Returns: ErasurePlanRow[] };
  dsar_complete_processor_task: { Args: { p_task_id: string | number; p_note: string | null }; Returns: ProcessorTaskRow };
  dsar_erasure_certificate: { Args: { p_request_id: string }; Returns: unknown };
  dsar_stats: { Args: Record<string, never>; Returns: DsarStats };
};

const callDsar = rpcCaller<DsarFunctions>(DSAR_WORDING);

/** Logs an email/other request (validateIntake builds the arguments); the database computes reference and deadlines. */
export const createRequest = (client: SupabaseClient, args: IntakeArgs) => callDsar(client, "dsar_create_request", args);

export interface TransitionInput {
  requestId: string;
  to: DsarStatus;
  note: string | null;
  /** Rejection only: kept for the PDPA s.39 record and told to the subject. */
  refusalGround?: string;
  /** Duplicate only: the original request's id. */
  duplicateOf?: string;
}

export const transitionRequest = (client: SupabaseClient, input: TransitionInput) =>
  callDsar(client, "dsar_transition", {
    p_request_id: input.requestId,
    p_to_status: input.to,
    p_note: input.note,
    ...(input.refusalGround !== undefined ? { p_refusal_ground: input.refusalGround } : {}),
    ...(input.duplicateOf !== undefined ? { p_duplicate_of: input.duplicateOf } : {}),
  });

export const verifyIdentity = (client: SupabaseClient, input: { requestId: string; method: IdentityMethod; note: string | null }) =>
  callDsar(client, "dsar_verify_identity", { p_request_id: input.requestId, p_method: input.method, p_note: input.note });

/** Assigns several requests at once; each row says whether its request was assigned. */
export const assignRequests = (client: SupabaseClient, requestIds: string[], assigneeId: string) =>
  callDsar(client, "dsar_assign", { p_request_ids: requestIds, p_assignee_id: assigneeId });

export const closeAsDuplicate = (client: SupabaseClient, requestIds: string[], duplicateOf: string) =>
  callDsar(client, "dsar_close_as_duplicate", { p_request_ids: requestIds, p_duplicate_of: duplicateOf });

export const extendRequest = (client: SupabaseClient, input: { requestId: string; days: number; reason: string }) =>
  callDsar(client, "dsar_extend", { p_request_id: input.requestId, p_days: input.days, p_reason: input.reason });

export const addNote = (client: SupabaseClient, requestId: string, note: string) =>
  callDsar(client, "dsar_add_note", { p_request_id: requestId, p_note: note });

export const matchCustomer = (client: SupabaseClient, requestId: string, customerId: string) =>
  callDsar(client, "dsar_match_customer", { p_request_id: requestId, p_customer_id: customerId });

export interface RecordExportInput {
  requestId: string;
  manifestSha256: string;
  /** exportEventDetails(manifest, zip size) */
  details: Record<string, unknown>;
}

/** Records a built export in the timeline by its manifest hash. */
export const recordExport = (client: SupabaseClient, input: RecordExportInput) =>
  callDsar(client, "dsar_record_export", { p_request_id: input.requestId, p_manifest_sha256: input.manifestSha256, p_details: input.details });

export const recordResponse = (client: SupabaseClient, input: { requestId: string; language: ResponseLanguage; body: string; sent: boolean }) =>
  callDsar(client, "dsar_record_response", { p_request_id: input.requestId, p_language: input.language, p_body: input.body, p_sent: input.sent });

/** Changes only (rectificationChanges): a field left out keeps its value. */
export const rectifyCustomer = (client: SupabaseClient, requestId: string, changes: Partial<Record<RectifiableField, string | null>>) =>
  callDsar(client, "dsar_rectify_customer", { p_request_id: requestId, p_changes: changes });

export const setRestriction = (client: SupabaseClient, input: { requestId: string; restricted: boolean; reason: string }) =>
  callDsar(client, "dsar_set_restriction", { p_request_id: input.requestId, p_restricted: input.restricted, p_reason: input.reason });

export const withdrawConsent = (client: SupabaseClient, requestId: string, purposes: string[]) =>
  callDsar(client, "dsar_withdraw_consent", { p_request_id: requestId, p_purposes: purposes });

export const previewErasure = (client: SupabaseClient, requestId: string) => callDsar(client, "dsar_erasure_preview", { p_request_id: requestId });

export const executeErasure = (client: SupabaseClient, requestId: string) => callDsar(client, "dsar_execute_erasure", { p_request_id: requestId });

export const completeProcessorTask = (client: SupabaseClient, taskId: string | number, note: string | null) =>
  callDsar(client, "dsar_complete_processor_task", { p_task_id: taskId, p_note: note });

export const erasureCertificate = (client: SupabaseClient, requestId: string) => callDsar(client, "dsar_erasure_certificate", { p_request_id: requestId });

export const fetchDsarStats = (client: SupabaseClient) => callDsar(client, "dsar_stats", {});

/** The id of the request with this reference (closing as a duplicate names the original by reference); null if none. */
export async function requestIdByReference(client: SupabaseClient, reference: string): Promise<string | null> {
  const { data, error } = await client.from(DSAR_QUEUE).select("id").eq("reference", reference).maybeSingle();
  if (error) throw new Error(error.message);
  return (data as { id: string } | null)?.id ?? null;
}

/** staff_roles references staff_members twice (member, granted_by): name the member key for the embed. */
export const DPO_STAFF_SELECT = "id,display_name,email,active,staff_roles!staff_member_id(role)";

export function dpoOptions(rows: readonly (StaffMemberOption & { staff_roles?: { role: string }[] })[]): StaffMemberOption[] {
  return rows
    .filter((row) => !row.staff_roles || row.staff_roles.some((r) => r.role === "dpo"))
    .map(({ id, display_name, email }) => ({ id, display_name, email }));
}

/**
 * The queue's CSV export: every row of the current filter in the queue's order (the reference breaks ties), one page
 * of max_rows at a time, the first counting the total. OFFSET pages: the queue sorts by columns that may be null
 * (due date, e-mail), which keyset paging cannot follow; the queue is small enough for that.
 */
export async function queueCsvSource(client: SupabaseClient, filters: CrudFilters, sort: QueueState["sort"]): Promise<CsvExportSource<DsarQueueRow>> {
  const [first, ...rest] = queueSorters(sort).map((s) => ({ column: s.field, ascending: s.order === "asc" }));
  const pages = offsetPages<DsarQueueRow>(
    (isFirst) => withFilters(client.from(DSAR_QUEUE).select("*", isFirst ? { count: "exact" } : {}), filters) as unknown as PagedQuery<DsarQueueRow>,
    [first!, ...rest],
    { failure: (error) => toRpcError(DSAR_QUEUE, { error }, DSAR_WORDING) },
  );
  return { pages, format: await queueCsvFormat() };
}
