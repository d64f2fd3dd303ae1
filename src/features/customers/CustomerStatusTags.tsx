/** A customer's account state at a glance: active or deleted, and whether processing is restricted. */
import { Space, Tag } from "antd";
import "../../i18n/messages/en/customers";
import { useT } from "../../i18n";
import type { CustomerDirectoryRow } from "./types";

export function CustomerStatusTags({ row }: { row: Pick<CustomerDirectoryRow, "deleted_at" | "processing_restricted"> }) {
  const t = useT();
  return (
    <Space size={4} wrap>
      {row.deleted_at ? <Tag color="default">{t("customers.status.deleted")}</Tag> : <Tag color="green">{t("customers.status.active")}</Tag>}
      {row.processing_restricted ? <Tag color="red">{t("customers.status.restricted")}</Tag> : null}
    </Space>
  );
}
