import { useState } from "react";
import { useOne } from "@refinedev/core";
import { Alert, Button, Descriptions, Input, Table, Typography } from "antd";
import { useT } from "../../../i18n";
import type { CustomerDirectoryRow } from "../../customers";
import { useDsarActions } from "../data";
import { FIELD_LABELS, RECTIFIABLE_FIELDS, rectificationChanges, type RectifiableField } from "../rectification";
import type { DsarQueueRow } from "../types";
import { ErrorLine, Panel, usePanelAction } from "./Panel";

/** Rectification: edit the profile's fields, see before and after, apply the correction through the request. */
export function RectifyPanel({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const actions = useDsarActions();
  const { result: customer, query } = useOne<CustomerDirectoryRow>({ resource: "customer_directory", id: request.customer_id ?? "", errorNotification: false });
  const [edited, setEdited] = useState<Partial<Record<RectifiableField, string>>>({});
  const { pending, error, run } = usePanelAction();
  const title = t("dsar.fulfilment.rectify.title");
  if (query.isLoading) return <Panel title={title}>{t("dsar.fulfilment.rectify.loading")}</Panel>;
  if (!customer) {
    return (
      <Panel title={title}>
        <Alert type="error" showIcon message={t("dsar.fulfilment.rectify.loadFailed")} description={query.error?.message} />
      </Panel>
    );
  }
  const before: Partial<Record<RectifiableField, string | null>> = {
    email: customer.email,
    display_name: customer.display_name,
    locale: customer.locale,
    country: customer.country,
    profile_image_url: customer.profile_image_url,
  };
  const changes = rectificationChanges(before, edited);
  const changed = Object.keys(changes) as RectifiableField[];
  const noValue = t("common.status.noValue");
  return (
    <Panel title={title}>
      <ErrorLine error={error} />
      <Descriptions size="small" column={1} bordered>
        {RECTIFIABLE_FIELDS.map((field) => (
          <Descriptions.Item key={field} label={FIELD_LABELS[field]}>
            <Input aria-label={FIELD_LABELS[field]} value={edited[field] ?? before[field] ?? ""} onChange={(e) => setEdited({ ...edited, [field]: e.target.value })} />
          </Descriptions.Item>
        ))}
      </Descriptions>
      {changed.length > 0 ? (
        <Table
          size="small"
          aria-label={t("dsar.fulfilment.rectify.beforeAfter")}
          pagination={false}
          rowKey="field"
          dataSource={changed.map((field) => ({ field: FIELD_LABELS[field], before: before[field] ?? noValue, after: changes[field] ?? noValue }))}
          columns={[
            { title: t("dsar.fulfilment.rectify.columns.field"), dataIndex: "field" },
            { title: t("dsar.fulfilment.rectify.columns.before"), dataIndex: "before" },
            { title: t("dsar.fulfilment.rectify.columns.after"), dataIndex: "after" },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">{t("dsar.fulfilment.rectify.editToSee")}</Typography.Text>
      )}
      <Button
        type="primary"
        disabled={changed.length === 0 || pending}
        onClick={() =>
          run(
            async () => {
              await actions.rectifyCustomer(request.id, changes);
              setEdited({});
            },
            { success: t("dsar.fulfilment.rectify.corrected") },
          )
        }
      >
        {t("dsar.fulfilment.rectify.apply")}
      </Button>
    </Panel>
  );
}
