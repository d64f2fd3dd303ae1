import type { SupabaseClient } from "@supabase/supabase-js";
import { rpcCaller } from "../../lib/rpc";
import { MONEY_WORDING } from "../credits";
import type { MoneyStats } from "./stats";

/** The dashboard's one function (hand-typed until the generated Database type lands). */
type MoneyFunctions = {
  money_stats: { Args: { p_weeks: number }; Returns: MoneyStats };
};

const callMoney = rpcCaller<MoneyFunctions>(MONEY_WORDING);

/** Refunds per week, credit adjustments by reason and status, discrepancies per run (to finance and the auditor). */
export const fetchMoneyStats = (client: SupabaseClient, weeks: number) => callMoney(client, "money_stats", { p_weeks: weeks });
