/** The DSAR intake form's words (src/features/dsar/create.tsx, intake.ts). Loads with the form. */
import { registerMessages } from "../../translate";

export const dsarIntake = {
  title: "Log a data subject request",
  backToQueue: "Back to the queue",
  formLabel: "New request",
  notSaved: "The request was not saved",
  type: "Type",
  typePlaceholder: "What does the person ask for?",
  channel: "Channel",
  requesterEmail: "Requester email",
  receivedAt: "Received at",
  /** The picker's label: `{zone}` is the display time zone (Asia/Bangkok). */
  receivedAtIn: "Received at ({zone} time)",
  receivedHelp: "When the request reached us; the 30-day clock starts here.",
  backDatedHelp: "Back-dated to when the email arrived: allowed, and recorded in the audit log with your name.",
  deadlinePreview: "Company target {promise} · statutory limit {statutory} (end of day, Bangkok).",
  customer: "Match customer (optional)",
  customerPicker: "Match customer",
  customerHelp: "Search by email or Clerk id (user_…). Leave empty if no account matches yet.",
  customerSearchFailed: "Customer search failed: {error}",
  unmatched: "Unmatched",
  searching: "Searching…",
  noCustomer: "No customer found",
  /** A search result: email, display name when there is one, Clerk id. */
  customerOption: "{email} ({clerkId})",
  customerOptionNamed: "{email} — {name} ({clerkId})",
  summary: "Summary of what the person asks",
  summaryPicker: "Summary",
  submit: "Log request",
  /** What validateIntake names per field. */
  errors: {
    type: "Choose the type of request.",
    channel: "Choose how the request arrived (email or other).",
    emailRequired: "The requester's email is required.",
    emailInvalid: "\"{email}\" is not an email address.",
    received: "Give the date and time it arrived, Bangkok time (YYYY-MM-DD HH:mm).",
    receivedInFuture: "The received time cannot be in the future.",
    summaryTooLong: "Keep the summary under 4,000 characters.",
  },
} as const;

registerMessages("en", "dsarIntake", dsarIntake);
