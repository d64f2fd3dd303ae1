/** The credits desk's words: the credits page (ledger, adjustments, approval queue) and its filter bar. Loads with the desk. */
import { registerMessages } from "../../translate";

export const credits = {
  list: {
    title: "Credits",
    moneyDashboard: "Money dashboard",
    adjust: "Adjust credits",
    tabs: { ledger: "Ledger", adjustments: "Adjustments", pending: "Pending approval" },
    /** What the pending tab's badge says to a screen reader. */
    pendingCountLabel: "{count} waiting",
    pendingCountLoading: "loading",
    tableLabel: { ledger: "Credit ledger", adjustments: "Credit adjustments", pending: "Adjustments waiting for approval" },
    ledgerRowLabel: "Ledger entry {id}",
    adjustmentRowLabel: "Adjustment {amount} for {customer}",
    total: { ledger: "{count} entries", adjustments: "{count} adjustments" },
    empty: { ledger: "No ledger entries yet.", adjustments: "No credit adjustments yet.", pending: "Nothing waits for approval." },
    noMatch: "Nothing matches these filters.",
    couldNotLoad: "Could not load.",
    loadFailed: { ledger: "Could not load the ledger", adjustments: "Could not load the adjustments" },
  },
  columns: {
    when: "When (Bangkok)",
    requested: "Requested (Bangkok)",
    customer: "Customer",
    amount: "Amount",
    reason: "Reason",
    note: "Note",
    by: "By",
    status: "Status",
    requestedBy: "Requested by",
    decided: "Decided",
    decision: "Decision",
  },
  cells: {
    /** A customer whose contact data the caller cannot read (the auditor), by the start of its id. */
    customerShort: "customer {id}",
    staffShort: "staff {id}",
    you: "You",
    nameYou: "{name} (you)",
    product: "product",
    quoted: "“{text}”",
  },
  filters: {
    reason: "Reason",
    anyReason: "Any reason",
    staffMember: "Staff member",
    anyoneMadeBy: "Anyone (made by)",
    anyoneRequestedBy: "Anyone (requested by)",
    nobody: "Nobody (the product)",
    me: "Me",
    dateRange: "Date range",
    from: "From (Bangkok)",
    to: "To",
    minimum: "Minimum amount",
    maximum: "Maximum amount",
    minPlaceholder: "Min credits",
    maxPlaceholder: "Max credits",
    customer: "Customer filter",
    anyCustomer: "Any customer (search email or name)",
    customerOption: "{name} ({email})",
    status: "Status",
    anyStatus: "Any status",
    /** Field names in the filter bar's error sentences ("Date: the start is after the end."). */
    fields: { date: "Date", amount: "Amount", unit: "credits", example: "-500 or 1000" },
    notStaffId: "Staff member: not a staff member id.",
    notCustomerId: "Customer: not a customer id.",
  },
} as const;

registerMessages("en", "credits", credits);
