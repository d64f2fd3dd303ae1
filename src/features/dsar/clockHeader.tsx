import { Card, Col, Descriptions, Row, Space, Tag, Typography } from "antd";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { DueTag, StatusTag, TypeTag } from "./components";
import { dueDateOfDeadline, formatDueDate } from "./sla";
import { CHANNEL_LABELS, IDENTITY_METHOD_LABELS, type DsarQueueRow } from "./types";
import type { StaffView } from "./workflow";

/** The request's header: type, status and clock, both due dates, who asked, who handles it, identity, outcome. */
export function ClockHeader({ request, view }: { request: DsarQueueRow; view: StaffView }) {
  const t = useT();
  const format = useFormatter();
  const promiseDueOn = dueDateOfDeadline(request.promise_due_at);
  const identity = request.identity_verified_at
    ? t("dsar.clockHeader.verifiedBy", {
        method: request.identity_method ? IDENTITY_METHOD_LABELS[request.identity_method] : t("dsar.clockHeader.verified"),
        at: format.dateTime(request.identity_verified_at),
      })
    : t("dsar.clockHeader.notVerified");
  const loggedBy = request.created_by_name ?? (request.channel === "self_service" ? t("dsar.request.appActor") : t("common.status.noValue"));
  return (
    <Card size="small" role="region" aria-label={t("dsar.clockHeader.region")}>
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
            <Descriptions.Item label={t("dsar.clockHeader.received")}>{format.dateTime(request.received_at)}</Descriptions.Item>
            <Descriptions.Item label={t("dsar.clockHeader.channel")}>{CHANNEL_LABELS[request.channel] ?? request.channel}</Descriptions.Item>
            <Descriptions.Item label={t("dsar.clockHeader.companyTarget")}>
              {formatDueDate(promiseDueOn)}
              {request.extension_days > 0 ? (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  {t("dsar.clockHeader.extended", { days: request.extension_days })}
                </Tag>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={t("dsar.clockHeader.statutoryLimit")}>{formatDueDate(request.statutory_due_on)}</Descriptions.Item>
            {request.extension_reason && view !== "support" ? (
              <Descriptions.Item label={t("dsar.clockHeader.extensionReason")} span="filled">
                {request.extension_reason}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t("dsar.clockHeader.requester")}>{request.requester_email}</Descriptions.Item>
            {view !== "support" ? (
              <Descriptions.Item label={t("dsar.clockHeader.assignee")}>{request.assignee_name ?? t("dsar.clockHeader.unassigned")}</Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t("dsar.clockHeader.loggedBy")}>{loggedBy}</Descriptions.Item>
            <Descriptions.Item label={t("dsar.clockHeader.identity")}>{identity}</Descriptions.Item>
            {request.identity_note && view !== "support" ? <Descriptions.Item label={t("dsar.clockHeader.identityNote")}>{request.identity_note}</Descriptions.Item> : null}
            {request.refusal_ground ? (
              <Descriptions.Item label={t("dsar.clockHeader.refusalGround")} span="filled">
                {request.refusal_ground}
              </Descriptions.Item>
            ) : null}
            {request.duplicate_of ? (
              <Descriptions.Item label={t("dsar.clockHeader.duplicateOf")}>
                <Link to={`/dsar/${request.duplicate_of}`}>{t("dsar.clockHeader.originalRequest")}</Link>
              </Descriptions.Item>
            ) : null}
            {request.closed_at ? <Descriptions.Item label={t("dsar.clockHeader.closed")}>{format.dateTime(request.closed_at)}</Descriptions.Item> : null}
            {request.summary && view !== "auditor" ? (
              <Descriptions.Item label={t("dsar.clockHeader.summary")} span="filled">
                <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{request.summary}</Typography.Paragraph>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Col>
      </Row>
    </Card>
  );
}
