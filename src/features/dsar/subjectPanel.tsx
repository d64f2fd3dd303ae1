import { Alert, Card, List, Space, Typography } from "antd";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { DueTag, StatusTag, TypeTag } from "./components";
import { useRelatedOpenRequests } from "./data";
import { MatchCustomer, RestrictionTag } from "./fulfilment";
import type { DsarQueueRow } from "./types";

/** Who the request is about: the matched customer (or matching one), and the person's other open requests. */
export function SubjectPanel({ request, mayOpenCustomer, mayMatch }: { request: DsarQueueRow; mayOpenCustomer: boolean; mayMatch: boolean }) {
  const t = useT();
  const related = useRelatedOpenRequests(request);
  return (
    <Card title={t("dsar.subject.title")} size="small" role="region" aria-label={t("dsar.subject.title")}>
      <Space direction="vertical" style={{ width: "100%" }}>
        {request.customer_id ? (
          <Space wrap>
            <Typography.Text strong>{request.customer_display_name ?? request.customer_email ?? t("dsar.subject.matchedCustomer")}</Typography.Text>
            {request.customer_email ? <Typography.Text type="secondary">{request.customer_email}</Typography.Text> : null}
            <RestrictionTag restricted={Boolean(request.customer_processing_restricted)} />
            {mayOpenCustomer ? <Link to={`/customers/${request.customer_id}`}>{t("dsar.subject.openCustomer")}</Link> : null}
          </Space>
        ) : (
          <>
            <Alert type="warning" showIcon message={t("dsar.subject.notMatched")} description={t("dsar.subject.notMatchedDetail", { email: request.requester_email })} />
            {mayMatch ? <MatchCustomer request={request} /> : null}
          </>
        )}
        <Typography.Text strong>{t("dsar.subject.related")}</Typography.Text>
        {related.query.isError ? (
          <Alert type="error" showIcon message={t("dsar.subject.relatedFailed")} description={related.query.error?.message} />
        ) : (
          <List
            size="small"
            loading={related.query.isLoading}
            locale={{ emptyText: t("dsar.subject.noRelated") }}
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
