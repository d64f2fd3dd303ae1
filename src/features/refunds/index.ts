/**
 * What other features may use of refunds: the customer page's refund part of the payments section, and the refund
 * reasons with their labels (the money dashboard's chart). Anything else in this folder is the refund screens' own.
 */
export { useRefundsOnPayments } from "./PaymentRefunds";
export { REASON_LABELS, REFUND_REASONS } from "./types";
