import { useQuery } from "@tanstack/react-query";
import { Tag, Tooltip } from "antd";
import { can } from "../../providers/accessControl";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { useT } from "../../i18n";
import { fetchStripeMode, type StripeMode } from "./stripeMode";
import { refundsKeys } from "./keys";

/** The tag's colour per mode; its words are `common.stripeMode` (the header is on every page, the desk's words are not). */
const COLOURS: Record<StripeMode, string> = { sandbox: "orange", test: "gold", live: "green", not_configured: "red" };

/**
 * Which Stripe the server's functions talk to (GET /functions/v1/health → stripe.mode), always in view for the
 * people who deal with money, so nobody mistakes the local sandbox for live Stripe (or the reverse).
 */
export function StripeModeTag() {
  const t = useT();
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
  return (
    <Tooltip title={t(`common.stripeMode.explain.${mode}`)}>
      <Tag color={COLOURS[mode]} aria-label={t("common.stripeMode.label")}>
        {t(`common.stripeMode.${mode}`)}
      </Tag>
    </Tooltip>
  );
}
