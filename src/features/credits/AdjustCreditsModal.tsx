import { useState } from "react";
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space, Typography } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { t } from "../../i18n/provider";
import type { Tables } from "../../lib/database";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { useCustomerSearch } from "../customers";
import { adjustCredits, newIdempotencyKey } from "./api";
import { useCreditLimits } from "./data";
import { ADJUSTMENT_REASONS, pendingReasonLabel, reasonLabel, type AdjustmentReason, type AdjustmentRow, type CreditLimitRow } from "./types";
import "../../i18n/messages/en/credits";

export type AdjustCreditsCustomer = Pick<Tables<"customers">, "id" | "display_name" | "email">;

interface FormValues {
  customerId?: string;
  amount?: number | null;
  reason?: AdjustmentReason;
  note?: string;
}

export const MAX_ADJUSTMENT = 1_000_000;
export const MAX_NOTE = 2000;

/** "Support: up to 500 per adjustment, 2,000 per day" for each adjusting role the caller holds. */
export function describeLimits(limits: readonly CreditLimitRow[], roles: readonly string[]): string[] {
  return limits
    .filter((limit) => roles.includes(limit.role))
    .map((limit) => t("credits.adjust.limitLine", { role: t(`credits.adjust.roles.${limit.role}`), perAdjustment: limit.per_adjustment_max, perDay: limit.per_day_max }));
}

/** Why the amount field refuses a value, or null when it is a valid adjustment (whole, non-zero, ≤ 1,000,000). */
export function amountProblem(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return t("credits.adjust.amountMissing");
  const amount = Number(value);
  if (!Number.isFinite(amount)) return t("credits.adjust.amountNotNumber");
  if (!Number.isInteger(amount)) return t("credits.adjust.amountNotWhole");
  if (amount === 0) return t("credits.adjust.amountZero");
  if (Math.abs(amount) > MAX_ADJUSTMENT) return t("credits.adjust.amountTooLarge", { max: MAX_ADJUSTMENT });
  return null;
}

function customerName(customer: AdjustCreditsCustomer): string {
  return customer.display_name ? t("credits.filters.customerOption", { name: customer.display_name, email: customer.email }) : customer.email;
}

/**
 * The form inside the modal. It mounts once per opening (the modal destroys it when hidden), so its idempotency
 * key is made once per opening and every submit from this opening — a double click, a retry after a timeout or
 * an error — carries the same key: the database applies it at most once.
 */
