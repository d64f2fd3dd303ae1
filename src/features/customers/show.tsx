import type { ReactNode } from "react";
import { Alert, Avatar, Card, Descriptions, Empty, Space, Spin, Statistic, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { Link, useParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { ErrorPanel, PageLoading } from "../../components/StatusPages";
import { formatBangkokDateTime, formatBytes, formatCredits, formatMoney, formatSignedCredits } from "../../lib/format";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { AdjustCreditsButton, CustomerPendingAdjustments, reasonLabel } from "../credits";
import { useRefundsOnPayments } from "../refunds";
import {
  useCustomerApiLogs,
  useCustomerAssets,
  useCustomerConsentEvents,
  useCustomerConsents,
  useCustomerErrorReports,
  useCustomerGenerations,
  useCustomerLedger,
  useCustomerPayments,
  useCustomerProfile,
  useCustomerProjects,
  useCustomerSubscriptions,
} from "./data";
import type {
  ApiRequestLogRow,
  AssetRow,
  ConsentEventRow,
  CreditLedgerRow,
  CustomerConsentRow,
  CustomerDirectoryRow,
  ErrorReportRow,
  GenerationRow,
  PaymentDetailsRow,
  ProjectRow,
  SubscriptionDetailsRow,
} from "./types";

interface QueryState {
  isLoading: boolean;
  isError: boolean;
  error: { message?: string } | null;
}

/** A titled card that shows its own loading, error and empty states, so one failing section never blanks the page. */
function Section({ title, query, count, empty, children }: { title: string; query: QueryState; count: number; empty: string; children: ReactNode }) {
  let body: ReactNode = children;
  if (query.isLoading) body = <Spin tip={`Loading ${title.toLowerCase()}…`}><div style={{ height: 48 }} /></Spin>;
  else if (query.isError) body = <Alert type="error" showIcon message={`Could not load ${title.toLowerCase()}`} description={query.error?.message} />;
  else if (count === 0) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <Card title={title} size="small" role="region" aria-label={title}>
      {body}
    </Card>
  );
}

const bangkok = (v: string | null) => formatBangkokDateTime(v);
const code = (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : "—");

function ProjectsSection({ customerId }: { customerId: string }) {
  const { query, result } = useCustomerProjects(customerId);
  const columns: ColumnsType<ProjectRow> = [
    { title: "Title", dataIndex: "title" },
    { title: "Created", dataIndex: "created_at", render: bangkok },
    { title: "Updated", dataIndex: "updated_at", render: bangkok },
    { title: "Deleted", dataIndex: "deleted_at", render: bangkok },
  ];
  return (
    <Section title="Projects" query={query} count={result.data.length} empty="No projects.">
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} />
    </Section>
  );
}

function GenerationsSection({ customerId }: { customerId: string }) {
  const { query, result } = useCustomerGenerations(customerId);
  const columns: ColumnsType<GenerationRow> = [
    { title: "When", dataIndex: "created_at", render: bangkok },
    { title: "Media", dataIndex: "media" },
    { title: "Model", dataIndex: "model" },
    { title: "Prompt", dataIndex: "prompt", ellipsis: true },
    { title: "Credits", dataIndex: "credits_cost", align: "right" },
    { title: "Status", dataIndex: "status" },
  ];
  return (
    <Section title="Generations (latest 50)" query={query} count={result.data.length} empty="No generations.">
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} scroll={{ x: true }} />
    </Section>
  );
}

function AssetsSection({ customerId }: { customerId: string }) {
  const { query, result } = useCustomerAssets(customerId);
  const columns: ColumnsType<AssetRow> = [
    { title: "R2 key", dataIndex: "r2_key", render: code },
    { title: "Kind", dataIndex: "kind" },
    { title: "Type", dataIndex: "content_type" },
    { title: "Size", dataIndex: "size_bytes", align: "right", render: (v: number | string) => formatBytes(v) },
    { title: "Created", dataIndex: "created_at", render: bangkok },
  ];
  return (
    <Section title="Assets" query={query} count={result.data.length} empty="No stored files.">
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} scroll={{ x: true }} />
    </Section>
  );
}

function CreditsSection({ customer }: { customer: CustomerDirectoryRow }) {
  const { id: customerId, credit_balance: balance } = customer;
  const { query, result } = useCustomerLedger(customerId);
  const columns: ColumnsType<CreditLedgerRow> = [
    { title: "When", dataIndex: "created_at", render: bangkok },
    { title: "Amount", dataIndex: "amount", align: "right", render: (v: number) => formatSignedCredits(v) },
    { title: "Reason", dataIndex: "reason", render: (reason: string) => reasonLabel(reason) },
    { title: "Note", dataIndex: "note", render: (v: string | null) => v ?? "—" },
  ];
  return (
    <Card title="Credits" size="small" role="region" aria-label="Credits" extra={<AdjustCreditsButton customer={customer} />}>
      <Statistic title="Credit balance" value={formatCredits(balance ?? 0)} />
      <Section title="Ledger (latest entries)" query={query} count={result.data.length} empty="No ledger entries.">
        <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} />
      </Section>
      {/* Adjustments and approvals: src/features/credits. */}
      <CustomerPendingAdjustments customerId={customerId} />
    </Card>
  );
}

