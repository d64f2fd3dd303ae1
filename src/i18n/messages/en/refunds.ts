/** The refund desk's words (src/features/refunds): the list, its tabs and filter bar. Loads with the desk. */
import { registerMessages } from "../../translate";

export const refunds = {
  title: "Refunds",
  tabs: {
    awaiting: "Awaiting approval",
    approved: "Ready to send",
    in_progress: "In progress",
    succeeded: "Succeeded",
    failed: "Failed / canceled",
    rejected: "Rejected",
    all: "All",
  },
  /** What an empty tab says (`filtered` when the bar narrows it). */
  empty: {
    awaiting: "No refund is waiting for approval.",
    approved: "No approved refund is waiting to be sent.",
    in_progress: "No refund is in flight at Stripe.",
    succeeded: "No succeeded refunds.",
    failed: "No failed or canceled refunds.",
    rejected: "No rejected refunds.",
    all: "No refunds yet.",
    filtered: "No refund matches these filters.",
  },
  filters: {
    reason: "Reason",
    anyReason: "Any reason",
    currency: "Currency",
    anyCurrency: "Any currency",
    requester: "Requester",
    anyRequester: "Any requester",
    me: "Me",
    requestedBetween: "Requested between",
    requestedFrom: "Requested from",
    requestedTo: "Requested to",
    /** Names the date range in a filter error ("Requested date: the start is after the end."). */
    requestedDate: "Requested date",
  },
  columns: {
    customer: "Customer",
    payment: "Payment",
    amount: "Amount",
    reason: "Reason",
    status: "Status",
    approvals: "Approvals",
    requester: "Requester",
    requestedAt: "Requested (Bangkok)",
    actions: "Actions",
  },
  list: {
    tableLabel: "Refunds",
    loadFailed: "Could not load refunds",
    notLoaded: "Refunds could not be loaded.",
    total: "{total} refunds",
    openRow: "Open the refund of {amount}",
    /** Under a payment's amount: its kind ("top-up") and when it was made. */
    paymentMeta: "{kind} · {at}",
  },
  staff: "staff {id}",
} as const;

registerMessages("en", "refunds", refunds);
