/** The customer page's sections: what each shows (reads: data.ts; states and table: CustomerSection.tsx). */
import { Card, Statistic, Tag, Typography } from "antd";
import { useT } from "../../i18n";
import { formatBangkokDateTime, formatBytes, formatCredits, formatMoney, formatSignedCredits } from "../../lib/format";
import { ACTION_COLOURS, ACTION_LABELS, labelOf, PURPOSE_LABELS, SOURCE_LABELS, versionLabel } from "../consent";
import { AdjustCreditsButton, CustomerPendingAdjustments, reasonLabel } from "../credits";
import { useRefundsOnPayments } from "../refunds";
import { RowsSection, type SectionSpec } from "./CustomerSection";
import type { CustomerSection, SectionRow } from "./data";
import type { CustomerDirectoryRow } from "./types";
import "../../i18n/messages/en/customers";

const bangkok = (v: string | null) => formatBangkokDateTime(v);
export const code = (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : "—");
const orDash = (v: string | null) => v ?? "—";
const money = (v: number | string, row: SectionRow<"payments">) => formatMoney(v, row.currency);
const purpose = (v: string) => labelOf(PURPOSE_LABELS, v);
const action = (v: string) => <Tag color={ACTION_COLOURS[v] ?? "default"}>{labelOf(ACTION_LABELS, v)}</Tag>;

function ConsentState({ granted }: { granted: boolean }) {
  const t = useT();
  return granted ? <Tag color="green">{t("customers.show.granted")}</Tag> : <Tag color="orange">{t("customers.show.withdrawn")}</Tag>;
}

/** Every section's columns, in order; `stripe` columns only for roles that may see Stripe ids. */
const SECTIONS: { [S in CustomerSection]: SectionSpec<S> } = {
  projects: {
    columns: [
      { word: "title", field: "title" },
      { word: "created", field: "created_at", render: bangkok },
      { word: "updated", field: "updated_at", render: bangkok },
      { word: "deleted", field: "deleted_at", render: bangkok },
    ],
  },
  generations: {
    wide: true,
    columns: [
      { word: "when", field: "created_at", render: bangkok },
      { word: "media", field: "media" },
      { word: "model", field: "model" },
      { word: "prompt", field: "prompt", ellipsis: true },
      { word: "credits", field: "credits_cost", align: "right" },
      { word: "status", field: "status" },
    ],
  },
  assets: {
    wide: true,
    columns: [
      { word: "r2Key", field: "r2_key", render: code },
      { word: "kind", field: "kind" },
      { word: "type", field: "content_type" },
      { word: "size", field: "size_bytes", align: "right", render: (v: number | string) => formatBytes(v) },
      { word: "created", field: "created_at", render: bangkok },
    ],
  },
  ledger: {
    columns: [
      { word: "when", field: "created_at", render: bangkok },
      { word: "amount", field: "amount", align: "right", render: (v: number) => formatSignedCredits(v) },
      { word: "reason", field: "reason", render: (reason: string) => reasonLabel(reason) },
      { word: "note", field: "note", render: orDash },
    ],
  },
  payments: {
    wide: true,
    columns: [
      { word: "when", field: "created_at", render: bangkok },
      { word: "kind", field: "kind" },
      { word: "plan", field: "plan", render: orDash },
      { word: "amount", field: "amount", align: "right", render: money },
      { word: "refunded", field: "amount_refunded", align: "right", render: money },
      { word: "status", field: "status" },
      { word: "paymentIntent", field: "stripe_payment_intent_id", render: code, stripe: true },
      { word: "charge", field: "stripe_charge_id", render: code, stripe: true },
    ],
  },
  subscriptions: {
    columns: [
      { word: "plan", field: "plan" },
      { word: "status", field: "status" },
      { word: "periodEnds", field: "current_period_end", render: bangkok },
      { word: "started", field: "created_at", render: bangkok },
      { word: "canceled", field: "canceled_at", render: bangkok },
      { word: "stripeSubscription", field: "stripe_subscription_id", render: code, stripe: true },
    ],
  },
  // Every consent code by its catalogue label (src/features/consent), the version by its document and label.
  consents: {
    rowKey: "purpose",
    columns: [
      { word: "purpose", field: "purpose", render: purpose },
      { word: "state", field: "granted", render: (granted: boolean) => <ConsentState granted={granted} /> },
      { word: "action", field: "action", render: action },
      { word: "policyVersion", field: "policy_version_id", render: (id: string | null, row) => versionLabel(row.policy, id) },
      { word: "since", field: "updated_at", render: bangkok },
    ],
  },
  consentEvents: {
    wide: true,
    columns: [
      { word: "when", field: "occurred_at", render: bangkok },
      { word: "purpose", field: "purpose", render: purpose },
      { word: "action", field: "action", render: action },
      { word: "source", field: "source", render: (v: string) => labelOf(SOURCE_LABELS, v) },
      { word: "policyVersion", field: "policy_version_id", render: (id: string | null, row) => versionLabel(row.policy, id) },
      { word: "ip", field: "ip", render: orDash },
    ],
  },
  apiLogs: {
    wide: true,
    columns: [
      { word: "when", field: "requested_at", render: (v: string) => formatBangkokDateTime(v, true) },
      { word: "method", field: "method" },
      { word: "endpoint", field: "endpoint", render: code },
      { word: "status", field: "status_code" },
      { word: "ip", field: "ip", render: orDash },
      { word: "userAgent", field: "user_agent", ellipsis: true, render: orDash },
    ],
  },
  errorReports: {
    columns: [
      { word: "when", field: "occurred_at", render: bangkok },
      { word: "sentryEvent", field: "sentry_event_id", render: code },
      { word: "summary", field: "summary" },
    ],
  },
};

/** The sections that are a table and nothing else, in the page's order after credits and payments. */
export type PlainSection = Exclude<CustomerSection, "ledger" | "payments">;

/** A section that is its table only. */
export function CustomerRowsSection({ section, customerId, showStripe }: { section: PlainSection; customerId: string; showStripe: boolean }) {
  // The spec and the section are the same key, so the row types agree; TypeScript cannot follow that through the union.
  return <RowsSection section={section} spec={SECTIONS[section] as SectionSpec<typeof section>} customerId={customerId} showStripe={showStripe} />;
}

export function CreditsSection({ customer }: { customer: CustomerDirectoryRow }) {
  const t = useT();
  const { id: customerId, credit_balance: balance } = customer;
  const title = t("customers.show.credits");
  return (
    <Card title={title} size="small" role="region" aria-label={title} extra={<AdjustCreditsButton customer={customer} />}>
      <Statistic title={t("customers.show.creditBalance")} value={formatCredits(balance ?? 0)} />
      <RowsSection section="ledger" spec={SECTIONS.ledger} customerId={customerId} />
      {/* Adjustments and approvals: src/features/credits. */}
      <CustomerPendingAdjustments customerId={customerId} />
    </Card>
  );
}

export function PaymentsSection({ customerId, showStripe }: { customerId: string; showStripe: boolean }) {
  // Refund / Request refund per payment, and each payment's refunds under it (src/features/refunds).
  const refunds = useRefundsOnPayments<SectionRow<"payments">>(customerId);
  return (
    <RowsSection
      section="payments"
      spec={SECTIONS.payments}
      customerId={customerId}
      showStripe={showStripe}
      moreColumns={refunds.columns}
      expandable={refunds.expandable}
      before={refunds.error}
      after={refunds.modal}
    />
  );
}
