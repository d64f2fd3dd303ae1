import { useRef, useState } from "react";
import { Alert, Button, Checkbox, Descriptions, Form, Input, Modal, Radio, Select, Space, Spin, Typography } from "antd";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { formatBangkokDateTime, formatCredits, formatMoney } from "../../lib/format";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { executeRefund, newIdempotencyKey, requestRefund, type ExecuteResult } from "./api";
import { RefundStatusTag } from "./components";
import { useCreditBalance, usePayment, usePaymentRefunds, useRefreshRefunds } from "./data";
import { clawbackOffer, currencyExponent, minorToMajorInput, parseMajorAmount, summarisePayment } from "./money";
import { REASON_LABELS, REFUND_REASONS, type RefundablePayment, type RefundReason, type RefundRow } from "./types";

export const NOTE_MAX = 2000;

export interface RefundModalProps {
  payment: RefundablePayment;
  customerId: string;
  /** finance refunds (and may send at once); support requests a refund that waits for finance. */
  mode: "refund" | "request";
  onClose: () => void;
}


/**
 * Refund (finance) or request a refund (support) of one payment. What was paid, refunded, reserved and what
 * remains come from the database when the form opens; the database checks them again on submit. One idempotency
 * key per opening: a double click or a retry after a timeout records one request.
 */
export function RefundModal({ payment: given, customerId, mode, onClose }: RefundModalProps) {
  const getClient = useSupabaseClient();
  const refresh = useRefreshRefunds();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const paymentQuery = usePayment(given.id);
  const refundsQuery = usePaymentRefunds(given.id);
  const payment = paymentQuery.result ?? given;
  const isTopUp = payment.kind === "top_up" && Number(payment.credits_granted ?? 0) > 0;
  const balance = useCreditBalance(customerId, isTopUp);

  const [kind, setKind] = useState<"full" | "partial">("full");
  const [amountText, setAmountText] = useState("");
  const [reason, setReason] = useState<RefundReason>("requested_by_customer");
  const [note, setNote] = useState("");
  const [clawback, setClawback] = useState(false);
  const [touched, setTouched] = useState(false);
  const { pending, error, guard } = useGuardedAction();
  const [created, setCreated] = useState<RefundRow | null>(null);

  const loading = refundsQuery.query.isLoading || paymentQuery.query.isLoading;
  const loadError = refundsQuery.query.error ?? paymentQuery.query.error;
  const summary = summarisePayment(payment.amount, refundsQuery.result.data ?? []);
  const currency = payment.currency;
  const offer = clawbackOffer(payment.credits_granted, balance.balance);

  const parsed = kind === "full" ? ({ ok: true, minor: summary.remaining } as const) : parseMajorAmount(amountText, currency, summary.remaining);
  const amountError = kind === "partial" && (touched || amountText !== "") && !parsed.ok ? parsed.error : null;
  const noteError = touched && note.trim() === "" ? "Write an internal note: why this refund, and what the customer was told." : note.length > NOTE_MAX ? `At most ${NOTE_MAX} characters.` : null;
  const nothingLeft = !loading && !loadError && summary.remaining <= 0;

  const submit = async () => {
    setTouched(true);
    if (created) return;
    if (!parsed.ok || parsed.minor <= 0 || note.trim() === "" || note.length > NOTE_MAX || nothingLeft) return;
    await guard(async () => {
      const row = await requestRefund(await getClient(), {
        paymentId: payment.id,
        amount: parsed.minor,
        currency,
        reason,
        note: note.trim(),
        idempotencyKey,
        clawbackCredits: isTopUp && clawback ? offer : 0,
      });
      setCreated(row);
      await refresh();
    });
  };

  const title = `${mode === "refund" ? "Refund" : "Request a refund of"} the ${formatBangkokDateTime(payment.created_at)} payment`;

  return (
    <Modal
      open
      width={640}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={!pending}
      footer={
        created ? (
          <Button onClick={onClose}>Close</Button>
        ) : (
          <Space>
            <Button onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="primary" danger={mode === "refund"} loading={pending} disabled={loading || nothingLeft || Boolean(loadError)} onClick={() => void submit()}>
              {mode === "refund" ? "Refund" : "Request refund"}
            </Button>
          </Space>
        )
      }
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        {loading ? (
          <Spin tip="Reading the payment and its refunds…">
            <div style={{ height: 48 }} />
          </Spin>
        ) : null}
        {loadError ? <Alert type="error" showIcon message="Could not read the payment's refunds" description={loadError.message} /> : null}
        {!loading && !loadError ? (
          <Descriptions size="small" column={2} bordered aria-label="Refund position" contentStyle={{ whiteSpace: "nowrap" }}>
            <Descriptions.Item label="Paid">{formatMoney(summary.paid, currency)}</Descriptions.Item>
            <Descriptions.Item label="Already refunded">{formatMoney(summary.refunded, currency)}</Descriptions.Item>
            <Descriptions.Item label="Reserved by open requests">{formatMoney(summary.reserved, currency)}</Descriptions.Item>
            <Descriptions.Item label="Remaining">
              <strong>{formatMoney(summary.remaining, currency)}</strong>
            </Descriptions.Item>
          </Descriptions>
        ) : null}
        {created ? (
          <RefundOutcome refund={created} mayExecute={mode === "refund"} />
        ) : (
          <>
            {nothingLeft ? <Alert type="info" showIcon message="Nothing left to refund on this payment." /> : null}
            {error ? <Alert type="error" showIcon message="Not recorded" description={error} role="alert" /> : null}
            <Form layout="vertical" disabled={pending || nothingLeft} onFinish={() => void submit()} component="div">
              <Form.Item label="Amount">
                <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as "full" | "partial")} aria-label="Full or partial refund">
                  <Radio value="full">Full ({formatMoney(summary.remaining, currency)})</Radio>
                  <Radio value="partial">Partial</Radio>
                </Radio.Group>
              </Form.Item>
              {kind === "partial" ? (
                <Form.Item
                  label={`Amount to refund (${currency.toUpperCase()}, ${currencyExponent(currency) === 0 ? "whole units" : `up to ${currencyExponent(currency)} decimals`})`}
                  validateStatus={amountError ? "error" : undefined}
                  help={amountError ?? `At most ${minorToMajorInput(summary.remaining, currency)}`}
                  required
                >
                  <Input aria-label="Amount to refund" inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} autoFocus />
                </Form.Item>
              ) : null}
              <Form.Item label="Reason" required>
                <Select<RefundReason>
                  aria-label="Reason"
                  value={reason}
                  onChange={setReason}
                  options={REFUND_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }))}
                />
              </Form.Item>
              <Form.Item label="Internal note" required validateStatus={noteError ? "error" : undefined} help={noteError ?? undefined}>
                <Input.TextArea aria-label="Internal note" rows={3} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} />
              </Form.Item>
              {isTopUp ? (
                <Form.Item>
                  <Checkbox checked={clawback && offer > 0} disabled={offer <= 0} onChange={(e) => setClawback(e.target.checked)}>
                    Also claw back unused credits ({formatCredits(offer)})
                  </Checkbox>
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
                    The payment granted {formatCredits(payment.credits_granted)} credits; the balance is{" "}
                    {balance.balance === null ? "…" : formatCredits(balance.balance)}. Taken off when Stripe confirms the refund.
                  </Typography.Paragraph>
                </Form.Item>
              ) : null}
              {mode === "request" ? (
                <Typography.Text type="secondary">Finance approves the request before any money moves.</Typography.Text>
              ) : null}
            </Form>
          </>
        )}
      </Space>
    </Modal>
  );
}

