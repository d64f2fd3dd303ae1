/** DSAR desk types, named as the database contract (docs/dsar.md, migration 20261126001000_dsar.sql). */
import { catalogueLabels } from "../../i18n/labels";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/dsar"; // the labels below travel with the desk
import type { RpcRow, Tables, WithNullable } from "../../lib/database";

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

export const TYPE_LABELS = catalogueLabels(DSAR_TYPES, (type) => t(`dsar.types.${type}`));

export const STATUS_LABELS = catalogueLabels(DSAR_STATUSES, (status) => t(`dsar.statuses.${status}`));

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

export const CHANNEL_LABELS = catalogueLabels(DSAR_CHANNELS, (channel) => t(`dsar.channels.${channel === "other" ? "otherChannel" : channel}`));

export const IDENTITY_METHOD_LABELS = catalogueLabels(IDENTITY_METHODS, (method) => t(`dsar.identityMethods.${method}`));

/** A row of the `dsar_queue` view (security_invoker; support sees only its own intakes). */
export type DsarQueueRow = Omit<Tables<"dsar_requests">, "type" | "status" | "channel" | "identity_method"> & {
  type: DsarType;
  status: DsarStatus;
  channel: DsarChannel;
  identity_method: IdentityMethod | null;
  // The view's own columns: the generated view row has every column nullable, these are computed for every row.
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
};

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

export type DsarEventRow = Omit<Tables<"dsar_events">, "kind" | "from_status" | "to_status" | "details"> & {
  kind: DsarEventKind;
  from_status: DsarStatus | null;
  to_status: DsarStatus | null;
  details: Record<string, unknown> | null;
};

export type DsarSlaRule = Omit<Tables<"dsar_sla_rules">, "type"> & { type: DsarType };

/** One request's outcome of a bulk call (dsar_assign, dsar_close_as_duplicate): `error` is null when it went through. */
export type BulkResultRow = WithNullable<RpcRow<"dsar_assign">, "error">;

/** `held`: rows a legal hold keeps (the reason names the hold, its reason and review date); execution is refused while any exist. */
export type ErasureAction = "delete" | "anonymise" | "keep" | "held";

/** A row of dsar_erasure_plan (also what the erasure preview and execution return). */
export type ErasurePlanRow = Omit<WithNullable<RpcRow<"dsar_erasure_plan">, "reason">, "action"> & { action: ErasureAction };

export const PROCESSORS = ["clerk", "r2", "stripe", "kie_ai", "sentry", "upstash"] as const;
export type Processor = (typeof PROCESSORS)[number];

export type ProcessorTaskRow = Pick<Tables<"dsar_processor_tasks">, "id" | "request_id" | "action" | "done_by" | "done_at" | "note"> & {
  processor: Processor;
  status: "open" | "done";
};

export type StaffMemberOption = Pick<Tables<"staff_members">, "id" | "display_name" | "email">;

export function isDsarType(value: string): value is DsarType {
  return (DSAR_TYPES as readonly string[]).includes(value);
}
export function isDsarStatus(value: string): value is DsarStatus {
  return (DSAR_STATUSES as readonly string[]).includes(value);
}
export function isDsarChannel(value: string): value is DsarChannel {
  return (DSAR_CHANNELS as readonly string[]).includes(value);
}