function PaymentsSection({ customerId, showStripe }: { customerId: string; showStripe: boolean }) {
  const { query, result } = useCustomerPayments(customerId);
  const refunds = useRefundsOnPayments<PaymentDetailsRow>(customerId);
  const columns: ColumnsType<PaymentDetailsRow> = [
    { title: "When", dataIndex: "created_at", render: bangkok },
    { title: "Kind", dataIndex: "kind" },
    { title: "Plan", dataIndex: "plan", render: (v: string | null) => v ?? "—" },
    { title: "Amount", dataIndex: "amount", align: "right", render: (v: number | string, row) => formatMoney(v, row.currency) },
    { title: "Refunded", dataIndex: "amount_refunded", align: "right", render: (v: number | string, row) => formatMoney(v, row.currency) },
    { title: "Status", dataIndex: "status" },
    ...(showStripe
      ? [
          { title: "Payment intent", dataIndex: "stripe_payment_intent_id", render: code },
          { title: "Charge", dataIndex: "stripe_charge_id", render: code },
        ]
      : []),
    // Refund / Request refund per payment, and each payment's refunds under it (src/features/refunds).
    ...refunds.columns,
  ];
  return (
    <Section title="Payments" query={query} count={result.data.length} empty="No payments.">
      {refunds.error}
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} scroll={{ x: true }} expandable={refunds.expandable} />
      {refunds.modal}
    </Section>
  );
}

function SubscriptionSection({ customerId, showStripe }: { customerId: string; showStripe: boolean }) {
  const { query, result } = useCustomerSubscriptions(customerId);
  const columns: ColumnsType<SubscriptionDetailsRow> = [
    { title: "Plan", dataIndex: "plan" },
    { title: "Status", dataIndex: "status" },
    { title: "Period ends", dataIndex: "current_period_end", render: bangkok },
    { title: "Started", dataIndex: "created_at", render: bangkok },
    { title: "Canceled", dataIndex: "canceled_at", render: bangkok },
    ...(showStripe ? [{ title: "Stripe subscription", dataIndex: "stripe_subscription_id", render: code }] : []),
  ];
  return (
    <Section title="Subscription" query={query} count={result.data.length} empty="No subscription.">
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} />
    </Section>
  );
}

function ConsentsSection({ customerId }: { customerId: string }) {
  const { query, result } = useCustomerConsents(customerId);
  const columns: ColumnsType<CustomerConsentRow> = [
    { title: "Purpose", dataIndex: "purpose" },
    { title: "State", dataIndex: "granted", render: (granted: boolean) => (granted ? <Tag color="green">granted</Tag> : <Tag color="orange">withdrawn</Tag>) },
    { title: "Policy version", dataIndex: "policy_version_id", render: code },
    { title: "Since", dataIndex: "updated_at", render: bangkok },
  ];
  return (
    <Section title="Consents (current state)" query={query} count={result.data.length} empty="No consent recorded.">
      <Table rowKey="purpose" size="small" pagination={false} columns={columns} dataSource={result.data} />
    </Section>
  );
}

function ConsentHistorySection({ customerId }: { customerId: string }) {
  const { query, result } = useCustomerConsentEvents(customerId);
  const columns: ColumnsType<ConsentEventRow> = [
    { title: "When", dataIndex: "occurred_at", render: bangkok },
    { title: "Purpose", dataIndex: "purpose" },
    { title: "Action", dataIndex: "action" },
    { title: "Source", dataIndex: "source" },
    { title: "Policy version", dataIndex: "policy_version_id", render: code },
    { title: "IP", dataIndex: "ip", render: (v: string | null) => v ?? "—" },
  ];
  return (
    <Section title="Consent history" query={query} count={result.data.length} empty="No consent events.">
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} scroll={{ x: true }} />
    </Section>
  );
}

function ApiLogsSection({ customerId }: { customerId: string }) {
  const { query, result } = useCustomerApiLogs(customerId);
  const columns: ColumnsType<ApiRequestLogRow> = [
    { title: "When", dataIndex: "requested_at", render: (v: string) => formatBangkokDateTime(v, true) },
    { title: "Method", dataIndex: "method" },
    { title: "Endpoint", dataIndex: "endpoint", render: code },
    { title: "Status", dataIndex: "status_code" },
    { title: "IP", dataIndex: "ip", render: (v: string | null) => v ?? "—" },
    { title: "User agent", dataIndex: "user_agent", ellipsis: true, render: (v: string | null) => v ?? "—" },
  ];
  return (
    <Section title="API requests (latest 50)" query={query} count={result.data.length} empty="No API requests in the retained period.">
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} scroll={{ x: true }} />
    </Section>
  );
}

