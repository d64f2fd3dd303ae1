import { Tabs } from "antd";
import { useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { PageLoading } from "../../components/StatusPages";
import { useT } from "../../i18n";
import "../../i18n/messages/en/retention";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { HoldsTab } from "./HoldsTab";
import { PurgesTab } from "./PurgesTab";
import { StatusTab } from "./StatusTab";

type TabKey = "status" | "holds" | "purges";

/**
 * /retention: the status per category (DPO, admin, auditor), legal holds (DPO places and releases, the auditor
 * reads; closed to the admin, as the database closes legal_holds), purges (the DPO runs them; the others read past runs).
 */
export default function RetentionPage() {
  const t = useT();
  const { roles, isLoading } = useStaffRoles();
  const [params, setParams] = useSearchParams();
  if (isLoading || !roles) return <PageLoading />;
  const visible: TabKey[] = ["status", ...(can(roles, "legal_holds", "read") ? (["holds"] as const) : []), "purges"];
  const asked = params.get("tab") as TabKey | null;
  const active: TabKey = asked && visible.includes(asked) ? asked : "status";
  const mayWrite = can(roles, "retention", "write");
  const content: Record<TabKey, () => JSX.Element> = {
    status: () => <StatusTab />,
    holds: () => <HoldsTab mayWrite={can(roles, "legal_holds", "write")} />,
    purges: () => <PurgesTab mayRun={mayWrite} />,
  };
  return (
    <PageShell title={t("retention.title")}>
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(key) => setParams(key === "status" ? {} : { tab: key }, { replace: true })}
        items={visible.map((key) => ({ key, label: t(`retention.tabs.${key}`), children: content[key]() }))}
      />
    </PageShell>
  );
}
