/**
 * The consent overview's figures: the period picker's choices (kept in the URL), the two database functions that
 * compute the charts (consent_opt_in_over_time, policy_version_share: DPO and auditor), and their rows shaped for
 * recharts and for the table alternative. Nothing is computed here that the database did not count.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { RpcRow } from "../../lib/database";
import { rpcCaller } from "../../lib/rpc";
import { CONSENT_WORDING } from "./api";
import type { Bucket, PeriodRange } from "./period";
import { DOCUMENTS, PURPOSES } from "./types";

export { bangkokToday, DEFAULT_PERIOD, isPeriod, periodRange, PERIODS, type Bucket, type Period, type PeriodRange } from "./period";

export type OptInRow = RpcRow<"consent_opt_in_over_time">;
export type VersionShareRow = RpcRow<"policy_version_share">;
export const STANDINGS = ["current", "older", "upcoming", "unversioned", "never"] as const;
export type Standing = (typeof STANDINGS)[number];

type OverviewFunctions = {
  consent_opt_in_over_time: { Args: { p_from: string; p_to: string; p_bucket: Bucket }; Returns: OptInRow[] };
  policy_version_share: { Args: Record<string, never>; Returns: VersionShareRow[] };
};
const callOverview = rpcCaller<OverviewFunctions>(CONSENT_WORDING);

export function consentOptInOverTime(client: SupabaseClient, range: PeriodRange): Promise<OptInRow[]> {
  return callOverview(client, "consent_opt_in_over_time", { p_from: range.from, p_to: range.to, p_bucket: range.bucket });
}

export function policyVersionShare(client: SupabaseClient): Promise<VersionShareRow[]> {
  return callOverview(client, "policy_version_share", {});
}

/** One period of the opt-in chart: its days, the customers active at its end, and per purpose the count and rate. */
export interface OptInPoint {
  first: string;
  last: string;
  active: number;
  /** Per purpose: the rate in percent (the chart's y), null when nobody was active. */
  percent: Record<string, number | null>;
  granted: Record<string, number>;
  rate: Record<string, number | null>;
}

export function optInPoints(rows: readonly OptInRow[]): OptInPoint[] {
  const points = new Map<string, OptInPoint>();
  for (const row of rows) {
    let point = points.get(row.bucket_start);
    if (!point) {
      point = { first: row.bucket_start, last: row.bucket_end, active: Number(row.active_customers), percent: {}, granted: {}, rate: {} };
      points.set(row.bucket_start, point);
    }
    const rate = row.rate === null ? null : Number(row.rate);
    point.rate[row.purpose] = rate;
    point.percent[row.purpose] = rate === null ? null : Math.round(rate * 1000) / 10;
    point.granted[row.purpose] = Number(row.granted);
  }
  return [...points.values()];
}

/** Nothing to draw: no period had an active customer. */
export const noActiveCustomers = (points: readonly OptInPoint[]) => points.every((p) => p.active === 0);

/** Per document, the customers per standing (the stacked bars); the versions' own rows are for the table. */
export function shareBars(rows: readonly VersionShareRow[]): Array<{ document: string } & Record<Standing, number>> {
  return DOCUMENTS.map((document) => {
    const bar = { document, current: 0, older: 0, upcoming: 0, unversioned: 0, never: 0 };
    for (const row of rows) if (row.document === document && (STANDINGS as readonly string[]).includes(row.standing)) bar[row.standing as Standing] += Number(row.customers);
    return bar;
  });
}

/** The share of active customers whose latest acceptance of the privacy policy is the version in force (0–1), or null. */
export function privacyPolicyCurrentShare(rows: readonly VersionShareRow[]): number | null {
  const current = rows.find((r) => r.document === "privacy_policy" && r.standing === "current");
  return current && current.share !== null ? Number(current.share) : null;
}

export { PURPOSES };
