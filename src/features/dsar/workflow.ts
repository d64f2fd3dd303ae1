import { catalogueLabels } from "../../i18n/labels";
import { t } from "../../i18n/provider";
import { DSAR_STATUSES, type DsarQueueRow, type DsarStatus, type DsarType, type ProcessorTaskRow } from "./types";

/**
 * The legal-transition table, mirrored from the database's `dsar_next_statuses` so the page offers only the
 * moves the database would accept (the database still checks every one). Closed statuses go nowhere.
 */
export const NEXT_STATUSES: Record<DsarStatus, readonly DsarStatus[]> = {
  new: ["awaiting_verification", "in_progress", "rejected", "withdrawn", "duplicate"],
  awaiting_verification: ["in_progress", "rejected", "withdrawn", "duplicate"],
  in_progress: ["awaiting_subject", "fulfilled", "rejected", "withdrawn", "duplicate"],
  awaiting_subject: ["in_progress", "rejected", "withdrawn", "duplicate"],
  fulfilled: [],
  rejected: [],
  withdrawn: [],
  duplicate: [],
};

/** The button that moves a request to a status. */
export const TRANSITION_LABELS = catalogueLabels(DSAR_STATUSES, (to) => t(`dsar.transitions.${to}`));

export type StaffView = "dpo" | "auditor" | "support" | "none";

/** Which view of the request a set of roles gets (the DPO wins over the others). */
export function staffView(roles: readonly string[]): StaffView {
  if (roles.includes("dpo")) return "dpo";
  if (roles.includes("auditor")) return "auditor";
  if (roles.includes("support")) return "support";
  return "none";
}

/**
 * Transition buttons to show. Work starts only with a verified identity (the database refuses otherwise), so
 * "Start work" is offered once identity is verified; before that the page offers "Verify identity" instead.
 */
export function allowedTransitions(request: Pick<DsarQueueRow, "status" | "identity_verified_at">, view: StaffView): DsarStatus[] {
  if (view !== "dpo") return [];
  return NEXT_STATUSES[request.status].filter((to) => to !== "in_progress" || request.identity_verified_at !== null);
}

export function canVerifyIdentity(request: Pick<DsarQueueRow, "status" | "identity_verified_at">, view: StaffView): boolean {
  return view === "dpo" && request.identity_verified_at === null && (request.status === "new" || request.status === "awaiting_verification");
}

export type FulfilmentKind = "export" | "erasure" | "rectification" | "restriction" | "consent" | "complaint";

export const FULFILMENT_BY_TYPE: Record<DsarType, FulfilmentKind> = {
  access: "export",
  portability: "export",
  erasure: "erasure",
  rectification: "rectification",
  restriction: "restriction",
  objection: "consent",
  complaint: "complaint",
};

/**
 * Fulfilment panels are for the DPO, on a request being worked on (identity verified, not closed); a fulfilled
 * erasure keeps its panel to show the processor checklist and the certificate.
 */
export function fulfilmentPanel(request: Pick<DsarQueueRow, "type" | "status">, view: StaffView): FulfilmentKind | null {
  if (view !== "dpo") return null;
  if (request.type === "erasure" && request.status === "fulfilled") return "erasure";
  if (request.status !== "in_progress") return null;
  return FULFILMENT_BY_TYPE[request.type];
}

/** Extending, assigning and notes apply to open requests only. */
export function isOpenStatus(status: DsarStatus): boolean {
  return NEXT_STATUSES[status].length > 0;
}

/**
 * Why "Mark fulfilled" cannot be used yet, or null when it can. An erasure is fulfilled only after it was executed
 * (which opens the processor tasks) and every processor task is done — the database refuses otherwise, so the page
 * says so on the button instead of letting the DPO find out from a refusal.
 */
export function fulfilBlocker(request: Pick<DsarQueueRow, "type">, tasks: readonly Pick<ProcessorTaskRow, "status">[]): string | null {
  if (request.type !== "erasure") return null;
  if (tasks.length === 0) return t("dsar.fulfilBlocked.notExecuted");
  const open = tasks.filter((task) => task.status === "open").length;
  return open > 0 ? t("dsar.fulfilBlocked.tasksOpen", { count: open }) : null;
}
