/** DSAR desk types, named as the database contract (docs/dsar.md, migration 20261126001000_dsar.sql). */

export const DSAR_TYPES = ["access", "portability", "rectification", "erasure", "restriction", "objection", "complaint"] as const;
export type DsarType = (typeof DSAR_TYPES)[number];

export const DSAR_STATUSES = [
  "new",
  "awaiting_verification",
  "in_progress",
  "awaiting_subject",
  "fulfilled",
  "rejected",
  "withdrawn",
  "duplicate",
] as const;
export type DsarStatus = (typeof DSAR_STATUSES)[number];

export const OPEN_STATUSES: readonly DsarStatus[] = ["new", "awaiting_verification", "in_progress", "awaiting_subject"];
export const CLOSED_STATUSES: readonly DsarStatus[] = ["fulfilled", "rejected", "withdrawn", "duplicate"];

export const DSAR_CHANNELS = ["self_service", "email", "other"] as const;
export type DsarChannel = (typeof DSAR_CHANNELS)[number];

export const IDENTITY_METHODS = ["email_link", "id_document", "account_signed_in"] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export const TYPE_LABELS: Record<DsarType, string> = {
  access: "Access",
  portability: "Portability",
  rectification: "Rectification",
  erasure: "Erasure",
  restriction: "Restriction",
  objection: "Objection / consent withdrawal",
  complaint: "Complaint",
};

export const STATUS_LABELS: Record<DsarStatus, string> = {
  new: "New",
  awaiting_verification: "Awaiting identity",
  in_progress: "In progress",
  awaiting_subject: "Awaiting subject",
  fulfilled: "Fulfilled",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  duplicate: "Duplicate",
};

export const STATUS_COLOURS: Record<DsarStatus, string> = {
  new: "blue",
  awaiting_verification: "gold",
  in_progress: "processing",
  awaiting_subject: "purple",
  fulfilled: "green",
  rejected: "red",
  withdrawn: "default",
  duplicate: "default",
};

export const CHANNEL_LABELS: Record<DsarChannel, string> = {
  self_service: "Self-service (app)",
  email: "Email to the DPO",
  other: "Other",
};

export const IDENTITY_METHOD_LABELS: Record<IdentityMethod, string> = {
  email_link: "Email link confirmed",
  id_document: "ID document seen",
  account_signed_in: "Signed in to the account",
};

/** A row of the `dsar_queue` view (security_invoker; support sees only its own intakes). */
export interface DsarQueueRow {
  id: string;
  reference: string;
  type: DsarType;
  status: DsarStatus;
  channel: DsarChannel;
  requester_email: string;
  customer_id: string | null;
  summary: string | null;
  received_at: string;
  created_by: string | null;
  assignee_id: string | null;
  extension_days: number;
  extension_reason: string | null;
  identity_method: IdentityMethod | null;
  identity_verified_by: string | null;
  identity_verified_at: string | null;
  identity_note: string | null;
  refusal_ground: string | null;
  duplicate_of: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  customer_email: string | null;
  customer_display_name: string | null;
  customer_processing_restricted: boolean | null;
  assignee_name: string | null;
  created_by_name: string | null;
  promise_due_at: string;
  statutory_due_at: string;
  due_at: string;
  due_on: string;
  statutory_due_on: string;
  days_left: number;
  is_overdue: boolean;
  is_open: boolean;
}

export const DSAR_EVENT_KINDS = [
  "created",
  "status_changed",
  "note",
  "assigned",
  "identity_verified",
  "extended",
  "customer_matched",
  "export_generated",
  "email_drafted",
  "email_sent",
  "rectified",
  "restriction_changed",
  "consent_withdrawn",
  "erasure_executed",
  "processor_task_done",
  "certificate_issued",
] as const;
export type DsarEventKind = (typeof DSAR_EVENT_KINDS)[number];

export interface DsarEventRow {
  id: number | string;
  request_id: string;
  kind: DsarEventKind;
  from_status: DsarStatus | null;
  to_status: DsarStatus | null;
  note: string | null;
  details: Record<string, unknown> | null;
  actor_staff_id: string | null;
  occurred_at: string;
}

export interface DsarSlaRule {
  type: DsarType;
  promise_days: number;
  statutory_days: number;
  statutory_basis: string;
}

export interface BulkResultRow {
  request_id: string;
  ok: boolean;
  error: string | null;
}

export type ErasureAction = "delete" | "anonymise" | "keep";

export interface ErasurePlanRow {
  category: string;
  action: ErasureAction;
  row_count: number | string;
  reason: string | null;
}

export const PROCESSORS = ["clerk", "r2", "stripe", "kie_ai", "sentry", "upstash"] as const;
export type Processor = (typeof PROCESSORS)[number];

export interface ProcessorTaskRow {
  id: string | number;
  request_id: string;
  processor: Processor;
  action: string;
  status: "open" | "done";
  done_by: string | null;
  done_at: string | null;
  note: string | null;
}

export interface StaffMemberOption {
  id: string;
  display_name: string;
  email: string;
}

export function isDsarType(value: string): value is DsarType {
  return (DSAR_TYPES as readonly string[]).includes(value);
}
export function isDsarStatus(value: string): value is DsarStatus {
  return (DSAR_STATUSES as readonly string[]).includes(value);
}
export function isDsarChannel(value: string): value is DsarChannel {
  return (DSAR_CHANNELS as readonly string[]).includes(value);
}