/** What the submit did: approved and ready to send, or waiting for approvals. */
export function RefundOutcome({ refund, mayExecute }: { refund: RefundRow; mayExecute: boolean }) {
  const getClient = useSupabaseClient();
  const refresh = useRefreshRefunds();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ExecuteResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const amount = formatMoney(refund.amount, refund.currency);

  const send = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    setError(null);
    try {
      setResult(await executeRefund(await getClient(), refund.id));
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      await refresh();
      inFlight.current = false;
      setRunning(false);
    }
  };

  if (result) {
    return (
      <Alert
        type={result.refund.status === "failed" || result.refund.status === "canceled" ? "error" : "success"}
        showIcon
        message={
          <Space>
            Sent to Stripe: <RefundStatusTag status={result.refund.status} />
          </Space>
        }
        description={result.stripe_refund_id ? `Stripe refund ${result.stripe_refund_id}` : undefined}
      />
    );
  }
  if (refund.status === "approved") {
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        <Alert
          type="success"
          showIcon
          message="Approved — refund now"
          description={`${amount} is approved (within the amount that needs no second approval). ${mayExecute ? "Send it to Stripe now, or later from the Refunds page." : "Finance sends it to Stripe."}`}
          action={
            mayExecute ? (
              <Button type="primary" loading={running} onClick={() => void send()}>
                {error ? "Retry" : "Refund now"}
              </Button>
            ) : undefined
          }
        />
        {error ? <Alert type="error" showIcon message="Not sent" description={error} role="alert" /> : null}
      </Space>
    );
  }
  if (refund.status === "awaiting_approval") {
    const n = Number(refund.approvals_needed);
    return (
      <Alert
        type="info"
        showIcon
        message={`Waiting for ${n} finance approval${n === 1 ? "" : "s"}`}
        description={`${amount} is requested. ${n === 2 ? "Above the threshold, two finance users other than you must approve." : "A finance user other than you must approve."} It is listed under Refunds → Awaiting approval.`}
      />
    );
  }
  return (
    <Alert
      type="info"
      showIcon
      message={
        <Space>
          This refund was already recorded: <RefundStatusTag status={refund.status} />
        </Space>
      }
    />
  );
}
