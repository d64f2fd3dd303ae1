import { useState } from "react";
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space, Typography } from "antd";
import type { Tables } from "../../lib/database";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { formatCredits, formatSignedCredits } from "../../lib/format";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { useCustomerSearch } from "../customers";
import { adjustCredits, newIdempotencyKey } from "./api";
import { useCreditLimits } from "./data";
import { ADJUSTMENT_REASONS, pendingReasonLabel, REASON_LABELS, type AdjustmentReason, type AdjustmentRow, type CreditLimitRow } from "./types";

export type AdjustCreditsCustomer = Pick<Tables<"customers">, "id" | "display_name" | "email">;

interface FormValues {
  customerId?: string;
  amount?: number | null;
  reason?: AdjustmentReason;
  note?: string;
}

export const MAX_ADJUSTMENT = 1_000_000;
export const MAX_NOTE = 2000;

const ROLE_NAMES: Record<CreditLimitRow["role"], string> = { support: "Support", finance: "Finance" };

/** "Support: up to 500 per adjustment, 2,000 per day" for each adjusting role the caller holds. */
export function describeLimits(limits: readonly CreditLimitRow[], roles: readonly string[]): string[] {
  return limits
    .filter((limit) => roles.includes(limit.role))
    .map((limit) => `${ROLE_NAMES[limit.role] ?? limit.role}: up to ${formatCredits(limit.per_adjustment_max)} per adjustment, ${formatCredits(limit.per_day_max)} per day`);
}

/** Why the amount field refuses a value, or null when it is a valid adjustment (whole, non-zero, ≤ 1,000,000). */
export function amountProblem(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return "Enter an amount of credits (negative to take credits away).";
  const amount = Number(value);
  if (!Number.isFinite(amount)) return "The amount must be a number.";
  if (!Number.isInteger(amount)) return "Whole credits only: no decimals.";
  if (amount === 0) return "The amount cannot be zero.";
  if (Math.abs(amount) > MAX_ADJUSTMENT) return `At most ${formatCredits(MAX_ADJUSTMENT)} credits either way.`;
  return null;
}

function customerName(customer: AdjustCreditsCustomer): string {
  return customer.display_name ? `${customer.display_name} (${customer.email})` : customer.email;
}

/**
 * The form inside the modal. It mounts once per opening (the modal destroys it when hidden), so its idempotency
 * key is made once per opening and every submit from this opening — a double click, a retry after a timeout or
 * an error — carries the same key: the database applies it at most once.
 */
function AdjustCreditsForm({ customer, onClose, onAdjusted }: { customer?: AdjustCreditsCustomer | undefined; onClose: () => void; onAdjusted?: ((row: AdjustmentRow) => void) | undefined }) {
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

  const who = chosen ? customerName(chosen) : "the customer";

  return (
    <Form<FormValues> form={form} layout="vertical" onFinish={(values) => void submit(values)} disabled={result !== null} requiredMark>
      {customer ? (
        <Form.Item label="Customer">
          <Typography.Text strong>{customerName(customer)}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item name="customerId" label="Customer" rules={[{ required: true, message: "Choose the customer." }]}>
          <Select
            showSearch
            aria-label="Customer"
            placeholder="Search by email or name"
            filterOption={false}
            onSearch={search.search}
            loading={search.searching}
            notFoundContent={search.error ? `Search failed: ${search.error}` : "Type at least 2 characters"}
            onChange={(id: string) => setChosen(search.options.find((o) => o.id === id) ?? null)}
            options={search.options.map((o) => ({ value: o.id, label: customerName(o) }))}
          />
        </Form.Item>
      )}
      <Form.Item
        name="amount"
        label="Amount (credits)"
        extra="Positive to grant, negative to take credits away."
        rules={[{ validator: async (_rule, value) => {
          const problem = amountProblem(value);
          if (problem) throw new Error(problem);
        } }]}
      >
        <InputNumber aria-label="Amount (credits)" style={{ width: 200 }} placeholder="e.g. 200 or -50" />
      </Form.Item>
      <Form.Item name="reason" label="Reason" rules={[{ required: true, message: "Choose a reason." }]}>
        <Select aria-label="Reason" placeholder="Why" options={ADJUSTMENT_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }))} />
      </Form.Item>
      <Form.Item
        name="note"
        label="Note"
        rules={[
          { required: true, whitespace: true, message: "A note saying why is required (it goes to the ledger)." },
          { max: MAX_NOTE, message: `At most ${formatCredits(MAX_NOTE)} characters.` },
        ]}
      >
        <Input.TextArea aria-label="Note" rows={3} placeholder="What happened, ticket number…" />
      </Form.Item>
      <Space direction="vertical" style={{ width: "100%" }}>
        {limitLines.length > 0 ? (
          <Typography.Text type="secondary" aria-label="Your limits">
            Your limits — {limitLines.join("; ")}. Above them, an adjustment waits for a finance user's approval.
          </Typography.Text>
        ) : null}
        {overLimit && !result ? (
          <Alert type="info" showIcon message="Above your per-adjustment limit: this will wait for finance approval." />
        ) : null}
        {error ? <Alert type="error" showIcon role="alert" message="Not adjusted" description={error} /> : null}
        {result?.status === "pending" ? (
          <Alert
            type="warning"
            showIcon
            role="status"
            message={`Waiting for finance approval: ${pendingReasonLabel(result.pending_reason)}`}
            description={`${formatSignedCredits(result.amount)} credits for ${who} are recorded as a request; nothing reaches the balance until a different finance user approves it.`}
          />
        ) : null}
        {result?.status === "applied" ? (
          <Alert type="success" showIcon role="status" message={`Applied: ${formatSignedCredits(result.amount)} credits for ${who}`} description="The balance and the ledger are updated." />
        ) : null}
        <Space style={{ width: "100%", justifyContent: "flex-end" }}>
          {result ? (
            <Button type="primary" onClick={onClose} disabled={false}>
              Done
            </Button>
          ) : (
            <>
              <Button onClick={onClose} disabled={false}>
                Cancel
              </Button>
              <Button type="primary" htmlType="submit" loading={submitting}>
                {error ? "Try again" : "Adjust credits"}
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
  return (
    <Modal open={open} title={customer ? `Adjust credits — ${customer.display_name ?? customer.email}` : "Adjust credits"} footer={null} onCancel={onClose} destroyOnHidden maskClosable={false}>
      <AdjustCreditsForm customer={customer} onClose={onClose} onAdjusted={onAdjusted} />
    </Modal>
  );
}