function AdjustCreditsForm({ customer, onClose, onAdjusted }: { customer?: AdjustCreditsCustomer | undefined; onClose: () => void; onAdjusted?: ((row: AdjustmentRow) => void) | undefined }) {
  const t = useT();
  const format = useFormatter();
  const [form] = Form.useForm<FormValues>();
  const getClient = useSupabaseClient();
  const { roles = [] } = useStaffRoles();
  const limits = useCreditLimits();
  const search = useCustomerSearch();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const { pending: submitting, error, guard } = useGuardedAction();
  const [result, setResult] = useState<AdjustmentRow | null>(null);
  const [chosen, setChosen] = useState<AdjustCreditsCustomer | null>(customer ?? null);
  const amount = Form.useWatch("amount", form);

  const limitLines = describeLimits(limits.result.data ?? [], roles);
  const ownLimit = (limits.result.data ?? []).filter((l) => roles.includes(l.role)).reduce((max, l) => Math.max(max, l.per_adjustment_max), 0);
  const overLimit = ownLimit > 0 && amountProblem(amount) === null && Math.abs(Number(amount)) > ownLimit;

  const submit = async (values: FormValues) => {
    // A second click while the first submit is on its way sends nothing; a later retry reuses the same key.
    if (result) return;
    await guard(async () => {
      const row = await adjustCredits(await getClient(), {
        customerId: customer?.id ?? values.customerId!,
        amount: Number(values.amount),
        reason: values.reason!,
        note: values.note!.trim(),
        idempotencyKey,
      });
      setResult(row);
      onAdjusted?.(row);
    });
  };

  const who = chosen ? customerName(chosen) : t("credits.adjust.theCustomer");

  return (
    <Form<FormValues> form={form} layout="vertical" onFinish={(values) => void submit(values)} disabled={result !== null} requiredMark>
      {customer ? (
        <Form.Item label={t("credits.adjust.customer")}>
          <Typography.Text strong>{customerName(customer)}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item name="customerId" label={t("credits.adjust.customer")} rules={[{ required: true, message: t("credits.adjust.chooseCustomer") }]}>
          <Select
            showSearch
            aria-label={t("credits.adjust.customer")}
            placeholder={t("credits.adjust.searchPlaceholder")}
            filterOption={false}
            onSearch={search.search}
            loading={search.searching}
            notFoundContent={search.error ? t("credits.adjust.searchFailed", { reason: search.error }) : t("credits.adjust.typeMore")}
            onChange={(id: string) => setChosen(search.options.find((o) => o.id === id) ?? null)}
            options={search.options.map((o) => ({ value: o.id, label: customerName(o) }))}
          />
        </Form.Item>
      )}
      <Form.Item
        name="amount"
        label={t("credits.adjust.amount")}
        extra={t("credits.adjust.amountHelp")}
        rules={[{ validator: async (_rule, value) => {
          const problem = amountProblem(value);
          if (problem) throw new Error(problem);
        } }]}
      >
        <InputNumber aria-label={t("credits.adjust.amount")} style={{ width: 200 }} placeholder={t("credits.adjust.amountPlaceholder")} />
      </Form.Item>
      <Form.Item name="reason" label={t("credits.adjust.reason")} rules={[{ required: true, message: t("credits.adjust.chooseReason") }]}>
        <Select aria-label={t("credits.adjust.reason")} placeholder={t("credits.adjust.reasonPlaceholder")} options={ADJUSTMENT_REASONS.map((value) => ({ value, label: reasonLabel(value) }))} />
      </Form.Item>
      <Form.Item
        name="note"
        label={t("credits.adjust.note")}
        rules={[
          { required: true, whitespace: true, message: t("credits.adjust.noteRequired") },
          { max: MAX_NOTE, message: t("credits.adjust.noteTooLong", { max: MAX_NOTE }) },
        ]}
      >
        <Input.TextArea aria-label={t("credits.adjust.note")} rows={3} placeholder={t("credits.adjust.notePlaceholder")} />
      </Form.Item>
      <Space direction="vertical" style={{ width: "100%" }}>
        {limitLines.length > 0 ? (
          <Typography.Text type="secondary" aria-label={t("credits.adjust.limitsLabel")}>
            {t("credits.adjust.limits", { lines: limitLines.join("; ") })}
          </Typography.Text>
        ) : null}
        {overLimit && !result ? (
          <Alert type="info" showIcon message={t("credits.adjust.overLimit")} />
        ) : null}
        {error ? <Alert type="error" showIcon role="alert" message={t("credits.adjust.failed")} description={error} /> : null}
        {result?.status === "pending" ? (
          <Alert
            type="warning"
            showIcon
            role="status"
            message={t("credits.adjust.waiting", { why: pendingReasonLabel(result.pending_reason) })}
            description={t("credits.adjust.waitingDetail", { amount: format.signedCredits(result.amount), customer: who })}
          />
        ) : null}
        {result?.status === "applied" ? (
          <Alert type="success" showIcon role="status" message={t("credits.adjust.applied", { amount: format.signedCredits(result.amount), customer: who })} description={t("credits.adjust.appliedDetail")} />
        ) : null}
        <Space style={{ width: "100%", justifyContent: "flex-end" }}>
          {result ? (
            <Button type="primary" onClick={onClose} disabled={false}>
              {t("credits.adjust.done")}
            </Button>
          ) : (
            <>
              <Button onClick={onClose} disabled={false}>
                {t("common.actions.cancel")}
              </Button>
              <Button type="primary" htmlType="submit" loading={submitting}>
                {error ? t("credits.adjust.tryAgain") : t("credits.adjust.submit")}
              </Button>
            </>
          )}
        </Space>
      </Space>
    </Form>
  );
}

/** Adjust a customer's credits through adjust_credits (used on the credits page and the customer page). */
export function AdjustCreditsModal({
  open,
  customer,
  onClose,
  onAdjusted,
}: {
  open: boolean;
  /** Pre-filled on the customer page; without it the form asks for the customer. */
  customer?: AdjustCreditsCustomer;
  onClose: () => void;
  onAdjusted?: (row: AdjustmentRow) => void;
}) {
  const t = useT();
  return (
    <Modal open={open} title={customer ? t("credits.adjust.titleFor", { customer: customer.display_name ?? customer.email }) : t("credits.adjust.title")} footer={null} onCancel={onClose} destroyOnHidden maskClosable={false}>
      <AdjustCreditsForm customer={customer} onClose={onClose} onAdjusted={onAdjusted} />
    </Modal>
  );
}
