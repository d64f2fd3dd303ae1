import { Space } from "antd";
import { Link, useParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { ErrorPanel, PageLoading } from "../../components/StatusPages";
import { useT } from "../../i18n";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { CustomerConsentLink } from "../consent";
import { CreditsSection, CustomerRowsSection, PaymentsSection, type PlainSection } from "./CustomerSections";
import { useCustomerProfile } from "./data";
import { ProfileHeader } from "./ProfileHeader";
import "../../i18n/messages/en/customers";

/** The page's sections in order, each shown only when the role may see its resource. */
const SECTIONS_SHOWN: readonly { resource: string; section: "credits" | "payments" | PlainSection }[] = [
  { resource: "credit_balances", section: "credits" },
  { resource: "subscriptions", section: "subscriptions" },
  { resource: "payments", section: "payments" },
  { resource: "projects", section: "projects" },
  { resource: "generations", section: "generations" },
  { resource: "assets", section: "assets" },
  { resource: "customer_consents", section: "consents" },
  { resource: "consent_events", section: "consentEvents" },
  { resource: "api_request_logs", section: "apiLogs" },
  { resource: "error_reports", section: "errorReports" },
];

/** One customer: the profile, then each section the role may see (a forbidden section is never requested). */
export default function CustomerShow() {
  const t = useT();
  const { id = "" } = useParams();
  const { roles, isLoading: rolesLoading } = useStaffRoles();
  const { query, result: customer } = useCustomerProfile(id);

  if (rolesLoading || !roles || query.isLoading) return <PageLoading label={t("customers.show.loading")} />;
  if (query.isError) return <ErrorPanel title={t("customers.show.loadFailed")} error={query.error} />;
  if (!customer) return <ErrorPanel title={t("customers.show.notFound")} error={new Error(t("customers.show.notVisible", { id }))} />;

  const allowed = (resource: string) => can(roles, resource, "show");
  const showStripe = allowed("stripe_ids");

  return (
    <PageShell
      title={customer.display_name ?? customer.email}
      extra={
        <Space>
          {allowed("customer_consents") ? <CustomerConsentLink customerId={customer.id} /> : null}
          <Link to="/customers">{t("customers.show.back")}</Link>
        </Space>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <ProfileHeader customer={customer} showStripe={showStripe} />
        {SECTIONS_SHOWN.filter(({ resource }) => allowed(resource)).map(({ section }) =>
          section === "credits" ? (
            <CreditsSection key={section} customer={customer} />
          ) : section === "payments" ? (
            <PaymentsSection key={section} customerId={customer.id} showStripe={showStripe} />
          ) : (
            <CustomerRowsSection key={section} section={section} customerId={customer.id} showStripe={showStripe} />
          ),
        )}
      </Space>
    </PageShell>
  );
}
