import { Alert, Avatar, Card, Descriptions, Space } from "antd";
import { useT } from "../../i18n";
import { formatBangkokDateTime } from "../../lib/format";
import { code } from "./CustomerSections";
import type { CustomerDirectoryRow } from "./types";
import "../../i18n/messages/en/customers";

/** Who the customer is, and the flags staff must see first (processing restricted, account deleted). */
export function ProfileHeader({ customer, showStripe }: { customer: CustomerDirectoryRow; showStripe: boolean }) {
  const t = useT();
  const restrictedAt = formatBangkokDateTime(customer.restricted_at);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {customer.processing_restricted ? (
        <Alert
          type="error"
          showIcon
          message={t("customers.show.restricted")}
          description={
            customer.restriction_reason
              ? t("customers.show.restrictedSinceBecause", { at: restrictedAt, reason: customer.restriction_reason })
              : t("customers.show.restrictedSince", { at: restrictedAt })
          }
        />
      ) : null}
      {customer.deleted_at ? <Alert type="warning" showIcon message={t("customers.show.deletedAt", { at: formatBangkokDateTime(customer.deleted_at) })} /> : null}
      <Card size="small">
        <Space align="start" size="large">
          <Avatar size={64} src={customer.profile_image_url ?? undefined} alt="">
            {(customer.display_name ?? customer.email).slice(0, 1).toUpperCase()}
          </Avatar>
          <Descriptions size="small" column={{ xs: 1, md: 2 }} title={customer.display_name ?? customer.email}>
            <Descriptions.Item label={t("customers.columns.email")}>{customer.email}</Descriptions.Item>
            <Descriptions.Item label={t("customers.columns.clerkUserId")}>{code(customer.clerk_user_id)}</Descriptions.Item>
            {showStripe ? <Descriptions.Item label={t("customers.columns.stripeCustomer")}>{code(customer.stripe_customer_id)}</Descriptions.Item> : null}
            <Descriptions.Item label={t("customers.columns.locale")}>{customer.locale}</Descriptions.Item>
            <Descriptions.Item label={t("customers.columns.country")}>{customer.country ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("customers.columns.plan")}>
              {customer.subscription_plan
                ? t("customers.show.planWithStatus", { plan: customer.subscription_plan, status: customer.subscription_status ?? t("customers.show.unknownStatus") })
                : "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("customers.columns.createdBangkok")}>{formatBangkokDateTime(customer.created_at)}</Descriptions.Item>
            <Descriptions.Item label={t("customers.columns.updatedBangkok")}>{formatBangkokDateTime(customer.updated_at)}</Descriptions.Item>
          </Descriptions>
        </Space>
      </Card>
    </Space>
  );
}
