/** The privacy (DSAR) dashboard's words (src/features/dsar/dashboard.tsx). Loads with the dashboard. */
import { registerMessages } from "../../translate";

export const dsarDashboard = {
  title: "Privacy dashboard",
  loading: "Loading DSAR figures…",
  loadFailed: "Could not load the DSAR figures",
  openQueue: "Open the queue",
  noData: "No data in this period.",
  openRequests: "Open requests",
  overdue: "Overdue",
  closedInYear: "Closed, last 12 months",
  latestMedian: "Median days to close (latest month)",
  openByDaysLeft: "Open requests by days left",
  perWeekByType: "Requests per week by type",
  onTimeVsLate: "On time vs late, per month closed",
  onTime: "On time",
  late: "Late",
  medianPerMonth: "Median days to close, per month",
  medianDays: "Median days",
  footnote: "Weeks start on Monday and months on the 1st, Bangkok time. Figures as of {at} UTC.",
} as const;

registerMessages("en", "dsarDashboard", dsarDashboard);
