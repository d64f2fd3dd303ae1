import { useQuery } from "@tanstack/react-query";
import { Tag, Tooltip } from "antd";
import { can } from "../../providers/accessControl";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { fetchStripeMode, type StripeMode } from "./api";
import { refundsKeys } from "./keys";

const MODES: Record<StripeMode, { label: string; colour: string; explain: string }> = {
  sandbox: {
    label: "Stripe: local sandbox",
    colour: "orange",
    explain: "Refunds go to the local Stripe stand-in started with the server. No real money moves.",
  },
  test: { label: "Stripe: test mode", colour: "gold", explain: "Refunds go to Stripe in test mode. No real money moves." },
  live: { label: "Stripe: live", colour: "green", explain: "Refunds go to Stripe live: real money moves." },
  not_configured: { label: "Stripe: not configured", colour: "red", explain: "The server has no Stripe key: refunds cannot be sent." },
};

/**
 * Which Stripe the server's functions talk to (GET /functions/v1/health → stripe.mode), always in view for the
 * people who deal with money, so nobody mistakes the local sandbox for live Stripe (or the reverse).
 */
export function StripeModeTag() {
  const { roles = [] } = useStaffRoles();
  const getClient = useSupabaseClient();
  const visible = can(roles, "refunds", "read");
  const { data: mode } = useQuery({
    queryKey: refundsKeys.stripeMode(),
    queryFn: async () => fetchStripeMode(await getClient()),
    enabled: visible,
    staleTime: 5 * 60_000,
    retry: false,
  });
  if (!visible || !mode) return null;
  const shown = MODES[mode];
  return (
    <Tooltip title={shown.explain}>
      <Tag color={shown.colour} aria-label="Stripe mode">
        {shown.label}
      </Tag>
    </Tooltip>
  );
}
