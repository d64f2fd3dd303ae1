import type { ReactNode } from "react";
import { Alert, Card, Col, Descriptions, Empty, List, Row, Space, Spin, Tag, Timeline, Typography } from "antd";
import { Link, useParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { ErrorPanel, PageLoading } from "../../components/StatusPages";
import { formatBangkokDateTime } from "../../lib/format";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { RequestActions } from "./actions";
import { DueTag, StatusTag, TypeTag } from "./components";
import { useActiveStaff, useDsarEvents, useDsarRequest, useRelatedOpenRequests } from "./data";
import { FulfilmentPanel, MatchCustomer } from "./fulfilment";
import { ResponsePanel } from "./response";
import { dueDateOfDeadline, formatDueDate } from "./sla";
import { CHANNEL_LABELS, IDENTITY_METHOD_LABELS, STATUS_LABELS, type DsarEventRow, type DsarQueueRow, type DsarStatus } from "./types";
import { fulfilmentPanel, staffView, type StaffView } from "./workflow";

const EVENT_LABELS: Record<string, string> = {
  created: "Request logged",
  status_changed: "Status changed",
  note: "Note",
  assigned: "Assigned",
  identity_verified: "Identity verified",
  extended: "Company target extended",
  customer_matched: "Customer matched",
  export_generated: "Export generated",
  email_drafted: "Reply drafted",
  email_sent: "Reply sent",
  rectified: "Profile rectified",
  restriction_changed: "Processing restriction changed",
  consent_withdrawn: "Consent withdrawn",
  erasure_executed: "Erasure executed",
  processor_task_done: "Processor task done",
  certificate_issued: "Erasure certificate issued",
};

const EVENT_COLOURS: Record<string, string> = {
  status_changed: "blue",
  erasure_executed: "red",
  export_generated: "green",
  email_sent: "green",
  certificate_issued: "green",
  extended: "orange",
};

/** Safe, short facts from an event's details (counts, hashes, purposes); never whole payloads. */
function detailLine(event: DsarEventRow): string | null {
  const d = event.details ?? {};
  const parts: string[] = [];
  const pick = (key: string, label: string) => {
    const value = d[key];
    if (value === undefined || value === null || value === "") return;
    parts.push(`${label}: ${Array.isArray(value) ? value.join(", ") : typeof value === "object" ? JSON.stringify(value) : String(value)}`);
  };
  pick("manifest_sha256", "manifest SHA-256");
  pick("days", "days");
  pick("extension_days", "extension");
  pick("method", "method");
  pick("purposes", "purposes");
  pick("restricted", "restricted");
  pick("processor", "processor");
  pick("language", "language");
  pick("fields", "fields");
  return parts.length > 0 ? parts.join(" · ") : null;
}

function TimelineSection({ requestId, staffNames }: { requestId: string; staffNames: Map<string, string> }) {
  const { query, result } = useDsarEvents(requestId, true);
  let body: ReactNode;
  if (query.isLoading) body = <Spin />;
  else if (query.isError) body = <Alert type="error" showIcon message="Could not load the timeline" description={query.error?.message} />;
  else if (result.data.length === 0) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No events yet." />;
  else
    body = (
      <Timeline
        items={result.data.map((event) => {
          const line = detailLine(event);
          return {
            key: String(event.id),
            color: EVENT_COLOURS[event.kind] ?? "gray",
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>
                  {EVENT_LABELS[event.kind] ?? event.kind}
                  {event.from_status || event.to_status ? (
                    <Typography.Text type="secondary">
                      {" "}
                      {event.from_status ? STATUS_LABELS[event.from_status as DsarStatus] ?? event.from_status : "—"} →{" "}
                      {event.to_status ? STATUS_LABELS[event.to_status as DsarStatus] ?? event.to_status : "—"}
                    </Typography.Text>
                  ) : null}
                </Typography.Text>
                {event.note ? <Typography.Text>{event.note}</Typography.Text> : null}
                {line ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{line}</Typography.Text> : null}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatBangkokDateTime(event.occurred_at)} ·{" "}
                  {event.actor_staff_id ? staffNames.get(event.actor_staff_id) ?? "staff" : "M-Factory app"}
                </Typography.Text>
              </Space>
            ),
          };
        })}
      />
    );
  return (
    <Card title="Activity" size="small" role="region" aria-label="Activity">
      {body}
    </Card>
  );
}

