import { Alert, Space } from "antd";
import { Link, useParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { ErrorPanel, PageLoading } from "../../components/StatusPages";
import { useT } from "../../i18n";
import "../../i18n/messages/en/dsar";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { RequestActions } from "./actions";
import { ClockHeader } from "./clockHeader";
import { useActiveStaff, useDsarRequest } from "./data";
import { FulfilmentPanel } from "./fulfilment";
import { ResponsePanel } from "./response";
import { SubjectPanel } from "./subjectPanel";
import { TimelineSection } from "./timeline";
import { fulfilmentPanel, staffView } from "./workflow";

/** The request page: the clock, the subject, the timeline, and what the role may do next. */
export default function DsarShow() {
  const t = useT();
  const { id = "" } = useParams();
  const { roles, isLoading: rolesLoading } = useStaffRoles();
  const { query, result: request } = useDsarRequest(id);
  const view = staffView(roles ?? []);
  // Staff names for the timeline (the DPO and the auditor may read the staff list).
  const staff = useActiveStaff(view === "dpo" || view === "auditor");
  // Every staff member, not only DPOs: support logs intakes and appears in the timeline too.
  const staffNames = new Map((staff.result.data ?? []).map((s) => [s.id, s.display_name]));

  if (rolesLoading || !roles || query.isLoading) return <PageLoading label={t("dsar.request.loading")} />;
  if (query.isError) return <ErrorPanel title={t("dsar.request.loadFailed")} error={query.error} />;
  if (!request) return <ErrorPanel title={t("dsar.request.notFound")} error={new Error(t("dsar.request.notVisible", { id }))} />;

  const panel = fulfilmentPanel(request, view);
  return (
    <PageShell title={request.reference} extra={<Link to="/dsar">{t("dsar.request.backToQueue")}</Link>}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <ClockHeader request={request} view={view} />
        {view === "support" ? <Alert type="info" showIcon message={t("dsar.request.dpoHandles")} description={t("dsar.request.dpoHandlesDetail")} /> : null}
        <RequestActions request={request} view={view} />
        {view === "dpo" || view === "auditor" ? <SubjectPanel request={request} mayOpenCustomer={can(roles, "customers", "show")} mayMatch={view === "dpo" && request.is_open} /> : null}
        {panel ? <FulfilmentPanel kind={panel} request={request} /> : null}
        {view === "dpo" ? <ResponsePanel request={request} /> : null}
        {can(roles, "dsar_events", "list") ? <TimelineSection requestId={request.id} staffNames={staffNames} /> : null}
      </Space>
    </PageShell>
  );
}
