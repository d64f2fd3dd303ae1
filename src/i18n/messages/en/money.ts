/** The money dashboard's words (src/features/money). Loads with the dashboard. */
import { registerMessages } from "../../translate";

export const money = {
  title: "Money dashboard",
  loading: "Loading money figures…",
  loadFailed: "Could not load the money figures",
  retry: "Retry",
  credits: "Credits",
  refundsInWeeks: "Refunds, last {weeks} weeks",
  refundedIn: "Refunded ({currency})",
  adjustments: "Credit adjustments",
  awaitingApproval: "Adjustments waiting for approval",
  refundsChart: {
    title: "Refunds per week by reason",
    emptyInCurrency: "No refunds in this currency.",
    empty: "No refunds in the last {weeks} weeks.",
    measure: "Refund measure",
    count: "Count",
    amount: "Amount",
    currency: "Currency",
  },
  adjustmentsChart: {
    title: "Credit adjustments by reason",
    empty: "No credit adjustments yet.",
    measure: "Adjustment measure",
    count: "Count",
    credits: "Net credits",
  },
  runsChart: {
    title: "Reconciliation discrepancies per run",
    empty: "No reconciliation run saved yet.",
    series: "Discrepancies",
  },
  footnote: "Weeks start on Monday, Bangkok time. Refund amounts are shown per currency, never added across currencies.",
} as const;

registerMessages("en", "money", money);