function ClockHeader({ request, view }: { request: DsarQueueRow; view: StaffView }) {
  const promiseDueOn = dueDateOfDeadline(request.promise_due_at);
  return (
    <Card size="small" role="region" aria-label="Request">
      <Row gutter={[16, 16]}>
        <Col xs={24} md={6}>
          <Space direction="vertical">
            <Space>
              <TypeTag type={request.type} />
              <StatusTag status={request.status} />
            </Space>
            <DueTag row={request} />
          </Space>
        </Col>
        <Col xs={24} md={18}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label="Received (Bangkok)">{formatBangkokDateTime(request.received_at)}</Descriptions.Item>
            <Descriptions.Item label="Channel">{CHANNEL_LABELS[request.channel] ?? request.channel}</Descriptions.Item>
            <Descriptions.Item label="Company target">
              {formatDueDate(promiseDueOn)}
              {request.extension_days > 0 ? (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  extended {request.extension_days} days
                </Tag>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label="Statutory limit">{formatDueDate(request.statutory_due_on)}</Descriptions.Item>
            {request.extension_reason && view !== "support" ? (
              <Descriptions.Item label="Extension reason" span="filled">
                {request.extension_reason}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label="Requester">{request.requester_email}</Descriptions.Item>
            {view !== "support" ? <Descriptions.Item label="Assignee">{request.assignee_name ?? "unassigned"}</Descriptions.Item> : null}
            <Descriptions.Item label="Logged by">{request.created_by_name ?? (request.channel === "self_service" ? "M-Factory app" : "—")}</Descriptions.Item>
            <Descriptions.Item label="Identity">
              {request.identity_verified_at
                ? `${request.identity_method ? IDENTITY_METHOD_LABELS[request.identity_method] : "verified"} · ${formatBangkokDateTime(request.identity_verified_at)}`
                : "not verified yet"}
            </Descriptions.Item>
            {request.identity_note && view !== "support" ? <Descriptions.Item label="Identity note">{request.identity_note}</Descriptions.Item> : null}
            {request.refusal_ground ? (
              <Descriptions.Item label="Refusal ground" span="filled">
                {request.refusal_ground}
              </Descriptions.Item>
            ) : null}
            {request.duplicate_of ? (
              <Descriptions.Item label="Duplicate of">
                <Link to={`/dsar/${request.duplicate_of}`}>original request</Link>
              </Descriptions.Item>
            ) : null}
            {request.closed_at ? <Descriptions.Item label="Closed (Bangkok)">{formatBangkokDateTime(request.closed_at)}</Descriptions.Item> : null}
            {request.summary && view !== "auditor" ? (
              <Descriptions.Item label="What the person asks" span="filled">
                <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{request.summary}</Typography.Paragraph>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Col>
      </Row>
    </Card>
  );
}

function SubjectPanel({ request, mayOpenCustomer, mayMatch }: { request: DsarQueueRow; mayOpenCustomer: boolean; mayMatch: boolean }) {
  const related = useRelatedOpenRequests(request);
  return (
    <Card title="Subject" size="small" role="region" aria-label="Subject">
      <Space direction="vertical" style={{ width: "100%" }}>
        {request.customer_id ? (
          <Space wrap>
            <Typography.Text strong>{request.customer_display_name ?? request.customer_email ?? "Matched customer"}</Typography.Text>
            {request.customer_email ? <Typography.Text type="secondary">{request.customer_email}</Typography.Text> : null}
            {request.customer_processing_restricted ? <Tag color="red">processing restricted</Tag> : <Tag color="green">not restricted</Tag>}
            {mayOpenCustomer ? <Link to={`/customers/${request.customer_id}`}>Open customer page</Link> : null}
          </Space>
        ) : (
          <>
            <Alert type="warning" showIcon message="Not matched to a customer" description={`No M-Factory account is linked to ${request.requester_email} yet.`} />
            {mayMatch ? <MatchCustomer request={request} /> : null}
          </>
        )}
        <Typography.Text strong>Other open requests from this person</Typography.Text>
        {related.query.isError ? (
          <Alert type="error" showIcon message="Could not load related requests" description={related.query.error?.message} />
        ) : (
          <List
            size="small"
            loading={related.query.isLoading}
            locale={{ emptyText: "None." }}
            dataSource={related.result.data}
            renderItem={(row) => (
              <List.Item>
                <Space wrap>
                  <Link to={`/dsar/${row.id}`}>{row.reference}</Link>
                  <TypeTag type={row.type} />
                  <StatusTag status={row.status} />
                  <DueTag row={row} showStatutory={false} />
                </Space>
              </List.Item>
            )}
          />
        )}
      </Space>
    </Card>
  );
}

/** The request page: the clock, the subject, the timeline, and what the role may do next. */
export default function DsarShow() {
  const { id = "" } = useParams();
  const { roles, isLoading: rolesLoading } = useStaffRoles();
  const { query, result: request } = useDsarRequest(id);
  const view = staffView(roles ?? []);
  // Staff names for the timeline (the DPO and the auditor may read the staff list).
  const staff = useActiveStaff(view === "dpo" || view === "auditor");
  // Every staff member, not only DPOs: support logs intakes and appears in the timeline too.
  const staffNames = new Map((staff.result.data ?? []).map((s) => [s.id, s.display_name]));

  if (rolesLoading || !roles || query.isLoading) return <PageLoading label="Loading request…" />;
  if (query.isError) return <ErrorPanel title="Could not load this request" error={query.error} />;
  if (!request) return <ErrorPanel title="Request not found" error={new Error(`No request with id ${id} is visible to you.`)} />;

  const panel = fulfilmentPanel(request, view);
  return (
    <PageShell title={request.reference} extra={<Link to="/dsar">Back to the queue</Link>}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <ClockHeader request={request} view={view} />
        {view === "support" ? (
          <Alert
            type="info"
            showIcon
            message="The DPO handles this request"
            description="You can follow its status here. Fulfilment, exports and replies are only visible to the DPO."
          />
        ) : null}
        <RequestActions request={request} view={view} />
        {view === "dpo" || view === "auditor" ? <SubjectPanel request={request} mayOpenCustomer={can(roles, "customers", "show")} mayMatch={view === "dpo" && request.is_open} /> : null}
        {panel ? <FulfilmentPanel kind={panel} request={request} /> : null}
        {view === "dpo" ? <ResponsePanel request={request} /> : null}
        {can(roles, "dsar_events", "list") ? <TimelineSection requestId={request.id} staffNames={staffNames} /> : null}
      </Space>
    </PageShell>
  );
}
