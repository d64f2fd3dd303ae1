import { Link } from "react-router";
import { useT } from "../../i18n";
import "../../i18n/messages/en/consent";

/** The customer page's way to the customer's consent state (and, for the DPO and the auditor, its history). */
export function CustomerConsentLink({ customerId }: { customerId: string }) {
  const t = useT();
  return <Link to={`/consent/customer/${customerId}`}>{t("consent.customer.link")}</Link>;
}
