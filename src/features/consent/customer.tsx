import { useList } from "@refinedev/core";
import { Alert, Space } from "antd";
import { Link, useParams, useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { PageLoading } from "../../components/StatusPages";
import { useT } from "../../i18n";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { ConsentAsOf, ConsentTimeline, CurrentConsentState } from "./CustomerConsent";
import { CustomerDeclines } from "./CustomerDeclines";
import "../../i18n/messages/en/consent";

/**
 * One customer's consent (/consent/customer/:id?asOf=YYYY-MM-DD): the current state per purpose for every role that
 * reads it (support included); the policy versions declined (and what each did), "as of a day" and the timeline for
 * the DPO and the auditor only (never requested for other roles).
 */
export default function CustomerConsentPage() {
  const t = useT();
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const { roles, isLoading } = useStaffRoles();
  const mayReadCustomer = can(roles ?? [], "customers", "show");
  const history = can(roles ?? [], "consent_events", "list");
  const customer = useList<{ id: string; display_name: string | null; email: string }>({
    resource: "customer_directory",
    filters: [{ field: "id", operator: "eq", value: id }],
    pagination: { mode: "off" },
    meta: { select: "id,display_name,email" },
    errorNotification: false,
    queryOptions: { enabled: mayReadCustomer },
  });
  if (isLoading || !roles) return <PageLoading label={t("consent.list.title")} />;
  const found = customer.result.data?.[0];
  const title = found ? t("consent.customer.title", { name: found.display_name ?? found.email }) : t("consent.customer.titleUnknown", { id: id.slice(0, 8) });
  const day = params.get("asOf") ?? "";
  const setDay = (next: string) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set("asOf", next);
        else updated.delete("asOf");
        return updated;
      },
      { replace: true },
    );
  return (
    <PageShell title={title} extra={mayReadCustomer ? <Link to={`/customers/${id}`}>{t("consent.customer.back")}</Link> : null}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <CurrentConsentState customerId={id} />
        {history ? (
          <>
            {can(roles, "policy_declines", "list") ? <CustomerDeclines customerId={id} /> : null}
            <ConsentAsOf customerId={id} day={day} onDay={setDay} />
            <ConsentTimeline customerId={id} />
          </>
        ) : (
          <Alert type="info" showIcon message={t("consent.customer.historyHidden")} />
        )}
      </Space>
    </PageShell>
  );
}