function ErrorReportsSection({ customerId }: { customerId: string }) {
  const { query, result } = useCustomerErrorReports(customerId);
  const columns: ColumnsType<ErrorReportRow> = [
    { title: "When", dataIndex: "occurred_at", render: bangkok },
    { title: "Sentry event", dataIndex: "sentry_event_id", render: code },
    { title: "Summary", dataIndex: "summary" },
  ];
  return (
    <Section title="Error reports" query={query} count={result.data.length} empty="No error reports.">
      <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={result.data} />
    </Section>
  );
}

function ProfileHeader({ customer, showStripe }: { customer: CustomerDirectoryRow; showStripe: boolean }) {
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {customer.processing_restricted ? (
        <Alert
          type="error"
          showIcon
          message="Processing restricted"
          description={`Since ${formatBangkokDateTime(customer.restricted_at)}${customer.restriction_reason ? ` — ${customer.restriction_reason}` : ""}. Do not process this customer's data beyond storage.`}
        />
      ) : null}
      {customer.deleted_at ? <Alert type="warning" showIcon message={`Account deleted ${formatBangkokDateTime(customer.deleted_at)}`} /> : null}
      <Card size="small">
        <Space align="start" size="large">
          <Avatar size={64} src={customer.profile_image_url ?? undefined} alt="">
            {(customer.display_name ?? customer.email).slice(0, 1).toUpperCase()}
          </Avatar>
          <Descriptions size="small" column={{ xs: 1, md: 2 }} title={customer.display_name ?? customer.email}>
            <Descriptions.Item label="Email">{customer.email}</Descriptions.Item>
            <Descriptions.Item label="Clerk user id">{code(customer.clerk_user_id)}</Descriptions.Item>
            {showStripe ? <Descriptions.Item label="Stripe customer">{code(customer.stripe_customer_id)}</Descriptions.Item> : null}
            <Descriptions.Item label="Locale">{customer.locale}</Descriptions.Item>
            <Descriptions.Item label="Country">{customer.country ?? "—"}</Descriptions.Item>
            <Descriptions.Item label="Plan">
              {customer.subscription_plan ? `${customer.subscription_plan} (${customer.subscription_status ?? "unknown"})` : "—"}
            </Descriptions.Item>
            <Descriptions.Item label="Created (Bangkok)">{formatBangkokDateTime(customer.created_at)}</Descriptions.Item>
            <Descriptions.Item label="Updated (Bangkok)">{formatBangkokDateTime(customer.updated_at)}</Descriptions.Item>
          </Descriptions>
        </Space>
      </Card>
    </Space>
  );
}

export default function CustomerShow() {
  const { id = "" } = useParams();
  const { roles, isLoading: rolesLoading } = useStaffRoles();
  const { query, result: customer } = useCustomerProfile(id);

  if (rolesLoading || !roles || query.isLoading) return <PageLoading label="Loading customer…" />;
  if (query.isError) return <ErrorPanel title="Could not load this customer" error={query.error} />;
  if (!customer) return <ErrorPanel title="Customer not found" error={new Error(`No customer with id ${id} is visible to you.`)} />;

  const allowed = (resource: string) => can(roles, resource, "show");
  const showStripe = allowed("stripe_ids");

  return (
    <PageShell title={customer.display_name ?? customer.email} extra={<Link to="/customers">Back to customers</Link>}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <ProfileHeader customer={customer} showStripe={showStripe} />
        {allowed("credit_balances") ? <CreditsSection customer={customer} /> : null}
        {allowed("subscriptions") ? <SubscriptionSection customerId={customer.id} showStripe={showStripe} /> : null}
        {allowed("payments") ? <PaymentsSection customerId={customer.id} showStripe={showStripe} /> : null}
        {allowed("projects") ? <ProjectsSection customerId={customer.id} /> : null}
        {allowed("generations") ? <GenerationsSection customerId={customer.id} /> : null}
        {allowed("assets") ? <AssetsSection customerId={customer.id} /> : null}
        {allowed("customer_consents") ? <ConsentsSection customerId={customer.id} /> : null}
        {allowed("consent_events") ? <ConsentHistorySection customerId={customer.id} /> : null}
        {allowed("api_request_logs") ? <ApiLogsSection customerId={customer.id} /> : null}
        {allowed("error_reports") ? <ErrorReportsSection customerId={customer.id} /> : null}
      </Space>
    </PageShell>
  );
}
